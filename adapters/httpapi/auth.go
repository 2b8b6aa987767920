package httpapi

import (
	"context"
	"crypto/sha256"
	"net/http"
	"slices"
	"strings"

	"github.com/revhub/revhub/ports"
)

// Roles lists every API role.
var Roles = []ports.Role{ports.RoleFinance, ports.RoleImplementer, ports.RoleIntegration, ports.RoleAuditor, ports.RoleProvider}

// Principal is the caller a bearer token stands for.
type Principal struct {
	TokenID string
	Name    string
	Tenant  string
	Role    ports.Role
	// Provider is the NPI a provider token is limited to ("" for other roles).
	Provider string
}

type principalKey struct{}

// PrincipalFrom returns the authenticated caller of a non-public route.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// HashToken returns the SHA-256 under which a token is stored.
func HashToken(secret string) [32]byte { return sha256.Sum256([]byte(secret)) }

// SameTenant returns a 404 problem unless tenant is the caller's tenant.
// Handlers call it for every tenant named in request data: a token never
// learns whether another tenant's resources exist.
func SameTenant(ctx context.Context, tenant string) error {
	p, ok := PrincipalFrom(ctx)
	if !ok || p.Tenant != tenant {
		return notFound()
	}
	return nil
}

func notFound() *Problem {
	return &Problem{Status: http.StatusNotFound, Code: "not_found", Detail: "no such resource"}
}

// wrap authenticates, scopes and authorises a route, then runs h and turns
// its error into a problem response. The order is 401, then 404 for another
// tenant, then 403 for a role the route does not allow.
func (s *Server) wrap(rt Route, h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, _ := r.Context().Value(reqInfoKey{}).(*reqInfo)
		if info == nil {
			info = &reqInfo{}
		}
		info.public = rt.Public
		err := s.authorize(rt, r, info)
		if err == nil {
			ctx := r.Context()
			if !rt.Public {
				ctx = context.WithValue(ctx, principalKey{}, Principal{TokenID: info.tokenID, Name: info.name, Tenant: info.tenant, Role: info.role, Provider: info.provider})
			}
			err = h(w, r.WithContext(ctx))
		}
		if err != nil {
			p := ProblemFor(err)
			if p.Status >= 500 {
				s.log.ErrorContext(r.Context(), "http request failed", "route", r.Pattern, "status", p.Status, "err", err)
			}
			writeProblem(w, r, p)
		}
	})
}

func (s *Server) authorize(rt Route, r *http.Request, info *reqInfo) error {
	if rt.Public {
		return nil
	}
	tok, err := s.authenticate(r)
	if err != nil {
		return err
	}
	info.tenant, info.role, info.tokenID, info.name, info.provider = tok.Tenant, tok.Role, tok.ID, tok.Name, tok.Provider
	for _, t := range []string{r.PathValue("tenant"), r.URL.Query().Get("tenant")} {
		if t != "" && t != tok.Tenant {
			return notFound()
		}
	}
	if !slices.Contains(rt.Roles, tok.Role) {
		return &Problem{Status: http.StatusForbidden, Code: "forbidden",
			Detail: "role " + string(tok.Role) + " may not " + rt.Method + " " + rt.Pattern}
	}
	return nil
}

func (s *Server) authenticate(r *http.Request) (ports.Token, error) {
	scheme, secret, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	secret = strings.TrimSpace(secret)
	if !strings.EqualFold(scheme, "Bearer") || secret == "" {
		return ports.Token{}, unauthorized("send Authorization: Bearer <token>")
	}
	var tok ports.Token
	err := s.store.View(r.Context(), func(ctx context.Context, tx ports.Tx) error {
		var err error
		tok, err = tx.Tokens().ByHash(ctx, HashToken(secret))
		return err
	})
	switch {
	case ports.Is(ports.NotFound, err):
		return tok, unauthorized("unknown token")
	case err != nil:
		return tok, err
	case tok.RevokedAt != nil:
		return tok, unauthorized("token revoked")
	}
	return tok, nil
}

func unauthorized(detail string) *Problem {
	return &Problem{Status: http.StatusUnauthorized, Code: "unauthorized", Detail: detail,
		header: http.Header{"Www-Authenticate": {`Bearer realm="revhub"`}}}
}
