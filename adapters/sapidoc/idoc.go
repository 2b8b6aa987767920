package sapidoc

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beevik/etree"

	"github.com/revhub/revhub/core/ledger"
	"github.com/revhub/revhub/core/money"
)

// Wire constants of ACC_DOCUMENT (formats.md §5.2, §5.4). The BAPI field
// names and lengths are [UNVERIFIED] for every release: change them here.
const (
	mesTyp    = "ACC_DOCUMENT" // message type (MESTYP)
	direction = "2"            // inbound (DIRECT)
	objType   = "BKPFF"        // external FI document (OBJ_TYPE)
	busAct    = "RFBU"         // FI posting (BUS_ACT)
	currType  = "00"           // document currency (CURR_TYPE)
	rcvPrt    = "LS"           // receiver partner type (RCVPRT)
	keyPrefix = "RH"           // OBJ_KEY prefix: documents the hub posted

	lenObjKey      = 20 // OBJ_KEY (AWKEY)
	lenHeaderTxt   = 25 // HEADER_TXT (BKTXT)
	lenRefDocNo    = 16 // REF_DOC_NO (XBLNR)
	lenItemText    = 50 // ITEM_TEXT (SGTXT)
	lenAllocNmbr   = 18 // ALLOC_NMBR (ZUONR)
	lenAccount     = 10 // GL_ACCOUNT (HKONT)
	lenCostCenter  = 10 // COSTCENTER (KOSTL)
	lenItemNo      = 10 // ITEMNO_ACC (POSNR_ACC, NUMC)
	lenUsername    = 12 // USERNAME
	lenPartner     = 10 // SNDPRN, RCVPRN, OBJ_SYS
	lenPort        = 10 // SNDPOR, RCVPOR
	lenCompanyCode = 4  // COMP_CODE (BUKRS)
)

// ArchiveKeyPrefix starts EDI_DC40 ARCKEY, which carries the digest of the
// document's content so a receiver (or the lookup) can tell a resend from a
// different document under the same reference. ARCKEY usage [UNVERIFIED].
const ArchiveKeyPrefix = "rh:"

// ObjKey is the reference (OBJ_KEY) of the document for a batch or batch
// part ID: "RH" and 18 base32 characters of its SHA-256, so the same ID
// always yields the same key and IDs of any length fit.
func ObjKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return keyPrefix + base32.StdEncoding.EncodeToString(sum[:])[:lenObjKey-len(keyPrefix)]
}

// document is one IDoc ready to send.
type document struct {
	objKey string
	digest string // hex SHA-256 of the data segments
	body   []byte
}

// build renders the ACC_DOCUMENT IDoc of one balanced batch (part).
func (e *Exporter) build(b ledger.Batch, created time.Time) (document, error) {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	idoc := doc.CreateElement(e.cfg.IDocType).CreateElement("IDOC")
	idoc.CreateAttr("BEGIN", "1")
	dc := segment(idoc, "EDI_DC40")
	field(dc, "TABNAM", "EDI_DC40")
	field(dc, "MANDT", e.cfg.Client)
	field(dc, "DIRECT", direction)
	field(dc, "IDOCTYP", e.cfg.IDocType)
	field(dc, "MESTYP", mesTyp)
	field(dc, "SNDPOR", e.cfg.SenderPort)
	field(dc, "SNDPRT", e.cfg.PartnerType)
	field(dc, "SNDPRN", e.cfg.PartnerNumber)
	field(dc, "RCVPOR", e.cfg.ReceiverPort)
	field(dc, "RCVPRT", rcvPrt)
	field(dc, "RCVPRN", e.cfg.ReceiverPartner)
	field(dc, "CREDAT", created.Format("20060102"))
	field(dc, "CRETIM", created.Format("150405"))
	arcKey := dc.CreateElement("ARCKEY")

	// Segments follow the basic type's order: header, every G/L line, then
	// every amount.
	idoc.AddChild(e.header(b))
	amounts := make([]*etree.Element, len(b.Lines))
	for i, l := range b.Lines {
		gl, cr, err := e.line(i, l)
		if err != nil {
			return document{}, err
		}
		idoc.AddChild(gl)
		amounts[i] = cr
	}
	for _, cr := range amounts {
		idoc.AddChild(cr)
	}
	digest := digestOf(idoc.ChildElements()[1:])
	arcKey.SetText(ArchiveKeyPrefix + digest)
	doc.Indent(1)
	body, err := doc.WriteToBytes()
	if err != nil {
		return document{}, err
	}
	return document{objKey: ObjKey(b.ID), digest: digest, body: body}, nil
}

