package nacha

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.PayoutFormats, ports.Spec{
		Name:    "nacha",
		Summary: "Builds NACHA ACH disbursement files: CCD+ healthcare EFT (TRN addenda), CTX with X12, prenotes.",
		Examples: []string{"immediate_destination: \"231380104\"\nimmediate_destination_name: DEST BANK\n" +
			"immediate_origin: \"1123456789\"\nimmediate_origin_name: ACME HEALTH PLAN\n" +
			"balanced: false\ncutoff: \"15:00\"\ntimezone: America/New_York\n" +
			"company_name: ACME HEALTH PLAN\ncompany_id: \"1123456789\"\nodfi_routing: \"121042882\"\n" +
			"account_ref: env:ACME_ODFI_ACCOUNT\naccount_type: checking\nprenote_days: 3\n"},
	}, func(cfg Config, deps ports.Deps) (ports.PayoutFileBuilder, error) {
		b, err := New(cfg, deps)
		if err != nil {
			return nil, err
		}
		return b, nil
	})
}
