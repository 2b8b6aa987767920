package mappings

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/revhub/revhub/ports"
)

// check validates one binding against the registry: registered adapters
// decode and validate their settings; planned ones give a warning.
func (ld *loader) check(b *Binding, deployment bool) {
	l := b.last()
	at := func(code, msg string) *Problem {
		return &Problem{File: l.file, Line: l.key.Line, Path: b.Path(), Code: code, Msg: msg}
	}
	atPort := func(code, msg string) *Problem {
		return &Problem{File: l.file, Line: l.portKey.Line, Path: "bindings." + b.Port, Code: code, Msg: msg}
	}
	switch {
	case deployment && !isDeploymentPort(b.Port) && planned[b.Port] != nil:
		ld.errs = append(ld.errs, atPort("wrong_scope", "port "+b.Port+" is bound per organization, not in deployment.yaml"))
		return
	case !deployment && isDeploymentPort(b.Port):
		ld.errs = append(ld.errs, atPort("wrong_scope", "port "+b.Port+" is bound once for the process, in deployment.yaml"))
		return
	}
	if _, ok := ports.LookupAdapter(b.Port, b.Adapter); ok {
		if err := ports.CheckAdapter(b.Port, b.Adapter, b.Decoder()); err != nil {
			ld.errs = append(ld.errs, b.problems(err)...)
		}
		return
	}
	registered := ld.registered(b.Port)
	switch {
	case slices.Contains(planned[b.Port], b.Adapter):
		ld.warns = append(ld.warns, at("not_yet_available",
			"adapter "+b.Adapter+" for port "+b.Port+" is planned but not yet available in this build; its settings are not checked"))
	case ld.portKnown(b.Port):
		ld.errs = append(ld.errs, at("unknown_adapter", "unknown "+b.Port+" adapter "+quote(b.Adapter)+
			"; registered: "+list(registered)+"; planned: "+list(planned[b.Port])))
	default:
		ld.errs = append(ld.errs, atPort("unknown_port", "unknown port "+quote(b.Port)+"; known ports: "+list(knownPorts(ld.portNames))))
	}
}

// checkZone checks e-invoice and tariff bindings against the org's zone.
func (ld *loader) checkZone(b *Binding, z ports.ZoneSpec) {
	var allowed []string
	switch b.Port {
	case "einvoice":
		allowed = z.EInvoice
	case "tariff":
		allowed = z.Tariff
	default:
		return
	}
	if !slices.Contains(allowed, b.Adapter) {
		l := b.last()
		ld.errs = append(ld.errs, &Problem{File: l.file, Line: l.key.Line, Path: b.Path(), Code: "zone_mismatch",
			Msg: b.Port + " adapter " + b.Adapter + " is not offered in zone " + z.Country + "; zone " + z.Country + " offers: " + list(allowed)})
	}
}

func (ld *loader) portKnown(port string) bool {
	return slices.Contains(ld.portNames, port) || planned[port] != nil
}

// registered lists the adapters registered for port.
func (ld *loader) registered(port string) []string {
	var out []string
	for _, info := range ports.Adapters() {
		if info.Port == port {
			out = append(out, info.Spec.Name)
		}
	}
	return out
}

// dedupe sorts problems by file, line and path and drops repeats: a tenant
// binding inherited by several organizations is reported once.
func dedupe(ps Problems) Problems {
	slices.SortStableFunc(ps, func(a, b *Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Path, b.Path), cmp.Compare(a.Msg, b.Msg))
	})
	return slices.CompactFunc(ps, func(a, b *Problem) bool {
		return a.File == b.File && a.Line == b.Line && a.Path == b.Path && a.Code == b.Code && a.Msg == b.Msg
	})
}

func merged[K comparable, V any](base, over map[K]V) map[K]V {
	out := maps.Clone(base)
	if out == nil {
		out = map[K]V{}
	}
	maps.Copy(out, over)
	return out
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

func quote(s string) string { return strconv.Quote(s) }

func list(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
