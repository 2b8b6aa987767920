package ports

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Deps is what the hub hands every adapter constructor.
type Deps struct {
	Logger  *slog.Logger
	Clock   func() time.Time
	Secrets Secrets
	HTTP    *http.Client
	Tenant  string // the tenant a binding belongs to ("" for deployment-wide adapters)
	Org     string // the organization, when bound per organization
	DataDir string // where embedded adapters keep files
}

// Secrets resolves secret references such as "env:SAP_PASSWORD" or
// "file:/run/secrets/sap". Secrets never live in mappings or logs.
type Secrets interface {
	Resolve(ctx context.Context, ref string) ([]byte, error)
}

// Now returns d.Clock() or, when unset, the wall clock.
func (d Deps) Now() time.Time {
	if d.Clock != nil {
		return d.Clock()
	}
	return time.Now()
}

// Log returns d.Logger or a discarding logger.
func (d Deps) Log() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.New(slog.DiscardHandler)
}
