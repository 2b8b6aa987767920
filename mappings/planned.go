package mappings

import "slices"

// planned lists, per port, the adapter names the architecture names but a
// build may not contain yet. Binding one is a warning, not an error, so
// mappings can be written before the adapter lands. Keep in step with ports/.
var planned = map[string][]string{
	"bus":       {"nats"},
	"einvoice":  {"e_arve", "en16931_ubl", "facturx", "xrechnung", "zugferd"},
	"gl_export": {"csv_gl", "dynamics_odata", "oracle_gl", "sap_idoc"},
	"http":      {"httpapi"},
	"payment":   {"adyen", "stripe"},
	"payout":    {"nacha"},
	// payout_delivery is ports.FileDrops; einvoice_delivery is a guess at
	// the port that will send e-invoices by mail or file drop.
	"payout_delivery":   {"sftp"},
	"einvoice_delivery": {"sftp", "smtp"},
	"remittance":        {"x12_820", "x12_835"},
	"store":             {"embedded", "postgres"},
	"tariff":            {"ebm", "nabm", "tervisekassa"},
}

// deploymentPorts are bound once per process, in deployment.yaml only; the
// other planned ports only per organization. Other registered ports may be
// bound in either.
var deploymentPorts = []string{"bus", "http", "store"}

func isDeploymentPort(port string) bool { return slices.Contains(deploymentPorts, port) }

// knownPorts lists registered and planned ports, sorted.
func knownPorts(registered []string) []string {
	out := slices.Clone(registered)
	for p := range planned {
		out = append(out, p)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
