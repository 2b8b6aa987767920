package settlement

import (
	"encoding/csv"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/revhub/revhub/core/money"
)

// Ratio is a share Num/Den, printed as a percentage with two decimals
// (half up) in integer arithmetic.
type Ratio struct{ Num, Den int64 }

// String returns "12.34" (percent); "" when Den is 0.
func (r Ratio) String() string {
	if r.Den == 0 {
		return ""
	}
	bp := (r.Num*20000/r.Den + 1) / 2 // basis points, half up
	return strconv.FormatInt(bp/100, 10) + "." + strconv.FormatInt(bp%100/10, 10) + strconv.FormatInt(bp%10, 10)
}

// ClaimEvent is one stored claim version, as the reports read it.
type ClaimEvent struct {
	ClaimID    string
	Version    int64
	Status     ClaimState
	NPI        string
	Problems   int       // validation problems at intake
	Arrived    time.Time // when this version arrived
	RunID      string    // the run that reserved it; "" if none
	Exception  ExceptionKind
	ReservedAt time.Time
	Approved   money.Amount
}

// Paid reports whether a run paid this version.
func (e ClaimEvent) Paid() bool { return e.RunID != "" && e.Exception == "" }

// SettlementSummary sums remittances: runs, claims and money paid, top providers.
type SettlementSummary struct {
	Runs         int
	Remittances  int
	Claims       int
	TotalPaid    money.Amount // Σ net payable of paid remittances (with dispute adjustments)
	TotalPending money.Amount // Σ net payable not yet paid
	Top          []ProviderTotal
}

// ProviderTotal is one provider's paid total.
type ProviderTotal struct {
	NPI    string
	Claims int
	Paid   money.Amount
}

// Summarize builds the settlement summary of remittances in one currency,
// with the top n providers by amount paid.
func Summarize(remits []Remittance, cur money.Currency, n int) (SettlementSummary, error) {
	s := SettlementSummary{TotalPaid: money.Zero(cur), TotalPending: money.Zero(cur)}
	runs := map[string]bool{}
	by := map[string]*ProviderTotal{}
	for _, r := range remits {
		runs[r.RunID] = true
		s.Remittances++
		s.Claims += r.Claims
		var err error
		if r.Status == RemitGenerated {
			s.TotalPending, err = s.TotalPending.Add(r.NetPayable)
			if err != nil {
				return s, err
			}
			continue
		}
		if s.TotalPaid, err = s.TotalPaid.Add(r.NetPayable); err != nil {
			return s, err
		}
		p := by[r.NPI]
		if p == nil {
			p = &ProviderTotal{NPI: r.NPI, Paid: money.Zero(cur)}
			by[r.NPI] = p
		}
		p.Claims += r.Claims
		if p.Paid, err = p.Paid.Add(r.NetPayable); err != nil {
			return s, err
		}
	}
	s.Runs = len(runs)
	for _, p := range by {
		s.Top = append(s.Top, *p)
	}
	sort.Slice(s.Top, func(i, j int) bool {
		if s.Top[i].Paid.Minor() != s.Top[j].Paid.Minor() {
			return s.Top[i].Paid.Minor() > s.Top[j].Paid.Minor()
		}
		return s.Top[i].NPI < s.Top[j].NPI
	})
	if len(s.Top) > n {
		s.Top = s.Top[:n]
	}
	return s, nil
}

// ProviderPerformance is one provider's quality figures.
type ProviderPerformance struct {
	NPI         string
	Submissions int   // claim versions received
	Claims      int   // distinct claims
	Quality     Ratio // submissions without validation problems
	DisputeRate Ratio // disputes per paid claim
	DenialRate  Ratio // claims whose current version is DENIED
}

// Performance computes provider performance from every stored claim version
// (ordered by claim id, then version) and dispute counts per NPI.
func Performance(events []ClaimEvent, disputes map[string]int) []ProviderPerformance {
	by := map[string]*ProviderPerformance{}
	paid := map[string]int64{}
	denied := map[string]int64{}
	clean := map[string]int64{}
	for i, e := range events {
		p := by[e.NPI]
		if p == nil {
			p = &ProviderPerformance{NPI: e.NPI}
			by[e.NPI] = p
		}
		p.Submissions++
		if e.Problems == 0 {
			clean[e.NPI]++
		}
		if e.Paid() {
			paid[e.NPI]++
		}
		if i+1 < len(events) && events[i+1].ClaimID == e.ClaimID {
			continue // not the current version
		}
		p.Claims++
		if e.Status == ClaimDenied {
			denied[e.NPI]++
		}
	}
	out := make([]ProviderPerformance, 0, len(by))
	for npi, p := range by {
		p.Quality = Ratio{clean[npi], int64(p.Submissions)}
		p.DisputeRate = Ratio{int64(disputes[npi]), paid[npi]}
		p.DenialRate = Ratio{denied[npi], int64(p.Claims)}
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NPI < out[j].NPI })
	return out
}

