package invoicedelivery

import (
	"context"
	"errors"
	"fmt"

	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// ChainConfig configures the with_fallback channel.
type ChainConfig struct {
	Channels []Choice `yaml:"channels" required:"true" doc:"invoice_delivery channels in order of preference, e.g. [{einvoice_portal: {...}}, {email: {...}}]; the next is used when one rejects or is down"`
}

// Validate checks every channel's settings through the registry.
func (c ChainConfig) Validate() error {
	var errs validate.Errors
	if len(c.Channels) < 2 {
		errs.Add("channels", "invalid", "want at least two channels")
	}
	for i, ch := range c.Channels {
		if ch.Name == "with_fallback" {
			errs.Add(validate.Index("channels", i), "invalid", "chains do not nest")
		} else if err := ports.InvoiceDeliverers.Check(ch.Name, ch.Decoder()); err != nil {
			errs.Add(validate.Index("channels", i)+"."+ch.Name, "invalid", err.Error())
		}
	}
	return errs.Err()
}

// Chain delivers through the first channel that takes the invoice.
type Chain struct {
	names    []string
	channels []ports.InvoiceDeliverer
}

var _ ports.InvoiceDeliverer = (*Chain)(nil)

// NewChain builds the configured channels.
func NewChain(cfg ChainConfig, deps ports.Deps) (*Chain, error) {
	if err := cfg.Validate(); err != nil {
		return nil, ports.E("with_fallback.New", ports.Invalid, err)
	}
	c := &Chain{}
	for _, ch := range cfg.Channels {
		d, err := ports.InvoiceDeliverers.Build(ch.Name, ch.Decoder(), deps)
		if err != nil {
			return nil, ports.E("with_fallback.New", ports.Invalid, err)
		}
		c.names, c.channels = append(c.names, ch.Name), append(c.channels, d)
	}
	return c, nil
}

// NewChainOf chains already built channels (fixed wiring and tests).
func NewChainOf(names []string, channels ...ports.InvoiceDeliverer) *Chain {
	return &Chain{names: names, channels: channels}
}

// FallsBack reports whether err lets the next channel try: the target
// rejected the document with a reason, or is down or failing.
func FallsBack(err error) bool {
	switch ports.KindOf(err) {
	case ports.Unavailable, ports.Transient:
		return true
	case ports.Invalid:
		return ports.RejectionOf(err) != nil
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// Deliver tries each channel in order. A later channel's receipt has
// Fallback set and Reason naming why the earlier ones did not deliver.
// Permission, Conflict and Unknown stop the chain: a fallback would hide a
// problem a person must fix, or deliver twice.
func (c *Chain) Deliver(ctx context.Context, e ports.InvoiceEnvelope) (ports.DeliveryReceipt, error) {
	var why []error
	for i, ch := range c.channels {
		r, err := ch.Deliver(ctx, e)
		if err == nil {
			if i > 0 {
				r.Fallback, r.Reason = true, errors.Join(why...).Error()
			}
			return r, nil
		}
		if !FallsBack(err) || ctx.Err() != nil {
			return ports.DeliveryReceipt{}, err
		}
		why = append(why, fmt.Errorf("%s: %w", c.names[i], err))
	}
	last := why[len(why)-1] // the last channel's error leads: its kind and rejection decide
	return ports.DeliveryReceipt{}, ports.E("with_fallback.Deliver", ports.KindOf(last),
		fmt.Errorf("%w; earlier: %v", last, errors.Join(why[:len(why)-1]...)))
}
