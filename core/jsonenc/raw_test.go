package jsonenc_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/revhub/revhub/core/jsonenc"
)

var rawSeeds = []string{
	`{"a": [1, -2.5e+3, true, false, null], "b": {"c": "x<y>&z\u2028"}}`,
	` "s\u00e9\"\\\/\b\f\n\r\t" `, "\"\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xe2\"", `[]`, `{}`, `[ ]`, `0`, `-0.0e0`, "\"\xff\"",
	``, ` `, `{`, `[1,]`, `{"a" 1}`, `{"a":1,}`, `01`, `1.`, `1e`, `-`, `tru`, `nul`, `"\x"`, `"\u12g4"`, "\"\x01\"", `"abc`, `1 2`, `[1}`,
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001), strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
}

// Raw writes what json.Marshal writes for a json.RawMessage, and fails where it fails.
func TestRaw_matchesMarshal(t *testing.T) {
	for _, s := range rawSeeds {
		checkRaw(t, s)
	}
}

func FuzzRaw(f *testing.F) {
	for _, s := range rawSeeds {
		f.Add(s)
	}
	f.Fuzz(checkRaw)
}

func checkRaw(t *testing.T, s string) {
	want, wantErr := json.Marshal(json.RawMessage(s))
	got, gotErr := jsonenc.Raw([]byte("prefix"), []byte(s))
	if (wantErr != nil) != (gotErr != nil) || wantErr == nil && string(got) != "prefix"+string(want) || gotErr != nil && string(got) != "prefix" {
		t.Fatalf("Raw(%.80q) = %.200s (%v)\njson.Marshal: %.200s (%v)", s, got, gotErr, want, wantErr)
	}
}
