package nacha_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/moov-io/ach"

	"github.com/revhub/revhub/adapters/nacha"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/golden"
)

// returnFile is a synthetic bank return file: our first CCD+ entry returned R03.
// It is an input fixture, not our output, so the validator test (which checks
// files we originate, *.golden.ach) leaves it alone.
func returnFile(t *testing.T) []byte {
	t.Helper()
	fh := ach.NewFileHeader()
	fh.ImmediateDestination, fh.ImmediateOrigin = "121042882", "231380104"
	fh.FileCreationDate, fh.FileCreationTime, fh.FileIDModifier = "260120", "0800", "A"
	fh.ImmediateDestinationName, fh.ImmediateOriginName = "ODFI BANK", "DEST BANK"
	bh := ach.NewBatchHeader()
	bh.ServiceClassCode, bh.StandardEntryClassCode = ach.MixedDebitsAndCredits, ach.CCD
	bh.CompanyName, bh.CompanyIdentification = "ACME HEALTH PLAN", "1123456789"
	bh.CompanyEntryDescription, bh.EffectiveEntryDate, bh.ODFIIdentification = "HCCLAIMPMT", "260120", "23138010"
	e := ach.NewEntryDetail()
	e.TransactionCode = ach.CheckingReturnNOCCredit
	e.SetRDFI("121042882")
	e.DFIAccountNumber, e.Amount, e.IdentificationNumber = "987654321", 17000, "1234567893"
	e.SetReceivingCompany("NORTH CLINIC")
	e.SetTraceNumber(bh.ODFIIdentification, 1)
	e.Category = ach.CategoryReturn
	a := ach.NewAddenda99()
	a.ReturnCode, a.OriginalTrace, a.OriginalDFI = "R03", "121042880000001", "23138010"
	a.TraceNumber = e.TraceNumber
	e.Addenda99 = a
	e.AddendaRecordIndicator = 1
	b := ach.NewBatchCCD(bh)
	b.AddEntry(e)
	if err := b.Create(); err != nil {
		t.Fatal(err)
	}
	f := ach.NewFile()
	f.SetHeader(fh)
	f.AddBatch(b)
	if err := f.Create(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ach.NewWriter(&buf).Write(f); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseReturns_Golden(t *testing.T) {
	body := returnFile(t)
	golden.Assert(t, "return-r03.input.ach", body)
	got, err := nacha.ParseReturns("return-r03.ach", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Code != "R03" || got[0].OriginalTrace != "121042880000001" || !got[0].Return ||
		got[0].Amount.Minor() != 17000 || got[0].Reason == "" {
		t.Fatalf("notices %+v", got)
	}
}

func TestParseReturns_ourOwnFileHasNoNotices(t *testing.T) {
	body, err := os.ReadFile(golden.Path("ccd-healthcare-eft.golden.ach"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := nacha.ParseReturns("ccd.ach", bytes.NewReader(body))
	if err != nil || len(got) != 0 {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestParseReturns_rejectsMalformed(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		line int
	}{
		{name: "short record", in: "101 short\n", line: 1},
		{name: "empty", in: ""},
		{name: "garbage after header", in: strings.Split(string(returnFile(t)), "\n")[0] + "\nXYZ\n", line: 2},
		// found by FuzzParseReturns: moov read the 94 bytes, then wrote 93 characters
		{name: "non-ASCII byte", in: strings.Replace(string(returnFile(t)), "\n5", "\n5\xd1", 1)[:len(returnFile(t))], line: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := nacha.ParseReturns("bad.ach", strings.NewReader(tc.in))
			var pe *ports.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("want *ports.ParseError, got %v", err)
			}
			if pe.File != "bad.ach" || (tc.line > 0 && pe.Line != tc.line) {
				t.Fatalf("located at %q line %d: %v", pe.File, pe.Line, err)
			}
		})
	}
}