func (e *Exporter) header(b ledger.Batch) *etree.Element {
	h := etree.NewElement("E1BPACHE09")
	h.CreateAttr("SEGMENT", "1")
	date := b.Date.Format("20060102")
	field(h, "OBJ_TYPE", objType)
	field(h, "OBJ_KEY", ObjKey(b.ID))
	field(h, "OBJ_SYS", e.cfg.PartnerNumber)
	field(h, "BUS_ACT", busAct)
	field(h, "USERNAME", e.cfg.Username)
	field(h, "HEADER_TXT", clip(b.ID, lenHeaderTxt))
	field(h, "COMP_CODE", e.cfg.CompanyCode)
	field(h, "DOC_DATE", date)
	field(h, "PSTNG_DATE", date)
	field(h, "DOC_TYPE", e.cfg.DocType)
	field(h, "REF_DOC_NO", tail(b.ID, lenRefDocNo))
	return h
}

// line renders one G/L line and its amount: debit positive, credit negative.
func (e *Exporter) line(i int, l ledger.Line) (gl, cr *etree.Element, err error) {
	item := fmt.Sprintf("%0*d", lenItemNo, i+1)
	acct, err := e.id(l.Account, lenAccount)
	if err != nil {
		return nil, nil, fmt.Errorf("lines[%d].account: %w", i, err)
	}
	cc, err := e.id(l.CostCentre, lenCostCenter)
	if err != nil {
		return nil, nil, fmt.Errorf("lines[%d].cost_centre: %w", i, err)
	}
	gl = etree.NewElement("E1BPACGL09")
	gl.CreateAttr("SEGMENT", "1")
	field(gl, "ITEMNO_ACC", item)
	field(gl, "GL_ACCOUNT", acct)
	field(gl, "ITEM_TEXT", clip(l.Memo, lenItemText))
	field(gl, "COSTCENTER", cc)
	field(gl, "ALLOC_NMBR", clip(l.Ref, lenAllocNmbr))

	amt := l.Debit
	if !amt.Valid() || amt.IsZero() {
		amt = l.Credit.Neg()
	}
	cr = etree.NewElement("E1BPACCR09")
	cr.CreateAttr("SEGMENT", "1")
	field(cr, "ITEMNO_ACC", item)
	field(cr, "CURR_TYPE", currType)
	field(cr, "CURRENCY", string(amt.Currency()))
	field(cr, "AMT_DOCCUR", amount(amt))
	return gl, cr, nil
}

// amount is SAP's external decimal: '.' separator, leading minus, the
// currency's digits; from minor units, never a float.
func amount(a money.Amount) string { return a.Number() }

// id checks an identifier against its SAP length, zero-padding an all-digit
// value when configured. Identifiers are never truncated.
func (e *Exporter) id(v string, n int) (string, error) {
	if utf8.RuneCountInString(v) > n {
		return "", fmt.Errorf("%q is longer than SAP's %d characters", v, n)
	}
	if e.cfg.AccountZeroPadded && v != "" && strings.Trim(v, "0123456789") == "" {
		return strings.Repeat("0", n-len(v)) + v, nil
	}
	return v, nil
}

// segment appends a data segment element.
func segment(parent *etree.Element, name string) *etree.Element {
	s := parent.CreateElement(name)
	s.CreateAttr("SEGMENT", "1")
	return s
}

// field appends a field; empty values are left out, as SAP reads them as blank.
func field(seg *etree.Element, name, v string) {
	if v != "" {
		seg.CreateElement(name).SetText(v)
	}
}

// clip makes free text fit a CHAR field: control characters become
// spaces and it is cut to n characters (texts may be shortened; identifiers
// never are).
func clip(s string, n int) string {
	r := []rune(strings.ToValidUTF8(s, "\uFFFD"))
	for i, c := range r {
		if c < 0x20 || c == 0x7f {
			r[i] = ' '
		}
	}
	return string(r[:min(n, len(r))])
}

// tail keeps the last n characters: a batch ID's distinctive end (its number).
func tail(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[len(r)-n:])
}

// digestOf hashes the data segments: each segment's tag, then each
// field's tag and value, length-prefixed so no two documents collide.
func digestOf(segs []*etree.Element) string {
	h := sha256.New()
	var buf []byte
	put := func(s string) {
		buf = append(strconv.AppendInt(buf[:0], int64(len(s)), 10), ':')
		h.Write(append(buf, s...))
	}
	for _, seg := range segs {
		put(seg.Tag)
		for _, f := range seg.ChildElements() {
			put(f.Tag)
			put(f.Text())
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
