package csvgl

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/revhub/revhub/core/ledger"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

const op = "csv_gl.Export"

// Exporter writes ledger batches as CSV files.
type Exporter struct {
	cfg   Config
	comma rune
	sep   byte
}

var _ ports.GLExporter = (*Exporter)(nil)

// New validates cfg and creates the directory.
func New(cfg Config, _ ports.Deps) (*Exporter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Directory, 0o750); err != nil {
		return nil, ports.E(op, ports.Unavailable, err)
	}
	r, _ := utf8.DecodeRuneInString(cfg.Delimiter)
	return &Exporter{cfg: cfg, comma: r, sep: cfg.DecimalSeparator[0]}, nil
}

// FileName is the journal file a batch ID is written to.
func FileName(id string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, id) + ".csv"
}

// Export writes b to <directory>/<FileName(b.ID)>. A file already there
// with the same content is the earlier post of this batch (Existing); with
// other content it is Kind Conflict. The file appears whole or not at all.
func (e *Exporter) Export(ctx context.Context, b ledger.Batch) (ports.GLReceipt, error) {
	if err := b.Validate(); err != nil {
		return ports.GLReceipt{}, ports.E(op, ports.Invalid, err)
	}
	if err := oneCurrency(b); err != nil {
		return ports.GLReceipt{}, ports.E(op, ports.Invalid, err)
	}
	if err := ctx.Err(); err != nil {
		return ports.GLReceipt{}, ports.E(op, ports.Transient, err)
	}
	body, err := e.Render(b)
	if err != nil {
		return ports.GLReceipt{}, ports.E(op, ports.Invalid, err)
	}
	name := FileName(b.ID)
	final := filepath.Join(e.cfg.Directory, name)
	if old, err := os.ReadFile(final); err == nil {
		if sha256.Sum256(old) == sha256.Sum256(body) {
			return ports.GLReceipt{Reference: name, Existing: true}, nil
		}
		return ports.GLReceipt{}, ports.E(op, ports.Conflict, fmt.Errorf("%s exists with other content", name))
	} else if !errors.Is(err, fs.ErrNotExist) {
		return ports.GLReceipt{}, ports.E(op, ports.Transient, err)
	}
	tmp, err := os.CreateTemp(e.cfg.Directory, "."+name+".tmp-*")
	if err != nil {
		return ports.GLReceipt{}, ports.E(op, ports.Transient, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(body); err != nil {
		tmp.Close()
		return ports.GLReceipt{}, ports.E(op, ports.Transient, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return ports.GLReceipt{}, ports.E(op, ports.Transient, err)
	}
	if err := tmp.Close(); err != nil {
		return ports.GLReceipt{}, ports.E(op, ports.Transient, err)
	}
	// Link, not rename: it fails when another writer got there first, so a
	// file is never replaced.
	if err := os.Link(tmp.Name(), final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return e.Export(ctx, b)
		}
		return ports.GLReceipt{}, ports.E(op, ports.Transient, err)
	}
	if d, err := os.Open(e.cfg.Directory); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return ports.GLReceipt{Reference: name}, nil
}

// Columns are the journal file's columns, in order.
var Columns = []string{"date", "journal", "account", "cost_centre", "debit", "credit", "memo", "reference"}

// Render returns the CSV bytes of b.
func (e *Exporter) Render(b ledger.Batch) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = e.comma
	if e.cfg.Header {
		if err := w.Write(Columns); err != nil {
			return nil, err
		}
	}
	journal := b.Journal
	if journal == "" {
		journal = e.cfg.JournalCode
	}
	date := b.Date.Format("2006-01-02")
	for _, l := range b.Lines {
		if err := w.Write([]string{date, journal, l.Account, l.CostCentre, e.amount(l.Debit), e.amount(l.Credit), l.Memo, l.Ref}); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func (e *Exporter) amount(a money.Amount) string {
	if !a.Valid() || a.IsZero() {
		return ""
	}
	return string(a.AppendNumber(nil, e.sep))
}

// oneCurrency rejects a batch in several currencies: the file has no
// currency column.
func oneCurrency(b ledger.Batch) error {
	cur := b.Lines[0].Debit.Currency()
	for i, l := range b.Lines {
		if l.Debit.Currency() != cur || l.Credit.Currency() != cur {
			return fmt.Errorf("lines[%d]: csv_gl files have no currency column, and the batch mixes %s with %s or %s", i, cur, l.Debit.Currency(), l.Credit.Currency())
		}
	}
	return nil
}
