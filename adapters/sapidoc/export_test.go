package sapidoc_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/adapters/sapidoc"
	"github.com/revhub/revhub/core/ledger"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/gltest"
	"github.com/revhub/revhub/testharness/fakes/fakesap"
	"github.com/revhub/revhub/testharness/golden"
)

func TestExport_Golden(t *testing.T) {
	exp, sap := start(t, false)
	b := gltest.Batch("JRN-parnu-00000042")
	b.Lines[0].Memo = `Procedure/p-1 <"&"> version 1 with a text longer than fifty characters`
	r, err := exp.Export(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	if r.Reference != "0000000000004701" || r.Existing {
		t.Fatalf("receipt %+v", r)
	}
	docs := sap.Documents()
	golden.Assert(t, "acc_document.golden.xml", docs[0])
	d, err := fakesap.Parse(docs[0])
	if err != nil {
		t.Fatal(err)
	}
	if d.ObjKey != sapidoc.ObjKey(b.ID) || d.ObjSys != "REVHUB" || d.CompanyCode != "1000" || !d.PostingDate.Equal(b.Date) ||
		len(d.Lines) != 6 || d.Lines[0].Account != "0000411100" || d.Lines[1].Amount != money.MustNew(-1599, money.EUR) {
		t.Fatalf("SAP read %+v", d)
	}
}

func TestExport_badPasswordIsPermission(t *testing.T) {
	sap := fakesap.Start(t)
	exp, err := sapidoc.New(config(sap, false), testharness.Deps(t, passwordRef, "wrong"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = exp.Export(context.Background(), gltest.Batch("J"))
	if !ports.Is(ports.Permission, err) || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("Export = %v, want Permission without the password", err)
	}
}

func TestExport_missingSecretIsNotFound(t *testing.T) {
	sap := fakesap.Start(t)
	exp, err := sapidoc.New(config(sap, false), testharness.Deps(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exp.Export(context.Background(), gltest.Batch("J")); err == nil || len(sap.Documents()) != 0 {
		t.Fatalf("Export without a password = %v", err)
	}
}

func TestExport_rejectsWhatSAPCannotHold(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*ledger.Batch)
	}{
		{name: "account longer than 10", edit: func(b *ledger.Batch) { b.Lines[0].Account = "12345678901" }},
		{name: "cost centre longer than 10", edit: func(b *ledger.Batch) { b.Lines[3].CostCentre = "COSTCENTRE-1" }},
		{name: "no balanced cut in 999 lines", edit: func(b *ledger.Batch) {
			eur := money.MustNew(1, money.EUR)
			b.Lines = []ledger.Line{{Account: "1", Debit: money.MustNew(1000, money.EUR), Credit: money.Zero(money.EUR)}}
			for range 1000 {
				b.Lines = append(b.Lines, ledger.Line{Account: "2", Debit: money.Zero(money.EUR), Credit: eur})
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exp, sap := start(t, false)
			b := gltest.Batch("J")
			tc.edit(&b)
			if _, err := exp.Export(context.Background(), b); !ports.Is(ports.Invalid, err) {
				t.Fatalf("Export = %v, want Invalid", err)
			}
			if n := len(sap.Documents()); n != 0 {
				t.Fatalf("%d documents reached SAP", n)
			}
		})
	}
}

func TestExport_retryAfterPartialSplitResumes(t *testing.T) {
	exp, sap := start(t, true)
	ps := make([]ledger.Posting, 600)
	for i := range ps {
		ps[i] = ledger.Posting{Ref: "adj", Amount: money.MustNew(int64(i+1), money.EUR)}
	}
	b := ledger.FromPostings("J-big", gltest.Day, "411100", "706100", "", ps)
	parts, err := b.Split(999)
	if err != nil || len(parts) != 2 {
		t.Fatalf("split: %d, %v", len(parts), err)
	}
	// The first part alone reaches SAP (as if the connection dropped after it).
	first, err := exp.Export(context.Background(), parts[0])
	if err != nil {
		t.Fatal(err)
	}
	r, err := exp.Export(context.Background(), b)
	if err != nil || r.Existing || !strings.HasPrefix(r.Reference, first.Reference+" ") {
		t.Fatalf("retry = %+v, %v; want the first part recognised (%s) and the second posted", r, err, first.Reference)
	}
	if n := len(sap.Documents()); n != 2 {
		t.Fatalf("%d documents, want 2", n)
	}
}

func TestConfig_validate(t *testing.T) {
	sap := fakesap.Start(t)
	for _, tc := range []struct {
		name string
		edit func(*sapidoc.Config)
		path string
	}{
		{name: "no endpoint", edit: func(c *sapidoc.Config) { c.Endpoint = "" }, path: "endpoint"},
		{name: "ftp lookup", edit: func(c *sapidoc.Config) { c.LookupEndpoint = "ftp://x/y" }, path: "lookup_endpoint"},
		{name: "password in place of a reference", edit: func(c *sapidoc.Config) { c.PasswordRef = "hunter2" }, path: "password_ref"},
		{name: "company code too long", edit: func(c *sapidoc.Config) { c.CompanyCode = "10000" }, path: "company_code"},
		{name: "no partner", edit: func(c *sapidoc.Config) { c.PartnerNumber = "" }, path: "partner_number"},
		{name: "too many lines", edit: func(c *sapidoc.Config) { c.MaxLines = 1000 }, path: "max_lines"},
		{name: "no timeout", edit: func(c *sapidoc.Config) { c.Timeout = 0 }, path: "timeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := config(sap, false)
			tc.edit(&c)
			var fes validate.Errors
			if err := c.Validate(); !errors.As(err, &fes) || fes[0].Path != tc.path {
				t.Fatalf("Validate = %v, want an error at %s", err, tc.path)
			}
		})
	}
}

func TestObjKey_deterministicAndFits(t *testing.T) {
	a, b := sapidoc.ObjKey("JRN-parnu-00000042"), sapidoc.ObjKey("JRN-parnu-00000043")
	if a != sapidoc.ObjKey("JRN-parnu-00000042") || a == b || len(a) != 20 || !strings.HasPrefix(a, "RH") {
		t.Fatalf("ObjKey = %q, %q", a, b)
	}
}

func TestExport_contextDeadlineIsTransient(t *testing.T) {
	exp, _ := start(t, false)
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	if _, err := exp.Export(ctx, gltest.Batch("J")); !ports.Is(ports.Transient, err) {
		t.Fatalf("Export = %v, want Transient", err)
	}
}

func TestParseStatus(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want sapidoc.Status
		bad  bool
	}{
		{name: "empty", in: ""},
		{name: "posted", in: `<IDOC_STATUS><DOCNUM>0000000000000007</DOCNUM><STATUS>53</STATUS></IDOC_STATUS>`, want: sapidoc.Status{DocNum: "0000000000000007", Code: "53"}},
		{name: "duplicate", in: `<IDOC_STATUS><DOCNUM>1</DOCNUM><ARCKEY>revhub:ab</ARCKEY><DUPLICATE>X</DUPLICATE></IDOC_STATUS>`, want: sapidoc.Status{DocNum: "1", ArchKey: "revhub:ab", Duplicate: true}},
		{name: "html", in: `<html><body>ok</body></html>`, bad: true},
		{name: "xxe", in: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><IDOC_STATUS><STATXT>&e;</STATXT></IDOC_STATUS>`, bad: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := sapidoc.ParseStatus([]byte(tc.in))
			if (err != nil) != tc.bad || got != tc.want {
				t.Fatalf("ParseStatus = %+v, %v", got, err)
			}
		})
	}
}

func FuzzParseStatus(f *testing.F) {
	f.Add([]byte(`<IDOC_STATUS><DOCNUM>1</DOCNUM><STATUS>51</STATUS><STATXT>Balance not zero</STATXT><DUPLICATE>X</DUPLICATE></IDOC_STATUS>`))
	f.Add([]byte(`<!DOCTYPE a><a/>`))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			t.Skip()
		}
		_, _ = sapidoc.ParseStatus(bytes.Clone(in))
	})
}
