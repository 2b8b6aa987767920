package csvgl

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.GLExporters, ports.Spec{
		Name:     "csv_gl",
		Summary:  "Writes each ledger batch as a CSV journal file (temp name, then linked into place) in a directory the ERP imports from.",
		Examples: []string{"directory: /var/lib/revhub/export/gl\ndelimiter: \";\"\ndecimal_separator: \",\"\njournal_code: VT\n"},
	}, func(cfg Config, deps ports.Deps) (ports.GLExporter, error) { return New(cfg, deps) })
}
