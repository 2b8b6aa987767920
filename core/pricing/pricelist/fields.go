package pricelist

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/validate"
)

// Field names, shared by the CSV header and JSON entries.
const (
	fService   = "service"
	fSystem    = "system"
	fList      = "list"
	fKind      = "kind"
	fPayer     = "payer"
	fPlan      = "plan"
	fOrg       = "org"
	fCurrency  = "currency"
	fUnitPrice = "unit_price"
	fUnit      = "unit"
	fFrom      = "valid_from"
	fTo        = "valid_to"
	fVersion   = "version"
)

var allFields = []string{fService, fSystem, fList, fKind, fPayer, fPlan, fOrg, fCurrency, fUnitPrice, fUnit, fFrom, fTo, fVersion}

// record is one entry's raw text fields, by name; where says how to name it in errors.
type record struct {
	get   func(field string) (string, bool)
	where func(field string) string // error path, e.g. "line 14: unit_price"
}

// entryOf turns a record into an entry, filling defaults from o, and adds
// every problem to errs.
func entryOf(r record, o ImportOptions, errs *validate.Errors) (pricing.Entry, bool) {
	n := len(*errs)
	str := func(f, def string) string {
		if v, ok := r.get(f); ok && v != "" {
			return v
		}
		return def
	}
	e := pricing.Entry{
		Service: str(fService, ""), System: str(fSystem, o.System), List: str(fList, o.List),
		Payer: str(fPayer, o.Payer), Plan: str(fPlan, o.Plan), Org: str(fOrg, o.Org),
		Unit: str(fUnit, o.Unit), Version: str(fVersion, o.Version), Source: o.Source,
		Kind: o.Kind, Currency: o.Currency, To: day.Open,
	}
	add := func(f, code, msg string) {
		*errs = append(*errs, &validate.FieldError{Path: r.where(f), Code: code, Msg: msg})
	}
	for _, f := range []struct{ name, v string }{{fService, e.Service}, {fList, e.List}, {fVersion, e.Version}} {
		if f.v == "" {
			add(f.name, "required", "is required (in the document or the import options)")
		}
	}
	if v := str(fKind, ""); v != "" {
		k, err := pricing.ParseKind(v)
		if err != nil {
			add(fKind, "invalid", err.Error())
		}
		e.Kind = k
	} else if e.Kind == 0 {
		add(fKind, "required", "is required (national, contract, corporate, cash or override)")
	}
	if v := str(fCurrency, ""); v != "" {
		c, err := money.ParseCurrency(v)
		if err != nil {
			add(fCurrency, "invalid", fmt.Sprintf("want an ISO 4217 code such as EUR, got %q", v))
		}
		e.Currency = c
	} else if e.Currency == "" {
		add(fCurrency, "required", "is required (in the document or the import options)")
	}
	if v, ok := r.get(fUnitPrice); !ok || v == "" {
		add(fUnitPrice, "required", "is required")
	} else if p, err := parseDecimal(v, o.decimal()); err != nil {
		add(fUnitPrice, "invalid", err.Error())
	} else {
		e.UnitPrice = p
	}
	if v, ok := r.get(fFrom); !ok || v == "" {
		add(fFrom, "required", "is required (YYYY-MM-DD)")
	} else if d, err := day.Parse(v); err != nil {
		add(fFrom, "invalid", err.Error())
	} else {
		e.From = d
	}
	if v, ok := r.get(fTo); ok && v != "" {
		if d, err := day.Parse(v); err != nil {
			add(fTo, "invalid", err.Error()+" or empty for no end")
		} else {
			e.To = d
		}
	}
	if len(*errs) > n {
		return e, false
	}
	if err := e.Validate(); err != nil {
		for _, fe := range fieldErrors(err) {
			c := *fe
			c.Path = r.where(fe.Path)
			*errs = append(*errs, &c)
		}
		return e, false
	}
	return e, true
}

// parseDecimal reads a non-negative decimal with the given separator. It
// rejects the other separator (no thousands grouping), signs and exponents.
func parseDecimal(s string, sep byte) (money.Rate, error) {
	want := fmt.Sprintf("want a non-negative decimal with %q as separator, such as \"12%c50\"", sep, sep)
	if len(s) > 24 {
		return money.Rate{}, fmt.Errorf("%s, got %d characters", want, len(s))
	}
	seen, digits := false, 0
	for i := range len(s) {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == sep && !seen:
			seen = true
		default:
			return money.Rate{}, fmt.Errorf("%s, got %q", want, s)
		}
	}
	if digits == 0 {
		return money.Rate{}, fmt.Errorf("%s, got %q", want, s)
	}
	r, err := money.ParseRate(strings.Replace(s, string(sep), ".", 1))
	if err != nil {
		return money.Rate{}, fmt.Errorf("%s, got %q", want, s)
	}
	return r, nil
}

// formatDecimal renders r with the given separator.
func formatDecimal(r money.Rate, sep byte) string {
	return strings.Replace(r.String(), ".", string(sep), 1)
}

// hashingReader caps and hashes what it reads.
type hashingReader struct {
	r   io.Reader
	h   hash.Hash
	n   int64
	max int64
}

func newHashingReader(r io.Reader, max int64) *hashingReader {
	return &hashingReader{r: r, h: sha256.New(), max: max}
}

// ErrTooLarge reports a document over ImportOptions.MaxBytes.
type ErrTooLarge struct{ Max int64 }

func (e *ErrTooLarge) Error() string {
	return "pricelist: document larger than " + strconv.FormatInt(e.Max, 10) + " bytes"
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	h.n += int64(n)
	if h.n > h.max {
		return n, &ErrTooLarge{Max: h.max}
	}
	return n, err
}

func (h *hashingReader) sum() string { return hex.EncodeToString(h.h.Sum(nil)) }

// finish drains the rest of the document into the hash and checks that the
// entries build into a tariff (no overlapping versions), naming lines via at.
func finish(h *hashingReader, entries []pricing.Entry, at func(i int) string, errs validate.Errors) (*List, error) {
	if _, err := io.Copy(io.Discard, h); err != nil {
		errs = append(errs, &validate.FieldError{Path: "document", Code: "unreadable", Msg: err.Error(), Err: err})
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	sum := h.sum()
	for i := range entries {
		entries[i].SourceSHA = sum
	}
	if _, err := pricing.Build(pricing.StandardPrecedence, entries); err != nil {
		var out validate.Errors
		for _, fe := range fieldErrors(err) {
			c := *fe
			var i int
			if _, serr := fmt.Sscanf(fe.Path, "entries[%d]", &i); serr == nil && i < len(entries) {
				c.Path = at(i) + strings.TrimPrefix(fe.Path, fmt.Sprintf("entries[%d]", i))
			}
			out = append(out, &c)
		}
		return nil, out
	}
	return &List{Entries: entries, SHA256: sum}, nil
}

func fieldErrors(err error) validate.Errors {
	var es validate.Errors
	if errors.As(err, &es) {
		return es
	}
	var fe *validate.FieldError
	if errors.As(err, &fe) {
		return validate.Errors{fe}
	}
	return validate.Errors{{Code: "invalid", Msg: err.Error(), Err: err}}
}
