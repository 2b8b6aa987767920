package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/storetest"
	"github.com/revhub/revhub/testharness/stores"
)

// settlementStores runs fn on the embedded store and on PostgreSQL (a fresh
// schema; skipped loudly without REVHUB_TEST_POSTGRES_URL).
func settlementStores(t *testing.T, fn func(t *testing.T, s ports.Store)) { stores.Each(t, fn) }

// scenarioClaims is 100,000 in `make soak` and 10,000 otherwise.
func scenarioClaims() int { return testharness.Soak(10_000, 100_000) }

const providers = 97

// sources returns claims i in [0, n) with keep(i) as claim JSON.
func sources(t testing.TB, n int, keep func(int) bool, version int64, status settlement.ClaimState, edit func(*settlement.Claim)) []app.ClaimSource {
	var out []app.ClaimSource
	for i := range n {
		if keep != nil && !keep(i) {
			continue
		}
		c := storetest.SynthClaim(i, version, status, providers)
		if edit != nil {
			edit(&c)
		}
		b, err := settlement.EncodeClaim(c)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, app.ClaimSource{JSON: b})
	}
	return out
}

func intakeAll(t testing.TB, s ports.Store, srcs []app.ClaimSource, now time.Time) {
	const batch = 2000
	for i := 0; i < len(srcs); i += batch {
		rep, err := app.IntakeClaims(context.Background(), s, "acme", srcs[i:min(i+batch, len(srcs))], now)
		if err != nil || len(rep.Rejected) > 0 || len(rep.Conflicts) > 0 {
			t.Fatalf("intake: %+v, %v", rep, err)
		}
	}
}

// Three weekly cycles over N claims: all arrive RECEIVED, and each cycle's
// share is approved while that cycle's run works (in cycle 2 two runs start
// at once). One provider is on hold in cycle 1; some claims are re-adjudicated
// after payment. Every approved claim is paid exactly once, and a dispute's
// resolution adds an adjustment while the original line and record stay.
func TestSettlement_scenarioThreeCycles(t *testing.T) {
	settlementStores(t, func(t *testing.T, s ports.Store) {
		ctx := context.Background()
		n := scenarioClaims()
		start := time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)
		intakeAll(t, s, sources(t, n, nil, 1, settlement.ClaimReceived, nil), start)
		period := settlement.Weekly.First(start)
		held := storetest.NPI(13)
		var results []settlement.RunResult
		var wantAlreadyPaid int
		for cycle := 1; cycle <= 4; cycle++ { // cycle 4 takes what was approved during run 3
			now := period.To
			var wg sync.WaitGroup
			if cycle <= 3 { // half of this cycle's approvals arrive before the run, half while it works
				intakeAll(t, s, sources(t, n/2, func(i int) bool { return i%3 == cycle-1 }, 2, settlement.ClaimApproved, nil), now)
				wg.Add(1)
				go func() {
					defer wg.Done()
					wave := func(i int) bool { return i >= n/2 && i%3 == cycle-1 }
					intakeAll(t, s, sources(t, n, wave, 2, settlement.ClaimApproved, nil), now)
				}()
			}
			runs := 1
			if cycle == 2 {
				runs = 2
			}
			var mu sync.Mutex
			for k := range runs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					cfg := settlement.RunConfig{RunID: fmt.Sprintf("run-%d-%d", cycle, k), Payer: "Acme Health", Period: period,
						Currency: money.USD, Fees: settlement.Fees{Percent: money.MustRate("0.5"), Rounding: money.HalfUp}}
					if cycle == 1 {
						cfg.Held = func(npi string, _ settlement.TIN) bool { return npi == held }
					}
					res, err := retryRun(ctx, s, app.SettlementRequest{Tenant: "acme", Run: cfg, Actor: "user:scheduler"}, now)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					results = append(results, res)
					mu.Unlock()
				}()
			}
			wg.Wait()
			if t.Failed() {
				t.FailNow()
			}
			if cycle == 2 { // re-adjudications of claims 0-29, some of them paid already
				before, _ := paidClaims(t, s, 30)
				wantAlreadyPaid = len(before)
				intakeAll(t, s, sources(t, 30, nil, 3, settlement.ClaimApproved, func(c *settlement.Claim) { c.Encounter += "-R" }), now)
			}
			period = settlement.Weekly.Next(period)
		}
		checkPaidOnce(t, s, n, results, wantAlreadyPaid)
		checkDispute(t, s, results[0])
	})
}

func retryRun(ctx context.Context, s ports.Store, r app.SettlementRequest, now time.Time) (settlement.RunResult, error) {
	for i := 0; ; i++ {
		res, err := app.RunSettlement(ctx, s, r, now)
		if err == nil || i > 20 || !(ports.Is(ports.Transient, err) || ports.Is(ports.Conflict, err)) {
			return res, err
		}
	}
}

