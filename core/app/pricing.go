package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/revhub/revhub/core/capture"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/rules"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// PricingConfig is how one organization prices: the tenant's precedence,
// the compiled rule book (nil for none), the zone's rounding, the local
// time zone of the time of service and the service groups rules name.
type PricingConfig struct {
	Precedence pricing.Precedence
	Rules      *rules.Set
	Rounding   money.Rounding
	Location   *time.Location                // nil: UTC
	Groups     func(service string) []string // nil: no groups
}

// Pricing prices charges from the price lists stored with ImportPriceList.
// It keeps one tariff per tenant and precedence, rebuilt when the tenant's
// price list index changes: at once after an import through Import, and
// within CheckEvery after an import by another process.
type Pricing struct {
	Store      ports.Store
	Config     func(tenant, org string) (PricingConfig, error)
	Clock      func() time.Time
	CheckEvery time.Duration // 0: one second

	mu      sync.Mutex
	tariffs map[string]*cachedTariff // tenant + "\x00" + precedence
}

type cachedTariff struct {
	mu      sync.Mutex // held while (re)building
	gen     int64      // the index document's version it was built from
	tariff  *pricing.Tariff
	checked time.Time
	pricers map[pricerKey]*pricing.Pricer // over tariff, by rule book and rounding
}

type pricerKey struct {
	rules    *rules.Set
	rounding money.Rounding
}

// maxPricers bounds a tariff's pricers (one per rule book and rounding in
// use; a reloaded rule book is a new one).
const maxPricers = 64

// QuoteRequest asks what a service would cost at order time.
type QuoteRequest struct {
	Tenant, Org string
	Service     string
	System      string // code system; "" for the tenant's catalogue
	Payer, Plan string
	At          time.Time  // time of service
	Quantity    money.Rate // zero means 1
	Facts       rules.Facts
}

// Quote prices a service for a payer and plan on a date, with its trace.
func (p *Pricing) Quote(ctx context.Context, q QuoteRequest) (pricing.PricedCharge, error) {
	cfg, err := p.Config(q.Tenant, q.Org)
	if err != nil {
		return pricing.PricedCharge{}, err
	}
	pr, err := p.pricer(ctx, q.Tenant, cfg)
	if err != nil {
		return pricing.PricedCharge{}, err
	}
	c := pricing.ChargeContext{Facts: q.Facts, System: q.System, Quantity: q.Quantity}
	c.Service, c.Payer, c.Plan, c.Org, c.At = q.Service, q.Payer, q.Plan, q.Org, q.At
	if cfg.Location != nil {
		c.At = c.At.In(cfg.Location)
	}
	if cfg.Groups != nil && c.ServiceGroups == nil {
		c.ServiceGroups = cfg.Groups(q.Service)
	}
	if c.Quantity.IsZero() {
		c.Quantity = money.Int(1)
	}
	pc, err := pr.Price(c)
	var np *pricing.NoPriceError
	if errors.As(err, &np) {
		return pricing.PricedCharge{}, &validate.FieldError{Path: "service", Code: "no_price", Msg: np.Error(), Err: err}
	}
	return pc, err
}

// PriceFunc prices capture's billable lines: no payer is known at capture,
// so the organization's and national lists decide. The charge item's
// amount includes charges rules add; its trace is the PricedCharge. Lines
// priced alike get the same trace bytes, kept once (see traceIntern).
func (p *Pricing) PriceFunc() PriceFunc {
	traces := &traceIntern{}
	return func(tenant, org string, in capture.Intent, l capture.Line) (Priced, error) {
		pc, err := p.Quote(context.Background(), QuoteRequest{Tenant: tenant, Org: org, Service: l.Service, At: in.When, Quantity: l.Quantity,
			Facts: rules.Facts{EncounterClass: in.Class}})
		if err != nil {
			return Priced{}, err
		}
		total, err := pc.Total()
		if err != nil {
			return Priced{}, err
		}
		trace, err := traces.of(&pc)
		if err != nil {
			return Priced{}, err
		}
		return Priced{Amount: total, UnitPrice: pc.UnitPrice, Trace: trace}, nil
	}
}

// maxInternedTraces bounds a traceIntern: at about two kilobytes per trace
// (its bytes and its priced charge), several megabytes.
const maxInternedTraces = 4096

// traceIntern keeps each distinct trace once, encoded, so that a stream of
// lines priced alike neither encodes nor allocates a trace per line: a
// priced charge Equal to one seen before gets that one's bytes. The traces
// it returns are shared: never modify one.
type traceIntern struct {
	mu   sync.Mutex
	seen map[traceKey]internedTrace
}

// traceKey is where a traceIntern looks for an Equal priced charge: the
// fields most likely to tell two apart. Charges that differ only elsewhere
// share a key, and the last one encoded keeps it.
type traceKey struct {
	service       string
	date          day.Day
	amount        money.Amount
	list, version string
	rules         int
}

type internedTrace struct {
	pc  pricing.PricedCharge
	raw json.RawMessage
}

