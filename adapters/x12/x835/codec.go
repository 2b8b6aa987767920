package x835

import (
	"context"
	"errors"
	"io"

	"github.com/revhub/revhub/adapters/x12"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// Version is the implementation guide this package writes and accepts (GS08, ST03).
const Version = "005010X221A1"

// Codec formats and parses 835 files for one trading-partner agreement.
// It is safe for concurrent use.
type Codec struct {
	cfg   Config
	delim x12.Delimiters
}

var _ ports.RemittanceCodec = (*Codec)(nil)

// New validates cfg and returns a Codec.
func New(cfg Config, _ ports.Deps) (*Codec, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	d, _ := cfg.delimiters()
	return &Codec{cfg: cfg, delim: d}, nil
}

// Format writes a as one 835 interchange to w. A wrong or unbalanced
// advice is *ports.Error Kind Invalid wrapping validate.Errors; nothing is written.
func (c *Codec) Format(ctx context.Context, a settlement.PaymentAdvice, env ports.Envelope, w io.Writer) error {
	const op = "x12_835.Format"
	if err := ctx.Err(); err != nil {
		return ports.E(op, ports.Unavailable, err)
	}
	b, err := c.Build(a, env)
	if err != nil {
		return ports.E(op, ports.Invalid, err)
	}
	if _, err := w.Write(b); err != nil {
		return ports.E(op, ports.Transient, err)
	}
	return nil
}

// Parse reads one 835 interchange of at most Config.MaxBytes into memory and
// parses it there; the result's strings share that buffer. A malformed or
// unbalanced file is *ports.Error Kind Invalid wrapping *ports.ParseError.
func (c *Codec) Parse(ctx context.Context, r io.Reader) (*ports.Remittance, error) {
	const op = "x12_835.Parse"
	b, err := x12.ReadAll(r, c.cfg.MaxBytes)
	if err != nil {
		if errors.Is(err, x12.ErrTooLarge) {
			return nil, ports.E(op, ports.Invalid, err)
		}
		return nil, ports.E(op, ports.Transient, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, ports.E(op, ports.Unavailable, err)
	}
	rem, err := parse(b, c.delim, nil)
	if err != nil {
		return nil, ports.E(op, ports.Invalid, err)
	}
	return rem, nil
}

func (c *Codec) header(env ports.Envelope) (x12.Interchange, x12.Group) {
	appS, appR := c.cfg.AppSender, c.cfg.AppReceiver
	if appS == "" {
		appS = c.cfg.SenderID
	}
	if appR == "" {
		appR = c.cfg.ReceiverID
	}
	isa := x12.Interchange{SenderQualifier: c.cfg.SenderQualifier, SenderID: c.cfg.SenderID,
		ReceiverQualifier: c.cfg.ReceiverQualifier, ReceiverID: c.cfg.ReceiverID,
		Created: env.Created, Version: "00501", Control: env.InterchangeControl, Usage: c.cfg.Usage[0]}
	gs := x12.Group{Functional: "HP", AppSender: appS, AppReceiver: appR, Created: env.Created,
		Control: env.GroupControl, Version: Version}
	return isa, gs
}
