package nacha

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"time"
	_ "time/tzdata" // the ODFI's time zone must resolve on hosts without zoneinfo

	"github.com/moov-io/ach"

	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// sameDayLimitMinor is the Same Day ACH per-entry limit: USD 1,000,000.00.
const sameDayLimitMinor = 100_000_000

// maxTotalMinor is the largest batch or file total NACHA can carry: twelve digits of cents.
const maxTotalMinor = 999_999_999_999

// Builder writes NACHA disbursement files. It is safe for concurrent use.
type Builder struct {
	cfg     Config
	cal     *bankingCalendar
	secrets ports.Secrets
	now     func() time.Time
	log     *slog.Logger
	eol     string
	opts    ach.ValidateOpts
}

var _ ports.PayoutFileBuilder = (*Builder)(nil)

// New returns a Builder for one ODFI agreement.
func New(cfg Config, deps ports.Deps) (*Builder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, ports.E("nacha.New", ports.Invalid, err)
	}
	loc, _ := time.LoadLocation(cfg.Timezone)
	cutoff, _ := parseCutoff(cfg.Cutoff)
	eol := "\n"
	if cfg.LineEnding == "crlf" {
		eol = "\r\n"
	}
	return &Builder{
		cfg:     cfg,
		cal:     newBankingCalendar(loc, cutoff, cfg.SameDay),
		secrets: deps.Secrets,
		now:     deps.Now,
		log:     deps.Log(),
		eol:     eol,
		opts:    ach.ValidateOpts{BypassOriginValidation: len(cfg.ImmediateOrigin) == 10},
	}, nil
}

// Build validates f and writes one NACHA file: a CCD batch for CCD+ entries
// and prenotes, a CTX batch for entries carrying a remittance, trace numbers
// ascending through the file in request order.
func (b *Builder) Build(ctx context.Context, f settlement.DisbursementFile) (ports.PayoutFile, error) {
	const op = "nacha.Build"
	if err := ctx.Err(); err != nil {
		return ports.PayoutFile{}, ports.E(op, ports.Transient, err)
	}
	if err := f.Validate(); err != nil {
		return ports.PayoutFile{}, ports.E(op, ports.Invalid, err)
	}
	created := f.CreatedAt
	if created.IsZero() {
		created = b.now()
	}
	effective := b.cal.effectiveDate(created, f.EffectiveDate)
	if err := checkLimits(f, effective.Equal(b.cal.processingDay(created))); err != nil {
		return ports.PayoutFile{}, ports.E(op, ports.Invalid, err)
	}
	file, traces, err := b.assemble(f, created, effective)
	if err != nil {
		return ports.PayoutFile{}, ports.E(op, ports.Invalid, err)
	}
	var buf bytes.Buffer
	if err := ach.NewWriterWithOpts(&buf, &ach.WriteOpts{LineEnding: b.eol}).Write(file); err != nil {
		return ports.PayoutFile{}, ports.E(op, ports.Invalid, fmt.Errorf("write: %w", err))
	}
	sum := sha256.Sum256(buf.Bytes())
	id := fileID(f)
	if !f.EffectiveDate.IsZero() && !sameDate(effective, f.EffectiveDate) {
		b.log.Info("effective entry date moved to the next possible banking day",
			"file_id", id, "requested", f.EffectiveDate.Format(time.DateOnly), "effective", effective.Format(time.DateOnly))
	}
	return ports.PayoutFile{
		ID:            id,
		Name:          string(id) + ".ach",
		Body:          buf.Bytes(),
		SHA256:        hex.EncodeToString(sum[:]),
		EffectiveDate: effective,
		Traces:        traces,
	}, nil
}

// fileID is stable for a run and an originating account; the account shows only as a hash.
func fileID(f settlement.DisbursementFile) ports.FileID {
	h := sha256.Sum256([]byte(f.Originator.ODFIRouting + ":" + string(f.Originator.Account)))
	return ports.FileID(f.RunID + "_" + hex.EncodeToString(h[:4]))
}

func checkLimits(f settlement.DisbursementFile, sameDay bool) error {
	var total int64
	for i, e := range f.Entries {
		if sameDay && e.Amount.Minor() > sameDayLimitMinor {
			return fmt.Errorf("entries[%d].amount: exceeds the Same Day ACH limit of 1000000.00", i)
		}
		total += e.Amount.Minor() // each ≤ MaxEntryMinor: no overflow below 9e8 entries
	}
	if total > maxTotalMinor {
		return fmt.Errorf("entries: total exceeds the 12-digit NACHA control total")
	}
	return nil
}

func (b *Builder) assemble(f settlement.DisbursementFile, created, effective time.Time) (*ach.File, []ports.Trace, error) {
	local := created.In(b.cal.loc)
	fh := ach.NewFileHeader()
	fh.ImmediateDestination = b.cfg.ImmediateDestination
	fh.ImmediateOrigin = b.cfg.ImmediateOrigin
	fh.FileCreationDate = local.Format("060102")
	fh.FileCreationTime = local.Format("1504")
	fh.FileIDModifier = orDefault(f.FileIDModifier, "A")
	fh.ImmediateDestinationName = upper(b.cfg.ImmediateDestinationName, 23)
	fh.ImmediateOriginName = upper(orDefault(b.cfg.ImmediateOriginName, f.Originator.CompanyName), 23)
	file := ach.NewFile()
	file.SetHeader(fh)
	opts := b.opts
	file.SetValidation(&opts) // after SetHeader: it also sets the header's options

	var ccd, ctx []int
	for i, e := range f.Entries {
		if len(e.Remittance) > 0 {
			ctx = append(ctx, i)
		} else {
			ccd = append(ccd, i)
		}
	}
	traces := make([]ports.Trace, len(f.Entries))
	seq, batchNo := 1, 1
	for _, g := range []struct {
		sec     string
		entries []int
	}{{ach.CCD, ccd}, {ach.CTX, ctx}} {
		if len(g.entries) == 0 {
			continue
		}
		batch, err := b.batch(f, g.sec, g.entries, batchNo, effective, &seq, traces)
		if err != nil {
			return nil, nil, fmt.Errorf("batch %d (%s): %w", batchNo, g.sec, err)
		}
		file.AddBatch(batch)
		batchNo++
	}
	if err := file.Create(); err != nil {
		return nil, nil, fmt.Errorf("file control: %w", err)
	}
	return file, traces, nil
}

func orDefault(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// upper returns s in upper case, cut to n characters (NACHA name fields).
func upper(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToUpper(strings.TrimSpace(s))
}

func sameDate(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