func (t *traceIntern) of(pc *pricing.PricedCharge) (json.RawMessage, error) {
	k := traceKey{pc.Service, pc.Trace.Date, pc.Amount, pc.Trace.Entry.List, pc.Trace.Entry.Version, len(pc.Trace.Rules)}
	t.mu.Lock()
	defer t.mu.Unlock()
	if it, ok := t.seen[k]; ok && it.pc.Equal(pc) {
		return it.raw, nil
	}
	raw, err := pc.AppendJSON(nil)
	if err != nil {
		return nil, err
	}
	if t.seen == nil || len(t.seen) >= maxInternedTraces {
		t.seen = make(map[traceKey]internedTrace)
	}
	it := internedTrace{pc: *pc, raw: raw}
	it.pc.Extras = slices.Clone(pc.Extras) // the charge's lists, kept apart from the caller's
	it.pc.Trace.Considered, it.pc.Trace.Rules = slices.Clone(pc.Trace.Considered), slices.Clone(pc.Trace.Rules)
	t.seen[k] = it
	return it.raw, nil
}

// Import imports a price list version and makes this process's tariff of
// the tenant rebuild on its next use.
func (p *Pricing) Import(ctx context.Context, r PriceListImport, now time.Time) (PriceListResult, error) {
	res, err := ImportPriceList(ctx, p.Store, r, now)
	if err == nil && !res.Unchanged {
		p.Invalidate(r.Tenant)
	}
	return res, err
}

// Invalidate drops the tenant's cached tariffs.
func (p *Pricing) Invalidate(tenant string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k := range p.tariffs {
		if len(k) > len(tenant) && k[:len(tenant)] == tenant && k[len(tenant)] == 0 {
			delete(p.tariffs, k)
		}
	}
}

func (p *Pricing) pricer(ctx context.Context, tenant string, cfg PricingConfig) (*pricing.Pricer, error) {
	c, err := p.lockTariff(ctx, tenant, cfg.Precedence)
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	k := pricerKey{cfg.Rules, cfg.Rounding}
	if pr := c.pricers[k]; pr != nil {
		return pr, nil
	}
	pr, err := pricing.NewPricer(c.tariff, cfg.Rules, cfg.Rounding)
	if err != nil {
		return nil, err
	}
	if c.pricers == nil || len(c.pricers) >= maxPricers {
		c.pricers = map[pricerKey]*pricing.Pricer{}
	}
	c.pricers[k] = pr
	return pr, nil
}

// tariffLoadTimeout bounds reading a tenant's price lists to build its tariff.
const tariffLoadTimeout = 30 * time.Second

// Tariff returns the tenant's tariff for a precedence, from the current
// version of every stored price list.
func (p *Pricing) Tariff(ctx context.Context, tenant string, prec pricing.Precedence) (*pricing.Tariff, error) {
	c, err := p.lockTariff(ctx, tenant, prec)
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	return c.tariff, nil
}

// lockTariff returns the cache entry of the tenant's tariff for a
// precedence, locked, its tariff built or checked against the stored index
// as Tariff says. The caller unlocks it; on an error it is not locked.
func (p *Pricing) lockTariff(ctx context.Context, tenant string, prec pricing.Precedence) (*cachedTariff, error) {
	var kb [64]byte // the cache key, built without allocating: tenant, NUL, one byte per kind
	key := append(append(kb[:0], tenant...), 0)
	for _, k := range prec {
		key = append(key, byte(k))
	}
	p.mu.Lock()
	if p.tariffs == nil {
		p.tariffs = map[string]*cachedTariff{}
	}
	c := p.tariffs[string(key)]
	if c == nil {
		c = &cachedTariff{gen: -1}
		p.tariffs[string(key)] = c
	}
	p.mu.Unlock()

	c.mu.Lock()
	locked := false // whether c goes back locked: otherwise (an error, a panic) unlock it
	defer func() {
		if !locked {
			c.mu.Unlock()
		}
	}()
	now := p.now()
	if c.tariff != nil && now.Sub(c.checked) < p.checkEvery() {
		locked = true
		return c, nil
	}
	var t *pricing.Tariff
	ctx, cancel := context.WithTimeout(ctx, tariffLoadTimeout)
	defer cancel()
	err := p.Store.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		idx, gen, err := loadIndex(ctx, tx, tenant)
		if err != nil || gen == c.gen {
			return err
		}
		t, err = buildTariff(ctx, tx, tenant, prec, idx)
		c.gen = gen
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("tariff of %s: %w", tenant, err)
	}
	if t != nil {
		c.tariff, c.pricers = t, nil
	}
	c.checked, locked = now, true
	return c, nil
}

func buildTariff(ctx context.Context, tx ports.Tx, tenant string, prec pricing.Precedence, idx priceIndex) (*pricing.Tariff, error) {
	b, err := pricing.NewBuilder(prec)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(idx.Lists))
	for _, id := range idx.Lists {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	docs, err := tx.Documents().GetMany(ctx, tenant, KindPriceList, ids)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(docs, func(a, b ports.Document) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	for _, d := range docs {
		var v PriceListVersion
		if err := json.Unmarshal(d.Body, &v); err != nil {
			return nil, fmt.Errorf("price list %s: %w", d.ID, err)
		}
		for _, e := range v.Entries {
			b.Add(e)
		}
	}
	return b.Build()
}

func (p *Pricing) now() time.Time {
	if p.Clock != nil {
		return p.Clock()
	}
	return time.Time{}
}

func (p *Pricing) checkEvery() time.Duration {
	if p.CheckEvery > 0 {
		return p.CheckEvery
	}
	return time.Second
}
