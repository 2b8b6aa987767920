package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/mappings"
	"github.com/revhub/revhub/ports"
)

// payeeDirectory resolves payee bank references to the accounts live entries
// may go to today.
type payeeDirectory func(ref string) (settlement.DisbursementEntry, bool)

func (d payeeDirectory) known(ref string) bool {
	_, ok := d.entry(ref)
	return ok
}

func (d payeeDirectory) entry(ref string) (settlement.DisbursementEntry, bool) {
	if d == nil {
		return settlement.DisbursementEntry{}, false
	}
	return d(ref)
}

// payout is how a tenant's disbursements are released: the bank file
// builder, the paying account, the payee directory and the delivery binding.
type payout struct {
	Builder    ports.PayoutFileBuilder
	Originator settlement.Originator
	Payees     payeeDirectory                    // live accounts
	Pending    func(ref string) bool             // accounts waiting for their prenote window; nil = none
	LiveFrom   func(prenote time.Time) time.Time // the bank's prenote window; nil = no prenotes
	Binding    string                            // "payout_delivery/sftp"
	Org        string                            // the organization binding payout and its delivery
}

// errPayoutConfig marks what the mappings lack for releasing money.
var errPayoutConfig = errors.New("payout not configured")

// payoutOf builds a tenant's payout wiring: the organization that binds
// `payout` (exactly one per tenant) gives the file builder and, from its
// settings, the originating account; its `payout_delivery` binding sends
// the files; the payee directory comes from the store as of today. Tests
// may inject hb.payout instead.
func (hb *hub) payoutOf(ctx context.Context, tenant string) (payout, error) {
	if hb.payout != nil {
		return hb.payout(tenant)
	}
	org, err := hb.payoutOrg(tenant)
	if err != nil {
		return payout{}, err
	}
	at := org.File + ": bindings." + ports.PayoutFormats.Port()
	b, err := mappings.Bind(hb.cfg, ports.PayoutFormats, tenant, org.ID, hb.deps)
	if err != nil {
		return payout{}, fmt.Errorf("%w: %v", errPayoutConfig, err)
	}
	po, ok := b.(ports.PayoutOriginator)
	if !ok {
		return payout{}, fmt.Errorf("%w: %s: the adapter holds no originating account", errPayoutConfig, at)
	}
	o, err := po.Originator(ctx)
	if err != nil {
		return payout{}, fmt.Errorf("%w: %s: %v", errPayoutConfig, at, err)
	}
	drop, _, ok := hb.cfg.Binding(tenant, org.ID, ports.FileDrops.Port())
	if !ok {
		return payout{}, fmt.Errorf("%w: %s: bindings.%s is missing: nothing delivers the bank files (e.g. sftp)", errPayoutConfig, org.File, ports.FileDrops.Port())
	}
	dir, err := app.PayeeDirectory(ctx, hb.store, tenant)
	if err != nil {
		return payout{}, err
	}
	today := hb.deps.Now()
	return payout{Builder: b, Originator: o, LiveFrom: po.LiveFrom, Binding: ports.FileDrops.Port() + "/" + drop, Org: org.ID,
		Payees: func(ref string) (settlement.DisbursementEntry, bool) {
			a, ok := dir[ref]
			return a.Entry(), ok && a.Live(today)
		},
		Pending: func(ref string) bool { a, ok := dir[ref]; return ok && a.Pending(today) }}, nil
}

// payoutOrg is the one organization of tenant that binds `payout`.
func (hb *hub) payoutOrg(tenant string) (*mappings.Org, error) {
	port := ports.PayoutFormats.Port()
	if hb.cfg == nil {
		return nil, fmt.Errorf("%w: tenant %s: no mappings loaded, so no originating account (bindings.%s) and no payee bank", errPayoutConfig, tenant, port)
	}
	t, ok := hb.cfg.Tenant(tenant)
	if !ok {
		return nil, fmt.Errorf("%w: tenant %s is not in the mappings: no originating account (bindings.%s)", errPayoutConfig, tenant, port)
	}
	var found []*mappings.Org
	var names []string
	for _, o := range t.Orgs {
		if _, ok := o.Bindings[port]; ok {
			found, names = append(found, o), append(names, o.ID)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("%w: tenant %s: no organization binds %s: the originating account (bindings.%s.nacha: company_name, company_id, odfi_routing, account_ref) is missing",
			errPayoutConfig, tenant, port, port)
	case 1:
		return found[0], nil
	}
	return nil, fmt.Errorf("%w: tenant %s: organizations %s all bind %s; a tenant releases from one originating organization", errPayoutConfig, tenant, strings.Join(names, ", "), port)
}

// payees is the tenant's live payee directory; nil without payout wiring.
// Other errors (reading the directory from the store) pass through: they
// must not turn every EFT into a check.
func (hb *hub) payees(ctx context.Context, tenant string) (payeeDirectory, error) {
	po, err := hb.payoutOf(ctx, tenant)
	if errors.Is(err, errPayoutConfig) {
		return nil, nil
	}
	return po.Payees, err
}

// payOnlyLive makes a run with payout wiring pay only live accounts: claims
// of an account waiting for its prenote window go to prenote_pending, those
// without one to no_bank_account. Without wiring the run is left as is.
func (hb *hub) payOnlyLive(ctx context.Context, tenant string, cfg *settlement.RunConfig) error {
	po, err := hb.payoutOf(ctx, tenant)
	switch {
	case err == nil:
		cfg.Account, cfg.Pending = po.Payees.known, po.Pending
	case !errors.Is(err, errPayoutConfig):
		return err
	}
	return nil
}

// notConfigured answers 503 payout_not_configured for what the mappings
// lack; other errors pass through.
func notConfigured(err error) error {
	if errors.Is(err, errPayoutConfig) {
		return &httpapi.Problem{Status: http.StatusServiceUnavailable, Code: "payout_not_configured", Detail: err.Error()}
	}
	return err
}
