package x12

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/revhub/revhub/core/money"
)

// Writer builds an interchange in memory: segments, elements and the
// envelope trailers with their counts. Errors are sticky: the first one is
// returned by Bytes and WriteTo, and later calls do nothing.
type Writer struct {
	buf     []byte
	d       Delimiters
	newline bool
	err     error

	open      bool // inside a segment
	pendingEl int  // empty elements not yet written (trailing ones are dropped)
	pendingCo int  // component separators not yet written
	coFlushed bool // the current composite element has been started in buf
	segID     string
	elN       int

	isaCtl int64
	gsCtl  int64
	stCtl  string
	groups int
	txns   int
	segs   int
}

// NewWriter returns a writer with delimiters d; newline adds "\n" after
// every segment terminator.
func NewWriter(d Delimiters, newline bool) *Writer {
	w := &Writer{d: d, newline: newline}
	if !d.Valid() {
		w.err = errors.New("x12: delimiters must be distinct non-alphanumeric characters")
	}
	return w
}

// Grow reserves room for n more bytes.
func (w *Writer) Grow(n int) {
	if cap(w.buf)-len(w.buf) < n {
		b := make([]byte, len(w.buf), len(w.buf)+n)
		copy(b, w.buf)
		w.buf = b
	}
}

// Err returns the first error.
func (w *Writer) Err() error { return w.err }

func (w *Writer) fail(format string, args ...any) {
	if w.err == nil {
		w.err = fmt.Errorf("x12: %s%02d: "+format, append([]any{w.segID, w.elN}, args...)...)
	}
}

// Begin starts segment id.
func (w *Writer) Begin(id string) {
	if w.err != nil {
		return
	}
	if w.open {
		w.err = fmt.Errorf("x12: segment %s begun before %s ended", id, w.segID)
		return
	}
	w.open, w.segID, w.elN, w.pendingEl = true, id, 0, 0
	w.buf = append(w.buf, id...)
}

// next moves to the next element, writing skipped empty ones.
func (w *Writer) next() {
	w.elN++
	w.pendingCo = 0
}

func (w *Writer) flushEl() {
	for ; w.pendingEl >= 0; w.pendingEl-- {
		w.buf = append(w.buf, w.d.Element)
	}
	w.pendingEl = 0
}

// Str appends element s; an empty s is an omitted element.
func (w *Writer) Str(s string) {
	if w.err != nil {
		return
	}
	w.next()
	if s == "" {
		w.pendingEl++
		return
	}
	w.flushEl()
	w.text(s)
}

func (w *Writer) text(s string) {
	for i := range len(s) {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == w.d.Element || c == w.d.Component || c == w.d.Repetition || c == w.d.Segment {
			w.fail("character %q not allowed in element data", c)
			return
		}
	}
	w.buf = append(w.buf, s...)
}

// Comp appends one component of a composite element; first starts the
// element. Empty components are omitted, trailing ones dropped.
func (w *Writer) Comp(s string, first bool) {
	if w.err != nil {
		return
	}
	if first {
		w.next()
		w.coFlushed = false
	} else {
		w.pendingCo++
	}
	if s == "" {
		if first {
			w.pendingEl++ // counted empty until a component arrives
		}
		return
	}
	if !w.coFlushed {
		if !first {
			w.pendingEl--
		}
		w.flushEl()
		w.coFlushed = true
	}
	for ; w.pendingCo > 0; w.pendingCo-- {
		w.buf = append(w.buf, w.d.Component)
	}
	w.text(s)
}

// Amount appends a decimal amount without trailing zeros ("170", "-2.5").
func (w *Writer) Amount(a money.Amount) {
	if w.err != nil {
		return
	}
	if !a.Valid() {
		w.next()
		w.fail("invalid amount")
		return
	}
	w.next()
	w.flushEl()
	w.buf = AppendAmount(w.buf, a)
}

// AppendAmount appends a in X12 decimal form: no trailing fractional zeros
// and no trailing point.
func AppendAmount(b []byte, a money.Amount) []byte {
	start := len(b)
	b = a.AppendNumber(b, '.')
	if digits, _ := a.Currency().Digits(); digits > 0 {
		i := len(b)
		for i > start && b[i-1] == '0' {
			i--
		}
		if b[i-1] == '.' {
			i--
		}
		b = b[:i]
	}
	return b
}

// Minor appends minor units with digits decimals in X12 form: no trailing
// fractional zeros and no trailing point ("170", "-2.5").
func (w *Writer) Minor(m int64, digits int) {
	if w.err != nil {
		return
	}
	w.next()
	w.flushEl()
	w.buf = AppendMinor(w.buf, m, digits)
}

// AppendMinor appends m minor units with digits (0..18) decimals in X12
// decimal form.
func AppendMinor(b []byte, m int64, digits int) []byte {
	u := uint64(m)
	if m < 0 {
		b = append(b, '-')
		u = -u
	}
	scale := uint64(1)
	for range digits {
		scale *= 10
	}
	b = strconv.AppendUint(b, u/scale, 10)
	frac := u % scale
	if frac == 0 {
		return b
	}
	b = append(b, '.')
	for scale /= 10; frac != 0; scale /= 10 {
		b = append(b, byte('0'+frac/scale))
		frac %= scale
	}
	return b
}

