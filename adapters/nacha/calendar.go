package nacha

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"
)

// fedObserved is the Federal Reserve's rule: a holiday on Sunday is observed
// on Monday; one on Saturday is not moved (the Fed is open that Friday).
var fedObserved = []cal.AltDay{{Day: time.Sunday, Offset: 1}}

// fedHolidays are the days the Federal Reserve's ACH services are closed.
var fedHolidays = func() []*cal.Holiday {
	base := []*cal.Holiday{
		us.NewYear, us.MlkDay, us.PresidentsDay, us.MemorialDay, us.Juneteenth,
		us.IndependenceDay, us.LaborDay, us.ColumbusDay, us.VeteransDay,
		us.ThanksgivingDay, us.ChristmasDay,
	}
	out := make([]*cal.Holiday, len(base))
	for i, h := range base {
		out[i] = h.Clone(&cal.Holiday{Observed: fedObserved})
	}
	return out
}()

// bankingCalendar decides effective entry dates for one ODFI: US Federal
// Reserve banking days, the ODFI's cut-off time in its time zone, and whether
// Same Day ACH is allowed.
type bankingCalendar struct {
	days    *cal.BusinessCalendar
	loc     *time.Location
	cutoff  time.Duration // wall-clock time of day, not elapsed time (DST days)
	sameDay bool
}

func newBankingCalendar(loc *time.Location, cutoff time.Duration, sameDay bool) *bankingCalendar {
	c := cal.NewBusinessCalendar()
	c.AddHoliday(fedHolidays...)
	return &bankingCalendar{days: c, loc: loc, cutoff: cutoff, sameDay: sameDay}
}

// isBankingDay reports whether the civil date d is a Federal Reserve banking day.
func (c *bankingCalendar) isBankingDay(d time.Time) bool { return c.days.IsWorkday(d) }

// nextBankingDay returns the first banking day after the civil date d.
func (c *bankingCalendar) nextBankingDay(d time.Time) time.Time {
	for d = d.AddDate(0, 0, 1); !c.isBankingDay(d); d = d.AddDate(0, 0, 1) {
	}
	return d
}

// processingDay is the banking day the ODFI processes a file delivered at now:
// today before the cut-off on a banking day, else the next banking day.
func (c *bankingCalendar) processingDay(now time.Time) time.Time {
	local := now.In(c.loc)
	today := c.date(local)
	h, m, sec := local.Clock()
	wall := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second
	if c.isBankingDay(today) && wall < c.cutoff {
		return today
	}
	return c.nextBankingDay(today)
}

// effectiveDate returns the effective entry date for a file delivered at now:
// the requested civil date (zero means as soon as possible), moved to the
// earliest date the ODFI can meet and then to a banking day.
func (c *bankingCalendar) effectiveDate(now, requested time.Time) time.Time {
	earliest := c.processingDay(now)
	if !c.sameDay {
		earliest = c.nextBankingDay(earliest)
	}
	if requested.IsZero() {
		return earliest
	}
	d := time.Date(requested.Year(), requested.Month(), requested.Day(), 0, 0, 0, 0, c.loc)
	if d.Before(earliest) {
		return earliest
	}
	for !c.isBankingDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func (c *bankingCalendar) date(t time.Time) time.Time {
	y, m, d := t.In(c.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.loc)
}
