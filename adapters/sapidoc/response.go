package sapidoc

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/beevik/etree"
)

// Status is what the receiver says about one IDoc. SAP's IDoc-XML HTTP
// service itself answers 200 with no agreed body, so the shape below (what
// fakesap and typical middleware return) is [UNVERIFIED]: an empty body is
// accepted and the reference stands in for the IDoc number.
//
//	<IDOC_STATUS><DOCNUM>0000000000004711</DOCNUM><STATUS>64</STATUS>
//	  <STATXT>...</STATXT><ARCKEY>revhub:...</ARCKEY><DUPLICATE>X</DUPLICATE></IDOC_STATUS>
type Status struct {
	DocNum    string // IDoc number SAP assigned
	Code      string // IDoc status: 53 posted, 64 ready, 51 application error, 56 partner profile, 60 syntax
	Text      string // status text for operators
	ArchKey   string // ARCKEY of the stored IDoc (content digest)
	Duplicate bool   // the reference was already posted; DocNum is the first IDoc's
}

// maxResponse caps what is read of a receiver's answer.
const maxResponse = 1 << 20

// ParseStatus reads a receiver's answer. Entities and DTDs are refused
// (no XXE); an empty body is a zero Status.
func ParseStatus(body []byte) (Status, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return Status{}, nil
	}
	if len(body) > maxResponse {
		return Status{}, fmt.Errorf("response exceeds %d bytes", maxResponse)
	}
	doc := etree.NewDocument()
	doc.ReadSettings = etree.ReadSettings{MaxDepth: 16}
	if err := doc.ReadFromBytes(body); err != nil {
		return Status{}, fmt.Errorf("response is not XML: %w", err)
	}
	for _, t := range doc.Child {
		if _, ok := t.(*etree.Directive); ok {
			return Status{}, errors.New("response declares a DTD: refused")
		}
	}
	root := doc.Root()
	if root == nil || root.Tag != "IDOC_STATUS" {
		return Status{}, errors.New("response has no IDOC_STATUS element")
	}
	text := func(tag string) string {
		if e := root.SelectElement(tag); e != nil {
			return e.Text()
		}
		return ""
	}
	return Status{DocNum: text("DOCNUM"), Code: text("STATUS"), Text: text("STATXT"), ArchKey: text("ARCKEY"), Duplicate: text("DUPLICATE") == "X"}, nil
}
