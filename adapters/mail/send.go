package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"time"

	"github.com/revhub/revhub/ports"
)

// Sender sends invoices through one SMTP relay. It is safe for concurrent
// use; each delivery opens its own connection.
type Sender struct {
	cfg     Config
	from    string // bare address
	secrets ports.Secrets
	now     func() time.Time
	log     *slog.Logger
}

var _ ports.InvoiceDeliverer = (*Sender)(nil)

// New returns a Sender; secrets are resolved at each delivery, never kept.
func New(cfg Config, deps ports.Deps) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, ports.E("email.New", ports.Invalid, err)
	}
	if deps.Secrets == nil && (cfg.PasswordRef != "" || cfg.TLSCARef != "") {
		return nil, ports.E("email.New", ports.Invalid, errors.New("no secret resolver in deps"))
	}
	a, _ := mail.ParseAddress(cfg.From)
	return &Sender{cfg: cfg, from: a.Address, secrets: deps.Secrets, now: deps.Now, log: deps.Log()}, nil
}

// Recipient returns the e-mail address of the invoice's buyer: the
// contact e-mail (BT-58), else an electronic address with scheme EM.
func Recipient(e ports.InvoiceEnvelope) string {
	b := e.Invoice.Buyer
	if b.Contact.Email != "" {
		return b.Contact.Email
	}
	if b.Endpoint.Scheme == "EM" {
		return b.Endpoint.ID
	}
	return ""
}

// Deliver sends one message with every document attached. SMTP cannot tell
// whether a message was already delivered; a retry carries the same
// Message-ID so the recipient's mail system can recognise it. Reply codes
// 4xx are Transient, 5xx Invalid with the relay's reason; a relay that
// cannot be reached is Unavailable.
func (s *Sender) Deliver(ctx context.Context, e ports.InvoiceEnvelope) (ports.DeliveryReceipt, error) {
	const op = "email.Deliver"
	to := Recipient(e)
	if _, err := mail.ParseAddress(to); err != nil || e.Key == "" || len(e.Documents) == 0 {
		return ports.DeliveryReceipt{}, ports.E(op, ports.Invalid, &ports.RejectedError{Channel: "email", Code: "no_recipient",
			Reason: "invoice " + e.Invoice.Number + " needs a buyer e-mail address, a key and at least one document"})
	}
	msg, id := compose(s.cfg.From, to, e, s.now())
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	if err := s.send(ctx, to, msg); err != nil {
		return ports.DeliveryReceipt{}, classify(op, err)
	}
	s.log.Info("invoice mailed", "key", e.Key, "invoice", e.Invoice.Number, "message_id", id, "documents", len(e.Documents))
	return ports.DeliveryReceipt{Channel: "email", Status: ports.DeliverySent, Ref: id, At: s.now()}, nil
}

func (s *Sender) send(ctx context.Context, to string, msg []byte) error {
	host, _, _ := net.SplitHostPort(s.cfg.addr())
	tlsCfg, pass, err := s.credentials(ctx, host)
	if err != nil {
		return err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.cfg.addr())
	if err != nil {
		return &ports.Error{Op: "dial", Kind: ports.Unavailable, Err: err}
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return &ports.Error{Op: "greeting", Kind: ports.Unavailable, Err: err}
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(tlsCfg); err != nil {
			return &ports.Error{Op: "starttls", Kind: ports.Permission, Err: err}
		}
	}
	if s.cfg.User != "" {
		// smtp.PlainAuth refuses to send the password without TLS (except to localhost).
		if err := c.Auth(smtp.PlainAuth("", s.cfg.User, string(pass), host)); err != nil {
			return &ports.Error{Op: "auth", Kind: ports.Permission, Err: err}
		}
	}
	if err := c.Mail(s.from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	_ = c.Quit()
	return nil
}

func (s *Sender) credentials(ctx context.Context, host string) (*tls.Config, []byte, error) {
	cfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if s.cfg.TLSCARef != "" {
		pem, err := s.secrets.Resolve(ctx, s.cfg.TLSCARef)
		if err != nil {
			return nil, nil, &ports.Error{Op: "resolve tls_ca_ref", Kind: ports.KindOf(err), Err: err}
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, nil, &ports.Error{Op: "tls_ca_ref", Kind: ports.Invalid, Err: errors.New("no PEM certificate found")}
		}
		cfg.RootCAs = pool
	}
	if s.cfg.PasswordRef == "" {
		return cfg, nil, nil
	}
	pass, err := s.secrets.Resolve(ctx, s.cfg.PasswordRef)
	if err != nil {
		return nil, nil, &ports.Error{Op: "resolve password_ref", Kind: ports.KindOf(err), Err: err}
	}
	return cfg, pass, nil
}

// classify turns an SMTP failure into a ports.Error by reply code.
func classify(op string, err error) error {
	var pe *ports.Error
	if errors.As(err, &pe) {
		return ports.E(op, pe.Kind, err)
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		if te.Code >= 500 {
			return ports.E(op, ports.Invalid, &ports.RejectedError{Channel: "email", Code: fmt.Sprint(te.Code), Reason: te.Msg})
		}
		return ports.E(op, ports.Transient, err)
	}
	return ports.E(op, ports.Transient, err)
}
