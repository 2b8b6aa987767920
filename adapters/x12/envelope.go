package x12

import (
	"bytes"
	"time"
)

// Interchange is the ISA header of an interchange.
type Interchange struct {
	SenderQualifier   string // ISA05: "ZZ" mutually defined, "01" DUNS, "30" federal TIN
	SenderID          string // ISA06, without padding
	ReceiverQualifier string // ISA07
	ReceiverID        string // ISA08, without padding
	Created           time.Time
	Version           string // ISA12: "00501"
	Control           int64  // ISA13 = IEA02
	AckRequested      bool   // ISA14
	Usage             byte   // ISA15: 'P' production, 'T' test
}

// Group is the GS header of a functional group.
type Group struct {
	Functional  string // GS01: "HP" for 835
	AppSender   string // GS02
	AppReceiver string // GS03
	Created     time.Time
	Control     int64  // GS06 = GE02
	Version     string // GS08: "005010X221A1"
}

// Event says where a segment sits in the envelope.
type Event uint8

// The envelope events Step reports.
const (
	Body             Event = iota // a segment inside ST..SE
	InterchangeStart              // ISA
	GroupStart                    // GS
	TransactionStart              // ST
	TransactionEnd                // SE, after its count and control number were checked
	GroupEnd                      // GE, checked
	InterchangeEnd                // IEA, checked
)

// Envelope checks the ISA/GS/ST nesting, counts and control numbers of the
// segments it is shown, in order. The zero value expects an ISA.
type Envelope struct {
	ISA    Interchange
	GS     Group
	depth  int // 0 outside, 1 in ISA, 2 in GS, 3 in ST
	groups int
	txns   int
	segs   int
	stCtl  []byte
	ended  bool
}

// Step checks one segment and says where it sits.
func (e *Envelope) Step(s *Segment) (Event, error) {
	id := s.Elements[0]
	if e.depth == 3 {
		e.segs++
		if string(id) != "SE" {
			if string(id) == "ST" || string(id) == "GE" || string(id) == "IEA" || string(id) == "GS" || string(id) == "ISA" {
				return 0, Errorf(s.Pos, string(id), "", "%s inside a transaction set: SE missing", id)
			}
			return Body, nil
		}
		return TransactionEnd, e.se(s)
	}
	switch string(id) {
	case "ISA":
		if e.depth != 0 || e.ended {
			return 0, Errorf(s.Pos, "ISA", "", "one interchange per input: unexpected ISA")
		}
		isa, err := parseISA(s)
		e.ISA, e.depth = isa, 1
		return InterchangeStart, err
	case "GS":
		if e.depth != 1 {
			return 0, Errorf(s.Pos, "GS", "", "GS outside an interchange")
		}
		gs, err := parseGS(s)
		e.GS, e.depth, e.txns = gs, 2, 0
		e.groups++
		return GroupStart, err
	case "ST":
		if e.depth != 2 {
			return 0, Errorf(s.Pos, "ST", "", "ST outside a functional group")
		}
		ctl := s.Element(2)
		if len(ctl) < 4 || len(ctl) > 9 || !digits(ctl) {
			return 0, Errorf(s.Pos, "ST", "ST02", "invalid control number %q: want 4-9 digits", ctl)
		}
		e.stCtl, e.segs, e.depth = ctl, 1, 3
		e.txns++
		return TransactionStart, nil
	case "GE":
		if e.depth != 2 {
			return 0, Errorf(s.Pos, "GE", "", "GE without GS")
		}
		e.depth = 1
		if err := checkCount(s, "GE01", e.txns, "transaction sets"); err != nil {
			return 0, err
		}
		return GroupEnd, checkControl(s, "GE02", e.GS.Control)
	case "IEA":
		if e.depth != 1 {
			return 0, Errorf(s.Pos, "IEA", "", "IEA without ISA, or GE missing")
		}
		e.depth, e.ended = 0, true
		if err := checkCount(s, "IEA01", e.groups, "functional groups"); err != nil {
			return 0, err
		}
		return InterchangeEnd, checkControl(s, "IEA02", e.ISA.Control)
	}
	return 0, Errorf(s.Pos, string(id), "", "segment %s outside a transaction set", id)
}

