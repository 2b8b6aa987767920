package ports

import (
	"context"

	"github.com/revhub/revhub/core/ledger"
)

// GLExporter posts balanced ledger batches to an external general ledger.
//
// Export is idempotent per b.ID when the adapter declares
// gltest.Features.Idempotent: re-exporting a batch returns the first
// receipt (Existing true) and posts nothing. A target that caps lines per
// document gets b in balanced parts (ledger.Batch.Split). Export returns
// *Error: Kind Invalid if the target rejects the batch (an unbalanced batch
// never reaches it), Kind Conflict when the ID was posted with other
// content, Kind Permission when the target refuses the credentials, Kind
// Transient if a retry may succeed. Implementations must not keep b.
type GLExporter interface {
	Export(ctx context.Context, b ledger.Batch) (GLReceipt, error)
}

// GLReceipt says where a batch was posted.
type GLReceipt struct {
	Reference string // the target's document number(s), file name or id
	Existing  bool   // the batch was already there: nothing was posted again
}

// GLExporters holds the general-ledger adapters, bound under `gl_export:`.
var GLExporters = NewRegistry[GLExporter]("gl_export")
