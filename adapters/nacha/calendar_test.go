package nacha

import (
	"testing"
	"time"
)

func TestBankingCalendar_effectiveDate(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, ny) }
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name      string
		now       time.Time
		requested time.Time
		sameDay   bool
		want      string
	}{
		{name: "before cut-off: next banking day", now: at(2026, 1, 15, 4, 30), want: "2026-01-16"},
		{name: "after cut-off skips weekend and MLK day", now: at(2026, 1, 15, 15, 30), want: "2026-01-20"},
		{name: "exactly at cut-off is late", now: at(2026, 1, 15, 15, 0), want: "2026-01-20"},
		{name: "requested weekend rolls forward", now: at(2026, 1, 14, 9, 0), requested: day(2026, 1, 17), want: "2026-01-20"},
		{name: "requested in the past moves to earliest", now: at(2026, 1, 14, 9, 0), requested: day(2026, 1, 2), want: "2026-01-15"},
		{name: "requested later banking day kept", now: at(2026, 1, 14, 9, 0), requested: day(2026, 2, 3), want: "2026-02-03"},
		{name: "Saturday holiday: Fed open the Friday before", now: at(2026, 7, 1, 9, 0), requested: day(2026, 7, 3), want: "2026-07-03"},
		{name: "Sunday holiday observed Monday", now: at(2027, 7, 1, 9, 0), requested: day(2027, 7, 5), want: "2027-07-06"},
		{name: "Thanksgiving", now: at(2026, 11, 20, 9, 0), requested: day(2026, 11, 26), want: "2026-11-27"},
		{name: "Juneteenth", now: at(2026, 6, 15, 9, 0), requested: day(2026, 6, 19), want: "2026-06-22"},
		{name: "Columbus and Veterans Day", now: at(2026, 10, 9, 9, 0), want: "2026-10-13"},
		{name: "Christmas on Friday", now: at(2026, 12, 24, 9, 0), want: "2026-12-28"},
		{name: "same day before cut-off", now: at(2026, 1, 15, 10, 0), sameDay: true, want: "2026-01-15"},
		{name: "same day on a holiday goes next day", now: at(2026, 1, 19, 10, 0), sameDay: true, want: "2026-01-20"},
		{name: "DST start Monday before cut-off", now: at(2026, 3, 9, 14, 59), sameDay: true, want: "2026-03-09"},
		{name: "UTC clock read in NY: 22:00 Thursday is after cut-off", now: time.Date(2026, 1, 16, 3, 0, 0, 0, time.UTC), want: "2026-01-20"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newBankingCalendar(ny, 15*time.Hour, tc.sameDay)
			got := c.effectiveDate(tc.now, tc.requested)
			if s := got.Format(time.DateOnly); s != tc.want {
				t.Fatalf("effectiveDate(%v, %v) = %s, want %s", tc.now, tc.requested, s, tc.want)
			}
		})
	}
}
