package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/pricelist"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// Document kinds of price lists.
const (
	// KindPriceList is one version of one price list with all its entries.
	KindPriceList = "price_list"
	// KindPriceIndex is a tenant's index of current list versions; its
	// document version changes with every import, which tells tariff caches
	// to rebuild.
	KindPriceIndex = "price_list_index"
	priceIndexID   = "current"
)

// Price list document statuses.
const (
	ListCurrent    = "current"
	ListSuperseded = "superseded"
)

// PriceListVersion is the stored body of one price list version.
type PriceListVersion struct {
	List       string          `json:"list"`
	Kind       pricing.Kind    `json:"kind"`
	Payer      string          `json:"payer,omitempty"`
	Plan       string          `json:"plan,omitempty"`
	Org        string          `json:"org,omitempty"`
	Number     int64           `json:"number"`  // 1, 2, … per list
	Version    string          `json:"version"` // version id the entries carry
	Source     string          `json:"source"`  // the imported document's name
	SHA256     string          `json:"sha256"`  // of the imported document's bytes
	ImportedAt time.Time       `json:"imported_at"`
	Actor      string          `json:"actor"`
	Entries    []pricing.Entry `json:"entries"`
}

// priceIndex maps each list to the document id of its current version.
type priceIndex struct {
	Lists map[string]string `json:"lists"`
}

// PriceListImport asks to import a new version of a price list.
type PriceListImport struct {
	Tenant   string
	List     string
	Kind     pricing.Kind
	Payer    string
	Plan     string
	Org      string
	Format   string // "csv" or "json"
	Source   string // document name, e.g. "ebm-2025Q3.csv"
	Data     []byte
	Decimal  byte           // the zone's decimal separator for CSV: '.' or ','
	Currency money.Currency // default for entries that name none
	Version  string         // version id; "" for "v<number>" (a column or field in the file wins)
	Actor    string
	Reason   string
}

// PriceListResult says what an import did.
type PriceListResult struct {
	ID        string `json:"id"` // document id of the version now current
	List      string `json:"list"`
	Number    int64  `json:"number"`
	Version   string `json:"version"`
	SHA256    string `json:"sha256"`
	Entries   int    `json:"entries"`
	Unchanged bool   `json:"unchanged"` // identical to the current version: nothing stored
	Added     int    `json:"added"`
	Changed   int    `json:"changed"`
	Removed   int    `json:"removed"`
}

// maxAuditChanges caps each list of changes in the import's audit entry.
const maxAuditChanges = 50

// ImportPriceList parses a price list document, compares it with the list's
// current version and, when it differs, stores it as the next version and
// audits the diff, in one transaction. Re-importing identical content is a
// no-op. Bad input is validate.Errors naming line and field.
func ImportPriceList(ctx context.Context, s ports.Store, r PriceListImport, now time.Time) (PriceListResult, error) {
	if err := r.check(); err != nil {
		return PriceListResult{}, err
	}
	var res PriceListResult
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		var err error
		res, err = importInTx(ctx, tx, r, now)
		return err
	})
	return res, err
}

func (r *PriceListImport) check() error {
	var errs validate.Errors
	if r.Tenant == "" {
		errs.Required("tenant")
	}
	if r.List == "" {
		errs.Required("list")
	}
	if r.Format != "csv" && r.Format != "json" {
		errs.Add("format", "invalid", "want csv or json")
	}
	if len(r.Data) == 0 {
		errs.Required("document")
	}
	e := pricing.Entry{Service: "x", List: r.List, Kind: r.Kind, Payer: r.Payer, Plan: r.Plan, Org: r.Org,
		Currency: "EUR", From: 1, To: 2, Version: "x"}
	if err := e.Validate(); err != nil {
		errs.Merge("", err)
	}
	return errs.Err()
}

