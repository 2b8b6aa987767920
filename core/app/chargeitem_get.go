package app

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/revhub/revhub/ports"
)

// GetChargeItem reads a tenant's charge item through tx with its pricing
// trace: an item that names its trace (TraceRef) gets it in Trace.
func GetChargeItem(ctx context.Context, tx ports.Tx, tenant, id string) (ChargeItem, error) {
	rec, err := tx.ChargeItems().Get(ctx, tenant, id)
	if err != nil {
		return ChargeItem{}, err
	}
	ci, err := chargeItemOf(rec)
	if err != nil || ci.TraceRef == "" {
		return ci, err
	}
	ts, err := tx.PricingTraces().GetMany(ctx, tenant, []string{ci.TraceRef})
	if err != nil {
		return ci, err
	}
	if len(ts) == 0 {
		return ci, ports.E("app.GetChargeItem", ports.Other, fmt.Errorf("charge item %s names pricing trace %s, which is not stored", id, ci.TraceRef))
	}
	ci.Trace = ts[0].Body
	return ci, nil
}

// chargeItemOf decodes a charge item record's body.
func chargeItemOf(rec ports.Record) (ChargeItem, error) {
	var ci ChargeItem
	if err := json.Unmarshal(rec.Body, &ci); err != nil {
		return ci, fmt.Errorf("stored charge item %s: %w", rec.ID, err)
	}
	return ci, nil
}
