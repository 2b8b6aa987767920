# revhub — see README.md. `make run` starts the hub on embedded defaults; `make test` runs every test.
SHELL  := /bin/bash
GO     ?= go
MODULE := github.com/revhub/revhub
FUZZTIME ?= 30s
BENCHTIME ?= 1s
DATA   ?= .revhub-data
ADDR   ?= 127.0.0.1:8080

# External services for the conformance suites: used when they answer, announced loudly when not.
PG_URL   ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
NATS_URL ?= nats://127.0.0.1:4222
export REVHUB_TEST_POSTGRES_URL ?= $(shell scripts/probe.sh tcp 127.0.0.1 5432 && echo '$(PG_URL)')
export REVHUB_TEST_NATS_URL ?= $(shell scripts/probe.sh tcp 127.0.0.1 4222 && echo '$(NATS_URL)')

GOLDEN_PKGS = $(shell $(GO) list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... | awk '/testharness\/golden/ {print $$1}')
OUTER  := $(MODULE)/(adapters|zones|mappings|cmd|testharness)
DEPS   := {{range .Deps}}{{$$.ImportPath}} -> {{.}}{{"\n"}}{{end}}
IMPS   := {{range .Imports}}{{$$.ImportPath}} -> {{.}}{{"\n"}}{{end}}

.PHONY: run build test test-short bench soak fuzz lint deps-check golden docs docs-check ci

run: ## start the hub on embedded defaults with the example mappings
	$(GO) run ./cmd/revhub serve --mappings mappings --data $(DATA) --addr $(ADDR)

build:
	$(GO) build -o bin/revhub ./cmd/revhub

test: ## every unit, conformance, golden and short crash test
	@scripts/announce.sh
	$(GO) test -race -count=1 -timeout 9m ./...

bench: ## hot-path benchmarks (see README for the targets)
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

soak: ## long crash, replay, numbering and settlement scenarios against every store (REVHUB_SOAK=1)
	@scripts/announce.sh
	REVHUB_SOAK=1 $(GO) test -count=1 -timeout 60m -run 'Replay|gapless|Crash|scenario' ./core/app/ ./cmd/revhub/

fuzz: ## each fuzz target for FUZZTIME
	@$(GO) test -list '^Fuzz' ./... | awk '/^Fuzz/ {f[n++]=$$1} /^ok/ {for (i=0;i<n;i++) print $$2, f[i]; n=0}' | \
	while read pkg fn; do $(GO) test "$$pkg" -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 50x || exit 1; done

lint: deps-check ## gofmt, go vet, staticcheck (when it installs), no floats in core
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	@if $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -version >/dev/null 2>&1; then \
		$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...; \
	else echo "lint: staticcheck could not be installed from the module proxy; skipped"; fi

deps-check: ## dependency rules of docs/architecture (core is pure, core never imports adapters)
	@! $(GO) list -f '$(DEPS)' ./core/... | grep -v '^$(MODULE)/core/app ' | grep -E -- '-> ($(MODULE)/ports|$(OUTER))'
	@! $(GO) list -f '$(DEPS)' ./core/app/... ./ports/... 2>/dev/null | grep -E -- '-> $(OUTER)'
	@! $(GO) list -f '$(IMPS)' ./core/... | grep -E -- '-> (os|net|net/http|database/sql|os/exec|log|log/slog)$$'
	@! grep -rnE --include='*.go' --exclude='*_test.go' 'time\.Now\(|float(32|64)' core/
	@! grep -rnE --include='*.go' 'float(32|64)' core/

golden: ## rewrite golden files (review the diff!)
	$(GO) test $(GOLDEN_PKGS) -run Golden -update

docs: ## regenerate mappings/reference from the adapter registry
	$(GO) run ./cmd/docgen -out mappings/reference

docs-check: docs
	@test -z "$$(git status --porcelain -- mappings/reference)" || { echo "stale: run make docs"; exit 1; }

ci: lint docs-check test
