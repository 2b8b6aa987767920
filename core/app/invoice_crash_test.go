package app_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/pgtest"
	"github.com/revhub/revhub/testharness/stores"
)

// The crash child is this test binary run again with these variables set:
// it opens the store they name and issues invoices from 8 workers until
// the series reaches the target, printing "issued N" after each commit.
const (
	envCrashStore  = "REVHUB_CRASH_CHILD_STORE" // "embedded:DIR" or "postgres:URL"
	envCrashTarget = "REVHUB_CRASH_CHILD_TARGET"
)

// crashPlan is how many invoices the SIGKILL test issues and how often it
// kills the issuing process: a short run in `make test`, 10,000 under REVHUB_SOAK=1.
func crashPlan() (invoices, kills int) {
	return testharness.Soak(1_000, 10_000), testharness.Soak(2, 10)
}

// TestIssueInvoice_gaplessAcrossSIGKILL runs a real process issuing invoices
// from 8 concurrent workers, SIGKILLs it while transactions are in flight,
// restarts it until the series is complete, and proves on both stores:
// numbers 1..N each issued exactly once, every number a child reported
// committed still there, the audit chain intact.
func TestIssueInvoice_gaplessAcrossSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary and kills it; skipped with -short")
	}
	n, kills := crashPlan()
	t.Run("embedded", func(t *testing.T) {
		dir := t.TempDir()
		crashIssue(t, "embedded:"+dir, n, kills, func() ports.Store { return stores.EmbeddedAt(t, dir, "revhub.db") })
	})
	t.Run("postgres", func(t *testing.T) {
		url, schema := pgtest.Schema(t)
		u := stores.SchemaURL(url, schema)
		crashIssue(t, "postgres:"+u, n, kills, func() ports.Store { return stores.PostgresURL(t, u) })
	})
}

func crashIssue(t *testing.T, store string, n, kills int, open func() ports.Store) {
	rng := rand.New(rand.NewPCG(uint64(n), uint64(kills)))
	committed := map[int64]bool{}
	for run := 0; ; run++ {
		killAfter := -1 // new commits after which this run is killed
		if run < kills {
			killAfter = 1 + rng.IntN(max(1, n/(kills+1)))
		}
		done := crashChild(t, store, n, killAfter, committed)
		t.Logf("run %d: %d numbers reported committed so far, killed=%v", run, len(committed), !done)
		if done {
			if run < kills {
				t.Fatalf("the series completed before kill %d; lower the kill points", run+1)
			}
			break
		}
	}
	s := open()
	ctx := context.Background()
	var numbers []string
	q := ports.DocumentQuery{Tenant: "acme", Kind: app.KindInvoice, Page: ports.Page{Limit: ports.MaxPageLimit}}
	for {
		docs, next, err := listDocs(ctx, s, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			numbers = append(numbers, d.ID)
		}
		if q.Page.Cursor = next; next == "" {
			break
		}
	}
	slices.Sort(numbers)
	if len(numbers) != n {
		t.Fatalf("%d invoices stored, want %d", len(numbers), n)
	}
	for i, num := range numbers {
		if want := fmt.Sprintf("BER-2026-%06d", i+1); num != want {
			t.Fatalf("invoice %d is %s, want %s (gap or duplicate)", i, num, want)
		}
	}
	for seq := range committed {
		if seq < 1 || seq > int64(n) {
			t.Fatalf("a child reported number %d committed, outside 1..%d", seq, n)
		}
	}
	if _, _, err := app.VerifyTenant(ctx, s, "acme"); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d invoices gapless and unique across %d SIGKILLs", n, kills)
}

func listDocs(ctx context.Context, s ports.Store, q ports.DocumentQuery) (docs []ports.Document, next string, err error) {
	err = s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		docs, next, err = tx.Documents().List(ctx, q)
		return err
	})
	return docs, next, err
}

// crashChild runs one child until it completes the series (true) or, when
// killAfter ≥ 0, until it reports killAfter more commits and is SIGKILLed.
func crashChild(t *testing.T, store string, n, killAfter int, committed map[int64]bool) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestIssueInvoice_crashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envCrashStore+"="+store, envCrashTarget+"="+strconv.Itoa(n))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := filepath.Join(t.TempDir(), "stderr")
	f, err := os.Create(stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd.Stderr = f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	seen, killed := 0, false
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		num, ok := strings.CutPrefix(sc.Text(), "issued ")
		if !ok {
			continue
		}
		seq, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			t.Fatalf("child printed %q", sc.Text())
		}
		if committed[seq] {
			t.Fatalf("number %d reported committed twice", seq)
		}
		committed[seq] = true
		if seen++; seen == killAfter {
			_ = cmd.Process.Signal(syscall.SIGKILL)
			killed = true
			break
		}
	}
	_, _ = bufio.NewReader(out).WriteTo(discard{}) // let Wait close the pipe
	err = cmd.Wait()
	if killed {
		return false
	}
	if err != nil {
		msg, _ := os.ReadFile(stderr)
		t.Fatalf("child: %v\n%s", err, msg)
	}
	return true
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

var errSeriesFull = errors.New("series reached its target")

// TestIssueInvoice_crashChild is the process TestIssueInvoice_gaplessAcrossSIGKILL
// kills; it does nothing unless that test started it.
func TestIssueInvoice_crashChild(t *testing.T) {
	store := os.Getenv(envCrashStore)
	if store == "" {
		t.Skip("only run as the child of TestIssueInvoice_gaplessAcrossSIGKILL")
	}
	target, err := strconv.ParseInt(os.Getenv(envCrashTarget), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	var s ports.Store
	if dir, ok := strings.CutPrefix(store, "embedded:"); ok {
		s = stores.EmbeddedAt(t, dir, "revhub.db")
	} else {
		s = stores.PostgresURL(t, strings.TrimPrefix(store, "postgres:"))
	}
	ctx := context.Background()
	d := draft(t)
	var mu sync.Mutex // one line per commit on stdout
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for {
				var seq int64
				err := retry(func() error {
					return s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
						r := app.IssueRequest{Tenant: "acme", Org: "berlin", Series: series, Draft: d, Rounding: money.HalfUp,
							Actor: fmt.Sprintf("worker:%d", w)}
						issued, err := app.IssueInTx(ctx, tx, r, now)
						if err != nil {
							return err
						}
						if seq, err = strconv.ParseInt(strings.TrimPrefix(issued.Invoice.Number, "BER-2026-"), 10, 64); err != nil {
							return err
						}
						if seq > target {
							return errSeriesFull // gives the number back
						}
						return nil
					})
				})
				if errors.Is(err, errSeriesFull) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				fmt.Printf("issued %d\n", seq)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}