func importInTx(ctx context.Context, tx ports.Tx, r PriceListImport, now time.Time) (PriceListResult, error) {
	idx, idxVersion, err := loadIndex(ctx, tx, r.Tenant)
	if err != nil {
		return PriceListResult{}, err
	}
	var prev PriceListVersion
	var prevDoc ports.Document
	if id, ok := idx.Lists[r.List]; ok {
		if prevDoc, err = tx.Documents().Get(ctx, r.Tenant, KindPriceList, id); err != nil {
			return PriceListResult{}, fmt.Errorf("price list %s: current version %s: %w", r.List, id, err)
		}
		if err := json.Unmarshal(prevDoc.Body, &prev); err != nil {
			return PriceListResult{}, fmt.Errorf("price list %s: stored version %s: %w", r.List, id, err)
		}
	}
	next := PriceListVersion{List: r.List, Kind: r.Kind, Payer: r.Payer, Plan: r.Plan, Org: r.Org,
		Number: prev.Number + 1, Source: r.Source, ImportedAt: now, Actor: r.Actor}
	next.Version = r.Version
	if next.Version == "" {
		next.Version = "v" + strconv.FormatInt(next.Number, 10)
	}
	list, err := parseList(r, next.Version)
	if err != nil {
		return PriceListResult{}, err
	}
	next.SHA256, next.Entries = list.SHA256, list.Entries
	diff := pricelist.Compare(prev.Entries, next.Entries)
	res := PriceListResult{List: r.List, Entries: len(next.Entries), Added: len(diff.Added), Changed: len(diff.Changed), Removed: len(diff.Removed)}
	if prev.Number > 0 && diff.Empty() && prev.Kind == next.Kind && prev.Payer == next.Payer && prev.Plan == next.Plan && prev.Org == next.Org {
		res.ID, res.Number, res.Version, res.SHA256, res.Unchanged = prevDoc.ID, prev.Number, prev.Version, prev.SHA256, true
		return res, nil
	}
	next.Version = versionOf(next.Entries, next.Version)
	res.ID = r.List + "@" + strconv.FormatInt(next.Number, 10)
	res.Number, res.Version, res.SHA256 = next.Number, next.Version, next.SHA256
	body, err := json.Marshal(next)
	if err != nil {
		return PriceListResult{}, err
	}
	if _, err := tx.Documents().Put(ctx, ports.Document{Kind: KindPriceList, Tenant: r.Tenant, ID: res.ID, Org: r.Org,
		Key: res.ID, Ref: r.List, Status: ListCurrent, Body: body, UpdatedAt: now}); err != nil {
		return PriceListResult{}, err
	}
	if prevDoc.ID != "" {
		prevDoc.Status, prevDoc.UpdatedAt = ListSuperseded, now
		if _, err := tx.Documents().Put(ctx, prevDoc); err != nil {
			return PriceListResult{}, err
		}
	}
	if idx.Lists == nil {
		idx.Lists = map[string]string{}
	}
	idx.Lists[r.List] = res.ID
	ib, _ := json.Marshal(idx)
	if _, err := tx.Documents().Put(ctx, ports.Document{Kind: KindPriceIndex, Tenant: r.Tenant, ID: priceIndexID,
		Version: idxVersion, Status: ListCurrent, Body: ib, UpdatedAt: now}); err != nil {
		return PriceListResult{}, err
	}
	before := map[string]any(nil)
	if prev.Number > 0 {
		before = map[string]any{"version": prev.Version, "number": prev.Number, "sha256": prev.SHA256, "entries": len(prev.Entries)}
	}
	_, err = Record(ctx, tx, r.Tenant, auditDraft(r.Actor, "price_list.import", KindPriceList+"/"+res.ID, r.Reason, before,
		map[string]any{"version": next.Version, "number": next.Number, "source": next.Source, "sha256": next.SHA256,
			"entries": len(next.Entries), "diff": auditDiff(diff)}), now)
	return res, err
}

