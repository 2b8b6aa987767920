package ports

import (
	"context"
	"time"

	"github.com/revhub/revhub/core/settlement"
)

// FileID identifies a payout file: stable for one run and originating account,
// it is the idempotency key of its delivery.
type FileID string

// PayoutFile is a built bank file, ready to be stored in the outbox before delivery.
type PayoutFile struct {
	ID            FileID
	Name          string    // suggested remote file name, e.g. "acme_run-7_3f2a9c1d.ach"
	Body          []byte    // the exact bytes to deliver; retries re-send these bytes
	SHA256        string    // lowercase hex digest of Body
	EffectiveDate time.Time // the effective entry date written, after the banking calendar
	Traces        []Trace   // one per request entry, in request order
}

// Trace links a requested entry to the bank trace number it was given, to
// match returns and notifications of change later.
type Trace struct {
	TraceRef string // the entry's TRN02
	Number   string // the 15-digit ACH trace number
}

// PayoutFileBuilder turns a settlement run's disbursements from one
// originating account into one bank file.
//
// Build validates f first and returns *ports.Error with Kind Invalid wrapping
// validate.Errors when it is wrong, writing nothing. It never moves money.
// Implementations are safe for concurrent use and do not keep f.
type PayoutFileBuilder interface {
	Build(ctx context.Context, f settlement.DisbursementFile) (PayoutFile, error)
}

// DropReceipt records a delivered file.
type DropReceipt struct {
	Key         string    // the idempotency key given to Drop (a FileID)
	Path        string    // where the file now lives on the receiving side
	SHA256      string    // lowercase hex digest of what was delivered
	Size        int64     // bytes delivered
	DeliveredAt time.Time // when this drop (or the first one) completed, by the adapter's clock
	Existing    bool      // the file was already there with the same content: nothing was sent
}

// FileDropper delivers a file to a counterparty's drop box (a bank's SFTP
// server). The receiving side must see the file complete or not at all.
//
// Drop is idempotent by key: dropping the same name and bytes again returns a
// receipt with Existing set and sends nothing. It returns *ports.Error:
// Conflict when the name exists with other content; Permission when the
// counterparty's identity (host key) or our credentials are refused;
// Transient when the file certainly did not arrive (retry may succeed);
// Unknown when it may have arrived (a timeout or lost connection after the
// hand-off started): money movement is then never retried automatically, a
// person records the bank's answer.
type FileDropper interface {
	Drop(ctx context.Context, name string, body []byte, key string) (DropReceipt, error)
}

// PayoutFormats holds the payout file builders, bound under `payout:`.
var PayoutFormats = NewRegistry[PayoutFileBuilder]("payout")

// FileDrops holds the file delivery adapters, bound under `payout_delivery:`.
var FileDrops = NewRegistry[FileDropper]("payout_delivery")

// PayoutOriginator is the optional capability of a PayoutFileBuilder bound
// with its originating account and prenote policy (the bank agreement).
type PayoutOriginator interface {
	// Originator returns the paying organisation and account, the account
	// number resolved from its secret reference. Kind Unavailable, naming
	// the missing settings, when the binding lacks them.
	Originator(ctx context.Context) (settlement.Originator, error)
	// LiveFrom returns the first day live entries may go to an account whose
	// prenote settles on the given effective entry date: the prenote window
	// counted in the bank's banking days.
	LiveFrom(prenoteEffective time.Time) time.Time
}
