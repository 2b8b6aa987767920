package ports

import (
	"context"
	"io"
	"time"

	"github.com/revhub/revhub/core/settlement"
)

// Envelope holds what the caller owns for one outbound remittance file: the
// control numbers drawn from its own sequences and the creation time.
type Envelope struct {
	InterchangeControl int64     // 1..999999999, unique per sender and receiver
	GroupControl       int64     // 1..999999999
	TransactionControl int64     // 1..999999999
	Created            time.Time // minute precision is kept
}

// Partner is one side of an interchange: an id and the qualifier saying
// which kind of id it is ("ZZ" mutually defined, "30" federal TIN, ...).
type Partner struct {
	Qualifier string
	ID        string
}

// Remittance is a parsed remittance file.
type Remittance struct {
	Sender   Partner
	Receiver Partner
	Test     bool     // a test file, not to be posted
	Envelope Envelope // control numbers of the interchange, its first group and first transaction
	Advices  []settlement.PaymentAdvice
}

// RemittanceFormatter writes a provider's payment advice as a remittance file.
//
// Format validates a first and returns *ports.Error with Kind Invalid
// wrapping validate.Errors when it is wrong (unbalanced, missing fields),
// writing nothing to w. Implementations are safe for concurrent use.
type RemittanceFormatter interface {
	Format(ctx context.Context, a settlement.PaymentAdvice, env Envelope, w io.Writer) error
}

// RemittanceParser reads a remittance file into payment advices.
//
// Parse rejects files that do not balance or break the envelope with
// *ports.Error of Kind Invalid wrapping a *ports.ParseError that names the
// segment and element. It never returns a partial result.
type RemittanceParser interface {
	Parse(ctx context.Context, r io.Reader) (*Remittance, error)
}

// RemittanceCodec formats and parses one remittance format.
type RemittanceCodec interface {
	RemittanceFormatter
	RemittanceParser
}

// Remittances holds the remittance formats, bound under `remittance:`.
var Remittances = NewRegistry[RemittanceCodec]("remittance")