// parseList reads the document and checks it forms a valid tariff on its own.
func parseList(r PriceListImport, version string) (*pricelist.List, error) {
	o := pricelist.ImportOptions{Source: r.Source, Decimal: r.Decimal, List: r.List, Kind: r.Kind, Version: version,
		Currency: r.Currency, Payer: r.Payer, Plan: r.Plan, Org: r.Org}
	var list *pricelist.List
	var err error
	if r.Format == "json" {
		list, err = pricelist.ParseJSON(bytes.NewReader(r.Data), o)
	} else {
		list, err = pricelist.ParseCSV(bytes.NewReader(r.Data), o)
	}
	if err != nil {
		return nil, err
	}
	var errs validate.Errors
	for i, e := range list.Entries {
		p := validate.Index("entries", i)
		switch {
		case e.List != r.List:
			errs.Add(p+".list", "mismatch", fmt.Sprintf("entry of list %q in an import of list %q", e.List, r.List))
		case e.Kind != r.Kind || e.Payer != r.Payer || e.Plan != r.Plan || e.Org != r.Org:
			errs.Add(p+".kind", "mismatch", "an entry's kind, payer, plan and org must be the import's")
		}
		list.Entries[i].SourceSHA = list.SHA256
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if _, err := pricing.Build(pricing.StandardPrecedence, list.Entries); err != nil {
		return nil, err
	}
	return list, nil
}

// versionOf returns the version id the entries carry when they all agree, else def.
func versionOf(es []pricing.Entry, def string) string {
	if len(es) == 0 {
		return def
	}
	v := es[0].Version
	for _, e := range es[1:] {
		if e.Version != v {
			return def
		}
	}
	return v
}

func auditDiff(d pricelist.Diff) map[string]any {
	out := map[string]any{"added": len(d.Added), "changed": len(d.Changed), "removed": len(d.Removed)}
	if len(d.Added) > maxAuditChanges || len(d.Changed) > maxAuditChanges || len(d.Removed) > maxAuditChanges {
		out["truncated"] = true
	}
	out["added_entries"] = d.Added[:min(len(d.Added), maxAuditChanges)]
	out["changed_entries"] = d.Changed[:min(len(d.Changed), maxAuditChanges)]
	out["removed_entries"] = d.Removed[:min(len(d.Removed), maxAuditChanges)]
	return out
}

// loadIndex returns the tenant's index of current lists and its document
// version (0 when none exists yet).
func loadIndex(ctx context.Context, tx ports.Tx, tenant string) (priceIndex, int64, error) {
	d, err := tx.Documents().Get(ctx, tenant, KindPriceIndex, priceIndexID)
	if ports.Is(ports.NotFound, err) {
		return priceIndex{}, 0, nil
	}
	if err != nil {
		return priceIndex{}, 0, err
	}
	var idx priceIndex
	if err := json.Unmarshal(d.Body, &idx); err != nil {
		return priceIndex{}, 0, fmt.Errorf("price list index of %s: %w", tenant, err)
	}
	return idx, d.Version, nil
}

// PriceListVersions lists a list's stored versions, oldest first, without entries.
func PriceListVersions(ctx context.Context, s ports.Store, tenant, list string) ([]PriceListVersion, error) {
	var out []PriceListVersion
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		q := ports.DocumentQuery{Tenant: tenant, Kind: KindPriceList, Ref: list, Page: ports.Page{Limit: ports.MaxPageLimit}}
		for {
			docs, next, err := tx.Documents().List(ctx, q)
			if err != nil {
				return err
			}
			for _, d := range docs {
				var v PriceListVersion
				if err := json.Unmarshal(d.Body, &v); err != nil {
					return fmt.Errorf("price list %s: %w", d.ID, err)
				}
				v.Entries = nil
				out = append(out, v)
			}
			if next == "" {
				return nil
			}
			q.Page.Cursor = next
		}
	})
	return out, err
}
