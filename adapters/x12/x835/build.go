package x835

import (
	"github.com/revhub/revhub/adapters/x12"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// Build validates a (one currency, USD, balanced) and returns it as one
// 835 interchange with the envelope's control numbers.
func (c *Codec) Build(a settlement.PaymentAdvice, env ports.Envelope) ([]byte, error) {
	if err := check(a); err != nil {
		return nil, err
	}
	w := x12.NewWriter(c.delim, c.cfg.Newline)
	w.Grow(estimate(a))
	isa, gs := c.header(env)
	w.Interchange(isa)
	w.Group(gs)
	w.Transaction("835", env.TransactionControl, "") // ST03 is not used in X221A1
	writeAdvice(w, &a)
	w.EndTransaction()
	w.EndGroup()
	w.EndInterchange()
	return w.Bytes()
}

// check adds the 835's own limits to the domain validation.
func check(a settlement.PaymentAdvice) error {
	if err := a.Validate(); err != nil {
		return err
	}
	var errs validate.Errors
	if a.Currency != money.USD {
		errs.Add("currency", "currency", "an 835 without CUR carries USD, got "+string(a.Currency))
	}
	if a.Method == settlement.MethodACH && a.PayerBank.Type != settlement.Checking {
		errs.Add("payer_bank.type", "invalid", "the payer's account is a demand deposit (checking) account")
	}
	return errs.Err()
}

// estimate guesses the output size to allocate once.
func estimate(a settlement.PaymentAdvice) int {
	n := 1024
	for i := range a.Claims {
		n += 160 + 110*len(a.Claims[i].Lines) + 16*len(a.Claims[i].Adjustments)
	}
	return n + 48*len(a.ProviderAdjustments)
}

func writeAdvice(w *x12.Writer, a *settlement.PaymentAdvice) {
	writeBPR(w, a)
	w.Begin("TRN")
	w.Str("1")
	w.Str(a.TraceNumber)
	w.Str(a.Payer.ID)
	w.End()
	writeDTM(w, "405", a.ProductionDate)
	writePayer(w, &a.Payer)
	writePayee(w, &a.Payee)
	if len(a.Claims) > 0 {
		w.Begin("LX")
		w.Str("1")
		w.End()
	}
	for i := range a.Claims {
		writeClaim(w, &a.Claims[i])
	}
	writePLB(w, a)
}
