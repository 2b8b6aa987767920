// Package day is a civil calendar date stored as a day number, so effective
// periods compare and binary-search as plain integers.
package day

import (
	"fmt"
	"time"
)

// Day counts calendar days since 1970-01-01 (day 0). It carries no time zone:
// the caller picks the local date of service before converting.
type Day int32

// Open is the exclusive end of a period that has no end date.
const Open Day = 1<<31 - 1

// Of returns the calendar date of t in t's own location.
func Of(t time.Time) Day {
	d, _ := Local(t)
	return d
}

// Local returns the calendar date of t in t's own location and the seconds
// since that date's midnight.
func Local(t time.Time) (Day, int) {
	_, off := t.Zone()
	s := t.Unix() + int64(off)
	d := floorDiv(s, 86400)
	return Day(d), int(s - d*86400)
}

// Date returns the day for a year, month and day of month (normalised like time.Date).
func Date(y int, m time.Month, d int) Day {
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()
	return Day(floorDiv(u, 86400))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Time returns midnight UTC of d.
func (d Day) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// Weekday returns the day of the week of d.
func (d Day) Weekday() time.Weekday { return time.Weekday((int64(d)%7 + 7 + 4) % 7) }

// String renders d as YYYY-MM-DD, or "open" for Open.
func (d Day) String() string {
	if d == Open {
		return "open"
	}
	return d.Time().Format(time.DateOnly)
}

// Parse reads a YYYY-MM-DD date.
func Parse(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
	}
	return Of(t), nil
}

// MustParse is Parse for constants and tests; it panics on bad input.
func MustParse(s string) Day {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// MarshalText renders d as YYYY-MM-DD; Open renders as "".
func (d Day) MarshalText() ([]byte, error) { return d.AppendText([]byte{}) }

// AppendText appends what MarshalText returns to b.
func (d Day) AppendText(b []byte) ([]byte, error) {
	if d == Open {
		return b, nil
	}
	return d.Time().AppendFormat(b, time.DateOnly), nil
}

// UnmarshalText reads YYYY-MM-DD; "" reads as Open (no end date).
func (d *Day) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Open
		return nil
	}
	v, err := Parse(string(b))
	if err == nil {
		*d = v
	}
	return err
}

// Period is a half-open range of days [From, To); To is Open when it has no end.
type Period struct {
	From Day `json:"from" yaml:"from"`
	To   Day `json:"to" yaml:"to"`
}

// Contains reports whether d lies in p.
func (p Period) Contains(d Day) bool { return d >= p.From && d < p.To }

// Overlaps reports whether p and q share a day.
func (p Period) Overlaps(q Period) bool { return p.From < q.To && q.From < p.To }

// Valid reports whether p is non-empty.
func (p Period) Valid() bool { return p.From < p.To }

// String renders "[2025-01-01, 2025-04-01)".
func (p Period) String() string { return "[" + p.From.String() + ", " + p.To.String() + ")" }
