package mappings

import (
	"cmp"
	"errors"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/revhub/revhub/ports"
)

// Load reads and validates the configuration tree at dir. It returns every
// error at once as Problems, and nil *Config unless the tree is valid.
// Bindings to planned adapters missing from this build are in Config.Warnings.
func Load(dir string) (*Config, error) { return LoadFS(os.DirFS(dir)) }

// LoadFS is Load over a file system rooted at the tree.
func LoadFS(fsys fs.FS) (*Config, error) {
	cfg, errs := load(fsys)
	if len(errs) > 0 {
		return nil, errs
	}
	return cfg, nil
}

// Validate loads the tree at dir and returns its warnings and its errors.
func Validate(dir string) (warnings Problems, err error) {
	cfg, errs := load(os.DirFS(dir))
	return cfg.Warnings, errs.Err()
}

// loader accumulates problems while reading one tree.
type loader struct {
	fsys      fs.FS
	errs      Problems
	warns     Problems
	portNames []string // ports with a registry in this build
}

func load(fsys fs.FS) (*Config, Problems) {
	ld := &loader{fsys: fsys, portNames: ports.Ports()}
	cfg := &Config{}
	if dep := ld.file("deployment.yaml", func(f *file, data []byte) *layer {
		if root := f.parse(data); root != nil {
			return f.parseDeployment(root)
		}
		return nil
	}); dep != nil {
		cfg.Deployment = Deployment{Name: dep.name, Bindings: dep.bindings}
		for _, port := range sortedKeys(dep.bindings) {
			ld.check(dep.bindings[port], true)
		}
	}
	entries, err := fs.ReadDir(fsys, "tenants")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		ld.errs = append(ld.errs, &Problem{File: "tenants", Code: "read", Msg: err.Error(), Err: err})
	}
	for _, e := range entries {
		switch {
		case strings.HasPrefix(e.Name(), "."):
		case !e.IsDir():
			ld.errs = append(ld.errs, &Problem{File: "tenants/" + e.Name(), Code: "unexpected_file", Msg: "expected only tenant directories under tenants/"})
		default:
			if t := ld.tenant(e.Name()); t != nil {
				cfg.Tenants = append(cfg.Tenants, t)
			}
		}
	}
	cfg.Warnings = dedupe(ld.warns)
	return cfg, dedupe(ld.errs)
}

// file reads name and parses it with fn; nil when it is missing or not a
// mapping. A layer with problems is still returned, so that checking goes on
// and every problem is reported in one pass.
func (ld *loader) file(name string, fn func(f *file, data []byte) *layer) *layer {
	f := &file{name: name, probs: &ld.errs}
	st, err := fs.Stat(ld.fsys, name)
	if err == nil && st.Size() > maxFileSize {
		f.add(nil, "", "too_large", "file is larger than %d bytes", maxFileSize)
		return nil
	}
	data, err := fs.ReadFile(ld.fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			f.add(nil, "", "missing", "file is missing")
		} else {
			f.add(nil, "", "read", "%v", err)
		}
		return nil
	}
	return fn(f, data)
}

// tenant loads tenants/<id>/: _tenant.yaml and one file per organization.
func (ld *loader) tenant(id string) *Tenant {
	dir := "tenants/" + id
	tf := dir + "/_tenant.yaml"
	if !idRE.MatchString(id) {
		ld.errs = append(ld.errs, &Problem{File: dir, Code: "invalid", Msg: "tenant directory name must be lower-case letters, digits, - and _"})
		return nil
	}
	tl := ld.file(tf, func(f *file, data []byte) *layer {
		root := f.parse(data)
		if root == nil {
			return nil
		}
		l := f.parseScope(root, "tenant")
		if l.id != "" && l.id != id {
			f.add(root, "tenant", "mismatch", "tenant %q must match its directory name %q", l.id, id)
		}
		if l.name == "" {
			f.add(root, "name", "required", "required")
		}
		return l
	})
	entries, err := fs.ReadDir(ld.fsys, dir)
	if err != nil {
		ld.errs = append(ld.errs, &Problem{File: dir, Code: "read", Msg: err.Error(), Err: err})
		return nil
	}
	t := &Tenant{ID: id}
	if tl != nil {
		t.Name = tl.name
	}
	firstFile := map[string]string{}
	for _, e := range entries {
		name := e.Name()
		ext := path.Ext(name)
		switch {
		case name == "_tenant.yaml" || strings.HasPrefix(name, "."):
		case e.IsDir():
			ld.errs = append(ld.errs, &Problem{File: dir + "/" + name, Code: "unexpected_dir", Msg: "organizations are files; no directories under a tenant"})
		case ext != ".yaml" && ext != ".yml":
		default:
			o := ld.org(id, dir+"/"+name, tl, firstFile)
			if o != nil && tl != nil {
				t.Orgs = append(t.Orgs, o)
			}
		}
	}
	if len(firstFile) == 0 {
		ld.warns = append(ld.warns, &Problem{File: tf, Code: "no_orgs", Msg: "tenant has no organization files"})
	}
	if tl == nil {
		return nil
	}
	slices.SortFunc(t.Orgs, func(a, b *Org) int { return cmp.Compare(a.ID, b.ID) })
	return t
}

