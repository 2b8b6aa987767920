package payouttest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/revhub/revhub/ports"
)

// DropProbe shows what the receiving side holds under final names (no temporary files).
type DropProbe interface {
	Files() map[string][]byte
}

// DropperConstructor returns a fresh dropper and its receiving side for one test.
type DropperConstructor func(t *testing.T) (ports.FileDropper, DropProbe)

// RunDropper runs the delivery suite.
func RunDropper(t *testing.T, newDropper DropperConstructor) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, DropperConstructor)
	}{
		{"DeliversExactBytes", testDelivers},
		{"RedropIsIdempotent", testRedrop},
		{"SameNameOtherContentIsConflict", testConflict},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); tc.fn(t, newDropper) })
	}
}

var body = []byte("101 sample payout file\n")

func testDelivers(t *testing.T, nd DropperConstructor) {
	d, probe := nd(t)
	r, err := d.Drop(context.Background(), "run-1.ach", body, "run-1")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	if r.Key != "run-1" || r.SHA256 != hex.EncodeToString(sum[:]) || r.Size != int64(len(body)) || r.Existing {
		t.Fatalf("receipt %+v", r)
	}
	files := probe.Files()
	if len(files) != 1 {
		t.Fatalf("receiving side holds %d files, want 1: %v", len(files), keys(files))
	}
	for _, got := range files {
		if !bytes.Equal(got, body) {
			t.Fatalf("delivered %q, want %q", got, body)
		}
	}
}

func testRedrop(t *testing.T, nd DropperConstructor) {
	d, probe := nd(t)
	first, err := d.Drop(context.Background(), "run-2.ach", body, "run-2")
	if err != nil {
		t.Fatal(err)
	}
	again, err := d.Drop(context.Background(), "run-2.ach", body, "run-2")
	if err != nil {
		t.Fatal(err)
	}
	if !again.Existing || again.SHA256 != first.SHA256 || again.Path != first.Path {
		t.Fatalf("re-drop receipt %+v after %+v", again, first)
	}
	if n := len(probe.Files()); n != 1 {
		t.Fatalf("receiving side holds %d files after a re-drop", n)
	}
}

func testConflict(t *testing.T, nd DropperConstructor) {
	d, probe := nd(t)
	if _, err := d.Drop(context.Background(), "run-3.ach", body, "run-3"); err != nil {
		t.Fatal(err)
	}
	_, err := d.Drop(context.Background(), "run-3.ach", []byte("other bytes\n"), "run-3")
	if !ports.Is(ports.Conflict, err) {
		t.Fatalf("want Kind Conflict, got %v", err)
	}
	for _, got := range probe.Files() {
		if !bytes.Equal(got, body) {
			t.Fatalf("the first file was overwritten: %q", got)
		}
	}
}

func keys(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
