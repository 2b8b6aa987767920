package secrets_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/revhub/revhub/adapters/kit/secrets"
	"github.com/revhub/revhub/ports"
)

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pw")
	if err := os.WriteFile(file, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := secrets.Resolver{Getenv: func(k string) string { return map[string]string{"SAP_PW": "hunter2"}[k] }}
	for _, tc := range []struct {
		name, ref, want string
		kind            ports.Kind
	}{
		{name: "env", ref: "env:SAP_PW", want: "hunter2"},
		{name: "file drops newline", ref: "file:" + file, want: "s3cret"},
		{name: "unset env", ref: "env:NOPE", kind: ports.NotFound},
		{name: "missing file", ref: "file:" + file + ".x", kind: ports.NotFound},
		{name: "inline value", ref: "hunter2", kind: ports.Invalid},
		{name: "relative file", ref: "file:pw", kind: ports.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Resolve(context.Background(), tc.ref)
			if tc.kind != ports.Other {
				if !ports.Is(tc.kind, err) {
					t.Fatalf("got %v, want kind %s", err, tc.kind)
				}
				if strings.Contains(err.Error(), "hunter2") && tc.ref != "hunter2" {
					t.Fatal("secret value leaked into error")
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Fatalf("got %q, %v", got, err)
			}
		})
	}
}
