package x835_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/revhub/revhub/adapters/x12/x835"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// TestParse_rejects breaks a golden file one way at a time and checks the
// error names the segment number and element.
func TestParse_rejects(t *testing.T) {
	good, err := os.ReadFile("testdata/multi-claim-plb.golden.835")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, old, new string
		line           int
		element, msg   string
	}{
		{"comma amount", "CLP*PCN1001*1*250*", "CLP*PCN1001*1*12,50*", 14, "CLP03", `invalid monetary amount "12,50"`},
		{"line unbalanced", "SVC*HC:36415*50*40", "SVC*HC:36415*50*41", 23, "SVC03", "does not balance"},
		{"claim unbalanced", "CAS*CO*197*120~", "CAS*CO*197*119~", 28, "CLP04", "does not balance"},
		{"plb sign", "L6*-2.5", "L6*2.5", 4, "BPR02", "does not balance"},
		{"se count", "SE*36*", "SE*35*", 38, "SE01", "want 36"},
		{"se control", "SE*36*0001", "SE*36*0002", 38, "SE02", "does not match"},
		{"ge control", "GE*1*123", "GE*1*124", 39, "GE02", "does not match"},
		{"iea count", "IEA*1*", "IEA*2*", 40, "IEA01", "want 1"},
		{"bad date", "DTM*232*20250301", "DTM*232*20250231", 16, "DTM02", "invalid date"},
		{"wrong version", "*X*005010X221A1", "*X*004010X091A1", 2, "GS01", "want GS01 HP"},
		{"unknown segment", "LX*1~", "ZZZ*1~", 13, "", "not part of an 835"},
		{"bad character", "DOE*JANE", "DOE*JA^NE", 15, "NM104", `character '^' not allowed`},
		{"long amount", "CLP*PCN1002*4*120*", "CLP*PCN1002*4*120.001*", 28, "CLP03", `invalid monetary amount "120.001"`},
		{"cas count first", "CAS*CO*45*40~", "CAS*CO*4:5~", 19, "", "want 1-6 reason/amount"},
		{"too many elements", "REF*6R*LINE-1001-1~", "REF*6R*LINE-1001-1" + strings.Repeat("*", 63) + "~", 21, "", "more than 63 elements"},
		{"modifier", "HC:99214:25*", "HC:99214:255*", 17, "SVC01", `modifier "255"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := bytes.Replace(good, []byte(tc.old), []byte(tc.new), 1)
			if bytes.Equal(in, good) {
				t.Fatalf("%q not in the golden file", tc.old)
			}
			_, err := x835.Parse(in)
			var pe *ports.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("want *ports.ParseError, got %v", err)
			}
			if pe.Line != tc.line || pe.Element != tc.element || !strings.Contains(pe.Error(), tc.msg) {
				t.Fatalf("got %q (line %d, element %q)", pe.Error(), pe.Line, pe.Element)
			}
		})
	}
}

// TestParse_tolerates accepts CRLF after terminators, other delimiters and
// the segments it does not model.
func TestParse_tolerates(t *testing.T) {
	good, _ := os.ReadFile("testdata/simple-ach.golden.835")
	crlf := bytes.ReplaceAll(good, []byte("~\n"), []byte("~\r\n"))
	pipes := strings.NewReplacer("*", "|", "~", "!").Replace(string(good))
	extra := bytes.Replace(bytes.Replace(good, []byte("LX*1~\n"), []byte("LX*1~\nTS3*1234567893*11*20251231*1*250~\n"), 1), []byte("SE*26*"), []byte("SE*27*"), 1)
	for _, tc := range []struct {
		name string
		in   []byte
	}{{"crlf", crlf}, {"pipes", []byte(pipes)}, {"ts3", extra}} {
		t.Run(tc.name, func(t *testing.T) {
			rem, err := x835.Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if rem.Advices[0].Claims[0].Lines[1].Paid != usd(4000) {
				t.Fatalf("got %+v", rem.Advices[0].Claims[0].Lines[1])
			}
		})
	}
}

// TestParse_sizeCap rejects input above max_bytes as Invalid.
func TestParse_sizeCap(t *testing.T) {
	c, err := x835.New(x835.Config{SenderQualifier: "ZZ", SenderID: "A", ReceiverQualifier: "ZZ", ReceiverID: "B",
		Usage: "P", Delimiters: "*^:~", MaxBytes: 200}, ports.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile("testdata/simple-ach.golden.835")
	if _, err := c.Parse(t.Context(), bytes.NewReader(good)); !ports.Is(ports.Invalid, err) {
		t.Fatalf("got %v", err)
	}
}

// TestParseEach streams every golden file and sees the same claims, in the
// same order, as Parse collects; the advices come back without claims.
func TestParseEach(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.golden.835")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			checkParseEach(t, b)
		})
	}
	t.Run("fn error stops", func(t *testing.T) {
		b, _ := os.ReadFile("testdata/multi-claim-plb.golden.835")
		stop := errors.New("stop")
		if _, err := x835.ParseEach(b, func(*settlement.PaymentAdvice, *settlement.ClaimPayment) error { return stop }); err != stop {
			t.Fatalf("got %v", err)
		}
	})
}

// checkParseEach fails unless ParseEach agrees with a successful Parse of b.
func checkParseEach(t *testing.T, b []byte) {
	t.Helper()
	want, err := x835.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	var got []settlement.ClaimPayment
	rem, err := x835.ParseEach(b, func(a *settlement.PaymentAdvice, c *settlement.ClaimPayment) error {
		cp := *c
		cp.Lines = append([]settlement.ServiceLine(nil), c.Lines...)
		for i := range cp.Lines {
			cp.Lines[i].Adjustments = append([]settlement.Adjustment(nil), cp.Lines[i].Adjustments...)
		}
		cp.Adjustments = append([]settlement.Adjustment(nil), c.Adjustments...)
		got = append(got, cp)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var all []settlement.ClaimPayment
	for i := range want.Advices {
		all = append(all, want.Advices[i].Claims...)
		want.Advices[i].Claims = nil
	}
	if !reflect.DeepEqual(rem, want) || !reflect.DeepEqual(emptyNil(got), emptyNil(all)) {
		t.Fatalf("ParseEach differs from Parse:\n got %+v\nwant %+v", got, all)
	}
}

// emptyNil normalises the copies' empty slices to nil, as Parse leaves them.
func emptyNil(cs []settlement.ClaimPayment) []settlement.ClaimPayment {
	for i := range cs {
		if len(cs[i].Adjustments) == 0 {
			cs[i].Adjustments = nil
		}
		if len(cs[i].Lines) == 0 {
			cs[i].Lines = nil
		}
		for j := range cs[i].Lines {
			if len(cs[i].Lines[j].Adjustments) == 0 {
				cs[i].Lines[j].Adjustments = nil
			}
		}
	}
	return cs
}
