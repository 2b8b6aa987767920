package bustest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/revhub/revhub/ports"
)

func testPublishConsume(t *testing.T, _ Features, c Constructor) {
	b := c(t).Open(t)
	subj := subject(t, "acme", "org-berlin", "charge.created")
	want := ids(10, "m")
	for _, id := range want {
		publish(t, b, subj, id, map[string]string{"X-Trace": "tr-" + id})
	}
	r := newRecorder()
	consume(t, b, fast("reader"), r.handle)
	got := map[string]ports.Delivery{}
	for len(got) < len(want) {
		d := r.next(t)
		got[d.ID] = d
	}
	for _, id := range want {
		d, ok := got[id]
		switch {
		case !ok:
			t.Errorf("%s not delivered", id)
		case d.Subject != subj || string(d.Data) != "data-"+id || d.Headers["X-Trace"] != "tr-"+id || d.Attempt != 1:
			t.Errorf("delivery %s = %+v", id, d)
		}
	}
}

func testRejectsInvalid(t *testing.T, _ Features, c Constructor) {
	b := c(t).Open(t)
	ok := subject(t, "acme", "org", "x")
	for _, tc := range []struct {
		name string
		m    ports.Message
	}{
		{"wildcardSubject", ports.Message{Subject: "acme.*.x", ID: "1"}},
		{"dottedTenant", ports.Message{Subject: "ac me.org.x", ID: "1"}},
		{"noTopic", ports.Message{Subject: "acme.org", ID: "1"}},
		{"noID", ports.Message{Subject: ok}},
		{"reservedHeader", ports.Message{Subject: ok, ID: "1", Headers: map[string]string{"Revhub-Error": "x"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := b.Publish(context.Background(), tc.m)
			if !ports.Is(ports.Invalid, err) {
				t.Fatalf("Publish(%+v) = %v, want Kind Invalid", tc.m, err)
			}
		})
	}
	for _, tc := range []struct {
		name string
		spec ports.ConsumerSpec
	}{
		{"noName", ports.ConsumerSpec{}},
		{"dottedName", ports.ConsumerSpec{Name: "a.b"}},
		{"wildTenant", ports.ConsumerSpec{Name: "a", Tenant: ">"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			err := b.Consume(ctx, tc.spec, func(context.Context, ports.Delivery) error { return nil })
			if !ports.Is(ports.Invalid, err) {
				t.Fatalf("Consume(%+v) = %v, want Kind Invalid", tc.spec, err)
			}
		})
	}
}

func testDeduplicates(t *testing.T, f Features, c Constructor) {
	b := c(t).Open(t)
	subj := subject(t, "acme", "org", "invoice.issued")
	if p := publish(t, b, subj, "inv-1", nil); p.Duplicate {
		t.Fatal("first publish reported as duplicate")
	}
	if p := publish(t, b, subj, "inv-1", nil); !p.Duplicate {
		t.Fatal("second publish of the same ID not reported as duplicate")
	}
	publish(t, b, subj, "inv-2", nil)
	r := newRecorder()
	consume(t, b, fast("reader"), r.handle)
	seen := map[string]bool{}
	for !seen["inv-1"] || !seen["inv-2"] {
		seen[r.next(t).ID] = true
	}
	if !f.OrderedPerSubject {
		r.quiet(t, 500*time.Millisecond)
	}
	n := 0
	for _, d := range r.deliveries() {
		if d.ID == "inv-1" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("inv-1 delivered %d times, want 1", n)
	}
}

func testOrdered(t *testing.T, f Features, c Constructor) {
	if !f.OrderedPerSubject {
		t.Skip("OrderedPerSubject not declared")
	}
	b := c(t).Open(t)
	subj := subject(t, "acme", "org", "ledger.posted")
	want := ids(50, "o")
	for _, id := range want {
		publish(t, b, subj, id, nil)
	}
	r := newRecorder()
	consume(t, b, fast("reader"), r.handle)
	for i, id := range want {
		if d := r.next(t); d.ID != id {
			t.Fatalf("delivery %d is %s, want %s", i, d.ID, id)
		}
	}
}

func testIsolation(t *testing.T, f Features, c Constructor) {
	bk := c(t)
	b := bk.Open(t)
	for _, tc := range []struct {
		name        string
		spec        ports.ConsumerSpec
		match, miss []string // subjects as tenant.org.topic
	}{
		{"tenant", ports.ConsumerSpec{Tenant: "ta"},
			[]string{"ta.o1.charge.created", "ta.o2.x"}, []string{"tb.o1.charge.created", "tab.o1.x"}},
		{"org", ports.ConsumerSpec{Tenant: "ta", Org: "o1"},
			[]string{"ta.o1.x"}, []string{"ta.o2.x", "tb.o1.x"}},
		{"topic", ports.ConsumerSpec{Topic: "charge.*"},
			[]string{"ta.o1.charge.created", "tb.o2.charge.voided"}, []string{"ta.o1.charge.created.late", "ta.o1.invoice.x"}},
		{"topicRest", ports.ConsumerSpec{Org: "o2", Topic: "charge.>"},
			[]string{"tb.o2.charge.voided", "ta.o2.charge.a.b"}, []string{"ta.o1.charge.created", "ta.o2.chargex"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := fast("iso-" + tc.name)
			spec.Tenant, spec.Org, spec.Topic = tc.spec.Tenant, tc.spec.Org, tc.spec.Topic
			for i, s := range tc.miss {
				publish(t, b, s, tc.name+"-miss-"+string(rune('a'+i)), nil)
			}
			for i, s := range tc.match {
				publish(t, b, s, tc.name+"-match-"+string(rune('a'+i)), nil)
			}
			r := newRecorder()
			consume(t, b, spec, r.handle)
			got := map[string]bool{}
			for missing := len(tc.match); missing > 0; {
				s := r.next(t).Subject
				if !got[s] && slices.Contains(tc.match, s) {
					missing--
				}
				got[s] = true
			}
			if !f.OrderedPerSubject {
				r.quiet(t, 500*time.Millisecond)
			}
			for _, d := range r.deliveries() {
				for _, s := range tc.miss {
					if d.Subject == s {
						t.Errorf("consumer %s received %s", spec.Filter(), s)
					}
				}
			}
			for _, s := range tc.match {
				if !got[s] {
					t.Errorf("consumer %s missed %s", spec.Filter(), s)
				}
			}
		})
	}
}
