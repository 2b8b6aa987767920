package fakesap

import (
	"fmt"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/beevik/etree"

	"github.com/revhub/revhub/core/money"
)

// IDoc is what the fake reads from an ACC_DOCUMENT IDoc.
type IDoc struct {
	Type, Sender, SenderType, Receiver string // IDOCTYP, SNDPRN, SNDPRT, RCVPRN
	ArcKey                             string // ARCKEY
	ObjKey, ObjSys, CompanyCode        string
	PostingDate                        time.Time
	Lines                              []Line
}

// Line is one G/L line with its document-currency amount (signed).
type Line struct {
	Item, Account, CostCentre, Text string
	Amount                          money.Amount
}

// Rejection is an IDoc the fake refuses, with the IDoc status SAP would
// set: 60 syntax error, 56 partner profile, 51 application error.
type Rejection struct {
	Status string
	Text   string
}

func (r *Rejection) Error() string { return "IDoc status " + r.Status + ": " + r.Text }

func syntax(format string, args ...any) error {
	return &Rejection{Status: "60", Text: fmt.Sprintf(format, args...)}
}

func application(format string, args ...any) error {
	return &Rejection{Status: "51", Text: fmt.Sprintf(format, args...)}
}

// MaxItems is the most G/L lines one FI document holds.
const MaxItems = 999

var (
	itemNo   = regexp.MustCompile(`^[0-9]{10}$`)
	yyyymmdd = "20060102"
	// field lengths checked for overflow (CHAR fields of the BAPI structures)
	lengths = map[string]int{"OBJ_KEY": 20, "OBJ_SYS": 10, "COMP_CODE": 4, "HEADER_TXT": 25, "REF_DOC_NO": 16, "USERNAME": 12,
		"DOC_TYPE": 2, "GL_ACCOUNT": 10, "COSTCENTER": 10, "ITEM_TEXT": 50, "ALLOC_NMBR": 18, "SNDPRN": 10, "RCVPRN": 10,
		"SNDPOR": 10, "RCVPOR": 10, "SNDPRT": 2, "RCVPRT": 2, "ARCKEY": 70}
)

// Parse reads and checks an ACC_DOCUMENT IDoc the way SAP's inbound
// processing would, without external entities or DTDs. A problem comes back
// as a *Rejection.
func Parse(body []byte) (*IDoc, error) {
	doc := etree.NewDocument()
	doc.ReadSettings = etree.ReadSettings{MaxDepth: 16}
	if err := doc.ReadFromBytes(body); err != nil {
		return nil, syntax("not well-formed XML: %v", err)
	}
	for _, t := range doc.Child {
		if _, ok := t.(*etree.Directive); ok {
			return nil, syntax("DTDs are not accepted")
		}
	}
	root := doc.Root()
	if root == nil {
		return nil, syntax("no root element")
	}
	idocs := root.SelectElements("IDOC")
	if len(idocs) != 1 {
		return nil, syntax("want one IDOC element under %s, got %d", root.Tag, len(idocs))
	}
	x := idocs[0]
	if err := checkOrder(x); err != nil {
		return nil, err
	}
	var d IDoc
	if err := d.control(root.Tag, one(x, "EDI_DC40")); err != nil {
		return nil, err
	}
	if err := d.header(one(x, "E1BPACHE09")); err != nil {
		return nil, err
	}
	if err := d.lines(x); err != nil {
		return nil, err
	}
	return &d, nil
}

// one returns the single child segment tag, or nil.
func one(x *etree.Element, tag string) *etree.Element {
	if s := x.SelectElements(tag); len(s) == 1 {
		return s[0]
	}
	return nil
}

// fields reads a segment's fields, checking lengths.
func fields(seg *etree.Element) (map[string]string, error) {
	f := map[string]string{}
	for _, c := range seg.ChildElements() {
		v := c.Text()
		if n, ok := lengths[c.Tag]; ok && utf8.RuneCountInString(v) > n {
			return nil, application("%s-%s: value longer than %d characters (field overflow)", seg.Tag, c.Tag, n)
		}
		f[c.Tag] = v
	}
	return f, nil
}

func (d *IDoc) control(rootTag string, seg *etree.Element) error {
	if seg == nil {
		return syntax("control record EDI_DC40 missing or repeated")
	}
	f, err := fields(seg)
	if err != nil {
		return err
	}
	switch {
	case f["TABNAM"] != "EDI_DC40":
		return syntax("EDI_DC40-TABNAM must be EDI_DC40")
	case f["DIRECT"] != "2":
		return syntax("EDI_DC40-DIRECT must be 2 (inbound)")
	case f["IDOCTYP"] != rootTag:
		return syntax("EDI_DC40-IDOCTYP %q does not match the root element %s", f["IDOCTYP"], rootTag)
	case f["MESTYP"] != "ACC_DOCUMENT":
		return &Rejection{Status: "56", Text: fmt.Sprintf("no partner profile for message type %q", f["MESTYP"])}
	case f["SNDPRN"] == "" || f["SNDPRT"] == "" || f["RCVPRN"] == "":
		return &Rejection{Status: "56", Text: "sender or receiver partner missing (SNDPRN, SNDPRT, RCVPRN)"}
	}
	d.Type, d.Sender, d.SenderType, d.Receiver, d.ArcKey = f["IDOCTYP"], f["SNDPRN"], f["SNDPRT"], f["RCVPRN"], f["ARCKEY"]
	return nil
}

