package einvoiceportal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/revhub/revhub/ports"
)

// Portal uploads invoices to one portal account. Safe for concurrent use.
type Portal struct {
	cfg     Config
	secrets ports.Secrets
	http    *http.Client
	now     func() time.Time
	log     *slog.Logger
}

var _ ports.InvoiceDeliverer = (*Portal)(nil)

// New returns a Portal; the client secret is resolved at each delivery.
func New(cfg Config, deps ports.Deps) (*Portal, error) {
	if err := cfg.Validate(); err != nil {
		return nil, ports.E("einvoice_portal.New", ports.Invalid, err)
	}
	if deps.Secrets == nil {
		return nil, ports.E("einvoice_portal.New", ports.Invalid, errors.New("no secret resolver in deps"))
	}
	hc := deps.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	return &Portal{cfg: cfg, secrets: deps.Secrets, http: hc, now: deps.Now, log: deps.Log()}, nil
}

// Deliver uploads the document of the configured media type (else the
// first) with e.Key as Idempotency-Key. 2xx is Accepted (200 for a replay
// of the same key: Existing); 401/403 Permission; 409 Conflict; other 4xx
// Invalid wrapping *ports.RejectedError with the portal's code and reason;
// 5xx and timeouts are tried cfg.Attempts times, then Unavailable.
func (p *Portal) Deliver(ctx context.Context, e ports.InvoiceEnvelope) (ports.DeliveryReceipt, error) {
	const op = "einvoice_portal.Deliver"
	doc, ok := p.pick(e.Documents)
	if !ok || e.Key == "" {
		return ports.DeliveryReceipt{}, ports.E(op, ports.Invalid, errors.New("need an idempotency key and a document"))
	}
	secret, err := p.secrets.Resolve(ctx, p.cfg.ClientSecretRef)
	if err != nil {
		return ports.DeliveryReceipt{}, ports.E(op, ports.KindOf(err), fmt.Errorf("resolve client_secret_ref: %w", err))
	}
	cc := clientcredentials.Config{ClientID: p.cfg.ClientID, ClientSecret: string(secret), TokenURL: p.cfg.TokenURL, Scopes: p.cfg.Scopes}
	client := cc.Client(context.WithValue(ctx, oauth2.HTTPClient, p.http))
	wait := p.cfg.Backoff
	var last error
	for attempt := 1; attempt <= p.cfg.Attempts; attempt++ {
		r, err := p.upload(ctx, client, e.Key, doc)
		if err == nil {
			p.log.Info("invoice accepted by portal", "key", e.Key, "invoice", e.Invoice.Number, "portal_id", r.Ref, "existing", r.Existing)
			return r, nil
		}
		if k := ports.KindOf(err); k != ports.Transient || ctx.Err() != nil {
			return ports.DeliveryReceipt{}, ports.E(op, k, err)
		}
		last = err
		p.log.Warn("portal unavailable", "key", e.Key, "attempt", attempt, "error", err)
		if attempt < p.cfg.Attempts {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return ports.DeliveryReceipt{}, ports.E(op, ports.Transient, ctx.Err())
			}
			wait *= 2
		}
	}
	return ports.DeliveryReceipt{}, ports.E(op, ports.Unavailable, fmt.Errorf("after %d attempts: %w", p.cfg.Attempts, last))
}

func (p *Portal) pick(docs []ports.Rendition) (ports.Rendition, bool) {
	for _, d := range docs {
		if d.MediaType == p.cfg.MediaType {
			return d, true
		}
	}
	if len(docs) == 0 {
		return ports.Rendition{}, false
	}
	return docs[0], true
}

func (p *Portal) upload(ctx context.Context, client *http.Client, key string, d ports.Rendition) (ports.DeliveryReceipt, error) {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.cfg.Endpoint, bytes.NewReader(d.Body))
	if err != nil {
		return ports.DeliveryReceipt{}, &ports.Error{Op: "request", Kind: ports.Invalid, Err: err}
	}
	req.Header.Set("Content-Type", d.MediaType)
	req.Header.Set("Idempotency-Key", key)
	req.Header.Set("X-File-Name", d.Name)
	resp, err := client.Do(req)
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
			return ports.DeliveryReceipt{}, &ports.Error{Op: "token", Kind: ports.Permission, Err: err}
		}
		return ports.DeliveryReceipt{}, &ports.Error{Op: "upload", Kind: ports.Transient, Err: err}
	}
	defer resp.Body.Close()
	var ans struct{ ID, Status, Code, Reason string }
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	_ = json.Unmarshal(body, &ans)
	switch s := resp.StatusCode; {
	case s == http.StatusOK || s == http.StatusCreated || s == http.StatusAccepted:
		return ports.DeliveryReceipt{Channel: "einvoice_portal", Status: ports.DeliveryAccepted, Ref: ans.ID, At: p.now(),
			Existing: s == http.StatusOK}, nil
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return ports.DeliveryReceipt{}, &ports.Error{Op: "upload", Kind: ports.Permission, Err: fmt.Errorf("HTTP %d: %s", s, ans.Reason)}
	case s == http.StatusConflict:
		return ports.DeliveryReceipt{}, &ports.Error{Op: "upload", Kind: ports.Conflict, Err: fmt.Errorf("HTTP 409 %s: %s", ans.Code, ans.Reason)}
	case s == http.StatusTooManyRequests || s >= 500:
		return ports.DeliveryReceipt{}, &ports.Error{Op: "upload", Kind: ports.Transient, Err: fmt.Errorf("HTTP %d %s: %s", s, ans.Code, ans.Reason)}
	}
	reason := ans.Reason
	if reason == "" {
		reason = http.StatusText(resp.StatusCode)
	}
	return ports.DeliveryReceipt{}, &ports.Error{Op: "upload", Kind: ports.Invalid,
		Err: &ports.RejectedError{Channel: "einvoice_portal", Code: strconv.Itoa(resp.StatusCode) + " " + ans.Code, Reason: reason}}
}
