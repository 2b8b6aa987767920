package invoicing

import (
	"fmt"
	"strconv"
)

// Date is a calendar date without time zone (EN 16931 dates carry none).
// The zero value means "not set".
type Date struct {
	Year  int
	Month int
	Day   int
}

// ParseDate reads "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("invoicing: date %q: want YYYY-MM-DD", s)
	}
	return parseDigits(s[0:4], s[5:7], s[8:10], s)
}

// ParseBasicDate reads "YYYYMMDD" (CII format 102).
func ParseBasicDate(s string) (Date, error) {
	if len(s) != 8 {
		return Date{}, fmt.Errorf("invoicing: date %q: want YYYYMMDD", s)
	}
	return parseDigits(s[0:4], s[4:6], s[6:8], s)
}

func parseDigits(y, m, d, orig string) (Date, error) {
	var v [3]int
	for i, p := range [3]string{y, m, d} {
		for _, c := range []byte(p) {
			if c < '0' || c > '9' {
				return Date{}, fmt.Errorf("invoicing: date %q: not a number", orig)
			}
		}
		v[i], _ = strconv.Atoi(p)
	}
	out := Date{Year: v[0], Month: v[1], Day: v[2]}
	if !out.valid() {
		return Date{}, fmt.Errorf("invoicing: date %q: no such day", orig)
	}
	return out, nil
}

var monthDays = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func (d Date) valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > monthDays[d.Month] {
		return false
	}
	leap := d.Year%4 == 0 && (d.Year%100 != 0 || d.Year%400 == 0)
	return d.Month != 2 || d.Day <= 28 || leap
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// AppendISO appends "YYYY-MM-DD".
func (d Date) AppendISO(b []byte) []byte {
	b = append4(b, d.Year)
	b = append(b, '-')
	b = append2(b, d.Month)
	b = append(b, '-')
	return append2(b, d.Day)
}

// AppendBasic appends "YYYYMMDD".
func (d Date) AppendBasic(b []byte) []byte {
	return append2(append2(append4(b, d.Year), d.Month), d.Day)
}

func append4(b []byte, n int) []byte {
	return append(b, byte('0'+n/1000%10), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
}

func append2(b []byte, n int) []byte { return append(b, byte('0'+n/10%10), byte('0'+n%10)) }

// String returns "YYYY-MM-DD", or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return string(d.AppendISO(nil))
}

// MarshalText renders "YYYY-MM-DD".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "YYYY-MM-DD"; empty means unset.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err == nil {
		*d = v
	}
	return err
}
