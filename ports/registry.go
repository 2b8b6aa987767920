package ports

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"sync"
)

// Spec describes a registered adapter for mappings, docs and `revhub adapters list`.
type Spec struct {
	Name     string   // snake_case, system then format: "sap_idoc"
	Summary  string   // one sentence
	Examples []string // YAML settings blocks a reader can copy
}

// Config is the typed settings of an adapter. Validate returns validate.Errors.
type Config interface{ Validate() error }

// Field describes one setting of an adapter's Config, read from struct tags:
// `yaml:"key"`, `doc:"..."`, `default:"..."` and `required:"true"`.
type Field struct {
	Key      string
	Type     string
	Required bool
	Default  string
	Doc      string
	Secret   bool // key ends in _ref: a reference resolved through Deps.Secrets
}

// Info is what the registry knows about one adapter.
type Info struct {
	Port       string
	Spec       Spec
	ConfigType reflect.Type
	Fields     []Field
}

// Decoder fills a pointer to a Config from the mapping's settings, strictly:
// unknown keys are errors. mappings supplies it; ports stays format-agnostic.
type Decoder func(into any) error

type entry[T any] struct {
	info  Info
	check func(Decoder) (any, error)
	build func(any, Deps) (T, error)
}

// Registry holds the adapters that serve one port, by name.
type Registry[T any] struct {
	port    string
	mu      sync.RWMutex
	entries map[string]*entry[T]
}

var (
	allMu    sync.Mutex
	allPorts = map[string]lister{}
)

type lister interface {
	Names() []string
	Lookup(string) (Info, bool)
	Check(string, Decoder) error
}

// NewRegistry returns the registry for a port, known to mappings by port
// (a snake_case key under `bindings:`). It panics if the port exists.
func NewRegistry[T any](port string) *Registry[T] {
	r := &Registry[T]{port: port, entries: map[string]*entry[T]{}}
	allMu.Lock()
	defer allMu.Unlock()
	if _, dup := allPorts[port]; dup {
		panic("ports: duplicate port " + port)
	}
	allPorts[port] = r
	return r
}

// Port returns the port's key.
func (r *Registry[T]) Port() string { return r.port }

var snake = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// Register adds an adapter to r, like database/sql.Register. It panics on a
// duplicate or non-snake_case name: both are programmer errors at start-up.
func Register[C Config, T any](r *Registry[T], spec Spec, build func(C, Deps) (T, error)) {
	if !snake.MatchString(spec.Name) {
		panic(fmt.Sprintf("ports: adapter name %q is not snake_case", spec.Name))
	}
	ct := reflect.TypeFor[C]()
	e := &entry[T]{
		info: Info{Port: r.port, Spec: spec, ConfigType: ct, Fields: fieldsOf(ct)},
		check: func(dec Decoder) (any, error) {
			var c C
			if err := applyDefaults(&c); err != nil {
				return nil, err
			}
			if dec != nil {
				if err := dec(&c); err != nil {
					return nil, err
				}
			}
			if err := c.Validate(); err != nil {
				return nil, err
			}
			return c, nil
		},
		build: func(c any, d Deps) (T, error) { return build(c.(C), d) },
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.entries[spec.Name]; dup {
		panic(fmt.Sprintf("ports: duplicate adapter %q for port %s", spec.Name, r.port))
	}
	r.entries[spec.Name] = e
}

// Names lists the registered adapter names in sorted order.
func (r *Registry[T]) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.entries))
	for n := range r.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns an adapter's Info.
func (r *Registry[T]) Lookup(name string) (Info, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	e, ok := r.entries[name]
	if !ok {
		return Info{}, false
	}
	return e.info, true
}

func (r *Registry[T]) get(name string) (*entry[T], error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if e, ok := r.entries[name]; ok {
		return e, nil
	}
	return nil, &UnknownAdapterError{Port: r.port, Name: name, Known: r.namesLocked()}
}

func (r *Registry[T]) namesLocked() []string {
	names := make([]string, 0, len(r.entries))
	for n := range r.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Check decodes and validates settings for name without building the adapter.
func (r *Registry[T]) Check(name string, dec Decoder) error {
	e, err := r.get(name)
	if err != nil {
		return err
	}
	_, err = e.check(dec)
	return err
}

// Build decodes, validates and constructs the named adapter. On error the
// returned T is its zero value (a real nil for interfaces).
func (r *Registry[T]) Build(name string, dec Decoder, deps Deps) (T, error) {
	var zero T
	e, err := r.get(name)
	if err != nil {
		return zero, err
	}
	c, err := e.check(dec)
	if err != nil {
		return zero, err
	}
	t, err := e.build(c, deps)
	if err != nil {
		return zero, err
	}
	return t, nil
}

// UnknownAdapterError names the adapter asked for and the ones registered.
type UnknownAdapterError struct {
	Port, Name string
	Known      []string
}

func (e *UnknownAdapterError) Error() string {
	return fmt.Sprintf("unknown %s adapter %q (registered: %v)", e.Port, e.Name, e.Known)
}

// Ports lists every port key with a registry, sorted.
func Ports() []string {
	allMu.Lock()
	defer allMu.Unlock()
	out := make([]string, 0, len(allPorts))
	for p := range allPorts {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Adapters lists every registered adapter of every port, sorted by port then name.
func Adapters() []Info {
	var out []Info
	for _, p := range Ports() {
		allMu.Lock()
		r := allPorts[p]
		allMu.Unlock()
		for _, n := range r.Names() {
			info, _ := r.Lookup(n)
			out = append(out, info)
		}
	}
	return out
}

// LookupAdapter finds an adapter by port key and name, in any registry.
func LookupAdapter(port, name string) (Info, bool) {
	allMu.Lock()
	r, ok := allPorts[port]
	allMu.Unlock()
	if !ok {
		return Info{}, false
	}
	return r.Lookup(name)
}

// CheckAdapter decodes and validates settings for the adapter name of port,
// without building it. It returns *UnknownAdapterError when either is unknown.
func CheckAdapter(port, name string, dec Decoder) error {
	allMu.Lock()
	r, ok := allPorts[port]
	allMu.Unlock()
	if !ok {
		return &UnknownAdapterError{Port: port, Name: name}
	}
	return r.Check(name, dec)
}
