package ports

import (
	"encoding/json"
	"testing"

	fastjson "github.com/segmentio/encoding/json"
)

// FuzzValid: the validator stored bodies go through agrees with encoding/json.
func FuzzValid(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,2.5e3,true,null,"x\u00e9"]}`, `{"a":01}`, `{"a":1,}`, "\"\xff\"", `[1 2]`, `{"a":"\ud800"}`, ` {} `, `{} x`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := fastjson.Valid(b), json.Valid(b); got != want {
			t.Fatalf("Valid(%q) = %v, encoding/json says %v", b, got, want)
		}
	})
}
