package bustest

import (
	"context"
	"testing"

	"github.com/revhub/revhub/ports"
)

func testPublishBatch(t *testing.T, _ Features, c Constructor) {
	b := c(t).Open(t)
	bp, ok := b.(ports.BatchPublisher)
	if !ok {
		t.Skip("bus does not implement ports.BatchPublisher")
	}
	subj := subject(t, "acme", "org", "charge.created")
	publish(t, b, subj, "dup", nil)

	bad := []ports.Message{{Subject: subj, ID: "never-1"}, {Subject: "acme.*.x", ID: "never-2"}}
	if _, err := bp.PublishBatch(context.Background(), bad); !ports.Is(ports.Invalid, err) {
		t.Fatalf("PublishBatch with a bad subject = %v, want Kind Invalid", err)
	}

	var ms []ports.Message
	for _, id := range append(ids(40, "bt"), "dup") {
		ms = append(ms, ports.Message{Subject: subj, ID: id, Data: []byte("data-" + id)})
	}
	res, err := bp.PublishBatch(context.Background(), ms)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(ms) {
		t.Fatalf("%d results for %d messages", len(res), len(ms))
	}
	for i, p := range res[:40] {
		if p.Duplicate || i > 0 && p.Sequence <= res[i-1].Sequence {
			t.Fatalf("result %d = %+v after %+v", i, p, res[max(i-1, 0)])
		}
	}
	if !res[40].Duplicate {
		t.Error("re-published ID not reported as duplicate")
	}

	r := newRecorder()
	consume(t, b, fast("reader"), r.handle)
	seen := map[string]int{}
	for len(seen) < 41 {
		d := r.next(t)
		seen[d.ID]++
		if d.ID == "never-1" || d.ID == "never-2" {
			t.Fatalf("%s from the rejected batch was stored", d.ID)
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
}
