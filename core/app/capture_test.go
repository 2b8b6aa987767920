package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/capture"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/stores"
)

var now = time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)

func newStore(t *testing.T) ports.Store { return stores.Embedded(t) }

var prices = map[string]string{"03000": "15.99", "03001": "22.50", "ADMIN-FEE": "5.00", "LAB-GLU": "4.10"}

func newCapturer(s ports.Store) *app.Capturer {
	rules := capture.Rules{
		Codes:    []capture.CodeMap{{System: "urn:ebm"}, {System: "http://loinc.org", Code: "2345-7", Service: "LAB-GLU"}},
		FlatFees: []capture.FlatFee{{Name: "admin", On: "Encounter", Service: "ADMIN-FEE"}},
	}
	return &app.Capturer{
		Store: s,
		Rules: func(tenant, org string) (capture.Rules, error) {
			if org != "berlin" {
				return capture.Rules{}, fmt.Errorf("tenant %s has no organization %q", tenant, org)
			}
			return rules, nil
		},
		Price: func(_, _ string, _ capture.Intent, l capture.Line) (app.Priced, error) {
			p, ok := prices[l.Service]
			if !ok {
				return app.Priced{}, fmt.Errorf("no price for %s", l.Service)
			}
			r := money.MustRate(p)
			amt, err := r.Apply(l.Quantity, money.EUR, money.HalfUp)
			return app.Priced{Amount: amt, UnitPrice: r, Trace: json.RawMessage(`{"list":"test"}`)}, err
		},
		Posting: func(_, _ string) string { return "gl_export/csv_gl" },
	}
}

func procedure(id string, version int, status, code string, qty int) []byte {
	return fmt.Appendf(nil, `{"resourceType":"Procedure","id":%q,"meta":{"versionId":"%d"},"status":%q,
	"code":{"coding":[{"system":"urn:ebm","code":%q}]},"subject":{"reference":"Patient/p1"},
	"encounter":{"reference":"Encounter/e1"},"performedDateTime":"2026-03-03T09:30:00Z","quantity":{"value":%d}}`, id, version, status, code, qty)
}

func env(p []byte) app.Envelope {
	return app.Envelope{Tenant: "acme", Org: "berlin", Source: "test", Payload: p}
}

func chargeItem(t *testing.T, s ports.Store, key string) (app.ChargeItem, bool) {
	t.Helper()
	var ci app.ChargeItem
	var found bool
	err := s.View(context.Background(), func(ctx context.Context, tx ports.Tx) error {
		var err error
		ci, err = app.GetChargeItem(ctx, tx, "acme", app.ChargeItemID("acme", key))
		if ports.Is(ports.NotFound, err) {
			return nil
		}
		found = err == nil
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ci, found
}

func TestCapture_idempotentWithAuditedAdjustments(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	c := newCapturer(s)
	steps := []struct {
		name    string
		payload []byte
		action  string
		amount  int64
		active  bool
	}{
		{"completed", procedure("p1", 1, "completed", "03000", 1), "create", 1599, true},
		{"redelivered", procedure("p1", 1, "completed", "03000", 1), "ignore", 1599, true},
		{"quantity changed", procedure("p1", 3, "completed", "03000", 2), "replace", 3198, true},
		{"older version arrives late", procedure("p1", 2, "completed", "03001", 1), "ignore", 3198, true},
		{"cancelled", procedure("p1", 4, "entered-in-error", "03000", 2), "reverse", 3198, false},
	}
	for _, st := range steps {
		outs, err := c.Ingest(ctx, []app.Envelope{env(st.payload)}, now)
		if err != nil || outs[0].Err != nil {
			t.Fatalf("%s: %v %v", st.name, err, outs)
		}
		if outs[0].Actions.Of(st.action) != 1 {
			t.Fatalf("%s: actions %v, want %s", st.name, outs[0].Actions, st.action)
		}
		ci, _ := chargeItem(t, s, "Procedure/p1")
		if ci.Amount.Minor() != st.amount || ci.Active != st.active {
			t.Fatalf("%s: charge item %+v", st.name, ci)
		}
		if st.action != "ignore" && ci.Artifact != outs[0].Artifact {
			t.Fatalf("%s: charge item names artifact %q, want the payload applied %q", st.name, ci.Artifact, outs[0].Artifact)
		}
	}
	// Money moved: +15.99 (the item's first charge), then the adjustments
	// -15.99, +31.98, -31.98; 0 in all. One journal posting per batch that
	// moved money (create; reversal+replacement; reversal) and two audited
	// adjustments.
	ci, _ := chargeItem(t, s, "Procedure/p1")
	sum := ci.Charge.Minor()
	var posts, entries int
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		docs, _, err := tx.Documents().List(ctx, ports.DocumentQuery{Tenant: "acme", Kind: app.KindAdjustment})
		if err != nil {
			return err
		}
		for _, d := range docs {
			sum += d.Amount.Minor()
			var a app.Adjustment
			if err := json.Unmarshal(d.Body, &a); err != nil || !strings.HasPrefix(a.Artifact, "in-") {
				return fmt.Errorf("adjustment %s names no artifact (%v)", d.ID, err)
			}
		}
		items, _, err := tx.Outbox().List(ctx, ports.OutboxQuery{Tenant: "acme"})
		posts = len(items)
		es, err2 := tx.Audit().Scan(ctx, "acme", 0, 100)
		entries = len(es)
		return errorsJoin(err, err2)
	})
	if err != nil || sum != 0 || posts != 3 || entries != 2 {
		t.Fatalf("adjustments sum %d, postings %d, audit entries %d, err %v", sum, posts, entries, err)
	}
	if _, _, err := app.VerifyTenant(ctx, s, "acme"); err != nil {
		t.Fatal(err)
	}
}

