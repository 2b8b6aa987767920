package storetest

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// RunClaims runs the conformance tests of the settlement repositories, the
// claims (ports.ClaimsTx) and the payee bank directory (ports.PayeesTx),
// against stores made by newStore.
func RunClaims(t *testing.T, f Features, newStore Constructor) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Features, Constructor)
	}{
		{"ClaimIntakeIsIdempotentByVersion", testClaimIntake},
		{"ClaimRunsNeverTakeTheSameClaim", testClaimConcurrentRuns},
		{"ClaimExceptionsReturnToThePool", testClaimExceptions},
		{"ClaimPaidBeforeAcrossVersions", testClaimPaidBefore},
		{"ClaimPreviewFiltersAndLimit", testClaimPreview},
		{"PayeeDirectory", testPayees},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, f, newStore)
		})
	}
}

// NPI returns a valid National Provider Identifier for provider number n.
func NPI(n int) string {
	base := fmt.Sprintf("1%08d", n%100_000_000)
	sum := 24
	for i := 8; i >= 0; i-- {
		d := int(base[i] - '0')
		if (8-i)%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return base + string(rune('0'+(10-sum%10)%10))
}

// SynthClaim returns a synthetic valid claim: id "C<i>", provider i%providers,
// one line of 100.00 USD billed, 80.00 allowed and approved (when approved).
func SynthClaim(i int, version int64, status settlement.ClaimState, providers int) settlement.Claim {
	p := i % max(providers, 1)
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%28)
	billed, allowed := money.MustNew(10000, money.USD), money.MustNew(8000+int64(i%7), money.USD)
	l := settlement.ClaimLine{Code: "99213", ServiceDate: day, Billed: billed, Allowed: allowed,
		Adjustments: []settlement.CARC{{Group: settlement.GroupContractual, Code: "45", Amount: money.MustNew(2000-int64(i%7), money.USD)}}}
	if status == settlement.ClaimApproved {
		l.Approved = allowed
	}
	c := settlement.Claim{ID: fmt.Sprintf("C%07d", i), Version: version, Status: status, Member: fmt.Sprintf("M%06d", i%50000),
		Provider: settlement.ClaimProvider{NPI: NPI(p), TIN: settlement.TIN(fmt.Sprintf("%09d", 100000000+p)), Name: fmt.Sprintf("Provider %d", p),
			PayeeAccountRef: fmt.Sprintf("bank/p%d", p)},
		LOB: "commercial", Encounter: fmt.Sprintf("E%07d", i), Received: day.AddDate(0, 0, 2), Lines: []settlement.ClaimLine{l},
		Billed: billed, Allowed: allowed, Approved: l.Approved}
	return c
}

func rec(tenant string, c settlement.Claim) ports.ClaimRecord {
	return ports.ClaimRecord{Tenant: tenant, Claim: c, ArrivedAt: t0}
}

func claims(t *testing.T, tx ports.Tx) ports.ClaimRepo {
	t.Helper()
	c, err := ports.ClaimsOf(tx)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func intake(t *testing.T, s ports.Store, recs ...ports.ClaimRecord) ports.IntakeResult {
	t.Helper()
	var res ports.IntakeResult
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		var err error
		res, err = claims(t, tx).Intake(ctx, recs)
		return err
	})
	return res
}

func reserve(t *testing.T, s ports.Store, q ports.ReserveQuery) []settlement.RunItem {
	t.Helper()
	var got []settlement.RunItem
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		got = got[:0]
		_, err := claims(t, tx).Reserve(ctx, q, func(it settlement.RunItem) error { got = append(got, it); return nil })
		return err
	})
	return got
}

