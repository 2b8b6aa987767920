// Package fakeportal is an httptest e-invoicing portal that behaves like
// the real kind: OAuth2 client-credentials tokens, bearer auth, invoice
// upload idempotent by Idempotency-Key, rejections with a code and reason
// (422), and outages (503) or stalls on demand.
//
//	POST /oauth/token      grant_type=client_credentials, client id/secret by basic auth or form
//	POST /v1/invoices      Authorization: Bearer, Idempotency-Key, Content-Type, body = document
//	GET  /v1/invoices/{id} the stored status
package fakeportal

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Doc is one accepted document.
type Doc struct {
	ID, Key, MediaType, Name string
	Body                     []byte
	Status                   string // "accepted"
}

// Portal is a running fake portal.
type Portal struct {
	URL, ClientID, ClientSecret string

	mu       sync.Mutex
	docs     []Doc
	byKey    map[string]int
	tokens   map[string]bool
	reject   []string // reasons of upcoming rejections
	down     int      // upcoming 503 answers; < 0: down for good
	stall    time.Duration
	requests int
}

// Start runs a portal until the test ends.
func Start(t testing.TB) *Portal {
	p := &Portal{ClientID: "revhub-test", ClientSecret: "portal-secret-test-only", byKey: map[string]int{}, tokens: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", p.token)
	mux.HandleFunc("POST /v1/invoices", p.upload)
	mux.HandleFunc("GET /v1/invoices/{id}", p.get)
	srv := httptest.NewServer(p.gate(mux))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// Reject makes the next upload be refused (422) with reason.
func (p *Portal) Reject(reason string) {
	p.mu.Lock()
	p.reject = append(p.reject, reason)
	p.mu.Unlock()
}

// DownFor answers the next n requests of any kind with 503; n < 0 means for good.
func (p *Portal) DownFor(n int) { p.mu.Lock(); p.down = n; p.mu.Unlock() }

// Down takes the portal down for good.
func (p *Portal) Down() { p.DownFor(-1) }

// Stall delays every answer by d (to provoke client timeouts).
func (p *Portal) Stall(d time.Duration) { p.mu.Lock(); p.stall = d; p.mu.Unlock() }

// Docs returns the accepted documents, oldest first.
func (p *Portal) Docs() []Doc { p.mu.Lock(); defer p.mu.Unlock(); return append([]Doc(nil), p.docs...) }

// Requests counts every request the portal answered.
func (p *Portal) Requests() int { p.mu.Lock(); defer p.mu.Unlock(); return p.requests }

func (p *Portal) gate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.requests++
		down, stall := p.down != 0, p.stall
		if p.down > 0 {
			p.down--
		}
		p.mu.Unlock()
		if stall > 0 {
			select {
			case <-time.After(stall):
			case <-r.Context().Done():
				return
			}
		}
		if down {
			problem(w, http.StatusServiceUnavailable, "unavailable", "maintenance")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (p *Portal) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		problem(w, http.StatusBadRequest, "unsupported_grant_type", "want client_credentials")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.ClientID || secret != p.ClientSecret {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":"invalid_client"}`)
		return
	}
	p.mu.Lock()
	tok := fmt.Sprintf("tok-%d", len(p.tokens)+1)
	p.tokens[tok] = true
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600})
}

func (p *Portal) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	p.mu.Lock()
	defer p.mu.Unlock()
	return ok && p.tokens[tok]
}

func (p *Portal) upload(w http.ResponseWriter, r *http.Request) {
	if !p.authorized(r) {
		problem(w, http.StatusUnauthorized, "unauthorized", "missing or unknown bearer token")
		return
	}
	key, mt := r.Header.Get("Idempotency-Key"), r.Header.Get("Content-Type")
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	switch {
	case err != nil:
		problem(w, http.StatusBadRequest, "bad_body", err.Error())
		return
	case key == "":
		problem(w, http.StatusBadRequest, "idempotency_key_required", "send an Idempotency-Key header")
		return
	case mt != "application/xml" && mt != "application/pdf" || len(body) == 0:
		problem(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "want a non-empty application/xml or application/pdf body")
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if i, ok := p.byKey[key]; ok {
		if !bytes.Equal(p.docs[i].Body, body) {
			problem(w, http.StatusConflict, "idempotency_conflict", "key used with another document")
			return
		}
		reply(w, http.StatusOK, p.docs[i])
		return
	}
	if len(p.reject) > 0 {
		reason := p.reject[0]
		p.reject = p.reject[1:]
		problem(w, http.StatusUnprocessableEntity, "rejected", reason)
		return
	}
	sum := sha256.Sum256(body)
	d := Doc{ID: fmt.Sprintf("doc-%x", sum[:6]), Key: key, MediaType: mt, Name: r.Header.Get("X-File-Name"), Body: body, Status: "accepted"}
	p.byKey[key] = len(p.docs)
	p.docs = append(p.docs, d)
	reply(w, http.StatusCreated, d)
}

func (p *Portal) get(w http.ResponseWriter, r *http.Request) {
	if !p.authorized(r) {
		problem(w, http.StatusUnauthorized, "unauthorized", "missing or unknown bearer token")
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range p.docs {
		if d.ID == r.PathValue("id") {
			reply(w, http.StatusOK, d)
			return
		}
	}
	problem(w, http.StatusNotFound, "not_found", "no such invoice")
}

func reply(w http.ResponseWriter, status int, d Doc) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"id": d.ID, "status": d.Status})
}

func problem(w http.ResponseWriter, status int, code, reason string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"code": code, "reason": reason})
}
