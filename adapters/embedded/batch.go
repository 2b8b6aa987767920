package embedded

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

// The batch methods: SQLite runs in process, so a loop over the single-row
// statements inside the one write transaction is already cheap.

func (r documentRepo) GetMany(ctx context.Context, tenant, kind string, ids []string) ([]ports.Document, error) {
	const op = "embedded.Documents.GetMany"
	var out []ports.Document
	err := inChunks(ids, []any{tenant, kind}, func(in string, args []any) error {
		rows, err := r.tx.tx.QueryContext(ctx, `SELECT `+documentCols+` FROM documents WHERE tenant = ? AND kind = ? AND id IN `+in, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, _, err := scanDocument(rows)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap(op, err)
	}
	return out, nil
}

// inChunks calls fn for each chunk of at most 500 ids, far below SQLite's
// limit on variables, with the chunk's IN list of placeholders, "(?, ?)",
// and lead followed by the chunk's ids as the arguments.
func inChunks(ids []string, lead []any, fn func(in string, args []any) error) error {
	for lo := 0; lo < len(ids); lo += 500 {
		chunk := ids[lo:min(lo+500, len(ids))]
		args := append(make([]any, 0, len(lead)+len(chunk)), lead...)
		for _, id := range chunk {
			args = append(args, id)
		}
		if err := fn("(?"+strings.Repeat(", ?", len(chunk)-1)+")", args); err != nil {
			return err
		}
	}
	return nil
}

func (r documentRepo) PutMany(ctx context.Context, ds []ports.Document) ([]int64, error) {
	out := make([]int64, len(ds))
	for i, d := range ds {
		v, err := r.Put(ctx, d)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		out[i] = v
	}
	return out, nil
}

func (r artifactRepo) PutMany(ctx context.Context, as []ports.Artifact) (int, error) {
	n := 0
	for i, a := range as {
		err := r.Put(ctx, a)
		switch {
		case err == nil:
			n++
		case !ports.Is(ports.Conflict, err):
			return n, fmt.Errorf("artifact %d: %w", i, err)
		}
	}
	return n, nil
}

func (r artifactRepo) Missing(ctx context.Context, as []ports.Artifact) ([]ports.Artifact, error) {
	const op = "embedded.Artifacts.Missing"
	seen := map[string]bool{}
	var out []ports.Artifact
	for i, a := range as {
		if err := a.CheckKey(); err != nil {
			return nil, invalid(op, fmt.Errorf("artifact %d: %w", i, err))
		}
		k := a.Tenant + "\x00" + a.ID
		if seen[k] {
			continue
		}
		seen[k] = true
		var n int
		if err := r.tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM artifacts WHERE tenant = ? AND id = ?`, a.Tenant, a.ID).Scan(&n); err != nil {
			return nil, wrap(op, err)
		}
		if n == 0 {
			out = append(out, a)
		}
	}
	return out, nil
}

func (r artifactRepo) Create(ctx context.Context, as []ports.Artifact) error {
	for i, a := range as {
		if err := r.Put(ctx, a); err != nil {
			return fmt.Errorf("artifact %d: %w", i, err)
		}
	}
	return nil
}

func (r artifactRepo) LinkMany(ctx context.Context, tenant string, links []ports.Link) error {
	for _, l := range links {
		if err := r.Link(ctx, tenant, l.Artifact, l.Ref); err != nil {
			return err
		}
	}
	return nil
}

func (r auditRepo) InsertMany(ctx context.Context, es []audit.Entry) error {
	for _, e := range es {
		if err := r.Insert(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

func (r syncRepo) ReceivedN(ctx context.Context, tenant, org, binding string, n int64, total *money.Amount, at time.Time) error {
	const op = "embedded.Sync.ReceivedN"
	var cur string
	var minor int64
	if total != nil {
		cur, minor = string(total.Currency()), total.Minor()
	}
	if _, err := r.tx.tx.ExecContext(ctx, `INSERT INTO sync_received (tenant, org, binding, currency, count, amount_minor)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, org, binding, currency)
		DO UPDATE SET count = count + excluded.count, amount_minor = amount_minor + excluded.amount_minor`,
		tenant, org, binding, cur, n, minor); err != nil {
		return wrap(op, err)
	}
	return r.touch(ctx, op, tenant, org, binding)
}
