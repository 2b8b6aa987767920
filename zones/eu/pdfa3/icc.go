package pdfa3

import (
	"encoding/binary"
	"sync"
)

// SRGBProfile returns a small ICC v2.1 display profile of sRGB (Bradford-
// adapted primaries to the D50 PCS, tone curves approximated by gamma 2.2),
// built from integers so the bytes never change. It is the OutputIntent's
// DestOutputProfile: PDF/A needs one for DeviceRGB content.
var SRGBProfile = sync.OnceValue(buildSRGB)

func buildSRGB() []byte {
	xyz := func(x, y, z uint32) []byte { // s15Fixed16 triplet
		b := append([]byte("XYZ "), 0, 0, 0, 0)
		return binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(b, x), y), z)
	}
	curve := append([]byte("curv"), 0, 0, 0, 0, 0, 0, 0, 1, 0x02, 0x33) // one entry: gamma 563/256
	text := func(s string) []byte { return append(append([]byte("text\x00\x00\x00\x00"), s...), 0) }
	desc := func(s string) []byte {
		b := binary.BigEndian.AppendUint32([]byte("desc\x00\x00\x00\x00"), uint32(len(s)+1))
		b = append(append(b, s...), 0)
		b = append(b, make([]byte, 4+4+2+1+67)...) // no Unicode, no ScriptCode description
		return b
	}
	tags := []struct {
		sig  string
		data []byte
	}{
		{"desc", desc("sRGB IEC61966-2.1")},
		{"cprt", text("No copyright, use freely")},
		{"wtpt", xyz(63190, 65536, 54061)},
		{"rXYZ", xyz(28580, 14582, 911)},
		{"gXYZ", xyz(25238, 46983, 6364)},
		{"bXYZ", xyz(9378, 3972, 46799)},
		{"rTRC", curve},
		{"gTRC", curve},
		{"bTRC", curve},
	}
	header := make([]byte, 128)
	copy(header[4:], "\x00\x00\x00\x00")
	binary.BigEndian.PutUint32(header[8:], 0x02100000)
	copy(header[12:], "mntrRGB XYZ ")
	for i, v := range []uint16{2026, 1, 1, 0, 0, 0} {
		binary.BigEndian.PutUint16(header[24+2*i:], v)
	}
	copy(header[36:], "acsp")
	binary.BigEndian.PutUint32(header[68:], 63190) // PCS illuminant D50
	binary.BigEndian.PutUint32(header[72:], 65536)
	binary.BigEndian.PutUint32(header[76:], 54061)
	table := binary.BigEndian.AppendUint32(nil, uint32(len(tags)))
	off := 128 + 4 + 12*len(tags)
	var data []byte
	for _, t := range tags {
		table = append(table, t.sig...)
		table = binary.BigEndian.AppendUint32(table, uint32(off+len(data)))
		table = binary.BigEndian.AppendUint32(table, uint32(len(t.data)))
		data = append(data, t.data...)
		for len(data)%4 != 0 {
			data = append(data, 0)
		}
	}
	out := append(append(header, table...), data...)
	binary.BigEndian.PutUint32(out[0:], uint32(len(out)))
	return out
}
