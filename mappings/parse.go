package mappings

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/revhub/revhub/core/capture"
)

// layer is what one tenant or organization file says, before merging.
type layer struct {
	id, name, code  string
	zone            string
	zoneNode        *yaml.Node
	zoneFile        string
	identifiers     map[string]string
	numbering       map[DocType]Series
	accounts, costs map[string]string
	bindings        map[string]*Binding
	capture         *capture.Rules
	pricing         *Pricing
	billing         *Billing
}

var (
	idRE      = regexp.MustCompile(`^[a-z0-9_][a-z0-9_-]{0,62}$`)
	codeRE    = regexp.MustCompile(`^[A-Z0-9]{1,12}$`)
	zoneRE    = regexp.MustCompile(`^[A-Za-z]{2}$`)
	seriesRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)
	accountRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)
	nameRE    = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
)

func newLayer() *layer {
	return &layer{
		identifiers: map[string]string{}, numbering: map[DocType]Series{},
		accounts: map[string]string{}, costs: map[string]string{}, bindings: map[string]*Binding{},
	}
}

// parseScope reads a tenant file (idKey "tenant") or an organization file
// (idKey "organization").
func (f *file) parseScope(root *yaml.Node, idKey string) *layer {
	l := newLayer()
	h := map[string]func(k, v *yaml.Node, p string){
		idKey:  func(_, v *yaml.Node, p string) { l.id, _ = f.match(v, p, idRE, "lower-case letters, digits, - and _") },
		"name": func(_, v *yaml.Node, p string) { l.name, _ = f.str(v, p) },
		"zone": func(_, v *yaml.Node, p string) {
			if z, ok := f.match(v, p, zoneRE, "an ISO 3166-1 alpha-2 country code"); ok {
				l.zone, l.zoneNode, l.zoneFile = strings.ToUpper(z), v, f.name
			}
		},
		"numbering":    func(_, v *yaml.Node, p string) { f.numbering(v, p, l.numbering) },
		"accounts":     func(_, v *yaml.Node, p string) { f.strMap(v, p, accountRE, l.accounts) },
		"cost_centres": func(_, v *yaml.Node, p string) { f.strMap(v, p, accountRE, l.costs) },
		"bindings":     func(_, v *yaml.Node, p string) { f.bindings(v, p, l.bindings) },
		"capture":      func(_, v *yaml.Node, p string) { l.capture = f.captureRules(v, p) },
		"pricing":      func(_, v *yaml.Node, p string) { l.pricing = f.pricingSection(v, p) },
		"billing":      func(_, v *yaml.Node, p string) { l.billing = f.billingSection(v, p) },
	}
	if idKey == "organization" {
		h["code"] = func(_, v *yaml.Node, p string) {
			l.code, _ = f.match(v, p, codeRE, "1-12 upper-case letters or digits")
		}
		h["identifiers"] = func(_, v *yaml.Node, p string) { f.identifiers(v, p, l.identifiers) }
	}
	f.fields(root, "", h)
	return l
}

// parseDeployment reads deployment.yaml.
func (f *file) parseDeployment(root *yaml.Node) *layer {
	l := newLayer()
	f.fields(root, "", map[string]func(k, v *yaml.Node, p string){
		"deployment": func(_, v *yaml.Node, p string) {
			l.name, _ = f.match(v, p, idRE, "lower-case letters, digits, - and _")
		},
		"bindings": func(_, v *yaml.Node, p string) { f.bindings(v, p, l.bindings) },
	})
	return l
}

func (f *file) numbering(n *yaml.Node, path string, into map[DocType]Series) {
	f.pairs(n, path, func(k, v *yaml.Node, p string) {
		dt := DocType(k.Value)
		if dt != Invoice && dt != CreditNote {
			f.add(k, p, "unknown_key", "unknown document type %q; expected one of: credit_note, invoice", k.Value)
			return
		}
		var s Series
		var patNode *yaml.Node
		f.fields(v, p, map[string]func(k, v *yaml.Node, p string){
			"name": func(_, v *yaml.Node, p string) {
				s.Name, _ = f.match(v, p, seriesRE, "a series name: lower-case letters, digits, - and _")
			},
			"pattern": func(_, v *yaml.Node, p string) { s.Pattern, _ = f.str(v, p); patNode = v },
			"reset": func(_, v *yaml.Node, p string) {
				if r, ok := f.str(v, p); ok {
					if s.Reset = Reset(r); s.Reset != ResetYearly && s.Reset != ResetNever {
						f.add(v, p, "invalid", "reset %q: expected yearly or never", r)
					}
				}
			},
		})
		for _, req := range []struct {
			key     string
			missing bool
		}{{"name", s.Name == ""}, {"pattern", patNode == nil}, {"reset", s.Reset == ""}} {
			if req.missing && v.Kind == yaml.MappingNode {
				f.add(k, joinPath(p, req.key), "required", "required")
			}
		}
		if patNode != nil && s.Pattern != "" {
			if err := checkPattern(s.Pattern, s.Reset); err != nil {
				f.add(patNode, joinPath(p, "pattern"), "invalid_pattern", "%q: %v", s.Pattern, err)
			}
		}
		into[dt] = s
	})
}

func (f *file) identifiers(n *yaml.Node, path string, into map[string]string) {
	f.pairs(n, path, func(k, v *yaml.Node, p string) {
		sch, ok := idSchemes[k.Value]
		if !ok {
			f.add(k, p, "unknown_key", "unknown identifier scheme %q; expected one of: %s", k.Value, idSchemeNames())
			return
		}
		s, ok := f.str(v, p)
		if !ok {
			return
		}
		if !sch.re.MatchString(s) || (sch.check != nil && !sch.check(s)) {
			f.add(v, p, "invalid", "%q is not %s", s, sch.want)
			return
		}
		into[k.Value] = s
	})
}

// bindings reads `bindings:`: each port key holds exactly one adapter name.
func (f *file) bindings(n *yaml.Node, path string, into map[string]*Binding) {
	f.pairs(n, path, func(k, v *yaml.Node, p string) {
		if !nameRE.MatchString(k.Value) {
			f.add(k, p, "invalid_key", "port key %q must be snake_case", k.Value)
			return
		}
		if v.Kind != yaml.MappingNode || len(v.Content) != 2 {
			f.add(v, p, "one_adapter", "expected exactly one adapter name under %s, e.g. %s: { name: { settings } }", p, k.Value)
			return
		}
		ak, settings := v.Content[0], v.Content[1]
		ap := joinPath(p, ak.Value)
		if ak.Kind != yaml.ScalarNode || !nameRE.MatchString(ak.Value) {
			f.add(ak, p, "invalid_key", "adapter name must be snake_case")
			return
		}
		if !isNull(settings) && settings.Kind != yaml.MappingNode {
			f.add(settings, ap, "type", "expected a mapping of settings, or {} for none")
			return
		}
		if !isNull(settings) {
			f.checkSecrets(settings, ap)
		}
		into[k.Value] = &Binding{Port: k.Value, Adapter: ak.Value, parts: []part{{file: f.name, portKey: k, key: ak, settings: settings}}}
	})
}
