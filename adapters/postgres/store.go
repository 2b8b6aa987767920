// Package postgres is the production store: PostgreSQL through pgx/v5.
//
// Transactions run at READ COMMITTED with row locks where it matters: the
// outbox is claimed with FOR UPDATE SKIP LOCKED, numbering updates its
// counter row with UPDATE … RETURNING, and migrations take an advisory lock.
// A transaction that fails with a serialization failure or deadlock is run
// again, up to three times. Bulk inserts use COPY.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/revhub/revhub/ports"
)

// Store is a ports.Store on PostgreSQL.
type Store struct {
	pool  *pgxpool.Pool
	now   func() time.Time
	stats stats
}

var _ ports.Store = (*Store)(nil)

// attempts is how often Update runs fn when the server asks for a retry.
const attempts = 3

// New connects, creates the schema if needed and applies pending migrations.
func New(cfg Config, deps ports.Deps) (*Store, error) {
	const op = "postgres.New"
	if err := cfg.Validate(); err != nil {
		return nil, ports.E(op, ports.Invalid, err)
	}
	if deps.Secrets == nil {
		return nil, ports.E(op, ports.Invalid, errors.New("no secret resolver for url_ref"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url, err := deps.Secrets.Resolve(ctx, cfg.URLRef)
	if err != nil {
		return nil, ports.E(op, ports.KindOf(err), fmt.Errorf("url_ref %s: %w", cfg.URLRef, err))
	}
	pc, err := pgxpool.ParseConfig(strings.TrimSpace(string(url)))
	if err != nil {
		// The URL may hold a password: name the reference, not the value.
		return nil, ports.E(op, ports.Invalid, fmt.Errorf("url_ref %s: not a valid PostgreSQL URL", cfg.URLRef))
	}
	if cfg.MaxConns > 0 {
		pc.MaxConns = int32(cfg.MaxConns)
	}
	if cfg.Schema != "" {
		pc.ConnConfig.RuntimeParams["search_path"] = cfg.Schema
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, wrap(op, err)
	}
	if err := migrate(ctx, pool, cfg.Schema); err != nil {
		pool.Close()
		return nil, wrap(op, err)
	}
	return &Store{pool: pool, now: deps.Now}, nil
}

// Update runs fn in a read-write transaction, again when the server reports
// a serialization failure or deadlock.
func (s *Store) Update(ctx context.Context, fn func(context.Context, ports.Tx) error) error {
	return s.run(ctx, "postgres.Update", pgx.TxOptions{}, fn)
}

// View runs fn in a read-only transaction.
func (s *Store) View(ctx context.Context, fn func(context.Context, ports.Tx) error) error {
	return s.run(ctx, "postgres.View", pgx.TxOptions{AccessMode: pgx.ReadOnly}, fn)
}

func (s *Store) run(ctx context.Context, op string, opts pgx.TxOptions, fn func(context.Context, ports.Tx) error) error {
	var err error
	var fromFn bool
	for i := range attempts {
		if fromFn, err = s.once(ctx, opts, fn); err == nil || !isRetryable(err) {
			break
		}
		select {
		case <-time.After(time.Duration(i+1) * 5 * time.Millisecond):
		case <-ctx.Done():
			return wrap(op, ctx.Err())
		}
	}
	if fromFn {
		return err // fn's own error, as it returned it
	}
	return wrap(op, err)
}

// once runs fn in one transaction; fromFn says whether err is fn's.
func (s *Store) once(ctx context.Context, opts pgx.TxOptions, fn func(context.Context, ports.Tx) error) (fromFn bool, err error) {
	ptx, err := s.pool.BeginTx(ctx, opts)
	if err != nil {
		return false, err
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	t := &tx{tx: ptx, now: s.now}
	if err := fn(ctx, t); err != nil {
		return true, err
	}
	if err := ptx.Commit(ctx); err != nil {
		return false, err
	}
	if t.bulk {
		s.stats.afterBulk(ctx, s)
	}
	return false, nil
}

// Ping checks that the server answers.
func (s *Store) Ping(ctx context.Context) error { return wrap("postgres.Ping", s.pool.Ping(ctx)) }

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}