func testClaimIntake(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	c1 := SynthClaim(1, 1, settlement.ClaimReceived, 3)
	if res := intake(t, s, rec("acme", c1), rec("acme", SynthClaim(2, 1, settlement.ClaimApproved, 3))); res.New != 2 {
		t.Fatalf("first intake = %+v, want 2 new", res)
	}
	changed := c1
	changed.Encounter = "E-other"
	res := intake(t, s, rec("acme", c1), rec("acme", changed))
	if res.New != 0 || res.Duplicates != 1 || len(res.Conflicts) != 1 || res.Conflicts[0] != (ports.ClaimKey{ID: c1.ID, Version: 1}) {
		t.Fatalf("again = %+v, want 1 duplicate and conflict on %s v1", res, c1.ID)
	}
	v2 := SynthClaim(1, 2, settlement.ClaimApproved, 3)
	intake(t, s, rec("acme", v2), rec("other", c1))
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		got, err := claims(t, tx).Get(ctx, "acme", c1.ID, 0)
		if err != nil || got.Claim.Version != 2 || got.Claim.Status != settlement.ClaimApproved || !got.Claim.Approved.Valid() {
			return fmt.Errorf("current = %v, %v; want v2 APPROVED", got.Claim, err)
		}
		old, err := claims(t, tx).Get(ctx, "acme", c1.ID, 1)
		if err != nil || old.Claim.Encounter != c1.Encounter || old.Claim.Status != settlement.ClaimReceived {
			return fmt.Errorf("v1 = %v, %v", old.Claim, err)
		}
		wantKind(t, "missing claim", func() error { _, err := claims(t, tx).Get(ctx, "acme", "nope", 0); return err }(), ports.NotFound)
		var hist []settlement.ClaimEvent
		if err := claims(t, tx).History(ctx, "acme", func(e settlement.ClaimEvent) error { hist = append(hist, e); return nil }); err != nil {
			return err
		}
		if len(hist) != 3 || hist[0].ClaimID != c1.ID || hist[0].Version != 1 || hist[1].Version != 2 {
			return fmt.Errorf("history = %+v", hist)
		}
		return nil
	})
}

// Runs reserve concurrently while approvals keep arriving: every approved
// claim is reserved exactly once over all runs.
func testClaimConcurrentRuns(t *testing.T, f Features, newStore Constructor) {
	s := newStore(t)
	const n = 600
	recs := make([]ports.ClaimRecord, 0, n/2)
	for i := range n / 2 {
		recs = append(recs, rec("acme", SynthClaim(i, 1, settlement.ClaimApproved, 7)))
	}
	intake(t, s, recs...)
	ctx := context.Background()
	var mu sync.Mutex
	taken := map[string]string{}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	wg.Add(1)
	go func() { // approvals arriving during the runs
		defer wg.Done()
		for i := n / 2; i < n; i += 50 {
			batch := make([]ports.ClaimRecord, 0, 50)
			for j := i; j < i+50; j++ {
				batch = append(batch, rec("acme", SynthClaim(j, 1, settlement.ClaimApproved, 7)))
			}
			errs <- retry(ctx, s, func(ctx context.Context, tx ports.Tx) error { _, err := claims(t, tx).Intake(ctx, batch); return err })
		}
	}()
	for w := range f.writers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 4 {
				run := fmt.Sprintf("run-%d-%d", w, round)
				var got []string
				errs <- retry(ctx, s, func(ctx context.Context, tx ports.Tx) error {
					got = got[:0]
					_, err := claims(t, tx).Reserve(ctx, ports.ReserveQuery{Tenant: "acme", RunID: run, Limit: 40 * (round % 2), At: t0},
						func(it settlement.RunItem) error { got = append(got, it.ClaimID); return nil })
					return err
				})
				mu.Lock()
				for _, id := range got {
					if prev, dup := taken[id]; dup {
						errs <- fmt.Errorf("claim %s taken by %s and %s", id, prev, run)
					}
					taken[id] = run
				}
				mu.Unlock()
			}
		}()
	}
	go func() { wg.Wait(); close(errs) }()
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, it := range reserve(t, s, ports.ReserveQuery{Tenant: "acme", RunID: "final", At: t0}) {
		if prev, dup := taken[it.ClaimID]; dup {
			t.Fatalf("claim %s taken by %s and final", it.ClaimID, prev)
		}
		taken[it.ClaimID] = "final"
	}
	if len(taken) != n {
		t.Fatalf("%d claims reserved, want %d (none missed)", len(taken), n)
	}
}

