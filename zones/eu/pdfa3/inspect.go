package pdfa3

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// MaxInspect caps the input Inspect reads and each stream it inflates.
const MaxInspect = 32 << 20

// Document is what Inspect finds in a hybrid invoice.
type Document struct {
	Header       string // "%PDF-1.7"
	Catalog      string // the catalog dictionary
	XMP          []byte // the catalog's metadata stream
	Files        []File // the EmbeddedFiles name tree, in order
	AF           []int  // object numbers in the catalog's /AF array
	OutputIntent string // /S of the first output intent: "GTS_PDFA1"
	ICC          []byte // its DestOutputProfile
	HasID        bool   // the trailer carries /ID
}

// File is one embedded file.
type File struct {
	Name         string // the name tree key
	Spec         int    // object number of the file specification
	Relationship string // /AFRelationship
	Subtype      string // of the embedded file stream: "text#2Fxml"
	Data         []byte // decoded contents
}

var (
	reNamesArr = regexp.MustCompile(`/EmbeddedFiles\s*<<\s*/Names\s*\[([^\]]*)\]`)
	reNameRef  = regexp.MustCompile(`\(((?:[^()\\]|\\.)*)\)\s*(\d+)\s+0\s+R`)
	reAF       = regexp.MustCompile(`/AF\s*\[([^\]]*)\]`)
	reRefs     = regexp.MustCompile(`(\d+)\s+0\s+R`)
	reRel      = regexp.MustCompile(`/AFRelationship\s*/(\w+)`)
	reEF       = regexp.MustCompile(`/EF\s*<<\s*/F\s+(\d+)\s+0\s+R`)
	reSubtype  = regexp.MustCompile(`/Subtype\s*/([\w#]+)`)
	reLength   = regexp.MustCompile(`/Length\s+(\d+)`)
	reIntents  = regexp.MustCompile(`/OutputIntents\s*\[\s*(\d+)\s+0\s+R`)
	reS        = regexp.MustCompile(`/S\s*/(\w+)`)
	reDest     = reRef("DestOutputProfile")
	reMetadata = reRef("Metadata")
)

// Inspect reads a PDF with one classic xref table (as Embed writes) and
// returns its catalog, XMP, embedded files and output intent. It never
// panics on bad input and returns an error naming what it could not find.
func Inspect(pdf []byte) (*Document, error) {
	if len(pdf) > MaxInspect {
		return nil, fmt.Errorf("pdfa3: inspect: %d bytes, over the %d limit", len(pdf), MaxInspect)
	}
	objs, root, _, err := splitObjects(pdf)
	if err != nil {
		return nil, fmt.Errorf("pdfa3: inspect: %w", err)
	}
	get := func(num int) ([]byte, error) {
		if num <= 0 || num >= len(objs) || objs[num] == nil {
			return nil, fmt.Errorf("pdfa3: inspect: object %d missing", num)
		}
		return objs[num], nil
	}
	d := &Document{HasID: bytes.Contains(pdf[bytes.LastIndex(pdf, []byte("trailer"))+1:], []byte("/ID"))}
	if i := bytes.IndexByte(pdf, '\n'); i > 0 {
		d.Header = string(bytes.TrimRight(pdf[:i], "\r"))
	}
	cat, err := get(root)
	if err != nil {
		return nil, err
	}
	d.Catalog = string(cat)
	if m := reMetadata.FindSubmatch(cat); m != nil {
		if d.XMP, err = streamOf(get, atoi(m[1])); err != nil {
			return nil, err
		}
	}
	if m := reAF.FindSubmatch(cat); m != nil {
		for _, r := range reRefs.FindAllSubmatch(m[1], -1) {
			d.AF = append(d.AF, atoi(r[1]))
		}
	}
	if m := reIntents.FindSubmatch(cat); m != nil {
		oi, err := get(atoi(m[1]))
		if err != nil {
			return nil, err
		}
		if s := reS.FindSubmatch(oi); s != nil {
			d.OutputIntent = string(s[1])
		}
		if p := reDest.FindSubmatch(oi); p != nil {
			if d.ICC, err = streamOf(get, atoi(p[1])); err != nil {
				return nil, err
			}
		}
	}
	if m := reNamesArr.FindSubmatch(cat); m != nil {
		for _, nr := range reNameRef.FindAllSubmatch(m[1], -1) {
			f, err := fileOf(get, string(nr[1]), atoi(nr[2]))
			if err != nil {
				return nil, err
			}
			d.Files = append(d.Files, f)
		}
	}
	return d, nil
}

// Attachment returns the data of the embedded file called name.
func (d *Document) Attachment(name string) ([]byte, bool) {
	for _, f := range d.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

func fileOf(get func(int) ([]byte, error), name string, spec int) (File, error) {
	f := File{Name: name, Spec: spec}
	fs, err := get(spec)
	if err != nil {
		return f, err
	}
	if m := reRel.FindSubmatch(fs); m != nil {
		f.Relationship = string(m[1])
	}
	ef := reEF.FindSubmatch(fs)
	if ef == nil {
		return f, fmt.Errorf("pdfa3: inspect: file specification %d of %q has no /EF /F", spec, name)
	}
	stream, err := get(atoi(ef[1]))
	if err != nil {
		return f, err
	}
	if m := reSubtype.FindSubmatch(dictOf(stream)); m != nil {
		f.Subtype = string(m[1])
	}
	f.Data, err = streamOf(get, atoi(ef[1]))
	return f, err
}

// streamOf returns the decoded data of a stream object.
func streamOf(get func(int) ([]byte, error), num int) ([]byte, error) {
	obj, err := get(num)
	if err != nil {
		return nil, err
	}
	dict := dictOf(obj)
	lm := reLength.FindSubmatch(dict)
	start := bytes.Index(obj, []byte("stream"))
	if lm == nil || start < 0 {
		return nil, fmt.Errorf("pdfa3: inspect: object %d is not a stream with a direct /Length", num)
	}
	start += len("stream")
	if start < len(obj) && obj[start] == '\r' {
		start++
	}
	if start < len(obj) && obj[start] == '\n' {
		start++
	}
	n := atoi(lm[1])
	if n < 0 || start+n > len(obj) {
		return nil, fmt.Errorf("pdfa3: inspect: object %d: /Length %d runs past the object", num, n)
	}
	data := obj[start : start+n]
	if !bytes.Contains(dict, []byte("/FlateDecode")) {
		return data, nil
	}
	out, err := inflate(data, MaxInspect)
	if err != nil {
		return nil, fmt.Errorf("pdfa3: inspect: object %d: %w", num, err)
	}
	return out, nil
}

func dictOf(obj []byte) []byte {
	if i := bytes.Index(obj, []byte("stream")); i >= 0 {
		return obj[:i]
	}
	return obj
}

func atoi(b []byte) int {
	n, err := strconv.Atoi(string(b))
	if err != nil || n > 1<<30 {
		return -1
	}
	return n
}

// ErrNoAttachment is returned by Extract when the PDF has no such file.
var ErrNoAttachment = errors.New("pdfa3: no such embedded file")

// Extract returns the embedded file called name (e.g. "factur-x.xml").
func Extract(pdf []byte, name string) ([]byte, error) {
	d, err := Inspect(pdf)
	if err != nil {
		return nil, err
	}
	b, ok := d.Attachment(name)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNoAttachment, name)
	}
	return b, nil
}