// Body counts one segment inside ST..SE that the caller read without Step
// (its id is none of the envelope's); outside a transaction set it counts
// nothing and returns false.
func (e *Envelope) Body() bool {
	if e.depth != 3 {
		return false
	}
	e.segs++
	return true
}

// Done reports an error unless a complete interchange was seen.
func (e *Envelope) Done(pos int) error {
	if !e.ended {
		return Errorf(pos, "IEA", "", "input ends inside the interchange: IEA missing")
	}
	return nil
}

func (e *Envelope) se(s *Segment) error {
	e.depth = 2
	if err := checkCount(s, "SE01", e.segs, "segments (ST..SE)"); err != nil {
		return err
	}
	if !bytes.Equal(s.Element(2), e.stCtl) {
		return Errorf(s.Pos, "SE", "SE02", "control number %q does not match ST02 %q", s.Element(2), e.stCtl)
	}
	return nil
}

func checkCount(s *Segment, el string, want int, what string) error {
	n, ok := Uint(s.Element(1))
	if !ok || n != int64(want) {
		return Errorf(s.Pos, string(s.Elements[0]), el, "count %q, want %d %s", s.Element(1), want, what)
	}
	return nil
}

func checkControl(s *Segment, el string, want int64) error {
	n, ok := Uint(s.Element(2))
	if !ok || n != want {
		return Errorf(s.Pos, string(s.Elements[0]), el, "control number %q does not match the header's %d", s.Element(2), want)
	}
	return nil
}

func parseISA(s *Segment) (Interchange, error) {
	if s.Len() != 16 {
		return Interchange{}, Errorf(s.Pos, "ISA", "", "want 16 elements, got %d", s.Len())
	}
	el := func(i int) string { return string(bytes.TrimRight(s.Elements[i], " ")) }
	isa := Interchange{SenderQualifier: el(5), SenderID: el(6), ReceiverQualifier: el(7), ReceiverID: el(8), Version: el(12)}
	created, err := time.Parse("060102 1504", string(s.Elements[9])+" "+string(s.Elements[10]))
	if err != nil {
		return isa, Errorf(s.Pos, "ISA", "ISA09", "invalid date/time %q %q: want YYMMDD HHMM", s.Elements[9], s.Elements[10])
	}
	isa.Created = created
	ctl, ok := Uint(s.Elements[13])
	if !ok || len(s.Elements[13]) != 9 {
		return isa, Errorf(s.Pos, "ISA", "ISA13", "invalid control number %q: want 9 digits", s.Elements[13])
	}
	isa.Control = ctl
	switch string(s.Elements[14]) {
	case "0":
	case "1":
		isa.AckRequested = true
	default:
		return isa, Errorf(s.Pos, "ISA", "ISA14", "want 0 or 1, got %q", s.Elements[14])
	}
	if u := s.Elements[15]; len(u) != 1 || u[0] != 'P' && u[0] != 'T' {
		return isa, Errorf(s.Pos, "ISA", "ISA15", "usage indicator %q: want P or T", u)
	}
	isa.Usage = s.Elements[15][0]
	return isa, nil
}

func parseGS(s *Segment) (Group, error) {
	if s.Len() != 8 {
		return Group{}, Errorf(s.Pos, "GS", "", "want 8 elements, got %d", s.Len())
	}
	g := Group{Functional: string(s.Elements[1]), AppSender: string(s.Elements[2]), AppReceiver: string(s.Elements[3]), Version: string(s.Elements[8])}
	layout := "20060102 1504"
	if len(s.Elements[5]) == 6 {
		layout = "20060102 150405"
	}
	created, err := time.Parse(layout, string(s.Elements[4])+" "+string(s.Elements[5]))
	if err != nil {
		return g, Errorf(s.Pos, "GS", "GS04", "invalid date/time %q %q: want CCYYMMDD HHMM[SS]", s.Elements[4], s.Elements[5])
	}
	g.Created = created
	ctl, ok := Uint(s.Elements[6])
	if !ok || len(s.Elements[6]) > 9 {
		return g, Errorf(s.Pos, "GS", "GS06", "invalid control number %q: want 1-9 digits", s.Elements[6])
	}
	g.Control = ctl
	return g, nil
}

// Uint parses up to 18 ASCII digits.
func Uint(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

func digits(b []byte) bool {
	_, ok := Uint(b)
	return ok
}
