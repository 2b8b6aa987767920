package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/ports"
)

// syncScrapeTimeout bounds one scrape's reads of the sync status.
const syncScrapeTimeout = 2 * time.Second

func init() {
	onAPI(func(hb *hub, api *httpapi.Server) {
		api.TenantMetrics(func(tenant string) prometheus.Collector { return &syncCollector{hb: hb, tenant: tenant} })
	})
}

var (
	syncItemsDesc = prometheus.NewDesc("revhub_sync_items", "Outbox and inbound items per tenant, binding and state (summed over organizations).",
		[]string{"tenant", "binding", "state"}, nil)
	syncAmountDesc = prometheus.NewDesc("revhub_sync_amount_minor_units", "Money behind revhub_sync_items, in minor units of the currency.",
		[]string{"tenant", "binding", "state", "currency"}, nil)
	syncOldestDesc = prometheus.NewDesc("revhub_sync_oldest_pending_seconds", "Age of the oldest queued or failed item.",
		[]string{"tenant", "binding"}, nil)
	syncPausedDesc = prometheus.NewDesc("revhub_sync_breaker_paused", "1 when a binding's circuit breaker pauses it (any organization).",
		[]string{"tenant", "binding"}, nil)
	syncLastSuccessDesc = prometheus.NewDesc("revhub_sync_last_success_timestamp_seconds", "Unix time of the last successful delivery or contact.",
		[]string{"tenant", "binding"}, nil)
	syncUpDesc = prometheus.NewDesc("revhub_sync_scrape_ok", "1 when the last scrape read every tenant's sync status in time.", nil, nil)
)

// syncCollector reads one tenant's sync status on each scrape: the tenant
// of the scrape's bearer token, so a tenant never sees another's figures.
// Labels are tenant, binding, state and currency only: no organization or
// item ids, so cardinality stays bounded by configuration.
type syncCollector struct {
	hb     *hub
	tenant string
}

func (c *syncCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{syncItemsDesc, syncAmountDesc, syncOldestDesc, syncPausedDesc, syncLastSuccessDesc, syncUpDesc} {
		ch <- d
	}
}

type bindingFigures struct {
	counts  map[string]int64
	amounts map[[2]string]int64 // state, currency
	oldest  time.Duration
	paused  bool
	last    time.Time
}

func (c *syncCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), syncScrapeTimeout)
	defer cancel()
	ok := 1.0
	now := c.hb.deps.Now()
	for _, t := range []string{c.tenant} {
		var sts []ports.SyncStatus
		err := c.hb.store.View(ctx, func(ctx context.Context, tx ports.Tx) error {
			var err error
			sts, err = tx.Sync().Status(ctx, ports.SyncQuery{Tenant: t}, now)
			return err
		})
		if err != nil {
			c.hb.deps.Logger.Warn("sync metrics: status read failed", "tenant", t, "err", err)
			ok = 0
			break
		}
		figs := map[string]*bindingFigures{}
		for _, s := range sts {
			f := figs[s.Binding]
			if f == nil {
				f = &bindingFigures{counts: map[string]int64{}, amounts: map[[2]string]int64{}}
				figs[s.Binding] = f
			}
			for state, tl := range map[string]ports.Tally{"received": s.Received, "queued": s.Queued, "sent": s.Sent,
				"failed": s.Failed, "dead_lettered": s.DeadLettered, "outcome_unknown": s.Unknown} {
				f.counts[state] += tl.Count
				for _, a := range tl.Amounts {
					f.amounts[[2]string{state, string(a.Currency())}] += a.Minor()
				}
			}
			f.oldest = max(f.oldest, s.OldestQueued)
			f.paused = f.paused || s.Breaker == delivery.Open
			if s.LastSuccess.After(f.last) {
				f.last = s.LastSuccess
			}
		}
		for b, f := range figs {
			for state, n := range f.counts {
				ch <- prometheus.MustNewConstMetric(syncItemsDesc, prometheus.GaugeValue, float64(n), t, b, state)
			}
			for k, minor := range f.amounts {
				ch <- prometheus.MustNewConstMetric(syncAmountDesc, prometheus.GaugeValue, float64(minor), t, b, k[0], k[1])
			}
			ch <- prometheus.MustNewConstMetric(syncOldestDesc, prometheus.GaugeValue, f.oldest.Seconds(), t, b)
			paused := 0.0
			if f.paused {
				paused = 1
			}
			ch <- prometheus.MustNewConstMetric(syncPausedDesc, prometheus.GaugeValue, paused, t, b)
			if !f.last.IsZero() {
				ch <- prometheus.MustNewConstMetric(syncLastSuccessDesc, prometheus.GaugeValue, float64(f.last.Unix()), t, b)
			}
		}
	}
	ch <- prometheus.MustNewConstMetric(syncUpDesc, prometheus.GaugeValue, ok)
}
