package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/revhub/revhub/adapters/httpapi"
)

func init() {
	register("serve", "run the hub's HTTP API: revhub serve [--addr HOST:PORT] [--data DIR] [--postgres URL] [--nats URL]", runServe)
}

// apiRoutes are route tables other files of this command add in init(),
// e.g. /v1/sync, so serve needs no edit when a package gains routes.
var apiRoutes []func(*hub) []httpapi.Route

// addRoutes registers a route table built from the opened hub.
func addRoutes(fn func(*hub) []httpapi.Route) { apiRoutes = append(apiRoutes, fn) }

// apiHooks run on the built API, e.g. to register metrics collectors.
var apiHooks []func(*hub, *httpapi.Server)

// onAPI registers a hook run on every API newAPI builds.
func onAPI(fn func(*hub, *httpapi.Server)) { apiHooks = append(apiHooks, fn) }

// workers start background loops of serve (bus consumers, the outbox);
// each returns a stop function that waits for the loop to end.
var workers []func(ctx context.Context, hb *hub) (stop func(), err error)

// addWorker registers a background loop serve starts and stops.
func addWorker(fn func(ctx context.Context, hb *hub) (func(), error)) { workers = append(workers, fn) }

// newAPI builds the API over an opened hub, with every added route table.
func newAPI(hb *hub) *httpapi.Server {
	api := httpapi.New(httpapi.Options{Store: hb.store, Logger: hb.deps.Logger, Clock: hb.deps.Clock})
	for _, fn := range apiRoutes {
		api.Handle(fn(hb)...)
	}
	for _, fn := range apiHooks {
		fn(hb, api)
	}
	return api
}

// runServe serves until ctx ends (SIGINT or SIGTERM in main), then shuts
// down gracefully: no new connections, in-flight requests get
// --shutdown-timeout to finish, then the bus and store close.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var hf hubFlags
	hf.register(fs, true)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (deployment.yaml's http.httpapi.addr when not given)")
	grace := fs.Duration("shutdown-timeout", 10*time.Second, "how long in-flight requests may finish after SIGTERM")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return exitUsage{"usage: revhub serve [flags]; see revhub serve -h"}
	}
	log := newLogger(stderr)
	hb, err := hf.open(ctx, log, true)
	if err != nil {
		return err
	}
	defer hb.Close()
	if !hf.set("addr") {
		if a, err := deploymentAddr(hb); err != nil {
			return err
		} else if a != "" {
			*addr = a
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	wctx, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	var stops []func()
	defer func() {
		stopWorkers()
		for _, stop := range stops {
			stop()
		}
	}()
	for _, start := range workers {
		stop, err := start(wctx, hb)
		if err != nil {
			ln.Close()
			return err
		}
		stops = append(stops, stop)
	}
	srv := &http.Server{
		Handler:           newAPI(hb),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "revhub serving on %s\n  health:  %s/healthz  (ready: %s/readyz)\n  openapi: %s/v1/openapi.json\n  metrics: %s/metrics\n  data:    %s\n  store:   %s\n  bus:     %s\n",
		url, url, url, url, url, hf.data, hb.storeName, hb.busName)
	log.Info("serving", "addr", ln.Addr().String(), "store", hb.storeName, "bus", hb.busName)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", grace.String())
	sctx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	err = srv.Shutdown(sctx)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	stopWorkers()
	for _, stop := range stops {
		stop()
	}
	stops = nil
	if cerr := hb.Close(); cerr != nil {
		err = errors.Join(err, cerr)
	}
	if err == nil {
		log.Info("stopped")
	}
	return err
}

// deploymentAddr reads http.httpapi.addr from deployment.yaml, if bound.
func deploymentAddr(hb *hub) (string, error) {
	if hb.cfg == nil {
		return "", nil
	}
	name, dec, ok := hb.cfg.Binding("", "", "http")
	if !ok || name != "httpapi" {
		return "", nil
	}
	var s struct {
		Addr string `yaml:"addr"`
	}
	if err := dec(&s); err != nil {
		return "", err
	}
	return s.Addr, nil
}
