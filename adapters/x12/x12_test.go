package x12_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/revhub/revhub/adapters/x12"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

const isa = "ISA*00*          *00*          *ZZ*ACMEPAYER      *ZZ*NORTHCLINIC    *250314*1200*^*00501*000000123*0*P*:~"

func TestReadDelimiters(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"standard", isa, true},
		{"trimmed id", strings.Replace(isa, "ACMEPAYER      ", "ACMEPAYER", 1) + strings.Repeat(" ", 6), false},
		{"short", isa[:50], false},
		{"not isa", "GS" + isa[2:], false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := x12.ReadDelimiters([]byte(tc.in))
			if (err == nil) != tc.ok {
				t.Fatalf("err %v", err)
			}
			if tc.ok && d != x12.Standard {
				t.Fatalf("got %+v", d)
			}
			var pe *ports.ParseError
			if !tc.ok && !errors.As(err, &pe) {
				t.Fatalf("want ParseError, got %T", err)
			}
		})
	}
}

func TestReader_zeroAllocs(t *testing.T) {
	in := []byte(isa + "\nGS*HP*A*B*20250314*1200*1*X*005010X221A1~\r\nST*835*0001~CLP*P1*1*10*10~SE*3*0001~GE*1*1~IEA*1*000000123~")
	allocs := testing.AllocsPerRun(50, func() {
		r, err := x12.NewReader(in)
		if err != nil {
			t.Fatal(err)
		}
		for {
			seg, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(seg.ID()) == "CLP" && (string(seg.Element(3)) != "10" || seg.Element(9) != nil) {
				t.Fatalf("CLP elements %q", seg.Elements)
			}
		}
	})
	if allocs > 1 { // the Reader itself; none per segment
		t.Fatalf("%v allocations per read", allocs)
	}
}

func TestWriter_trimsAndCounts(t *testing.T) {
	w := x12.NewWriter(x12.Standard, false)
	w.Interchange(x12.Interchange{SenderQualifier: "ZZ", SenderID: "A", ReceiverQualifier: "ZZ", ReceiverID: "B", Control: 7, Usage: 'T'})
	w.Group(x12.Group{Functional: "HP", AppSender: "A", AppReceiver: "B", Control: 7, Version: "005010X221A1"})
	w.Transaction("835", 1, "")
	w.Begin("SVC")
	w.Comp("HC", true)
	w.Comp("99214", false)
	w.Comp("", false)
	w.Comp("25", false)
	w.Comp("", false)
	w.Amount(money.MustNew(12050, money.USD))
	w.Amount(money.MustNew(-250, money.USD))
	w.Str("")
	w.Str("")
	w.End()
	w.EndTransaction()
	w.EndGroup()
	w.EndInterchange()
	b, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want := "ST*835*0001~SVC*HC:99214::25*120.5*-2.5~SE*3*0001~GE*1*7~IEA*1*000000007~"
	if got := string(b[x12.ISALen:]); !strings.HasSuffix(got, want) {
		t.Fatalf("got %s", got)
	}
	w = x12.NewWriter(x12.Standard, false)
	w.Begin("NM1")
	w.Str("O*BRIEN")
	w.End()
	if _, err := w.Bytes(); err == nil {
		t.Fatal("a delimiter inside data must fail")
	}
}

func TestAppendMinor(t *testing.T) {
	for _, tc := range []struct {
		name   string
		m      int64
		digits int
		want   string
	}{
		{"whole", 17000, 2, "170"},
		{"tenths", -250, 2, "-2.5"},
		{"cents", 1, 2, "0.01"},
		{"zero", 0, 2, "0"},
		{"no decimals", 42, 0, "42"},
		{"min", -9223372036854775808, 2, "-92233720368547758.08"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(x12.AppendMinor(nil, tc.m, tc.digits)); got != tc.want {
				t.Fatalf("got %q", got)
			}
		})
	}
}

// TestReader_markPeekSkip: Next marks segments holding a byte given to Mark,
// and a caller may read a segment itself (Peek), Skip it and count it in the
// envelope (Body) with Next going on after it.
func TestReader_markPeekSkip(t *testing.T) {
	in := []byte(isa + "\nGS*HP*A*B*20250314*1200*1*X*005010X221A1~\nST*835*0001~\nSVC*HC:1*10~\nLX*1~\nSE*4*0001~")
	r, err := x12.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	var mark [256]bool
	mark[':'] = true
	r.Mark(&mark)
	var env x12.Envelope
	for range 3 {
		seg, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if seg.Marked != (seg.Pos == 1) { // the ISA holds the component separator
			t.Fatalf("segment %d marked %v", seg.Pos, seg.Marked)
		}
		if _, err := env.Step(seg); err != nil {
			t.Fatal(err)
		}
	}
	rest := r.Peek()
	if !strings.HasPrefix(string(rest), "SVC*") || !env.Body() {
		t.Fatalf("peek %q", rest[:8])
	}
	r.Skip(len("SVC*HC:1*10~"), 1)
	seg, err := r.Next()
	if err != nil || string(seg.ID()) != "LX" || seg.Pos != 5 || seg.Marked {
		t.Fatalf("after Skip: %v %+v", err, seg)
	}
	if _, err := env.Step(seg); err != nil {
		t.Fatal(err)
	}
	if seg, err = r.Next(); err != nil {
		t.Fatal(err)
	}
	if ev, err := env.Step(seg); err != nil || ev != x12.TransactionEnd {
		t.Fatalf("SE counts the skipped segment: %v %v", ev, err)
	}
}