func (d *IDoc) header(seg *etree.Element) error {
	if seg == nil {
		return syntax("header segment E1BPACHE09 missing or repeated")
	}
	f, err := fields(seg)
	if err != nil {
		return err
	}
	for _, k := range []string{"OBJ_TYPE", "OBJ_KEY", "OBJ_SYS", "COMP_CODE", "PSTNG_DATE", "DOC_DATE"} {
		if f[k] == "" {
			return application("E1BPACHE09-%s is required", k)
		}
	}
	pd, err := time.Parse(yyyymmdd, f["PSTNG_DATE"])
	if err != nil {
		return application("E1BPACHE09-PSTNG_DATE %q is not YYYYMMDD", f["PSTNG_DATE"])
	}
	if _, err := time.Parse(yyyymmdd, f["DOC_DATE"]); err != nil {
		return application("E1BPACHE09-DOC_DATE %q is not YYYYMMDD", f["DOC_DATE"])
	}
	d.ObjKey, d.ObjSys, d.CompanyCode, d.PostingDate = f["OBJ_KEY"], f["OBJ_SYS"], f["COMP_CODE"], pd
	return nil
}

func (d *IDoc) lines(x *etree.Element) error {
	gls := x.SelectElements("E1BPACGL09")
	if len(gls) == 0 {
		return application("no G/L line (E1BPACGL09)")
	}
	if len(gls) > MaxItems {
		return application("%d line items: an FI document holds at most %d", len(gls), MaxItems)
	}
	byItem := map[string]int{}
	for _, seg := range gls {
		f, err := fields(seg)
		if err != nil {
			return err
		}
		item := f["ITEMNO_ACC"]
		if !itemNo.MatchString(item) {
			return syntax("E1BPACGL09-ITEMNO_ACC %q is not 10 digits", item)
		}
		if _, dup := byItem[item]; dup {
			return application("line item %s appears twice", item)
		}
		if f["GL_ACCOUNT"] == "" {
			return application("line item %s: G/L account is required", item)
		}
		byItem[item] = len(d.Lines)
		d.Lines = append(d.Lines, Line{Item: item, Account: f["GL_ACCOUNT"], CostCentre: f["COSTCENTER"], Text: f["ITEM_TEXT"]})
	}
	sums := map[money.Currency]money.Amount{}
	for _, seg := range x.SelectElements("E1BPACCR09") {
		f, err := fields(seg)
		if err != nil {
			return err
		}
		i, ok := byItem[f["ITEMNO_ACC"]]
		switch {
		case !ok:
			return application("amount for unknown line item %q", f["ITEMNO_ACC"])
		case d.Lines[i].Amount.Valid():
			return application("line item %s has two amounts", f["ITEMNO_ACC"])
		case f["CURR_TYPE"] != "00":
			return application("line item %s: currency type %q, want 00 (document currency)", f["ITEMNO_ACC"], f["CURR_TYPE"])
		}
		cur, err := money.ParseCurrency(f["CURRENCY"])
		if err != nil {
			return application("line item %s: currency %q is not defined", f["ITEMNO_ACC"], f["CURRENCY"])
		}
		a, err := money.Parse(f["AMT_DOCCUR"], cur)
		if err != nil {
			return application("line item %s: AMT_DOCCUR %q is not an amount in %s", f["ITEMNO_ACC"], f["AMT_DOCCUR"], cur)
		}
		d.Lines[i].Amount = a
		s, ok := sums[cur]
		if !ok {
			s = money.Zero(cur)
		}
		if sums[cur], err = s.Add(a); err != nil {
			return application("amounts overflow")
		}
	}
	for _, l := range d.Lines {
		if !l.Amount.Valid() {
			return application("line item %s has no amount (E1BPACCR09)", l.Item)
		}
	}
	for cur, s := range sums {
		if !s.IsZero() {
			return application("Balance in transaction currency %s not zero: %s", cur, s.Number())
		}
	}
	return nil
}

// order is the segment sequence of the ACC_DOCUMENT basic type (the
// segments the hub may send, in order).
var order = map[string]int{"EDI_DC40": 0, "E1BPACHE09": 1, "E1BPACGL09": 2, "E1BPACAR09": 3, "E1BPACAP09": 4, "E1BPACTX09": 5, "E1BPACCR09": 6}

// checkOrder rejects unknown segments and segments out of sequence, as
// SAP's syntax check does.
func checkOrder(x *etree.Element) error {
	last := 0
	for _, seg := range x.ChildElements() {
		n, ok := order[seg.Tag]
		switch {
		case !ok:
			return syntax("segment %s is not defined for the basic type", seg.Tag)
		case n < last:
			return syntax("segment %s is not expected after later segments (wrong order)", seg.Tag)
		}
		last = n
	}
	return nil
}
