package money

import (
	"fmt"

	"github.com/govalues/decimal"
)

// Rounding names how an inexact value is brought to a scale. There is no
// default: every conversion from Rate to Amount names one.
type Rounding uint8

// The rounding modes. Zones and tariffs choose among them.
const (
	_ Rounding = iota
	// HalfUp rounds to nearest, ties away from zero (commercial rounding; DE, EE, FR invoices).
	HalfUp
	// HalfEven rounds to nearest, ties to the even neighbour (banker's rounding).
	HalfEven
	// Down truncates toward zero.
	Down
	// Up rounds away from zero.
	Up
	// Floor rounds toward negative infinity.
	Floor
	// Ceiling rounds toward positive infinity.
	Ceiling
)

var roundingNames = [...]string{"", "half_up", "half_even", "down", "up", "floor", "ceiling"}

// String returns the snake_case name used in mappings.
func (r Rounding) String() string {
	if int(r) < len(roundingNames) && r != 0 {
		return roundingNames[r]
	}
	return fmt.Sprintf("rounding(%d)", r)
}

// ParseRounding reads a snake_case rounding name.
func ParseRounding(s string) (Rounding, error) {
	for i, n := range roundingNames {
		if i > 0 && n == s {
			return Rounding(i), nil
		}
	}
	return 0, fmt.Errorf("money: unknown rounding %q (want one of half_up, half_even, down, up, floor, ceiling)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (r Rounding) MarshalText() ([]byte, error) { return r.AppendText(nil) }

// AppendText appends r's name to b; an invalid rounding has none.
func (r Rounding) AppendText(b []byte) ([]byte, error) {
	if !r.valid() {
		return b, fmt.Errorf("money: invalid rounding %d", r)
	}
	return append(b, roundingNames[r]...), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *Rounding) UnmarshalText(b []byte) error {
	v, err := ParseRounding(string(b))
	if err == nil {
		*r = v
	}
	return err
}

func (r Rounding) valid() bool { return r >= HalfUp && r <= Ceiling }

// round brings d to scale digits after the point using r.
func (r Rounding) round(d decimal.Decimal, scale int) (decimal.Decimal, error) {
	if d.Scale() <= scale {
		return d, nil
	}
	switch r {
	case HalfEven:
		return d.Round(scale), nil
	case Down:
		return d.Trunc(scale), nil
	case Floor:
		return d.Floor(scale), nil
	case Ceiling:
		return d.Ceil(scale), nil
	case Up:
		if d.IsNeg() {
			return d.Floor(scale), nil
		}
		return d.Ceil(scale), nil
	case HalfUp:
		t := d.Trunc(scale)
		rest, err := d.Sub(t)
		if err != nil {
			return d, err
		}
		half, _ := decimal.New(5, scale+1)
		if rest.Abs().Cmp(half) < 0 {
			return t, nil
		}
		ulp, _ := decimal.New(1, scale)
		if d.IsNeg() {
			return t.Sub(ulp)
		}
		return t.Add(ulp)
	}
	return d, fmt.Errorf("money: invalid rounding %d", r)
}
