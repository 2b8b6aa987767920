package day_test

import (
	"testing"
	"time"

	"github.com/revhub/revhub/core/pricing/day"
)

func TestDay(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		weekday time.Weekday
	}{
		{"epoch", "1970-01-01", time.Thursday},
		{"before epoch", "1969-12-31", time.Wednesday},
		{"leap day", "2024-02-29", time.Thursday},
		{"saturday", "2025-03-01", time.Saturday},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := day.MustParse(tc.in)
			if d.String() != tc.in || d.Weekday() != tc.weekday {
				t.Fatalf("got %s %s", d, d.Weekday())
			}
			if day.Of(d.Time()) != d {
				t.Fatal("round trip")
			}
		})
	}
	berlin := time.FixedZone("CET", 3600)
	if got := day.Of(time.Date(2025, 1, 1, 0, 30, 0, 0, berlin)); got.String() != "2025-01-01" {
		t.Fatalf("local date: %s", got)
	}
	var d day.Day
	if err := d.UnmarshalText(nil); err != nil || d != day.Open {
		t.Fatal("empty is open")
	}
	if _, err := day.Parse("2025-13-01"); err == nil {
		t.Fatal("want error")
	}
	p := day.Period{From: day.MustParse("2025-01-01"), To: day.MustParse("2025-04-01")}
	if !p.Contains(p.From) || p.Contains(p.To) || p.String() != "[2025-01-01, 2025-04-01)" {
		t.Fatal("period")
	}
}

func TestLocal_agreesWithCalendar(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("CET", 3600), time.FixedZone("W", -9*3600-1800)}
	for i := range 20000 {
		at := time.Unix(int64(i)*7919*61-3e9, 0).In(zones[i%3])
		d, sec := day.Local(at)
		h, m, s := at.Clock()
		if d != day.Date(at.Date()) || sec != h*3600+m*60+s || day.Of(at) != d {
			t.Fatalf("%v: got %s + %ds", at, d, sec)
		}
	}
}
