package fakesap_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/revhub/revhub/testharness/fakes/fakesap"
)

// valid is a minimal balanced ACC_DOCUMENT; edits replace substrings.
const valid = `<?xml version="1.0" encoding="UTF-8"?>
<ACC_DOCUMENT03><IDOC BEGIN="1">
<EDI_DC40 SEGMENT="1"><TABNAM>EDI_DC40</TABNAM><DIRECT>2</DIRECT><IDOCTYP>ACC_DOCUMENT03</IDOCTYP><MESTYP>ACC_DOCUMENT</MESTYP>
<SNDPOR>REVHUB</SNDPOR><SNDPRT>LS</SNDPRT><SNDPRN>REVHUB</SNDPRN><RCVPRT>LS</RCVPRT><RCVPRN>S4PCLNT100</RCVPRN><ARCKEY>rh:1</ARCKEY></EDI_DC40>
<E1BPACHE09 SEGMENT="1"><OBJ_TYPE>BKPFF</OBJ_TYPE><OBJ_KEY>RHKEY</OBJ_KEY><OBJ_SYS>REVHUB</OBJ_SYS><COMP_CODE>1000</COMP_CODE><DOC_DATE>20260303</DOC_DATE><PSTNG_DATE>20260303</PSTNG_DATE></E1BPACHE09>
<E1BPACGL09 SEGMENT="1"><ITEMNO_ACC>0000000001</ITEMNO_ACC><GL_ACCOUNT>0000411100</GL_ACCOUNT></E1BPACGL09>
<E1BPACGL09 SEGMENT="1"><ITEMNO_ACC>0000000002</ITEMNO_ACC><GL_ACCOUNT>0000706100</GL_ACCOUNT></E1BPACGL09>
<E1BPACCR09 SEGMENT="1"><ITEMNO_ACC>0000000001</ITEMNO_ACC><CURR_TYPE>00</CURR_TYPE><CURRENCY>EUR</CURRENCY><AMT_DOCCUR>0.30</AMT_DOCCUR></E1BPACCR09>
<E1BPACCR09 SEGMENT="1"><ITEMNO_ACC>0000000002</ITEMNO_ACC><CURR_TYPE>00</CURR_TYPE><CURRENCY>EUR</CURRENCY><AMT_DOCCUR>-0.30</AMT_DOCCUR></E1BPACCR09>
</IDOC></ACC_DOCUMENT03>`

func post(t *testing.T, s *fakesap.Server, body, contentType, password string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.Endpoint, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if password != "" {
		req.SetBasicAuth(s.User, password)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestInbound(t *testing.T) {
	for _, tc := range []struct {
		name        string
		old, new    string
		contentType string
		badPassword bool
		code        int
		want        string // substring of the answer
	}{
		{name: "posted", code: 200, want: "<DOCNUM>0000000000004701</DOCNUM>"},
		{name: "text/xml", contentType: "text/xml; charset=utf-8", code: 200, want: "<STATUS>53</STATUS>"},
		{name: "no credentials", badPassword: true, code: 401},
		{name: "json", contentType: "application/json", code: 415},
		{name: "unbalanced", old: "<AMT_DOCCUR>-0.30", new: "<AMT_DOCCUR>-0.29", code: 400, want: "<STATUS>51</STATUS><STATXT>Balance in transaction currency EUR not zero: 0.01"},
		{name: "decimal comma", old: "<AMT_DOCCUR>0.30", new: "<AMT_DOCCUR>0,30", code: 400, want: "<STATUS>51</STATUS>"},
		{name: "wrong message type", old: "<MESTYP>ACC_DOCUMENT", new: "<MESTYP>INVOIC", code: 400, want: "<STATUS>56</STATUS>"},
		{name: "segments out of order", old: `<E1BPACHE09 SEGMENT="1">`, new: `<E1BPACCR09 SEGMENT="1"/><E1BPACHE09 SEGMENT="1">`, code: 400, want: "<STATUS>60</STATUS>"},
		{name: "field overflow", old: "<GL_ACCOUNT>0000411100", new: "<GL_ACCOUNT>00004111001", code: 400, want: "field overflow"},
		{name: "amount missing", old: "<E1BPACCR09 SEGMENT=\"1\"><ITEMNO_ACC>0000000002</ITEMNO_ACC>", new: "<E1BPACCR09 SEGMENT=\"1\"><ITEMNO_ACC>0000000003</ITEMNO_ACC>", code: 400, want: "unknown line item"},
		{name: "external entity", old: `<?xml version="1.0" encoding="UTF-8"?>`, new: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>`, code: 400, want: "<STATUS>60</STATUS>"},
		{name: "not xml", old: "<ACC_DOCUMENT03>", new: "<ACC_DOCUMENT03", code: 400, want: "<STATUS>60</STATUS>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := fakesap.Start(t)
			body := valid
			if tc.old != "" {
				body = strings.Replace(valid, tc.old, tc.new, 1)
			}
			ct := tc.contentType
			if ct == "" {
				ct = "application/xml"
			}
			pw := s.Password
			if tc.badPassword {
				pw = "nope"
			}
			code, got := post(t, s, body, ct, pw)
			if code != tc.code || !strings.Contains(got, tc.want) {
				t.Fatalf("HTTP %d %s; want %d containing %q", code, got, tc.code, tc.want)
			}
			if n := len(s.Documents()); (n == 1) != (code == 200) {
				t.Fatalf("%d documents stored after HTTP %d", n, code)
			}
		})
	}
}

func TestInbound_duplicateReferenceGetsTheFirstIDoc(t *testing.T) {
	s := fakesap.Start(t)
	post(t, s, valid, "application/xml", s.Password)
	code, got := post(t, s, valid, "application/xml", s.Password)
	if code != 200 || !strings.Contains(got, "<DOCNUM>0000000000004701</DOCNUM>") || !strings.Contains(got, "<DUPLICATE>X</DUPLICATE>") {
		t.Fatalf("second post: HTTP %d %s", code, got)
	}
	code, got = post(t, s, strings.Replace(valid, "rh:1", "rh:2", 1), "application/xml", s.Password)
	if code != 409 {
		t.Fatalf("same reference, other content: HTTP %d %s", code, got)
	}
	if n := len(s.Documents()); n != 1 {
		t.Fatalf("%d documents", n)
	}
	resp, err := http.Get(s.Lookup + "?OBJ_KEY=RHKEY&OBJ_SYS=REVHUB")
	if err != nil || resp.StatusCode != 401 {
		t.Fatalf("lookup without credentials: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
}

func TestDown(t *testing.T) {
	s := fakesap.Start(t)
	restore := s.Down()
	if code, _ := post(t, s, valid, "application/xml", s.Password); code != 503 {
		t.Fatalf("HTTP %d during an outage", code)
	}
	restore()
	if code, _ := post(t, s, valid, "application/xml", s.Password); code != 200 {
		t.Fatalf("HTTP %d after the outage", code)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte(strings.Replace(valid, "-0.30", "-0.29", 1)))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			t.Skip()
		}
		d, err := fakesap.Parse(in)
		if err == nil && len(d.Lines) == 0 {
			t.Fatal("accepted an IDoc without lines")
		}
	})
}
