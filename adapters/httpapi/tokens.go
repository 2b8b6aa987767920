package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// TokenPrefix starts every API token, so scanners can spot leaked ones.
const TokenPrefix = "rhk_"

// NewToken is what an operator asks for: a named token of one role for one tenant.
type NewToken struct {
	Tenant string
	Role   ports.Role
	Name   string
	Actor  string // who creates it, for the audit log
	// Provider is the NPI a provider token is limited to: required for role
	// provider, refused for the others.
	Provider string
}

var tenantRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// Validate reports every problem with the request.
func (n NewToken) Validate() error {
	var errs validate.Errors
	if !tenantRE.MatchString(n.Tenant) {
		errs.Add("tenant", "invalid", "want 1-63 lower-case letters, digits, '-' or '_'")
	}
	if !slices.Contains(Roles, n.Role) {
		errs.Add("role", "unknown_code", fmt.Sprintf("want one of %v", Roles))
	}
	if strings.TrimSpace(n.Name) == "" || len(n.Name) > 200 {
		errs.Add("name", "required", "want a name of 1-200 characters")
	}
	if n.Actor == "" {
		errs.Required("actor")
	}
	switch {
	case n.Role == ports.RoleProvider && !settlement.NPIValid(n.Provider):
		errs.Add("provider", "invalid", "a provider token needs the provider's 10-digit NPI with a valid check digit")
	case n.Role != ports.RoleProvider && n.Provider != "":
		errs.Add("provider", "not_allowed", "only a provider token is limited to a provider")
	}
	return errs.Err()
}

// CreateToken stores a new token's hash and records "token.create" in the
// tenant's audit log, in one transaction. It returns the secret, which is
// shown once and never stored.
func CreateToken(ctx context.Context, s ports.Store, n NewToken, now time.Time) (string, ports.Token, error) {
	if err := n.Validate(); err != nil {
		return "", ports.Token{}, err
	}
	var raw [32]byte
	var id [8]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", ports.Token{}, err
	}
	if _, err := rand.Read(id[:]); err != nil {
		return "", ports.Token{}, err
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	t := ports.Token{ID: "tok_" + hex.EncodeToString(id[:]), Tenant: n.Tenant, Name: n.Name, Role: n.Role, Provider: n.Provider,
		Hash: HashToken(secret), CreatedAt: now.UTC()}
	after, _ := json.Marshal(map[string]string{"name": t.Name, "role": string(t.Role), "provider": t.Provider})
	err := retryConflict(ctx, s, func(ctx context.Context, tx ports.Tx) error {
		if err := tx.Tokens().Create(ctx, t); err != nil {
			return err
		}
		_, err := app.Record(ctx, tx, t.Tenant, audit.Draft{Actor: n.Actor, Action: "token.create", Subject: "token/" + t.ID, After: after}, now)
		return err
	})
	if err != nil {
		return "", ports.Token{}, err
	}
	return secret, t, nil
}

// RevokeToken revokes a tenant's token and records "token.revoke"; Kind
// NotFound when the tenant has no such token.
func RevokeToken(ctx context.Context, s ports.Store, tenant, id, actor, reason string, now time.Time) error {
	return retryConflict(ctx, s, func(ctx context.Context, tx ports.Tx) error {
		if err := tx.Tokens().Revoke(ctx, tenant, id, now); err != nil {
			return err
		}
		_, err := app.Record(ctx, tx, tenant, audit.Draft{Actor: actor, Action: "token.revoke", Subject: "token/" + id, Reason: reason}, now)
		return err
	})
}

// retryConflict reruns an update that lost a race for the audit chain's
// next sequence number.
func retryConflict(ctx context.Context, s ports.Store, fn func(context.Context, ports.Tx) error) error {
	var err error
	for range 5 {
		if err = s.Update(ctx, fn); !ports.Is(ports.Conflict, err) && !ports.Is(ports.Transient, err) {
			return err
		}
	}
	return err
}
