package x835

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.Remittances, ports.Spec{
		Name:     "x12_835",
		Summary:  "Writes and reads X12 5010 835 claim payment advices (005010X221A1), balanced both ways.",
		Examples: []string{"sender_id: ACMEPAYER\nreceiver_id: NORTHCLINIC\nusage: P\n"},
	}, func(cfg Config, deps ports.Deps) (ports.RemittanceCodec, error) {
		c, err := New(cfg, deps)
		if err != nil {
			return nil, err
		}
		return c, nil
	})
}
