package ports

import (
	"context"
	"encoding/json"
)

// PricingTrace is a pricing trace kept once per tenant under the id its
// body hashes to: the many charge items priced alike name one trace.
type PricingTrace struct {
	ID   string          // a hash of Body, so one id always holds one body
	Body json.RawMessage // valid JSON
}

// PricingTraceRepo keeps pricing traces by content.
type PricingTraceRepo interface {
	// PutMany stores the traces whose ids the tenant does not have yet;
	// an id it has keeps its body (ids are content hashes).
	PutMany(ctx context.Context, tenant string, ts []PricingTrace) error
	// GetMany returns the traces among ids that exist, in any order.
	GetMany(ctx context.Context, tenant string, ids []string) ([]PricingTrace, error)
}
