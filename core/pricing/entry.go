package pricing

import (
	"fmt"
	"strings"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/validate"
)

// Kind is the kind of price list an entry belongs to.
type Kind uint8

// The price list kinds. Their order of precedence is the tenant's choice.
const (
	_ Kind = iota
	// National is the baseline tariff of the zone (EBM, NABM, Tervisekassa).
	National
	// Contract is a payer or plan contract.
	Contract
	// Corporate is a contract with a company paying for its staff.
	Corporate
	// Cash is the self-pay price.
	Cash
	// Override is an organization's own price, overriding the others.
	Override
)

var kindNames = [...]string{"", "national", "contract", "corporate", "cash", "override"}

// String returns the snake_case name used in files and mappings.
func (k Kind) String() string {
	if k.valid() {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

func (k Kind) valid() bool { return k >= National && k <= Override }

// ParseKind reads a list kind name.
func ParseKind(s string) (Kind, error) {
	for i, n := range kindNames {
		if i > 0 && n == s {
			return Kind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown price list kind %q (want one of %s)", s, strings.Join(kindNames[1:], ", "))
}

// MarshalText implements encoding.TextMarshaler.
func (k Kind) MarshalText() ([]byte, error) { return k.AppendText(nil) }

// AppendText appends k's name to b; an invalid kind has none.
func (k Kind) AppendText(b []byte) ([]byte, error) {
	if !k.valid() {
		return b, fmt.Errorf("invalid price list kind %d", k)
	}
	return append(b, kindNames[k]...), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err == nil {
		*k = v
	}
	return err
}

// Entry is one version of one service's price in one price list.
type Entry struct {
	Service   string         `json:"service"`          // service code, e.g. EBM GOP "03000"
	System    string         `json:"system,omitempty"` // code system URI; "" for the tenant's catalogue
	List      string         `json:"list"`             // price list id, e.g. "ebm", "aok-2025"
	Kind      Kind           `json:"kind"`
	Payer     string         `json:"payer,omitempty"` // "" = any payer
	Plan      string         `json:"plan,omitempty"`  // "" = any plan of the payer
	Org       string         `json:"org,omitempty"`   // "" = any organization
	Currency  money.Currency `json:"currency"`
	UnitPrice money.Rate     `json:"unit_price"` // may carry more decimals than the currency
	Unit      string         `json:"unit,omitempty"`
	From      day.Day        `json:"valid_from"` // inclusive
	To        day.Day        `json:"valid_to"`   // exclusive; day.Open when open-ended
	Version   string         `json:"version"`    // version id of the list this entry came from
	Source    string         `json:"source,omitempty"`
	SourceSHA string         `json:"source_sha256,omitempty"` // hex sha256 of the source document
}

// Period returns the entry's effective period.
func (e *Entry) Period() day.Period { return day.Period{From: e.From, To: e.To} }

// Validate checks one entry; paths are field names.
func (e *Entry) Validate() error {
	var errs validate.Errors
	if e.Service == "" {
		errs.Required("service")
	}
	if e.List == "" {
		errs.Required("list")
	}
	if !e.Kind.valid() {
		errs.Add("kind", "invalid", "want one of "+strings.Join(kindNames[1:], ", "))
	}
	switch {
	case (e.Kind == Contract || e.Kind == Corporate) && e.Payer == "":
		errs.Add("payer", "required", "a "+e.Kind.String()+" list needs a payer")
	case e.Kind == Override && e.Org == "":
		errs.Add("org", "required", "an override list needs an organization")
	case e.Plan != "" && e.Payer == "":
		errs.Add("payer", "required", "a plan needs its payer")
	}
	if !e.Currency.Valid() {
		errs.Add("currency", "invalid", fmt.Sprintf("want an ISO 4217 code, got %q", e.Currency))
	}
	if e.UnitPrice.Sign() < 0 {
		errs.Add("unit_price", "negative", "a price must not be negative")
	}
	if !e.Period().Valid() {
		errs.Add("valid_to", "invalid", "valid_to must be after valid_from")
	}
	if e.Version == "" {
		errs.Required("version")
	}
	if e.SourceSHA != "" && !isHex64(e.SourceSHA) {
		errs.Add("source_sha256", "invalid", "want 64 lowercase hex digits")
	}
	return errs.Err()
}

func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Precedence is a tenant's order of price list kinds, first wins. Kinds left
// out are never used for that tenant.
type Precedence []Kind

// StandardPrecedence is a common order: organization override, payer/plan
// contract, corporate contract, national baseline, cash price.
var StandardPrecedence = Precedence{Override, Contract, Corporate, National, Cash}

// ParsePrecedence reads kind names in order.
func ParsePrecedence(names []string) (Precedence, error) {
	p := make(Precedence, 0, len(names))
	for _, n := range names {
		k, err := ParseKind(n)
		if err != nil {
			return nil, err
		}
		p = append(p, k)
	}
	return p, p.Validate()
}

// Validate checks that p is non-empty, with valid kinds and no repeats.
func (p Precedence) Validate() error {
	if len(p) == 0 {
		return &validate.FieldError{Path: "precedence", Code: "required", Msg: "name at least one price list kind", Err: validate.ErrRequired}
	}
	var seen [len(kindNames)]bool
	for i, k := range p {
		if !k.valid() {
			return validate.Errorf(validate.Index("precedence", i), "invalid", "unknown price list kind %d", k)
		}
		if seen[k] {
			return validate.Errorf(validate.Index("precedence", i), "duplicate", "%s listed twice", k)
		}
		seen[k] = true
	}
	return nil
}
