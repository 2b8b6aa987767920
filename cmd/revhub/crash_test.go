package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	natsbus "github.com/revhub/revhub/adapters/nats"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/pgtest"
	"github.com/revhub/revhub/testharness/stores"
	"github.com/revhub/revhub/testharness/synth"
)

// crashKills is how many times the crash test SIGKILLs revhub: a few in
// `make test`, many more in `make soak` (REVHUB_SOAK=1).
func crashKills() (kills, resources int) {
	return testharness.Soak(4, 25), testharness.Soak(1200, 6000)
}

// TestCrash_sigkillLosesNothingAndDoublesNothing runs revhub serve as a real
// process consuming FHIR events from NATS and delivering revenue journals to
// a CSV general ledger through the outbox, kills it with SIGKILL at random
// moments, restarts it, and proves: no event lost (every resource ends in the
// state of its newest version), no journal delivered twice to effect (every
// adjustment appears in exactly one journal file), journal numbering gapless.
func TestCrash_sigkillLosesNothingAndDoublesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs and kills the binary; skipped with -short")
	}
	natsURL := os.Getenv("REVHUB_TEST_NATS_URL")
	if natsURL == "" {
		t.Skip("SKIP: REVHUB_TEST_NATS_URL is not set; the crash test publishes to an external NATS server")
	}
	bin := filepath.Join(t.TempDir(), "revhub")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("embedded", func(t *testing.T) { crashRun(t, bin, natsURL, "") })
	t.Run("postgres", func(t *testing.T) {
		url, schema := pgtest.Schema(t)
		crashRun(t, bin, natsURL, stores.SchemaURL(url, schema))
	})
}

type crashEnv struct {
	t        *testing.T
	bin      string
	dir      string
	glDir    string
	env      []string
	pgURL    string
	prefix   string
	stream   string
	seed     uint64
	serveOut syncBuffer
	url      string // of the running serve
	token    string // a finance token of tenant crash
	lastLog  time.Time
}

func crashRun(t *testing.T, bin, natsURL, pgURL string) {
	kills, resources := crashKills()
	dir := t.TempDir()
	id := strconv.FormatInt(time.Now().UnixNano(), 36)
	c := &crashEnv{t: t, bin: bin, dir: dir, glDir: filepath.Join(dir, "gl"), pgURL: pgURL,
		prefix: "crash" + id, stream: "CRASH_" + strings.ToUpper(id), seed: uint64(time.Now().UnixNano())}
	t.Logf("seed %d", c.seed)
	c.env = append(os.Environ(), "REVHUB_NATS_URL="+natsURL)
	if err := os.MkdirAll(c.glDir, 0o755); err != nil {
		t.Fatal(err)
	}
	c.writeMappings()
	defer c.deleteStream(natsURL)
	c.cli("pricelist", "import", "--tenant", "crash", "--list", "ebm", "--kind", "national", c.priceFile())
	c.token = strings.TrimSpace(c.cli("tokens", "create", "--tenant", "crash", "--role", "finance", "--name", "crash test"))

	events, newest := synth.FHIRStream{Seed: c.seed, Resources: resources, MaxVersion: 3, DupRate: 10, CancelRate: 15, Window: 64,
		Codes: []string{"03000", "03001"}}.Events()
	published := make(chan error, 1)
	go func() { published <- c.publish(natsURL, events) }()

	r := rand.New(rand.NewPCG(c.seed, 7))
	proc := c.start()
	for k := 0; k < kills; k++ {
		time.Sleep(time.Duration(200+r.IntN(900)) * time.Millisecond)
		proc.Process.Kill() // SIGKILL: no shutdown, no flush
		proc.Wait()
		proc = c.start()
	}
	if err := <-published; err != nil {
		t.Fatal(err)
	}
	c.waitDrained(natsURL, proc)
	c.stop(proc)
	c.verify(newest, kills)
}