func TestCapture_badInputWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	c := newCapturer(s)
	good := procedure("p9", 1, "completed", "03000", 1)
	bundle := fmt.Appendf(nil, `{"resourceType":"Bundle","type":"transaction","entry":[{"resource":%s},{"resource":%s}]}`,
		good, procedure("p10", 1, "completed", "99999", 1))
	for _, tc := range []struct {
		name, org, path, code string
		payload               []byte
	}{
		{"malformed json", "berlin", "", "malformed_json", []byte(`{"resourceType":"Procedure",`)},
		{"unknown resource", "berlin", "resourceType", "unknown_resource_type", []byte(`{"resourceType":"Patient","id":"x"}`)},
		{"missing code", "berlin", "Procedure.code", "required", []byte(`{"resourceType":"Procedure","id":"x","status":"completed","subject":{"reference":"Patient/1"},"performedDateTime":"2026-01-01"}`)},
		{"unknown organization", "paris", "organization", "unknown_organization", good},
		{"one bad entry rejects the bundle", "berlin", "Bundle.entry[1].99999", "invalid", bundle},
		{"time zone offset out of range", "berlin", "Procedure.performedDateTime", "invalid_date",
			bytes.Replace(procedure("p12", 1, "completed", "03000", 1), []byte(`:00Z"`), []byte(`:00+24:00"`), 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := env(tc.payload)
			e.Org = tc.org
			outs, err := c.Ingest(ctx, []app.Envelope{e}, now)
			if err != nil {
				t.Fatal(err)
			}
			if outs[0].Err == nil || len(outs[0].Problems) == 0 || outs[0].Problems[0].Path != tc.path || outs[0].Problems[0].Code != tc.code {
				t.Fatalf("got %v %+v", outs[0].Err, outs[0].Problems)
			}
		})
	}
	if _, found := chargeItem(t, s, "Procedure/p9"); found {
		t.Fatal("a rejected bundle half-applied")
	}
}

// A price function whose trace is not JSON fails the capture at the store,
// which refuses the body: nothing of the event is written.
func TestCapture_traceThatIsNotJSONWritesNothing(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) {
		c := newCapturer(s)
		price := c.Price
		c.Price = func(tenant, org string, in capture.Intent, l capture.Line) (app.Priced, error) {
			p, err := price(tenant, org, in, l)
			p.Trace = json.RawMessage(`{"list":`)
			return p, err
		}
		outs, err := c.Ingest(context.Background(), []app.Envelope{env(procedure("p11", 1, "completed", "03000", 1))}, now)
		if err == nil && outs[0].Err == nil {
			t.Fatal("a charge item with a broken trace was accepted")
		}
		if err == nil {
			err = outs[0].Err
		}
		if !strings.Contains(err.Error(), "body") {
			t.Fatalf("error %q does not name the body", err)
		}
		if _, found := chargeItem(t, s, "Procedure/p11"); found {
			t.Fatal("the charge item was written")
		}
	})
}

func errorsJoin(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