// paidClaims counts the paid versions of each claim among the first n ids
// (all when n is 0) and sums their approved amounts.
func paidClaims(t *testing.T, s ports.Store, n int) (map[string]int, int64) {
	t.Helper()
	paid := map[string]int{}
	var sum int64
	err := s.View(context.Background(), func(ctx context.Context, tx ports.Tx) error {
		repo, err := ports.ClaimsOf(tx)
		if err != nil {
			return err
		}
		return repo.History(ctx, "acme", func(e settlement.ClaimEvent) error {
			if e.Paid() && (n == 0 || e.ClaimID < fmt.Sprintf("C%07d", n)) {
				paid[e.ClaimID]++
				sum += e.Approved.Minor()
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return paid, sum
}

func checkPaidOnce(t *testing.T, s ports.Store, n int, results []settlement.RunResult, wantAlreadyPaid int) {
	t.Helper()
	paid, paidMinor := paidClaims(t, s, 0)
	if len(paid) != n {
		t.Fatalf("%d claims paid, want all %d approved claims", len(paid), n)
	}
	for id, k := range paid {
		if k != 1 {
			t.Fatalf("claim %s paid %d times", id, k)
		}
	}
	var remitted, claims int64
	buckets := map[settlement.ExceptionKind]int{}
	for _, r := range results {
		remitted += r.Total.Minor()
		claims += int64(r.Paid)
		for k, v := range r.Buckets() {
			buckets[k] += v
		}
	}
	if remitted != paidMinor || claims != int64(n) {
		t.Fatalf("remittances total %d cents over %d claims, claims paid %d cents over %d", remitted, claims, paidMinor, n)
	}
	if buckets[settlement.AlreadyPaid] != wantAlreadyPaid || buckets[settlement.OnHold] == 0 {
		t.Fatalf("exception buckets %v: want %d already paid and some on hold", buckets, wantAlreadyPaid)
	}
	t.Logf("%d claims paid once each in %d runs, %s; exceptions %v", n, len(results), money.MustNew(remitted, money.USD), buckets)
}

func checkDispute(t *testing.T, s ports.Store, res settlement.RunResult) {
	t.Helper()
	ctx := context.Background()
	rem := res.Remittances[0]
	now := res.Period.To.Add(time.Hour)
	if _, err := app.MarkRemittancePaid(ctx, s, nil, app.ProofRequest{Tenant: "acme", RemittanceID: rem.ID, File: []byte("BANK CONFIRMATION 0001"),
		MediaType: "text/plain", Source: "api", Actor: "user:fiona"}, now); err != nil {
		t.Fatal(err)
	}
	view, err := app.GetRemittance(ctx, s, "acme", rem.ID, ports.Page{Limit: 5})
	if err != nil || view.Remittance.Status != settlement.RemitPaid || view.Remittance.Proof == "" || len(view.Lines) == 0 {
		t.Fatalf("after proof: %+v, %v", view.Remittance, err)
	}
	line := view.Lines[0]
	d := settlement.Dispute{ID: "D-1", RemittanceID: rem.ID, ClaimID: line.ClaimID, ClaimVersion: line.Version, Reason: "modifier 25 not paid",
		Requested: money.MustNew(500, money.USD), RaisedBy: "provider:" + rem.NPI}
	c, err := app.RaiseDispute(ctx, s, "acme", d, now)
	if err != nil || !strings.Contains(string(c.Claim), line.ClaimID) {
		t.Fatalf("raise: %v (claim attached: %.60s)", err, c.Claim)
	}
	queue, _, err := app.OpenDisputes(ctx, s, "acme", ports.Page{})
	if err != nil || len(queue) != 1 || queue[0].Dispute.ID != "D-1" {
		t.Fatalf("finance queue = %+v, %v", queue, err)
	}
	got, err := app.ResolveDispute(ctx, s, "acme", "D-1", settlement.Decision{Outcome: settlement.Upheld, Adjustment: money.MustNew(500, money.USD),
		Note: "modifier 25 payable", By: "user:frank"}, now)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := rem.NetPayable.Add(money.MustNew(500, money.USD))
	if got.Status != settlement.RemitResolved || got.NetPayable != want || got.TotalApproved != rem.TotalApproved || len(got.Adjustments) != 1 {
		t.Fatalf("resolved remittance %+v, want net %s with one adjustment and the original total", got, want)
	}
	after, _ := app.GetRemittance(ctx, s, "acme", rem.ID, ports.Page{Limit: 5})
	if after.Lines[0] != line {
		t.Fatalf("original line changed: %+v → %+v", line, after.Lines[0])
	}
	var found bool
	err = s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		es, err := tx.Audit().Scan(ctx, "acme", 0, 1000)
		for _, e := range es {
			if e.Action == "dispute.resolve" {
				var before settlement.Remittance
				found = json.Unmarshal(e.Before, &before) == nil && before.NetPayable == rem.NetPayable && strings.Contains(e.Reason, "upheld") &&
					before.TIN == settlement.TIN(rem.TIN.String()) && !strings.Contains(string(e.After), `"TIN":"`+string(rem.TIN)+`"`) // TIN masked
			}
		}
		return err
	})
	if err != nil || !found {
		t.Fatalf("audit keeps no dispute.resolve entry with the original remittance (%v)", err)
	}
	if _, _, err := app.VerifyTenant(ctx, s, "acme"); err != nil {
		t.Fatal(err)
	}
}