func (c *crashEnv) writeMappings() {
	store := "  store:\n    embedded:\n      path: hub.db\n"
	if c.pgURL != "" {
		store = "  store:\n    postgres:\n      url_ref: env:CRASH_PG_URL\n"
		c.env = append(c.env, "CRASH_PG_URL="+c.pgURL)
	}
	files := map[string]string{
		"deployment.yaml": "deployment: crash-test\nbindings:\n" + store +
			"  bus:\n    nats:\n      url_ref: env:REVHUB_NATS_URL\n      stream: " + c.stream + "\n      subject_prefix: " + c.prefix + "\n" +
			"  http:\n    httpapi:\n      addr: 127.0.0.1:0\n",
		"tenants/crash/_tenant.yaml": `tenant: crash
name: Crash Test Clinic
zone: DE
numbering:
  invoice:     { name: rechnung, pattern: "{ORG}-{YYYY}-{SEQ:6}", reset: yearly }
  credit_note: { name: gutschrift, pattern: "{ORG}-GS-{YYYY}-{SEQ:6}", reset: yearly }
accounts:
  receivable.unbilled: "1490"
  revenue.outpatient: "8400"
  receivable.insurer: "1410"
capture:
  module: outpatient
  codes:
    - { system: "urn:ebm" }
pricing:
  precedence: [override, contract, corporate, national, cash]
  time_zone: Europe/Berlin
`,
		"tenants/crash/ward.yaml": "organization: ward\nname: Ward\ncode: WRD\nzone: DE\nbindings:\n  gl_export:\n    csv_gl:\n      directory: " + c.glDir + "\n",
	}
	for name, body := range files {
		p := filepath.Join(c.dir, "mappings", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			c.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			c.t.Fatal(err)
		}
	}
}

func (c *crashEnv) priceFile() string {
	p := filepath.Join(c.dir, "ebm.csv")
	csv := "service;unit_price;valid_from;valid_to;unit;version\n03000;15,99;2020-01-01;;service;1\n03001;22,50;2020-01-01;;service;1\n"
	if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
		c.t.Fatal(err)
	}
	return p
}

func (c *crashEnv) args(cmd ...string) []string {
	return append(cmd, "--mappings", filepath.Join(c.dir, "mappings"), "--data", filepath.Join(c.dir, "data"))
}

func (c *crashEnv) cli(cmd ...string) string {
	c.t.Helper()
	x := exec.Command(c.bin, c.args(cmd...)...)
	x.Env = c.env
	var stderr syncBuffer
	x.Stderr = &stderr
	out, err := x.Output()
	if err != nil {
		c.t.Fatalf("revhub %v: %v\n%s%s", cmd, err, out, stderr.String())
	}
	return string(out)
}

func (c *crashEnv) start() *exec.Cmd {
	c.t.Helper()
	x := exec.Command(c.bin, c.args("serve")...)
	x.Env = c.env
	x.Stderr = &c.serveOut
	stdout, err := x.StdoutPipe()
	if err != nil {
		c.t.Fatal(err)
	}
	if err := x.Start(); err != nil {
		c.t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		x.Process.Kill()
		c.t.Fatalf("no start-up line:\n%s", c.serveOut.String())
	}
	c.url = baseURL(lines.Text())
	go io.Copy(io.Discard, stdout)
	c.t.Cleanup(func() { x.Process.Kill(); x.Wait() })
	return x
}

func (c *crashEnv) stop(x *exec.Cmd) {
	c.t.Helper()
	x.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- x.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			c.t.Fatalf("exit after SIGTERM: %v\n%s", err, c.serveOut.String())
		}
	case <-time.After(30 * time.Second):
		c.t.Fatal("no exit 30 s after SIGTERM")
	}
}