// org loads one organization file and applies the tenant's defaults.
func (ld *loader) org(tenant, name string, tl *layer, firstFile map[string]string) *Org {
	var o *Org
	ol := ld.file(name, func(f *file, data []byte) *layer {
		root := f.parse(data)
		if root == nil {
			return nil
		}
		l := f.parseScope(root, "organization")
		if l.id == "" && find(root, "organization") == nil {
			f.add(root, "organization", "required", "required")
		}
		if l.name == "" && find(root, "name") == nil {
			f.add(root, "name", "required", "required")
		}
		if prev, dup := firstFile[l.id]; dup && l.id != "" {
			f.add(find(root, "organization"), "organization", "duplicate_org", "duplicate organization %q (also in %s)", l.id, prev)
		} else if l.id != "" {
			firstFile[l.id] = name
		}
		if tl != nil {
			o = ld.merge(f, root.Line, tenant, tl, l)
		}
		return l
	})
	if ol == nil {
		return nil
	}
	return o
}

// merge lays the organization layer over the tenant layer and checks the result.
func (ld *loader) merge(f *file, rootLine int, tenant string, tl, ol *layer) *Org {
	o := &Org{
		ID: ol.id, Tenant: tenant, Name: ol.name, Code: ol.code, File: f.name,
		Zone: cmp.Or(ol.zone, tl.zone), Identifiers: ol.identifiers,
		Numbering: merged(tl.numbering, ol.numbering), Accounts: merged(tl.accounts, ol.accounts),
		CostCentres: merged(tl.costs, ol.costs), Bindings: map[string]*Binding{},
		Capture: cmp.Or(ol.capture, tl.capture), Pricing: cmp.Or(ol.pricing, tl.pricing), Billing: cmp.Or(ol.billing, tl.billing),
	}
	if o.Code == "" {
		o.Code = strings.ToUpper(strings.NewReplacer("-", "", "_", "").Replace(o.ID))
	}
	for _, dt := range docTypes {
		if _, ok := o.Numbering[dt]; !ok {
			f.add(nil, "numbering."+string(dt), "required", "required: a numbering series for %s here or in _tenant.yaml", dt)
		}
	}
	zf, zn := f.name, ol.zoneNode
	if ol.zone == "" {
		zf, zn = tl.zoneFile, tl.zoneNode
	}
	zone, zoneOK := ports.ZoneSpec{}, false
	switch {
	case o.Zone == "":
		f.add(nil, "zone", "required", "required: an ISO country code here or in _tenant.yaml")
	default:
		if zone, zoneOK = ports.Zone(o.Zone); !zoneOK {
			ld.errs = append(ld.errs, &Problem{File: zf, Line: cmp.Or(line(zn), rootLine), Path: "zone", Code: "unknown_zone",
				Msg: "unknown zone " + quote(o.Zone) + "; registered zones: " + list(ports.Zones())})
		}
	}
	for port, b := range tl.bindings {
		o.Bindings[port] = b
	}
	for port, b := range ol.bindings {
		if tb, ok := tl.bindings[port]; ok && tb.Adapter == b.Adapter {
			b = &Binding{Port: port, Adapter: b.Adapter, parts: append(slices.Clone(tb.parts), b.parts...)}
		}
		o.Bindings[port] = b
	}
	for _, port := range sortedKeys(o.Bindings) {
		b := o.Bindings[port]
		ld.check(b, false)
		if zoneOK {
			ld.checkZone(b, zone)
		}
	}
	return o
}
