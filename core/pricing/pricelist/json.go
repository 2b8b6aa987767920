package pricelist

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/validate"
)

// jsonDoc is the JSON price list: top-level fields are defaults for entries.
type jsonDoc struct {
	List     string      `json:"list,omitempty"`
	Kind     string      `json:"kind,omitempty"`
	Version  string      `json:"version,omitempty"`
	Currency string      `json:"currency,omitempty"`
	System   string      `json:"system,omitempty"`
	Entries  []jsonEntry `json:"entries"`
}

// jsonEntry holds every field as text so errors can name the field.
type jsonEntry map[string]json.RawMessage

// ParseJSON reads {"list": …, "kind": …, "version": …, "currency": …,
// "entries": [{"service": "03000", "unit_price": "14.8721", "valid_from":
// "2025-01-01", …}]}. Entry fields win over top-level ones, which win over
// ImportOptions. Prices are decimal strings with '.'; errors have paths
// such as "entries[3].unit_price".
func ParseJSON(r io.Reader, o ImportOptions) (*List, error) {
	h := newHashingReader(r, o.maxBytes())
	data, err := io.ReadAll(h)
	if err != nil {
		return nil, validate.Errors{csvError("document", err)}
	}
	var doc jsonDoc
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, validate.Errors{jsonError(data, err)}
	}
	if dec.More() {
		return nil, validate.Errors{{Path: "document", Code: "malformed", Msg: "trailing data after the JSON object"}}
	}
	o.Decimal = '.'
	for _, d := range []struct {
		v   string
		dst *string
	}{{doc.List, &o.List}, {doc.Version, &o.Version}, {doc.System, &o.System}} {
		if d.v != "" {
			*d.dst = d.v
		}
	}
	var errs validate.Errors
	if doc.Kind != "" {
		k, err := pricing.ParseKind(doc.Kind)
		if err != nil {
			errs.Add("kind", "invalid", err.Error())
		}
		o.Kind = k
	}
	if doc.Currency != "" {
		o.Currency = money.Currency(doc.Currency)
	}
	if doc.Entries == nil {
		errs.Required("entries")
	}
	entries := make([]pricing.Entry, 0, len(doc.Entries))
	var idx []int
	for i, je := range doc.Entries {
		if len(errs) >= maxErrors {
			break
		}
		path := validate.Index("entries", i)
		for k := range je {
			if !known(k) {
				errs.Add(validate.Join(path, k), "unknown_field", "want one of the documented entry fields")
			}
		}
		get := func(f string) (string, bool) {
			raw, ok := je[f]
			if !ok || string(raw) == "null" {
				return "", false
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return string(raw), true // a number literal; parsed as text, never as a float
			}
			return s, true
		}
		if e, ok := entryOf(record{get: get, where: func(f string) string { return validate.Join(path, f) }}, o, &errs); ok {
			entries = append(entries, e)
			idx = append(idx, i)
		}
	}
	l, err := finish(h, entries, func(i int) string { return validate.Index("entries", idx[i]) }, errs)
	if l != nil {
		l.Source = o.Source
	}
	return l, err
}

func jsonError(data []byte, err error) *validate.FieldError {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := position(data, se.Offset)
		return &validate.FieldError{Path: "line " + strconv.Itoa(line), Code: "malformed", Msg: fmt.Sprintf("column %d: %v", col, se), Err: err}
	case errors.As(err, &te):
		line, col := position(data, te.Offset)
		return &validate.FieldError{Path: te.Field, Code: "invalid", Msg: fmt.Sprintf("line %d column %d: want %s, got JSON %s", line, col, te.Type, te.Value), Err: err}
	case errors.Is(err, io.EOF):
		return &validate.FieldError{Path: "document", Code: "empty", Msg: "want a JSON object with entries"}
	}
	return &validate.FieldError{Path: "document", Code: "malformed", Msg: err.Error(), Err: err}
}

func position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// FormatJSON writes entries as a JSON price list that ParseJSON reads back
// to the same entries.
func FormatJSON(w io.Writer, entries []pricing.Entry) error {
	doc := jsonDoc{Entries: make([]jsonEntry, 0, len(entries))}
	for _, e := range entries {
		from, _ := textOf(e.From)
		to, _ := textOf(e.To)
		je := jsonEntry{}
		for _, kv := range [][2]string{{fService, e.Service}, {fSystem, e.System}, {fList, e.List}, {fKind, e.Kind.String()},
			{fPayer, e.Payer}, {fPlan, e.Plan}, {fOrg, e.Org}, {fCurrency, string(e.Currency)}, {fUnitPrice, e.UnitPrice.String()},
			{fUnit, e.Unit}, {fFrom, from}, {fTo, to}, {fVersion, e.Version}} {
			if kv[1] != "" {
				b, _ := json.Marshal(kv[1])
				je[kv[0]] = b
			}
		}
		doc.Entries = append(doc.Entries, je)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
