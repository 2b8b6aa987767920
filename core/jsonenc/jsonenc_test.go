package jsonenc_test

import (
	"encoding/json"
	"errors"
	"testing"
	"unicode"

	"github.com/revhub/revhub/core/jsonenc"
	"pgregory.net/rapid"
)

// String writes what json.Marshal writes for any string, valid UTF-8 or not.
func TestProperty_stringMatchesMarshal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(rapid.String(), rapid.StringOfN(rapid.RuneFrom(nil, &unicode.RangeTable{R16: []unicode.Range16{{Lo: 0, Hi: 0x7f, Stride: 1}, {Lo: 0x2027, Hi: 0x202a, Stride: 1}}}), 0, 20, -1),
			rapid.SampledFrom([]string{"", "a<b>&\"c\\", "\u2028\u2029\x00\x1f\x7f\b\f\n\r\t", "\xff\xfe", "é€😀", "a\xe2\x80"})).Draw(t, "s")
		if rapid.Bool().Draw(t, "raw") { // arbitrary bytes: invalid UTF-8 too
			s = string(rapid.SliceOf(rapid.Byte()).Draw(t, "bytes"))
		}
		want, _ := json.Marshal(s)
		if got := jsonenc.String(nil, s); string(got) != string(want) {
			t.Fatalf("String(%q) = %s, json.Marshal: %s", s, got, want)
		}
	})
}

func TestKey(t *testing.T) {
	b := jsonenc.Key([]byte("{"), "a")
	b = jsonenc.Int(b, -3)
	b = jsonenc.Key(b, "b")
	b = append(jsonenc.Bool(b, true), '}')
	if string(b) != `{"a":-3,"b":true}` {
		t.Fatalf("got %s", b)
	}
}

func FuzzString(f *testing.F) {
	for _, s := range []string{"", "plain", "a<b>&", "\u2028", "\xff", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := jsonenc.String(nil, s); string(got) != string(want) {
			t.Fatalf("String(%q) = %s, json.Marshal: %s", s, got, want)
		}
	})
}

type pair struct{ a, b int64 }

func (p *pair) appendJSON(b []byte) (out []byte, err error) {
	defer jsonenc.Trim(&out, b, &err)
	b = jsonenc.Int(jsonenc.Key(append(b, '{'), "a"), p.a)
	if p.b < 0 {
		return b, errors.New("negative")
	}
	return append(jsonenc.Int(jsonenc.Key(b, "b"), p.b), '}'), nil
}

// Array writes each element; an element that fails appends nothing.
func TestArray(t *testing.T) {
	got, err := jsonenc.Array([]byte("x"), []pair{{1, 2}, {3, 4}}, (*pair).appendJSON)
	if err != nil || string(got) != `x[{"a":1,"b":2},{"a":3,"b":4}]` {
		t.Fatalf("got %s, %v", got, err)
	}
	if got, _ := jsonenc.Array(nil, []pair{}, (*pair).appendJSON); string(got) != `[]` {
		t.Fatalf("empty: got %s", got)
	}
	got, err = (&pair{1, -1}).appendJSON([]byte("x"))
	if err == nil || string(got) != "x" {
		t.Fatalf("failed element: got %q, %v", got, err)
	}
}
