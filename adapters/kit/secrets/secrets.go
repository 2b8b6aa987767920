// Package secrets resolves secret references ("env:NAME", "file:/path")
// from the process environment and the file system. Values never appear in
// errors or logs; only the reference does.
package secrets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/revhub/revhub/ports"
)

// ErrBadRef reports a reference in neither supported form.
var ErrBadRef = errors.New(`secret reference must be "env:NAME" or "file:/absolute/path"`)

// Resolver reads secrets from the environment and files.
type Resolver struct {
	// Getenv defaults to os.Getenv; tests may replace it.
	Getenv func(string) string
}

var _ ports.Secrets = Resolver{}

// CheckRef validates a reference's form without resolving it.
func CheckRef(ref string) error {
	kind, rest, ok := strings.Cut(ref, ":")
	switch {
	case !ok || rest == "":
		return ErrBadRef
	case kind == "env" && !strings.ContainsAny(rest, "= \t"):
		return nil
	case kind == "file" && filepath.IsAbs(rest):
		return nil
	}
	return ErrBadRef
}

// Resolve returns the secret's bytes; a file's trailing newline is dropped.
func (r Resolver) Resolve(_ context.Context, ref string) ([]byte, error) {
	const op = "secrets.Resolve"
	if err := CheckRef(ref); err != nil {
		return nil, ports.E(op, ports.Invalid, fmt.Errorf("%q: %w", ref, err))
	}
	kind, rest, _ := strings.Cut(ref, ":")
	if kind == "env" {
		get := r.Getenv
		if get == nil {
			get = os.Getenv
		}
		v := get(rest)
		if v == "" {
			return nil, ports.E(op, ports.NotFound, fmt.Errorf("environment variable %s is not set", rest))
		}
		return []byte(v), nil
	}
	b, err := os.ReadFile(rest)
	if err != nil {
		return nil, ports.E(op, ports.NotFound, fmt.Errorf("secret file %s: %w", rest, errors.Unwrap(err)))
	}
	return bytes.TrimRight(b, "\r\n"), nil
}

// Map is an in-memory resolver for tests and fixed wiring: ref → value.
type Map map[string]string

// Resolve returns m[ref] or a NotFound error.
func (m Map) Resolve(_ context.Context, ref string) ([]byte, error) {
	if v, ok := m[ref]; ok {
		return []byte(v), nil
	}
	return nil, ports.E("secrets.Map", ports.NotFound, fmt.Errorf("no secret for %q", ref))
}
