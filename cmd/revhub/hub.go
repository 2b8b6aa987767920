package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/revhub/revhub/adapters/kit/logx"
	"github.com/revhub/revhub/adapters/kit/secrets"
	"github.com/revhub/revhub/mappings"
	"github.com/revhub/revhub/ports"
	"gopkg.in/yaml.v3"
)

// Environment variables naming external servers; the flags win over them.
const (
	envPostgres = "REVHUB_POSTGRES_URL"
	envNATS     = "REVHUB_NATS_URL"
)

// hubFlags are the flags every command that opens the hub's state shares.
type hubFlags struct {
	mappings string
	data     string
	postgres string
	nats     string
	fs       *flag.FlagSet
}

func (h *hubFlags) register(fs *flag.FlagSet, bus bool) {
	h.fs = fs
	fs.StringVar(&h.mappings, "mappings", "mappings", "mappings directory (deployment.yaml picks the store and bus)")
	fs.StringVar(&h.data, "data", ".revhub-data", "data directory of the embedded store and bus")
	fs.StringVar(&h.postgres, "postgres", "", "PostgreSQL URL; overrides deployment.yaml (env "+envPostgres+")")
	if bus {
		fs.StringVar(&h.nats, "nats", "", "external NATS URL; overrides deployment.yaml (env "+envNATS+")")
	}
}

func (h *hubFlags) set(name string) bool {
	found := false
	if h.fs == nil {
		return false
	}
	h.fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// hub is the state a command opened: its configuration, store and bus.
type hub struct {
	cfg       *mappings.Config // nil without a mappings directory
	deps      ports.Deps
	store     ports.Store
	storeName string
	bus       ports.Bus // nil unless asked for
	busName   string
	closed    bool
	svc       *services                           // built on first use, see services.go
	payout    func(tenant string) (payout, error) // tests only; nil: built from the mappings and the store, see settlement_payout.go
}

// open loads the mappings, then builds the store and, when withBus, the
// bus: an external server named by flag or environment first, else the
// deployment.yaml binding, else the embedded default.
func (h *hubFlags) open(ctx context.Context, log *slog.Logger, withBus bool) (*hub, error) {
	cfg, err := h.loadMappings()
	if err != nil {
		return nil, err
	}
	pg := firstNonEmpty(h.postgres, os.Getenv(envPostgres))
	nt := firstNonEmpty(h.nats, os.Getenv(envNATS))
	over := secrets.Map{}
	if pg != "" {
		over["env:"+envPostgres] = pg
	}
	if nt != "" {
		over["env:"+envNATS] = nt
	}
	hb := &hub{cfg: cfg, deps: ports.Deps{
		Logger: log, Clock: time.Now, DataDir: h.data,
		Secrets: overlay{over, secrets.Resolver{}},
	}}
	hb.store, hb.storeName, err = build(cfg, ports.Stores, "postgres", pg, "url_ref: env:"+envPostgres, hb.deps)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if withBus {
		hb.bus, hb.busName, err = build(cfg, ports.Buses, "nats", nt, "url_ref: env:"+envNATS, hb.deps)
		if err != nil {
			hb.store.Close()
			return nil, fmt.Errorf("bus: %w", err)
		}
	}
	return hb, nil
}

// build picks an adapter for a deployment-wide port: the external one when
// url is set, else the deployment.yaml binding, else the embedded default
// (an embedded NATS server for the bus).
func build[T any](cfg *mappings.Config, reg *ports.Registry[T], external, url, settings string, deps ports.Deps) (T, string, error) {
	if url != "" {
		dec := yamlDecoder(settings)
		if cfg != nil {
			// Keep the deployment's other settings (stream, schema, …) when it
			// binds the same adapter: the flag or variable replaces only the URL.
			if name, base, ok := cfg.Binding("", "", reg.Port()); ok && name == external {
				dec = func(into any) error {
					if err := base(into); err != nil {
						return err
					}
					return yamlDecoder(settings)(into)
				}
			}
		}
		v, err := reg.Build(external, dec, deps)
		return v, external + " (external)", err
	}
	if cfg != nil {
		if name, _, ok := cfg.Binding("", "", reg.Port()); ok {
			v, err := mappings.Bind(cfg, reg, "", "", deps)
			return v, name + " (deployment.yaml)", err
		}
	}
	name := "embedded"
	if reg.Port() == "bus" {
		name = "nats"
	}
	v, err := reg.Build(name, nil, deps)
	return v, name + " (default)", err
}

// loadMappings loads the tree; a missing default directory means no
// mappings (the embedded defaults), a missing named one is an error.
func (h *hubFlags) loadMappings() (*mappings.Config, error) {
	if _, err := os.Stat(h.mappings); errors.Is(err, os.ErrNotExist) && !h.set("mappings") {
		return nil, nil
	}
	cfg, err := mappings.Load(h.mappings)
	if err != nil {
		return nil, fmt.Errorf("mappings %s: %w", h.mappings, err)
	}
	return cfg, nil
}

// Close closes the bus, then the store; later calls do nothing.
func (hb *hub) Close() error {
	if hb.closed {
		return nil
	}
	hb.closed = true
	var errs []error
	if hb.bus != nil {
		errs = append(errs, hb.bus.Close())
	}
	return errors.Join(append(errs, hb.store.Close())...)
}

// overlay resolves the URLs given by flag before asking the real resolver.
type overlay struct {
	over secrets.Map
	next ports.Secrets
}

func (o overlay) Resolve(ctx context.Context, ref string) ([]byte, error) {
	if v, ok := o.over[ref]; ok {
		return []byte(v), nil
	}
	return o.next.Resolve(ctx, ref)
}

// yamlDecoder decodes fixed settings strictly, like a mappings binding.
func yamlDecoder(doc string) ports.Decoder {
	return func(into any) error {
		dec := yaml.NewDecoder(strings.NewReader(doc))
		dec.KnownFields(true)
		return dec.Decode(into)
	}
}

// newLogger logs JSON to w through the masking handler.
func newLogger(w io.Writer) *slog.Logger {
	return slog.New(logx.Mask(slog.NewJSONHandler(w, nil)))
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
