# The README's two commands are `make demo` and `make test`.
GO ?= go
export CGO_ENABLED := 1

.PHONY: all setup demo test fmt-check vet unit lint fuzz fuzz-short bench vectors crosscheck crosscheck-if-node

all: test

setup:
	@./scripts/setup.sh

demo: setup
	$(GO) run ./examples/quickstart

test: setup fmt-check vet unit crosscheck-if-node

fmt-check:
	@out="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"; \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# The stream engine again with GOMAXPROCS 1 and 4: its sequential and
# parallel paths, and the shared pool and budget, both ways.
unit:
	$(GO) test -race -count=1 ./...
	$(GO) test -race -count=1 -cpu 1,4 ./stream

# Regenerates testdata/vectors with the independent Node generator.
vectors:
	cd testdata/gen && npm ci --no-audit --no-fund && node gen.js

# gofmt, vet, staticcheck, govulncheck (pinned, via go run).
lint: setup
	./scripts/lint.sh

# Every fuzz target for FUZZTIME each (default 60s here; CI runs fuzz-short).
fuzz: setup
	FUZZTIME=$${FUZZTIME:-60s} ./scripts/fuzz.sh

fuzz-short: setup
	FUZZTIME=$${FUZZTIME:-5s} ./scripts/fuzz.sh

# Benchmarks with same-run ratios; prints the README table, writes docs/bench.svg.
bench: setup
	./scripts/bench.sh

# Live cross-check: Node (libsodium.js) and Go open each other's fresh objects.
crosscheck: setup
	./scripts/crosscheck.sh

crosscheck-if-node:
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then ./scripts/crosscheck.sh; \
	else echo "NOTICE: crosscheck SKIPPED: node/npm not installed (make crosscheck needs Node 20 + npm)" >&2; fi

# The suite against Ente's real server (museum): MUSEUM_API if set, else
# ../shared/museum/up.sh if present, else skipped with a notice.
.PHONY: integration
integration: setup
	./scripts/integration.sh
