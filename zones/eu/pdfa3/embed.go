package pdfa3

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/validate"
)

// FXNamespace is the Factur-X XMP extension schema's namespace URI.
const FXNamespace = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"

const (
	producer = "revhub"
	creator  = "revhub pdfa3"
)

// Relationship is a file specification's /AFRelationship.
type Relationship string

// The relationships Factur-X allows.
const (
	Alternative Relationship = "Alternative" // BASIC, EN 16931, EXTENDED, XRECHNUNG
	Data        Relationship = "Data"        // MINIMUM, BASIC WL
	Source      Relationship = "Source"
)

// Meta describes the hybrid document.
type Meta struct {
	FileName     string       // "factur-x.xml" (or "xrechnung.xml")
	Level        string       // fx:ConformanceLevel: "MINIMUM", "BASIC WL", "BASIC", "EN 16931", "EXTENDED", "XRECHNUNG"
	Version      string       // fx:Version: "1.0"
	Relationship Relationship // of the XML to the PDF
	Title        string       // dc:title and /Title
	Author       string       // dc:creator and /Author: the seller
	Lang         string       // /Lang of the catalog: "de"
	Date         time.Time    // creation and modification date (of the invoice, for determinism)
}

// Validate checks the metadata.
func (m Meta) Validate() error {
	var errs validate.Errors
	if m.FileName == "" {
		errs.Required("file_name")
	}
	if !slices.Contains([]string{"MINIMUM", "BASIC WL", "BASIC", "EN 16931", "EXTENDED", "XRECHNUNG"}, m.Level) {
		errs.Add("level", "unknown_code", "want MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED or XRECHNUNG")
	}
	if m.Version == "" {
		errs.Required("version")
	}
	if !slices.Contains([]Relationship{Alternative, Data, Source}, m.Relationship) {
		errs.Add("relationship", "unknown_code", "want Alternative, Data or Source")
	}
	if m.Date.IsZero() {
		errs.Required("date")
	}
	return errs.Err()
}

var (
	reStartXref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	reRef       = func(key string) *regexp.Regexp { return regexp.MustCompile(`/` + key + `\s+(\d+)\s+0\s+R`) }
	reRoot      = reRef("Root")
	reInfo      = reRef("Info")
	rePages     = reRef("Pages")
	reObjHead   = regexp.MustCompile(`^(\d+) 0 obj\b`)
)

// Embed turns a PDF written by go-pdf/fpdf (one classic xref table, no
// object streams, fonts embedded) into a PDF/A-3B hybrid invoice: xml is
// embedded as m.FileName with the given relationship, referenced from the
// EmbeddedFiles name tree and the catalog's /AF array; the catalog gains
// XMP metadata (pdfaid, Dublin Core, the fx: extension schema) and an sRGB
// OutputIntent; Info dates equal the XMP dates; the trailer gets an /ID.
// The page objects are copied byte for byte.
func Embed(pdf, xml []byte, m Meta) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	objs, root, info, err := splitObjects(pdf)
	if err != nil {
		return nil, fmt.Errorf("pdfa3: source PDF: %w", err)
	}
	pages := rePages.FindSubmatch(objs[root])
	if pages == nil {
		return nil, errors.New("pdfa3: source PDF: catalog has no /Pages")
	}
	w := &writer{}
	w.buf.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	n := len(objs) // next free object number
	for num := 1; num < n; num++ {
		if num != root && num != info && objs[num] != nil {
			w.raw(num, objs[num])
		}
	}
	date := pdfDate(m.Date)
	sum := md5.Sum(xml)
	fileObj, specObj, xmpObj, iccObj, intentObj := n, n+1, n+2, n+3, n+4
	w.stream(fileObj, fmt.Sprintf("/Type /EmbeddedFile /Subtype /text#2Fxml /Params << /ModDate %s /Size %d /CheckSum <%s> >>",
		date, len(xml), hex.EncodeToString(sum[:])), deflate(xml), true)
	w.obj(specObj, fmt.Sprintf("<< /Type /Filespec /F %s /UF %s /Desc %s /AFRelationship /%s /EF << /F %d 0 R /UF %d 0 R >> >>",
		literal(m.FileName), utf16Hex(m.FileName), literal("Invoice metadata conforming to "+m.Level), m.Relationship, fileObj, fileObj))
	w.stream(xmpObj, "/Type /Metadata /Subtype /XML", xmpPacket(m, m.Date), false)
	w.stream(iccObj, "/N 3", deflate(SRGBProfile()), true)
	w.obj(intentObj, fmt.Sprintf("<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) "+
		"/Info (sRGB IEC61966-2.1) /RegistryName (http://www.color.org) /DestOutputProfile %d 0 R >>", iccObj))
	w.obj(info, fmt.Sprintf("<< /Title %s /Author %s /Creator %s /Producer %s /CreationDate %s /ModDate %s >>",
		utf16Hex(m.Title), utf16Hex(m.Author), literal(creator), literal(producer), date, date))
	lang := ""
	if m.Lang != "" {
		lang = " /Lang " + literal(m.Lang)
	}
	w.obj(root, fmt.Sprintf("<< /Type /Catalog /Version /1.7 /Pages %s 0 R%s /Metadata %d 0 R /OutputIntents [%d 0 R] "+
		"/Names << /EmbeddedFiles << /Names [%s %d 0 R] >> >> /AF [%d 0 R] /PageMode /UseAttachments >>",
		pages[1], lang, xmpObj, intentObj, literal(m.FileName), specObj, specObj))
	id := md5.Sum(append(append([]byte(m.Title+"\x00"), xml...), pdf...))
	return w.finish(intentObj+1, root, info, hex.EncodeToString(id[:])), nil
}

