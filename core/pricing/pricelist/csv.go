package pricelist

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/validate"
)

// maxErrors stops a parse after this many problems.
const maxErrors = 100

// ParseCSV reads a price list with a header row naming its columns (any
// order, case-insensitive): service, unit_price and valid_from are required;
// system, list, kind, payer, plan, org, currency, unit, valid_to and version
// are optional when ImportOptions supplies them. Every problem is reported
// with a path such as "line 14: unit_price".
func ParseCSV(r io.Reader, o ImportOptions) (*List, error) {
	h := newHashingReader(r, o.maxBytes())
	cr := csv.NewReader(h)
	cr.Comma = o.comma()
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	var errs validate.Errors
	header, err := cr.Read()
	if err != nil {
		return nil, validate.Errors{csvError("line 1", err)}
	}
	cols := map[string]int{}
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if !known(name) {
			errs.Add("line 1: "+name, "unknown_column", fmt.Sprintf("column %d: want one of %s", i+1, strings.Join(allFields, ", ")))
			continue
		}
		if _, dup := cols[name]; dup {
			errs.Add("line 1: "+name, "duplicate", fmt.Sprintf("column %d repeats %s", i+1, name))
		}
		cols[name] = i
	}
	for _, f := range []string{fService, fUnitPrice, fFrom} {
		if _, ok := cols[f]; !ok {
			errs.Add("line 1: "+f, "required", "missing column "+f)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var entries []pricing.Entry
	var lines []int
	for len(errs) < maxErrors {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var tl *ErrTooLarge
			if errors.As(err, &tl) {
				return nil, validate.Errors{{Path: "document", Code: "too_large", Msg: tl.Error(), Err: err}}
			}
			errs = append(errs, csvError("", err))
			if _, ok := err.(*csv.ParseError); !ok {
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		where := func(f string) string { return "line " + strconv.Itoa(line) + ": " + f }
		if len(rec) != len(header) {
			errs.Add(where("row"), "field_count", fmt.Sprintf("want %d fields like the header, got %d", len(header), len(rec)))
			continue
		}
		get := func(f string) (string, bool) {
			i, ok := cols[f]
			if !ok {
				return "", false
			}
			return strings.TrimSpace(rec[i]), true
		}
		at := func(f string) string {
			if i, ok := cols[f]; ok {
				return where(f) + " (column " + strconv.Itoa(i+1) + ")"
			}
			return where(f)
		}
		if e, ok := entryOf(record{get: get, where: at}, o, &errs); ok {
			entries = append(entries, e)
			lines = append(lines, line)
		}
	}
	l, err := finish(h, entries, func(i int) string { return "line " + strconv.Itoa(lines[i]) }, errs)
	if l != nil {
		l.Source = o.Source
	}
	return l, err
}

func known(name string) bool {
	for _, f := range allFields {
		if f == name {
			return true
		}
	}
	return false
}

func csvError(path string, err error) *validate.FieldError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &validate.FieldError{Path: fmt.Sprintf("line %d", pe.Line), Code: "malformed",
			Msg: fmt.Sprintf("column %d: %v", pe.Column, pe.Err), Err: err}
	}
	if err == io.EOF {
		return &validate.FieldError{Path: path, Code: "empty", Msg: "want a header row naming the columns"}
	}
	var tl *ErrTooLarge
	if errors.As(err, &tl) {
		return &validate.FieldError{Path: "document", Code: "too_large", Msg: tl.Error(), Err: err}
	}
	return &validate.FieldError{Path: path, Code: "unreadable", Msg: err.Error(), Err: err}
}

// FormatCSV writes entries with every column, in the separators o names.
// ParseCSV reads the result back to the same entries.
func FormatCSV(w io.Writer, entries []pricing.Entry, o ImportOptions) error {
	cw := csv.NewWriter(w)
	cw.Comma = o.comma()
	if err := cw.Write(allFields); err != nil {
		return err
	}
	for _, e := range entries {
		to, _ := textOf(e.To)
		from, _ := textOf(e.From)
		if err := cw.Write([]string{e.Service, e.System, e.List, e.Kind.String(), e.Payer, e.Plan, e.Org,
			string(e.Currency), formatDecimal(e.UnitPrice, o.decimal()), e.Unit, from, to, e.Version}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func textOf(d interface{ MarshalText() ([]byte, error) }) (string, error) {
	b, err := d.MarshalText()
	return string(b), err
}
