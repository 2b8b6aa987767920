package x835

import (
	"bytes"

	"github.com/revhub/revhub/adapters/x12"
)

// counts are how many claims, service lines and adjustments a parse adds.
type counts struct{ claims, lines, adjs int }

// Sampling: files up to sampleAll bytes are counted in full, larger ones in
// samples windows of sampleLen bytes spread evenly over the file.
const (
	sampleAll = 256 << 10
	samples   = 64
	sampleLen = 8 << 10
)

// sizes returns how many claims, service lines and adjustments to make room
// for in a parse of b. A file up to sampleAll bytes is counted exactly. In a
// larger one the CLP, SVC and CAS triplets of sampled windows are scaled to
// the file's size: claims (whose slab must not move) get 1.5% more than
// that, lines and adjustments 2% less, their pools adding chunks sized by
// what the parse has seen when that runs out.
func sizes(b []byte, d x12.Delimiters) counts {
	if len(b) <= sampleAll {
		c, _ := countSegments(b, d, true)
		return c
	}
	var c counts
	covered := 0
	step := (len(b) - sampleLen) / (samples - 1)
	for i := range samples {
		w, n := countSegments(b[i*step:i*step+sampleLen], d, i == 0)
		c.claims, c.lines, c.adjs, covered = c.claims+w.claims, c.lines+w.lines, c.adjs+w.adjs, covered+n
	}
	if covered == 0 {
		return counts{}
	}
	scale := func(n, permille int) int { return int(int64(n)*int64(len(b))/int64(covered)*int64(permille)/1000) + 16 }
	return counts{scale(c.claims, 1015), scale(c.lines, 980), scale(c.adjs, 980)}
}

// countSegments counts the segments that add claims, lines and adjustments
// among the whole segments of w (the first is the one after w's first
// terminator, unless w starts the file) and returns how many bytes they span.
func countSegments(w []byte, d x12.Delimiters, start bool) (counts, int) {
	var c counts
	from := 0
	if !start {
		from = bytes.IndexByte(w, d.Segment) + 1
		if from == 0 {
			return c, 0
		}
	}
	pos := from
	for {
		for pos < len(w) && (w[pos] == '\n' || w[pos] == '\r') {
			pos++
		}
		end := bytes.IndexByte(w[pos:], d.Segment)
		if end < 0 {
			return c, pos - from
		}
		seg := w[pos : pos+end]
		pos += end + 1
		if len(seg) < 4 || seg[3] != d.Element {
			continue
		}
		switch string(seg[:3]) {
		case "CLP":
			c.claims++
		case "SVC":
			c.lines++
		case "CAS":
			// One adjustment per reason/amount/quantity triplet after CAS01.
			c.adjs += (bytes.Count(seg, []byte{d.Element}) + 1) / 3
		}
	}
}