// publish sends every delivery (duplicates and out-of-order versions
// included) at a steady pace, so kills land while events are arriving.
func (c *crashEnv) publish(url string, events []synth.Event) error {
	nc, err := nats.Connect(url)
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	ctx := context.Background()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := js.Stream(ctx, c.stream); err == nil {
			break
		} else if time.Now().After(deadline) {
			return fmt.Errorf("stream %s never appeared: %w", c.stream, err)
		}
	}
	subj := c.prefix + ".evt.crash.ward." + app.TopicFHIR
	for i, e := range events {
		m := nats.NewMsg(subj)
		m.Data = e.Payload
		m.Header.Set(nats.MsgIdHdr, fmt.Sprintf("%s/_history/%d", e.Key, e.Version))
		if _, err := js.PublishMsgAsync(m); err != nil {
			return err
		}
		if i%200 == 199 {
			<-js.PublishAsyncComplete()
			time.Sleep(100 * time.Millisecond)
		}
	}
	<-js.PublishAsyncComplete()
	return nil
}

// waitDrained waits until the capture consumer has nothing pending and the
// GL journals have all been delivered.
func (c *crashEnv) waitDrained(url string, proc *exec.Cmd) {
	c.t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		c.t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx := context.Background()
	// A kill during a delivery leaves its item leased, which the next
	// process of this machine takes over at once; the deadline is generous.
	deadline := time.Now().Add(3 * time.Minute)
	for {
		// The capture consumer has settled everything when the server has
		// nothing left to hand it and its saved position (natsbus keeps one
		// per batch consumer) covers the last message handed out.
		var state string
		cons, err := js.Consumer(ctx, c.stream, "capture")
		if err == nil {
			info, err := cons.Info(ctx)
			if err == nil {
				seq, err := natsbus.SavedPosition(ctx, js, c.stream, "capture")
				if err != nil {
					c.t.Fatalf("capture position: %v", err)
				}
				if info.NumPending == 0 && seq >= info.Delivered.Stream && c.outboxDrained() {
					return
				}
				state = fmt.Sprintf("capture consumer: %d pending, position %d of %d handed out", info.NumPending, seq, info.Delivered.Stream)
			}
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("not drained after 3 minutes (%s; outbox drained %v):\n%s", state, c.outboxDrained(), c.serveOut.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (c *crashEnv) outboxDrained() bool {
	req, _ := http.NewRequest("GET", c.url+"/v1/sync?binding=gl_export/csv_gl", nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Logf("GET /v1/sync: %v", err)
		return false
	}
	defer res.Body.Close()
	var rep SyncReport
	if res.StatusCode != 200 || json.NewDecoder(res.Body).Decode(&rep) != nil {
		c.t.Logf("GET /v1/sync: %s", res.Status)
		return false
	}
	b := find(rep, "gl_export/csv_gl")
	if b == nil {
		c.t.Logf("no gl_export/csv_gl binding in sync status: %+v", rep)
	} else if (b.Failed.Count > 0 || b.DeadLettered.Count > 0) && b.LastError != "" {
		c.t.Logf("gl delivery trouble: %s", b.LastError)
	}
	drained := b != nil && b.Sent.Count > 0 && b.Queued.Count == 0 && b.Failed.Count == 0 && b.DeadLettered.Count == 0
	if !drained && b != nil && time.Since(c.lastLog) > 10*time.Second {
		c.lastLog = time.Now()
		c.t.Logf("gl_export/csv_gl: %d queued, %d sent, %d failed, %d dead (%s)", b.Queued.Count, b.Sent.Count, b.Failed.Count, b.DeadLettered.Count, b.LastError)
	}
	return drained
}

func (c *crashEnv) openStore() ports.Store {
	if c.pgURL != "" {
		return stores.PostgresURL(c.t, c.pgURL)
	}
	return stores.EmbeddedAt(c.t, filepath.Join(c.dir, "data"), "hub.db")
}

func (c *crashEnv) verify(newest map[string]synth.Event, kills int) {
	t := c.t
	s := c.openStore()
	ctx := context.Background()
	items := map[string]app.ChargeItem{}
	adjs := map[string]money.Amount{}
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		for p := (ports.Page{Limit: ports.MaxPageLimit}); ; {
			recs, next, err := tx.ChargeItems().List(ctx, "crash", p)
			if err != nil {
				return err
			}
			for _, r := range recs {
				var ci app.ChargeItem
				if err := json.Unmarshal(r.Body, &ci); err != nil {
					return err
				}
				items[ci.Key] = ci
				if ci.Charge != nil { // the first charge is posted but kept by the item
					adjs[ci.ID+"-r1-charge"] = *ci.Charge
				}
			}
			if p.Cursor = next; next == "" {
				break
			}
		}
		q := ports.DocumentQuery{Tenant: "crash", Kind: app.KindAdjustment, Page: ports.Page{Limit: ports.MaxPageLimit}}
		for {
			docs, next, err := tx.Documents().List(ctx, q)
			if err != nil {
				return err
			}
			for _, d := range docs {
				adjs[d.ID] = *d.Amount
			}
			if q.Page.Cursor = next; next == "" {
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// No event lost: every resource is in the state of its newest version.
	for key, e := range newest {
		ci, ok := items[key]
		if !ok || ci.Version != int64(e.Version) || ci.Active != (e.Status == "completed") {
			t.Fatalf("%s: charge item %+v, want version %d status %s", key, ci, e.Version, e.Status)
		}
	}
	// No journal line twice; journal numbers 1..n without a gap; every
	// adjustment posted exactly once with its amount.
	seen := map[string]bool{}
	var numbers []int
	entries, err := os.ReadDir(c.glDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || !strings.HasSuffix(e.Name(), ".csv") {
			continue
		}
		f, err := os.Open(filepath.Join(c.glDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(f)
		r.Comma = ';'
		rows, err := r.ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		numbers = append(numbers, journalNumber(t, e.Name()))
		for _, ref := range journalRefs(rows) {
			if seen[ref] {
				t.Fatalf("adjustment %s posted twice (again in %s)", ref, e.Name())
			}
			seen[ref] = true
		}
	}
	for id := range adjs {
		if !seen[id] {
			t.Fatalf("adjustment %s never posted", id)
		}
	}
	if len(seen) != len(adjs) {
		t.Fatalf("%d adjustments posted, %d stored", len(seen), len(adjs))
	}
	slices.Sort(numbers)
	for i, n := range numbers {
		if n != i+1 {
			t.Fatalf("journal numbers %v: gap or duplicate at %d", numbers, i+1)
		}
	}
	t.Logf("%d kills: %d charge items, %d adjustments in %d journals numbered 1..%d, none lost or doubled; %d times a killed process was found holding deliveries, and they were taken over",
		kills, len(items), len(adjs), len(numbers), len(numbers), strings.Count(c.serveOut.String(), "a process that ended holds deliveries"))
}

func (c *crashEnv) deleteStream(url string) {
	if err := natsbus.RemoveStream(context.Background(), url, c.stream); err != nil {
		c.t.Logf("cleanup: %v", err)
	}
}

// journalNumber reads n from a journal file name "JRN-<org>-<n>.csv".
func journalNumber(t *testing.T, name string) int {
	t.Helper()
	i := strings.LastIndexByte(name, '-')
	n, err := strconv.Atoi(strings.TrimSuffix(name[i+1:], ".csv"))
	if i < 0 || err != nil {
		t.Fatalf("journal file %s: no number", name)
	}
	return n
}

// journalRefs lists the adjustments a journal file posts, once each (each
// adjustment is a debit and a credit line).
func journalRefs(rows [][]string) []string {
	var refs []string
	for i, r := range rows {
		if i == 0 || len(r) < 8 {
			continue // header
		}
		if !slices.Contains(refs, r[7]) {
			refs = append(refs, r[7])
		}
	}
	return refs
}
