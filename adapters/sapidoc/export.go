package sapidoc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/revhub/revhub/core/ledger"
	"github.com/revhub/revhub/ports"
)

const op = "sap_idoc.Export"

// Exporter posts ledger batches to one SAP receiver. Safe for concurrent use.
type Exporter struct {
	cfg     Config
	secrets ports.Secrets
	http    *http.Client
	now     func() time.Time
	log     *slog.Logger
}

var _ ports.GLExporter = (*Exporter)(nil)

// New validates cfg; the password is resolved at each export.
func New(cfg Config, deps ports.Deps) (*Exporter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, ports.E("sap_idoc.New", ports.Invalid, err)
	}
	if deps.Secrets == nil {
		return nil, ports.E("sap_idoc.New", ports.Invalid, errors.New("no secret resolver in deps"))
	}
	hc := deps.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	return &Exporter{cfg: cfg, secrets: deps.Secrets, http: hc, now: deps.Now, log: deps.Log()}, nil
}

// Export posts b as one ACC_DOCUMENT IDoc, or as several balanced ones
// when it has more than max_lines lines (parts in order; a retry resumes
// where an earlier attempt stopped, since posted parts are recognised).
// Each document's OBJ_KEY is ObjKey of the batch (part) ID. When
// lookup_endpoint is set the receiver is asked first; otherwise a resend
// relies on the receiver answering a known reference with the first IDoc.
// The receipt's Reference lists the IDoc numbers, space-separated.
func (e *Exporter) Export(ctx context.Context, b ledger.Batch) (ports.GLReceipt, error) {
	if err := b.Validate(); err != nil {
		return ports.GLReceipt{}, ports.E(op, ports.Invalid, err)
	}
	parts, err := b.Split(e.cfg.MaxLines)
	if err != nil {
		return ports.GLReceipt{}, ports.E(op, ports.Invalid, err)
	}
	docs := make([]document, len(parts))
	for i, p := range parts {
		if docs[i], err = e.build(p, e.now()); err != nil {
			return ports.GLReceipt{}, ports.E(op, ports.Invalid, fmt.Errorf("batch %s: %w", p.ID, err))
		}
	}
	password, err := e.secrets.Resolve(ctx, e.cfg.PasswordRef)
	if err != nil {
		return ports.GLReceipt{}, ports.E(op, ports.KindOf(err), fmt.Errorf("resolve password_ref: %w", err))
	}
	var refs []string
	existing := true
	for i, d := range docs {
		st, err := e.send(ctx, d, string(password))
		if err != nil {
			return ports.GLReceipt{}, fmt.Errorf("batch %s (OBJ_KEY %s): %w", parts[i].ID, d.objKey, err)
		}
		ref := st.DocNum
		if ref == "" {
			ref = d.objKey
		}
		refs = append(refs, ref)
		existing = existing && st.Duplicate
		e.log.Info("ledger batch posted to SAP", "batch", parts[i].ID, "obj_key", d.objKey, "idoc", ref, "existing", st.Duplicate)
	}
	return ports.GLReceipt{Reference: strings.Join(refs, " "), Existing: existing}, nil
}

// send posts one document unless the lookup already knows it.
func (e *Exporter) send(ctx context.Context, d document, password string) (Status, error) {
	if e.cfg.LookupEndpoint != "" {
		st, found, err := e.lookup(ctx, d, password)
		if err != nil || found {
			return st, err
		}
	}
	st, err := e.do(ctx, http.MethodPost, e.cfg.Endpoint, d.body, password)
	if err != nil {
		return Status{}, err
	}
	return st, checkDuplicate(st, d)
}

// lookup asks whether d's reference was posted: found with the first
// IDoc's status, or not found.
func (e *Exporter) lookup(ctx context.Context, d document, password string) (Status, bool, error) {
	u, err := url.Parse(e.cfg.LookupEndpoint)
	if err != nil {
		return Status{}, false, ports.E(op, ports.Invalid, err)
	}
	q := u.Query()
	q.Set("OBJ_KEY", d.objKey)
	q.Set("OBJ_SYS", e.cfg.PartnerNumber)
	u.RawQuery = q.Encode()
	st, err := e.do(ctx, http.MethodGet, u.String(), nil, password)
	if ports.Is(ports.NotFound, err) {
		return Status{}, false, nil
	}
	if err != nil {
		return Status{}, false, err
	}
	st.Duplicate = true
	return st, true, checkDuplicate(st, d)
}

// checkDuplicate turns a known reference with other content into Conflict.
func checkDuplicate(st Status, d document) error {
	if st.Duplicate && st.ArchKey != "" && st.ArchKey != ArchiveKeyPrefix+d.digest {
		return ports.E(op, ports.Conflict, fmt.Errorf("reference %s was posted as IDoc %s with other content", d.objKey, st.DocNum))
	}
	return nil
}

// do sends one request and maps the answer: 2xx ok, 401/403 Permission,
// 404 NotFound, 409 Conflict, 408/429/5xx and network errors Transient,
// other 4xx Invalid with SAP's status text.
func (e *Exporter) do(ctx context.Context, method, u string, body []byte, password string) (Status, error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return Status{}, ports.E(op, ports.Invalid, err)
	}
	req.SetBasicAuth(e.cfg.Username, password)
	if body != nil {
		req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	}
	req.Header.Set("Accept", "application/xml")
	resp, err := e.http.Do(req)
	if err != nil {
		return Status{}, ports.E(op, ports.Transient, fmt.Errorf("%s %s: %w", method, redact(u), errors.Unwrap(err)))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return Status{}, ports.E(op, ports.Transient, fmt.Errorf("reading the answer: %w", err))
	}
	st, perr := ParseStatus(raw)
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		if perr != nil { // SAP's own service answers 200 with a body of its choosing
			e.log.Debug("SAP accepted the IDoc; answer not an IDOC_STATUS", "reason", perr.Error())
			return Status{}, nil
		}
		return st, nil
	case c == http.StatusUnauthorized || c == http.StatusForbidden:
		return Status{}, ports.E(op, ports.Permission, fmt.Errorf("SAP refused user %s: HTTP %d", e.cfg.Username, c))
	case c == http.StatusNotFound:
		return Status{}, ports.E(op, ports.NotFound, fmt.Errorf("HTTP 404%s", st.describe()))
	case c == http.StatusConflict:
		return Status{}, ports.E(op, ports.Conflict, fmt.Errorf("HTTP 409%s", st.describe()))
	case c == http.StatusRequestTimeout || c == http.StatusTooManyRequests || c >= 500:
		return Status{}, ports.E(op, ports.Transient, fmt.Errorf("HTTP %d%s", c, st.describe()))
	default:
		return Status{}, ports.E(op, ports.Invalid, fmt.Errorf("SAP rejected the IDoc: HTTP %d%s", c, st.describe()))
	}
}

// describe renders SAP's status for an error message.
func (s Status) describe() string {
	if s.Code == "" && s.Text == "" {
		return ""
	}
	return fmt.Sprintf(", IDoc status %s: %s", s.Code, s.Text)
}

// redact drops the query and user info from a URL for messages.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "endpoint"
	}
	p.User, p.RawQuery = nil, ""
	return p.String()
}
