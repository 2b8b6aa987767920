package sapidoc

import (
	"testing"
	"time"

	"github.com/revhub/revhub/core/ledger"
	"github.com/revhub/revhub/core/money"
)

// BenchmarkBuild_998Lines renders one full-size ACC_DOCUMENT IDoc.
func BenchmarkBuild_998Lines(b *testing.B) {
	e := &Exporter{cfg: Config{PartnerNumber: "REVHUB", PartnerType: "LS", SenderPort: "REVHUB", ReceiverPartner: "S4PCLNT100",
		Username: "REVHUB_IDOC", CompanyCode: "1000", DocType: "SA", IDocType: "ACC_DOCUMENT03", AccountZeroPadded: true}}
	ps := make([]ledger.Posting, 499)
	for i := range ps {
		ps[i] = ledger.Posting{Ref: "adj", Memo: "Procedure/p-1 version 1", Amount: money.MustNew(int64(i*37+1), money.EUR)}
	}
	batch := ledger.FromPostings("JRN-parnu-00000042", time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), "411100", "706100", "KK-110", ps)
	created := time.Date(2026, 3, 3, 9, 30, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.build(batch, created); err != nil {
			b.Fatal(err)
		}
	}
}