// splitObjects cuts a classic-xref PDF into its objects by number.
func splitObjects(pdf []byte) (objs [][]byte, root, info int, err error) {
	m := reStartXref.FindSubmatch(pdf)
	if m == nil {
		return nil, 0, 0, errors.New("no startxref at the end")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if xref <= 0 || xref >= len(pdf) || !bytes.HasPrefix(pdf[xref:], []byte("xref")) {
		return nil, 0, 0, errors.New("startxref does not point at an xref table (object streams are not supported)")
	}
	trailer := pdf[xref:]
	t := bytes.Index(trailer, []byte("trailer"))
	if t < 0 {
		return nil, 0, 0, errors.New("no trailer")
	}
	rm, im := reRoot.FindSubmatch(trailer[t:]), reInfo.FindSubmatch(trailer[t:])
	if rm == nil || im == nil {
		return nil, 0, 0, errors.New("trailer lacks /Root or /Info")
	}
	root, _ = strconv.Atoi(string(rm[1]))
	info, _ = strconv.Atoi(string(im[1]))
	offs, err := xrefOffsets(trailer[:t])
	if err != nil {
		return nil, 0, 0, err
	}
	if root <= 0 || root >= len(offs) || info <= 0 || info >= len(offs) {
		return nil, 0, 0, errors.New("/Root or /Info outside the xref table")
	}
	order := make([]int, 0, len(offs))
	for num, off := range offs {
		if num > 0 && off > 0 {
			if off >= xref {
				return nil, 0, 0, fmt.Errorf("object %d: offset %d is not before the xref table at %d", num, off, xref)
			}
			order = append(order, num)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return offs[a] - offs[b] })
	objs = make([][]byte, len(offs))
	for i, num := range order {
		end := xref
		if i+1 < len(order) {
			end = offs[order[i+1]]
		}
		if offs[num] >= end {
			return nil, 0, 0, fmt.Errorf("object %d: bad offset", num)
		}
		obj := bytes.TrimRight(pdf[offs[num]:end], "\r\n")
		h := reObjHead.FindSubmatch(obj)
		if h == nil || string(h[1]) != strconv.Itoa(num) || !bytes.HasSuffix(obj, []byte("endobj")) {
			return nil, 0, 0, fmt.Errorf("object %d: not at its xref offset", num)
		}
		objs[num] = obj
	}
	return objs, root, info, nil
}

// xrefOffsets reads one classic xref section starting at object 0.
func xrefOffsets(sec []byte) ([]int, error) {
	lines := bytes.Fields(sec)
	if len(lines) < 3 || string(lines[0]) != "xref" || string(lines[1]) != "0" {
		return nil, errors.New("xref: want one section starting at object 0")
	}
	n, err := strconv.Atoi(string(lines[2]))
	if err != nil || n <= 0 || len(lines) < 3+3*n || n > 1<<20 {
		return nil, errors.New("xref: bad entry count")
	}
	offs := make([]int, n)
	for i := range n {
		e := lines[3+3*i : 6+3*i]
		if string(e[2]) != "n" {
			continue
		}
		if offs[i], err = strconv.Atoi(string(e[0])); err != nil {
			return nil, fmt.Errorf("xref entry %d: %w", i, err)
		}
	}
	return offs, nil
}

type writer struct {
	buf  bytes.Buffer
	offs map[int]int
}

func (w *writer) mark(num int) {
	if w.offs == nil {
		w.offs = map[int]int{}
	}
	w.offs[num] = w.buf.Len()
}

func (w *writer) raw(num int, obj []byte) {
	w.mark(num)
	w.buf.Write(obj)
	w.buf.WriteByte('\n')
}

func (w *writer) obj(num int, dict string) {
	w.mark(num)
	fmt.Fprintf(&w.buf, "%d 0 obj\n%s\nendobj\n", num, dict)
}

func (w *writer) stream(num int, dict string, data []byte, flate bool) {
	w.mark(num)
	filter := ""
	if flate {
		filter = " /Filter /FlateDecode"
	}
	fmt.Fprintf(&w.buf, "%d 0 obj\n<< %s%s /Length %d >>\nstream\n", num, dict, filter, len(data))
	w.buf.Write(data)
	w.buf.WriteString("\nendstream\nendobj\n")
}

func (w *writer) finish(size, root, info int, id string) []byte {
	xref := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f \n", size)
	for num := 1; num < size; num++ {
		if off, ok := w.offs[num]; ok {
			fmt.Fprintf(&w.buf, "%010d 00000 n \n", off)
		} else {
			w.buf.WriteString("0000000000 65535 f \n")
		}
	}
	fmt.Fprintf(&w.buf, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n",
		size, root, info, id, id, xref)
	return w.buf.Bytes()
}

// pdfDate writes a PDF date string with an explicit UTC offset, the same
// instant as the XMP dates.
func pdfDate(t time.Time) string {
	return "(D:" + t.UTC().Format("20060102150405") + "+00'00')"
}

// literal writes an ASCII PDF string, escaping delimiters.
func literal(s string) string {
	var b bytes.Buffer
	b.WriteByte('(')
	for _, c := range []byte(s) {
		switch {
		case c == '(' || c == ')' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c > 0x7e:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
	return b.String()
}

// utf16Hex writes a text string as UTF-16BE with a byte order mark.
func utf16Hex(s string) string {
	b := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return "<" + hex.EncodeToString(b) + ">"
}

func dateOf(d invoicing.Date) time.Time {
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
}