// AgingRow is how long claims spent in one state.
type AgingRow struct {
	State   string // a ClaimState, or "PAID" for paid claims waiting for nothing more
	Current int    // claims in the state now
	Left    int    // claims that left the state
	AvgDays Ratio  // mean days in the state, over claims that left it and those in it; Den carries a factor 100 so String prints days
	Buckets [4]int // claims now in the state by age: 0-7, 8-30, 31-60, 61+ days
}

// AgingBuckets names AgingRow.Buckets.
var AgingBuckets = [4]string{"0-7", "8-30", "31-60", "61+"}

// Aging measures the time each claim spent in each state, from the arrival
// of each version to the next one (or to its reservation by a run for an
// approved version), up to asOf. Events are ordered by claim id, then version.
func Aging(events []ClaimEvent, asOf time.Time) []AgingRow {
	rows := map[string]*AgingRow{}
	total := map[string]time.Duration{}
	row := func(s string) *AgingRow {
		r := rows[s]
		if r == nil {
			r = &AgingRow{State: s}
			rows[s] = r
		}
		return r
	}
	for i, e := range events {
		state, end := string(e.Status), asOf
		current := true
		switch {
		case i+1 < len(events) && events[i+1].ClaimID == e.ClaimID:
			end, current = events[i+1].Arrived, false
		case e.Paid() && !e.ReservedAt.IsZero():
			end, current = e.ReservedAt, false
			row("PAID").Current++
		}
		if end.Before(e.Arrived) {
			end = e.Arrived
		}
		d := end.Sub(e.Arrived)
		r := row(state)
		total[state] += d
		if current {
			r.Current++
			r.Buckets[ageBucket(d)]++
		} else {
			r.Left++
		}
	}
	out := make([]AgingRow, 0, len(rows))
	for s, r := range rows {
		if n := int64(r.Current + r.Left); n > 0 && s != "PAID" {
			r.AvgDays = Ratio{int64(total[s] / time.Hour), n * 24 * 100}
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].State < out[j].State })
	return out
}

func ageBucket(d time.Duration) int {
	switch days := int(d / (24 * time.Hour)); {
	case days <= 7:
		return 0
	case days <= 30:
		return 1
	case days <= 60:
		return 2
	}
	return 3
}

// WriteCSV writes a header and rows as CSV.
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// CSV returns the summary's top providers as CSV rows, after a totals row.
func (s SettlementSummary) CSV() ([]string, [][]string) {
	rows := [][]string{{"TOTAL", strconv.Itoa(s.Runs), strconv.Itoa(s.Claims), s.TotalPaid.Number(), s.TotalPending.Number()}}
	for _, p := range s.Top {
		rows = append(rows, []string{p.NPI, "", strconv.Itoa(p.Claims), p.Paid.Number(), ""})
	}
	return []string{"provider", "runs", "claims", "paid", "pending"}, rows
}

// PerformanceCSV returns provider performance as CSV (rates in percent).
func PerformanceCSV(ps []ProviderPerformance) ([]string, [][]string) {
	rows := make([][]string, len(ps))
	for i, p := range ps {
		rows[i] = []string{p.NPI, strconv.Itoa(p.Submissions), strconv.Itoa(p.Claims), p.Quality.String(), p.DisputeRate.String(), p.DenialRate.String()}
	}
	return []string{"npi", "submissions", "claims", "quality_pct", "dispute_rate_pct", "denial_rate_pct"}, rows
}

// AgingCSV returns the aging rows as CSV (average in days).
func AgingCSV(rs []AgingRow) ([]string, [][]string) {
	rows := make([][]string, len(rs))
	for i, r := range rs {
		rows[i] = []string{r.State, strconv.Itoa(r.Current), strconv.Itoa(r.Left), r.AvgDays.String(),
			strconv.Itoa(r.Buckets[0]), strconv.Itoa(r.Buckets[1]), strconv.Itoa(r.Buckets[2]), strconv.Itoa(r.Buckets[3])}
	}
	h := []string{"state", "current", "left", "avg_days"}
	for _, b := range AgingBuckets {
		h = append(h, "age_"+b)
	}
	return h, rows
}