// YMD appends the date y-m-d as CCYYMMDD; y == 0 is an omitted element.
func (w *Writer) YMD(y, m, d int) {
	if y == 0 {
		w.Str("")
		return
	}
	if w.err != nil {
		return
	}
	w.next()
	w.flushEl()
	w.buf = append(w.buf, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10),
		byte('0'+m/10%10), byte('0'+m%10), byte('0'+d/10%10), byte('0'+d%10))
}

// Int appends an integer element.
func (w *Writer) Int(n int64) {
	if w.err != nil {
		return
	}
	w.next()
	w.flushEl()
	w.buf = strconv.AppendInt(w.buf, n, 10)
}

// Date appends t's date as CCYYMMDD; a zero t is an omitted element.
func (w *Writer) Date(t time.Time) {
	if t.IsZero() {
		w.Str("")
		return
	}
	if w.err != nil {
		return
	}
	w.next()
	w.flushEl()
	w.buf = t.AppendFormat(w.buf, "20060102")
}

// End terminates the segment.
func (w *Writer) End() {
	if w.err != nil {
		return
	}
	w.open = false
	w.buf = append(w.buf, w.d.Segment)
	if w.newline {
		w.buf = append(w.buf, '\n')
	}
	w.segs++
}

// Interchange writes the fixed-width ISA. IDs longer than 15 characters and
// control numbers outside 1..999999999 are errors.
func (w *Writer) Interchange(h Interchange) {
	if w.err != nil {
		return
	}
	if len(h.SenderID) > 15 || len(h.ReceiverID) > 15 || len(h.SenderQualifier) != 2 || len(h.ReceiverQualifier) != 2 {
		w.err = errors.New("x12: ISA: qualifiers are 2 characters and ids at most 15")
		return
	}
	if h.Control < 1 || h.Control > 999999999 {
		w.err = fmt.Errorf("x12: ISA13: control number %d outside 1..999999999", h.Control)
		return
	}
	if h.Usage != 'P' && h.Usage != 'T' {
		w.err = fmt.Errorf("x12: ISA15: usage %q, want P or T", h.Usage)
		return
	}
	ack := "0"
	if h.AckRequested {
		ack = "1"
	}
	version := h.Version
	if version == "" {
		version = "00501"
	}
	w.Begin("ISA")
	for _, s := range []string{"00", pad("", 10), "00", pad("", 10), h.SenderQualifier, pad(h.SenderID, 15),
		h.ReceiverQualifier, pad(h.ReceiverID, 15), h.Created.Format("060102"), h.Created.Format("1504")} {
		w.Str(s)
	}
	w.next()
	w.flushEl()
	w.buf = append(w.buf, w.d.Repetition)
	w.Str(version)
	w.Str(fmt.Sprintf("%09d", h.Control))
	w.Str(ack)
	w.Str(string(h.Usage))
	w.next()
	w.flushEl()
	w.buf = append(w.buf, w.d.Component)
	w.End()
	w.isaCtl, w.groups = h.Control, 0
}

// Group writes GS.
func (w *Writer) Group(g Group) {
	if g.Control < 1 || g.Control > 999999999 {
		w.err = fmt.Errorf("x12: GS06: control number %d outside 1..999999999", g.Control)
		return
	}
	w.Begin("GS")
	w.Str(g.Functional)
	w.Str(g.AppSender)
	w.Str(g.AppReceiver)
	w.Str(g.Created.Format("20060102"))
	w.Str(g.Created.Format("1504"))
	w.Int(g.Control)
	w.Str("X")
	w.Str(g.Version)
	w.End()
	w.gsCtl, w.txns = g.Control, 0
	w.groups++
}

// Transaction writes ST with control number ctl (at least 4 digits) and
// starts counting segments.
func (w *Writer) Transaction(id string, ctl int64, convention string) {
	if ctl < 1 || ctl > 999999999 {
		w.err = fmt.Errorf("x12: ST02: control number %d outside 1..999999999", ctl)
		return
	}
	w.stCtl = fmt.Sprintf("%04d", ctl)
	w.segs = 0
	w.Begin("ST")
	w.Str(id)
	w.Str(w.stCtl)
	w.Str(convention)
	w.End()
	w.txns++
}

// EndTransaction writes SE with the segment count ST..SE.
func (w *Writer) EndTransaction() {
	w.Begin("SE")
	w.Int(int64(w.segs + 1))
	w.Str(w.stCtl)
	w.End()
}

// EndGroup writes GE with the transaction count.
func (w *Writer) EndGroup() {
	w.Begin("GE")
	w.Int(int64(w.txns))
	w.Int(w.gsCtl)
	w.End()
}

// EndInterchange writes IEA with the group count.
func (w *Writer) EndInterchange() {
	w.Begin("IEA")
	w.Int(int64(w.groups))
	w.Str(fmt.Sprintf("%09d", w.isaCtl))
	w.End()
}

// Bytes returns the interchange written so far, or the first error.
func (w *Writer) Bytes() ([]byte, error) {
	if w.err == nil && w.open {
		w.err = fmt.Errorf("x12: segment %s not ended", w.segID)
	}
	return w.buf, w.err
}

// WriteTo writes the interchange to out.
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	b, err := w.Bytes()
	if err != nil {
		return 0, err
	}
	n, err := out.Write(b)
	return int64(n), err
}

func pad(s string, n int) string {
	for len(s) < n {
		s += " "
	}
	return s
}
