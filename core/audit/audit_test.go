package audit_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/revhub/revhub/core/audit"
)

func chain(n int) []audit.Entry {
	t0 := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	var out []audit.Entry
	var prev *audit.Entry
	for i := range n {
		e := audit.Next("acme", prev, audit.Draft{
			Actor: "u1", Action: "invoice.issue", Subject: fmt.Sprintf("invoice/%d", i),
			After: json.RawMessage(`{"total": "12.50"}`), Reason: "test",
		}, t0.Add(time.Duration(i)*time.Second))
		out = append(out, e)
		prev = &out[len(out)-1]
	}
	return out
}

func TestVerify_intactChain(t *testing.T) {
	if err := audit.Verify("acme", chain(10)); err != nil {
		t.Fatal(err)
	}
	if err := audit.Verify("acme", nil); err != nil {
		t.Fatal(err)
	}
}

func TestVerify_namesFirstBrokenEntry(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tamper  func([]audit.Entry) []audit.Entry
		wantSeq int64
	}{
		{"edited action", func(es []audit.Entry) []audit.Entry { es[4].Action = "invoice.void"; return es }, 5},
		{"edited after", func(es []audit.Entry) []audit.Entry { es[2].After = json.RawMessage(`{"total":"99"}`); return es }, 3},
		{"edited time", func(es []audit.Entry) []audit.Entry { es[7].Time = es[7].Time.Add(time.Second); return es }, 8},
		{"deleted middle", func(es []audit.Entry) []audit.Entry { return append(es[:3], es[4:]...) }, 4},
		{"deleted first", func(es []audit.Entry) []audit.Entry { return es[1:] }, 1},
		{"swapped", func(es []audit.Entry) []audit.Entry { es[5], es[6] = es[6], es[5]; return es }, 6},
		{"renumbered after delete", func(es []audit.Entry) []audit.Entry {
			es = append(es[:3], es[4:]...)
			for i := 3; i < len(es); i++ {
				es[i].Seq--
			}
			return es
		}, 4},
		{"other tenant", func(es []audit.Entry) []audit.Entry { es[0].Tenant = "evil"; return es }, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := audit.Verify("acme", tc.tamper(chain(10)))
			var be *audit.BreakError
			if !errors.As(err, &be) || !errors.Is(err, audit.ErrBroken) {
				t.Fatalf("tampering not detected: %v", err)
			}
			if be.Seq != tc.wantSeq {
				t.Fatalf("broken at %d, want %d (%v)", be.Seq, tc.wantSeq, err)
			}
		})
	}
}

func TestHash_jsonWhitespaceDoesNotMatter(t *testing.T) {
	es := chain(2)
	es[1].After = json.RawMessage("{\n  \"total\":   \"12.50\"\n}")
	if err := audit.Verify("acme", es); err != nil {
		t.Fatalf("reformatted JSON broke the chain: %v", err)
	}
}
