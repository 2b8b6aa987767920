package nacha

import (
	"fmt"
	"time"

	"github.com/moov-io/ach"

	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// addendaWidth is the payment-related information width of an addenda 05 record.
const addendaWidth = 80

// batch builds one batch of the given SEC code from f.Entries[idx], numbering
// traces from *seq and recording them in traces.
func (b *Builder) batch(f settlement.DisbursementFile, sec string, idx []int, number int,
	effective time.Time, seq *int, traces []ports.Trace) (ach.Batcher, error) {
	o := f.Originator
	bh := ach.NewBatchHeader()
	bh.ServiceClassCode = ach.CreditsOnly
	bh.CompanyName = upper(o.CompanyName, 16)
	bh.CompanyIdentification = o.CompanyID
	bh.StandardEntryClassCode = sec
	bh.CompanyEntryDescription = upper(b.cfg.EntryDescription, 10)
	bh.EffectiveEntryDate = effective.Format("060102")
	bh.ODFIIdentification = o.ODFIRouting[:8]
	bh.BatchNumber = number

	var credits int64
	entries := make([]*ach.EntryDetail, 0, len(idx)+1)
	for _, i := range idx {
		e := f.Entries[i]
		ed := entry(e, sec, bh.ODFIIdentification, *seq)
		if sec == ach.CCD && !e.Prenote {
			ed.AddAddenda05(trnAddenda(e, o.CompanyID))
			ed.AddendaRecordIndicator = 1
		}
		if sec == ach.CTX {
			for _, a := range ctxAddenda(e.Remittance) {
				ed.AddAddenda05(a)
			}
			ed.SetCATXAddendaRecords(len(ed.Addenda05))
			ed.AddendaRecordIndicator = min(len(ed.Addenda05), 1)
		}
		traces[i] = ports.Trace{TraceRef: e.TraceRef, Number: ed.TraceNumberField()}
		credits += e.Amount.Minor()
		entries = append(entries, ed)
		*seq++
	}
	if b.cfg.Balanced && credits > 0 {
		entries = append(entries, offset(f, sec, bh.ODFIIdentification, *seq, credits))
		bh.ServiceClassCode = ach.MixedDebitsAndCredits
		*seq++
	}

	batch, err := ach.NewBatch(bh)
	if err != nil {
		return nil, err
	}
	opts := b.opts
	batch.SetValidation(&opts)
	for _, ed := range entries {
		batch.AddEntry(ed)
	}
	if err := batch.Create(); err != nil {
		return nil, err
	}
	return batch, nil
}

// entry builds the entry detail record for one payment or prenote.
func entry(e settlement.DisbursementEntry, sec, odfi8 string, seq int) *ach.EntryDetail {
	ed := ach.NewEntryDetail()
	ed.TransactionCode = creditCode(e.AccountType, e.Prenote)
	ed.SetRDFI(e.Routing)
	ed.DFIAccountNumber = string(e.Account)
	ed.Amount = int(e.Amount.Minor())
	ed.IdentificationNumber = e.PayeeID
	if sec == ach.CTX {
		ed.SetCATXReceivingCompany(upper(e.PayeeName, 16))
	} else {
		ed.SetReceivingCompany(upper(e.PayeeName, 22))
	}
	ed.SetTraceNumber(odfi8, seq)
	return ed
}

// offset is the balancing debit to the originating account for a batch's credits.
func offset(f settlement.DisbursementFile, sec, odfi8 string, seq int, credits int64) *ach.EntryDetail {
	o := f.Originator
	ed := ach.NewEntryDetail()
	ed.TransactionCode = ach.CheckingDebit
	if o.AccountType == settlement.Savings {
		ed.TransactionCode = ach.SavingsDebit
	}
	ed.SetRDFI(o.ODFIRouting)
	ed.DFIAccountNumber = string(o.Account)
	ed.Amount = int(credits)
	ed.IdentificationNumber = upper(f.RunID, 15)
	if sec == ach.CTX {
		ed.SetCATXReceivingCompany(upper(o.CompanyName, 16))
		ed.SetCATXAddendaRecords(0)
	} else {
		ed.SetReceivingCompany(upper(o.CompanyName, 22))
	}
	ed.SetTraceNumber(odfi8, seq)
	return ed
}

func creditCode(t settlement.AccountType, prenote bool) int {
	switch {
	case t == settlement.Savings && prenote:
		return ach.SavingsPrenoteCredit
	case t == settlement.Savings:
		return ach.SavingsCredit
	case prenote:
		return ach.CheckingPrenoteCredit
	}
	return ach.CheckingCredit
}

// trnAddenda is the healthcare EFT reassociation addenda: TRN*1*<TRN02>*<TRN03>\
func trnAddenda(e settlement.DisbursementEntry, companyID string) *ach.Addenda05 {
	a := ach.NewAddenda05()
	a.PaymentRelatedInformation = fmt.Sprintf("TRN*1*%s*%s\\", e.TraceRef, orDefault(e.PayerID, companyID))
	return a
}

// ctxAddenda splits an X12 payload into consecutive 80-character addenda.
func ctxAddenda(payload []byte) []*ach.Addenda05 {
	out := make([]*ach.Addenda05, 0, (len(payload)+addendaWidth-1)/addendaWidth)
	for len(payload) > 0 {
		n := min(len(payload), addendaWidth)
		a := ach.NewAddenda05()
		a.PaymentRelatedInformation = string(payload[:n])
		out = append(out, a)
		payload = payload[n:]
	}
	return out
}
