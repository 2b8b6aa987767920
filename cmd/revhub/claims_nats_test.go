package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	natsbus "github.com/revhub/revhub/adapters/nats"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/storetest"
)

const fhirClaimBundle = `{"resourceType":"Bundle","type":"collection","entry":[
 {"resource":{"resourceType":"ClaimResponse","meta":{"versionId":"2"},"status":"active","outcome":"complete","request":{"reference":"Claim/F7"},
  "item":[{"itemSequence":1,"adjudication":[{"category":{"coding":[{"code":"eligible"}]},"amount":{"value":110.5,"currency":"USD"}},
  {"category":{"coding":[{"code":"benefit"}]},"amount":{"value":99.95,"currency":"USD"}}]}]}},
 {"resource":{"resourceType":"Claim","id":"F7","status":"active","created":"2026-01-05T10:00:00Z","patient":{"reference":"Patient/M7"},
  "provider":{"identifier":{"system":"http://hl7.org/fhir/sid/us-npi","value":"1234567893"}},
  "payee":{"party":{"identifier":{"system":"urn:oid:2.16.840.1.113883.4.4","value":"12-3456789"}}},
  "insurance":[{"coverage":{"display":"medicaid"}}],
  "item":[{"sequence":1,"productOrService":{"coding":[{"code":"99213"}]},"servicedDate":"2026-01-04","net":{"value":150.00,"currency":"USD"},
  "encounter":[{"reference":"Encounter/E7"}]}]}}]}`

