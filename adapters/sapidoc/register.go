package sapidoc

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.GLExporters, ports.Spec{
		Name:    "sap_idoc",
		Summary: "Posts ledger batches to SAP as ACC_DOCUMENT IDoc-XML over HTTP (basic auth), one balanced document per 999 lines, a reference derived from the batch ID for resends.",
		Examples: []string{"endpoint: https://sap.example/sap/bc/idoc_xml?sap-client=100\nusername: REVHUB_IDOC\npassword_ref: env:SAP_PASSWORD\n" +
			"partner_number: REVHUB\nreceiver_partner: S4PCLNT100\ncompany_code: \"1000\"\n"},
	}, func(cfg Config, deps ports.Deps) (ports.GLExporter, error) {
		exp, err := New(cfg, deps)
		if err != nil {
			return nil, err
		}
		return exp, nil
	})
}
