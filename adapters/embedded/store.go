// Package embedded is the default store: SQLite in one file under the data
// directory, through the pure-Go modernc.org/sqlite driver.
//
// The database runs in WAL mode. Update transactions go through one writer
// connection, serialised in Go and begun IMMEDIATE, so writers never meet
// SQLITE_BUSY; View transactions use a pool of read-only connections that
// read a consistent snapshot while a writer works. Calling Update from inside
// an Update's fn would wait for itself: do not nest Update.
package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/revhub/revhub/ports"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is a ports.Store on SQLite.
type Store struct {
	writer *sql.DB
	reader *sql.DB
	wsem   chan struct{} // one Update at a time
	now    func() time.Time
}

var _ ports.Store = (*Store)(nil)

// New opens (creating if needed) the database file and applies pending
// schema migrations.
func New(cfg Config, deps ports.Deps) (*Store, error) {
	const op = "embedded.New"
	if err := cfg.Validate(); err != nil {
		return nil, ports.E(op, ports.Invalid, err)
	}
	path := cfg.file(deps.DataDir)
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, ports.E(op, ports.Unavailable, err)
		}
	}
	readers := cfg.Readers
	if readers == 0 {
		readers = 4
	}
	w, err := open(path, "immediate", false)
	if err != nil {
		return nil, ports.E(op, ports.Unavailable, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{writer: w, wsem: make(chan struct{}, 1), now: deps.Now}
	ctx := context.Background()
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, ports.E(op, ports.Unavailable, fmt.Errorf("%s: %w", path, err))
	}
	r, err := open(path, "deferred", true)
	if err != nil {
		w.Close()
		return nil, ports.E(op, ports.Unavailable, err)
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	s.reader = r
	return s, nil
}

func open(path, txlock string, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	if readOnly {
		q.Add("_pragma", "query_only(ON)")
	}
	q.Set("_txlock", txlock)
	return sql.Open("sqlite", "file:"+path+"?"+q.Encode())
}

// Update runs fn in the single write transaction.
func (s *Store) Update(ctx context.Context, fn func(context.Context, ports.Tx) error) error {
	const op = "embedded.Update"
	select {
	case s.wsem <- struct{}{}:
	case <-ctx.Done():
		return ports.E(op, ports.Transient, ctx.Err())
	}
	defer func() { <-s.wsem }()
	return s.run(ctx, op, s.writer, nil, fn)
}

// View runs fn in a read-only transaction on a consistent snapshot.
func (s *Store) View(ctx context.Context, fn func(context.Context, ports.Tx) error) error {
	return s.run(ctx, "embedded.View", s.reader, &sql.TxOptions{ReadOnly: true}, fn)
}

func (s *Store) run(ctx context.Context, op string, db *sql.DB, opts *sql.TxOptions, fn func(context.Context, ports.Tx) error) (err error) {
	sqlTx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return wrap(op, err)
	}
	t := &tx{tx: sqlTx, now: s.now}
	defer func() {
		if p := recover(); p != nil {
			sqlTx.Rollback()
			panic(p)
		}
	}()
	if err := fn(ctx, t); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return wrap(op, err)
	}
	return nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.reader.PingContext(ctx); err != nil {
		return wrap("embedded.Ping", err)
	}
	return nil
}

// Close closes both connection pools.
func (s *Store) Close() error {
	return errors.Join(s.reader.Close(), s.writer.Close())
}