// claimJSON encodes synthetic claim i, edited.
func claimJSON(t *testing.T, i int, version int64, status settlement.ClaimState, edit func(*settlement.Claim)) string {
	t.Helper()
	c := storetest.SynthClaim(i, version, status, 5)
	if edit != nil {
		edit(&c)
	}
	b, err := settlement.EncodeClaim(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestClaimsOverNATS publishes claims to the per-tenant subjects and checks
// serve's claims consumer: batches stored once by claim id and version, a
// second delivery of the same claims changes nothing, tenants stay apart,
// and every bad payload is dead-lettered with an error naming what is wrong.
// Embedded NATS with the embedded store; the external NATS server
// (REVHUB_TEST_NATS_URL) with PostgreSQL.
func TestClaimsOverNATS(t *testing.T) {
	t.Run("embedded", func(t *testing.T) { testClaimsOverNATS(t, newBusHub(t, false)) })
	t.Run("external_postgres", func(t *testing.T) {
		if os.Getenv("REVHUB_TEST_NATS_URL") == "" {
			t.Skip("SKIP: REVHUB_TEST_NATS_URL is not set")
		}
		testClaimsOverNATS(t, newBusHub(t, true))
	})
}

// newBusHub opens a hub with a bus: embedded NATS and store, or the
// external NATS server (a stream of its own) and a PostgreSQL schema.
func newBusHub(t *testing.T, external bool) *hub {
	hf := hubFlags{data: t.TempDir()} // no mappings: the embedded defaults
	cfg := natsbus.Config{Stream: "REVHUB", SubjectPrefix: "revhub", MaxAge: time.Hour, Replicas: 1, DuplicateWindow: time.Minute, Prefetch: 64, LeaseTTL: 15 * time.Second}
	deps := testharness.Deps(t)
	deps.DataDir = hf.data
	if external {
		hf.postgres = schemaURL(t)
		var id [6]byte
		_, _ = rand.Read(id[:])
		url := os.Getenv("REVHUB_TEST_NATS_URL")
		cfg.URLRef, cfg.Stream, cfg.SubjectPrefix = "env:NATS", "CLAIMS_TEST_"+hex.EncodeToString(id[:]), "claimstest"+hex.EncodeToString(id[:])
		deps = testharness.Deps(t, "env:NATS", url)
		t.Cleanup(func() { deleteTestStream(t, url, cfg.Stream) })
	}
	hb, err := hf.open(context.Background(), newLogger(io.Discard), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hb.Close() })
	if hb.bus, err = natsbus.New(cfg, deps); err != nil {
		t.Fatal(err)
	}
	return hb
}

func deleteTestStream(t *testing.T, url, stream string) {
	if err := natsbus.RemoveStream(context.Background(), url, stream); err != nil {
		t.Errorf("cleanup: %v", err)
	}
}

func testClaimsOverNATS(t *testing.T, hb *hub) {
	ctx := context.Background()
	stop, err := startClaims(ctx, hb)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	var mu sync.Mutex
	dead := map[string]string{} // message id → error
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		_ = hb.bus.Consume(dctx, ports.ConsumerSpec{Name: "claims-dead", Topic: app.TopicClaims, DeadLetters: true}, func(_ context.Context, d ports.Delivery) error {
			mu.Lock()
			dead[d.ID] = d.Headers[ports.HeaderDeadError]
			mu.Unlock()
			return nil
		})
	}()
	batch := "[" + claimJSON(t, 1, 1, settlement.ClaimApproved, nil) + "," + claimJSON(t, 2, 1, settlement.ClaimApproved, nil) + "," +
		claimJSON(t, 3, 1, settlement.ClaimReceived, nil) + "]"
	publish := func(tenant, topic, id, body string) {
		t.Helper()
		subj, err := ports.Subject(tenant, "payer", topic)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := hb.bus.Publish(ctx, ports.Message{Subject: subj, ID: id, Data: []byte(body)}); err != nil {
			t.Fatal(err)
		}
	}
	publish("acme", app.TopicClaimsJSON, "batch-1", batch)
	publish("acme", app.TopicClaimsJSON, "batch-1-again", batch) // same claims, another message: duplicates
	publish("acme", app.TopicClaimsJSON, "one-more", claimJSON(t, 4, 1, settlement.ClaimApproved, nil))
	publish("globex", app.TopicClaimsFHIR, "fhir-1", fhirClaimBundle)
	wantDead := map[string]string{
		"malformed":  "body",
		"invalid":    "provider.npi",
		"conflict":   "claim C0000001 version 1 was stored before with other content",
		"bad-topic":  `topic "claims.xml"`,
		"no-partner": "entry[0].resource.request: unknown_claim",
	}
	publish("acme", app.TopicClaimsJSON, "malformed", `[{"id":`)
	publish("acme", app.TopicClaimsJSON, "invalid", claimJSON(t, 9, 1, settlement.ClaimApproved, func(c *settlement.Claim) { c.Provider.NPI = "123" }))
	publish("acme", app.TopicClaimsJSON, "conflict", claimJSON(t, 1, 1, settlement.ClaimApproved, func(c *settlement.Claim) { c.Encounter = "other" }))
	publish("acme", "claims.xml", "bad-topic", batch)
	publish("globex", app.TopicClaimsFHIR, "no-partner", strings.Replace(fhirClaimBundle, `"request":{"reference":"Claim/F7"}`, `"request":{"reference":"Claim/F8"}`, 1))

	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(dead)
		mu.Unlock()
		if n >= len(wantDead) && claimsStored(t, hb, "acme", "C0000001", "C0000002", "C0000003", "C0000004") && claimsStored(t, hb, "globex", "F7") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30s: dead letters %v", dead)
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	for id, want := range wantDead {
		if !strings.Contains(dead[id], want) || !strings.Contains(dead[id], "message "+id) {
			t.Errorf("dead letter %s: error %q, want it to name the message and %q", id, dead[id], want)
		}
	}
	if len(dead) != len(wantDead) {
		t.Errorf("dead letters %v, want only %v", dead, wantDead)
	}
	if !strings.Contains(dead["invalid"], "claim 0 (C0000009 v1)") { // its position in its own message, whatever the batch
		t.Errorf("dead letter invalid: %q, want claim 0 of the message named", dead["invalid"])
	}
	if claimsStored(t, hb, "globex", "C0000001") || claimsStored(t, hb, "acme", "F7") {
		t.Error("a claim crossed tenants")
	}
	// The conflicting version changed nothing: the stored claim keeps its encounter.
	err = hb.store.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		repo, err := ports.ClaimsOf(tx)
		if err != nil {
			return err
		}
		r, err := repo.Get(ctx, "acme", "C0000001", 1)
		if err == nil && r.Claim.Encounter != "E0000001" {
			err = fmt.Errorf("claim C0000001 v1 has encounter %s after a conflicting message", r.Claim.Encounter)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// claimsStored reports whether the tenant has every claim id.
func claimsStored(t *testing.T, hb *hub, tenant string, ids ...string) bool {
	t.Helper()
	found := true
	err := hb.store.View(context.Background(), func(ctx context.Context, tx ports.Tx) error {
		repo, err := ports.ClaimsOf(tx)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := repo.Get(ctx, tenant, id, 0); ports.Is(ports.NotFound, err) {
				found = false
			} else if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}
