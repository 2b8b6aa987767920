package buflist_test

import (
	"testing"

	"github.com/revhub/revhub/core/buflist"
)

func TestList_keepsBuffersWithinItsBounds(t *testing.T) {
	l := buflist.New(1, 1<<10)
	b := append(l.Get(100), "abc"...)
	if cap(b) < 100 {
		t.Fatalf("cap %d, want room for 100", cap(b))
	}
	l.Put(b)
	if got := l.Get(50); len(got) != 0 || &got[:1][0] != &b[0] {
		t.Fatal("a kept buffer large enough is not handed out again, empty")
	}
	l.Put(b)
	if got := l.Get(200); cap(got) < 200 || &got[:1][0] == &b[0] {
		t.Fatal("a kept buffer too small was handed out")
	}
	l.Put(make([]byte, 0, 2<<10)) // over the bound: not kept
	l.Put(make([]byte, 0, 10))
	l.Put(make([]byte, 0, 20)) // the list is full: not kept
	if got := l.Get(1); cap(got) != 10 {
		t.Fatalf("cap %d, want the one kept buffer (10)", cap(got))
	}
}