func testClaimExceptions(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	intake(t, s, rec("acme", SynthClaim(1, 1, settlement.ClaimApproved, 2)), rec("acme", SynthClaim(2, 1, settlement.ClaimApproved, 2)),
		rec("acme", SynthClaim(3, 1, settlement.ClaimApproved, 2)), rec("acme", SynthClaim(4, 1, settlement.ClaimApproved, 2)))
	got := reserve(t, s, ports.ReserveQuery{Tenant: "acme", RunID: "r1", At: t0})
	if len(got) != 4 {
		t.Fatalf("reserved %d, want 4", len(got))
	}
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		c := claims(t, tx)
		if err := c.Except(ctx, "acme", "r1", []settlement.RunException{{ClaimID: "C0000001", Version: 1, Kind: settlement.OnHold}}, true); err != nil {
			return err
		}
		if err := c.Except(ctx, "acme", "r1", []settlement.RunException{{ClaimID: "C0000002", Version: 1, Kind: settlement.AlreadyPaid},
			{ClaimID: "C0000004", Version: 1, Kind: settlement.PrenotePending}}, false); err != nil {
			return err
		}
		wantKind(t, "except a claim the run does not hold", c.Except(ctx, "acme", "r2", []settlement.RunException{{ClaimID: "C0000003", Version: 1, Kind: settlement.OnHold}}, false), ports.Conflict)
		return nil
	})
	again := reserve(t, s, ports.ReserveQuery{Tenant: "acme", RunID: "r2", At: t0})
	if len(again) != 2 || again[0].ClaimID != "C0000001" || !again[0].Priority || again[1].ClaimID != "C0000004" || again[1].Priority {
		t.Fatalf("next run took %+v, want the held claim C0000001 with priority, then C0000004 (prenote pending)", again)
	}
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		got, err := claims(t, tx).Get(ctx, "acme", "C0000003", 0)
		if err != nil || got.RunID != "r1" {
			return fmt.Errorf("C0000003 paid by %q, %v; want r1", got.RunID, err)
		}
		if got, err = claims(t, tx).Get(ctx, "acme", "C0000002", 0); err != nil || got.RunID != "" {
			return fmt.Errorf("C0000002 (already paid bucket) paid by %q, %v; want none", got.RunID, err)
		}
		return nil
	})
}

func testClaimPaidBefore(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	intake(t, s, rec("acme", SynthClaim(5, 1, settlement.ClaimApproved, 1)))
	if got := reserve(t, s, ports.ReserveQuery{Tenant: "acme", RunID: "r1", At: t0}); len(got) != 1 || got[0].PaidBefore {
		t.Fatalf("first run = %+v", got)
	}
	v2 := SynthClaim(5, 2, settlement.ClaimApproved, 1)
	v2.Encounter = "E-readjudicated"
	intake(t, s, rec("acme", v2))
	got := reserve(t, s, ports.ReserveQuery{Tenant: "acme", RunID: "r2", At: t0})
	if len(got) != 1 || got[0].Version != 2 || !got[0].PaidBefore {
		t.Fatalf("second run = %+v, want v2 marked paid before", got)
	}
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		refs := []settlement.LineRef{{ClaimID: "C0000005", Version: 2}, {ClaimID: "C0000005", Version: 1}}
		lines, err := claims(t, tx).Lines(ctx, "acme", refs)
		if err != nil || len(lines) != 2 || lines[0].Version != 2 || lines[1].Version != 1 || lines[1].Approved.Minor() != 8005 || lines[0].Encounter != "E-readjudicated" {
			return fmt.Errorf("lines = %+v, %v", lines, err)
		}
		_, err = claims(t, tx).Lines(ctx, "acme", []settlement.LineRef{{ClaimID: "C0000005", Version: 9}})
		wantKind(t, "missing line", err, ports.NotFound)
		return nil
	})
}

func testClaimPreview(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	var recs []ports.ClaimRecord
	for i := range 20 {
		c := SynthClaim(i, 1, settlement.ClaimApproved, 4)
		if i%4 == 0 {
			c.LOB = "medicaid"
		}
		recs = append(recs, rec("acme", c))
	}
	recs = append(recs, rec("acme", SynthClaim(99, 1, settlement.ClaimDenied, 4)))
	intake(t, s, recs...)
	q := ports.ReserveQuery{Tenant: "acme", RunID: "ffs-1", LOB: "commercial",
		ServiceFrom: time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC), ServiceTo: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), At: t0}
	var want []string
	var sum int64
	for _, r := range recs[:20] {
		if d := r.Claim.Lines[0].ServiceDate; r.Claim.LOB == "commercial" && !d.Before(q.ServiceFrom) && d.Before(q.ServiceTo) {
			want = append(want, r.Claim.ID)
			sum += r.Claim.Approved.Minor()
		}
	}
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		n, totals, err := claims(t, tx).Preview(ctx, q)
		if err != nil || n != int64(len(want)) || len(totals) != 1 || totals[0] != money.MustNew(sum, money.USD) {
			return fmt.Errorf("preview = %d %v %v, want %d and %d cents", n, totals, err, len(want), sum)
		}
		return nil
	})
	q.Limit = 3
	first := reserve(t, s, q)
	q.Limit, q.RunID = 0, "ffs-2"
	rest := reserve(t, s, q)
	var got []string
	for _, it := range append(first, rest...) {
		got = append(got, it.ClaimID)
	}
	sort.Strings(got)
	sort.Strings(want)
	if len(first) != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("reserved %v (first %d), want %v", got, len(first), want)
	}
}
