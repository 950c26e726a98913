# The README's two commands are `make demo` and `make test`.
GO ?= go
export CGO_ENABLED := 1

.PHONY: all setup demo test test-long long fmt-check vet unit unit-engine unit-purego unit-nocgo cross lint fuzz fuzz-short bench vectors crosscheck crosscheck-if-node

all: test

setup:
	@./scripts/setup.sh

demo: setup
	$(GO) run ./examples/quickstart

# make test runs these steps in turn and prints each one's time. The
# slow tests (real-cost Argon2id, memory-limited children, big streams,
# cross-compiling) skip under -short here and run in make test-long.
TEST_STEPS := setup fmt-check vet unit unit-engine unit-purego unit-nocgo crosscheck-if-node
test:
	@./scripts/test.sh $(TEST_STEPS)

# The primitives, where the two backends differ; everything else is the same
# Go code over them.
PRIMITIVES := ./internal/sodium ./secret ./secretbox ./sealed ./pwhash ./stream

fmt-check:
	@out="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"; \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# The libsodium backend (with the pure-Go one compiled in: the differential
# tests run both on a few thousand seeded random cases per primitive).
unit:
	$(GO) test -race -short -count=1 ./...

# The stream engine again with GOMAXPROCS 1 and 4: its sequential and
# parallel paths, and the shared pool and budget, both ways.
unit-engine:
	$(GO) test -race -short -count=1 -cpu 1,4 ./stream

# The suite again on the pure-Go backend. The race detector needs cgo, so
# this pass selects the backend with -tags purego (which also turns off
# golang.org/x/crypto's assembly: slower, same bytes). The conformance
# vectors and the examples, single-threaded and all cryptography, run on
# pure Go in unit-nocgo instead, where they take seconds rather than a
# minute.
PUREGO_ELSEWHERE := /conformance|/examples/
unit-purego:
	$(GO) test -race -short -count=1 -tags purego $$($(GO) list ./... | grep -Ev '$(PUREGO_ELSEWHERE)')

# A build without cgo at all, and in it (x/crypto's assembly on, no race
# detector) the primitives' tests, the examples, and the conformance
# vectors and cross-check tests (the runner's own tests, which do not
# depend on the backend, run in unit).
unit-nocgo:
	CGO_ENABLED=0 $(GO) build ./...
	CGO_ENABLED=0 $(GO) test -short -count=1 $(PRIMITIVES) ./examples/...
	CGO_ENABLED=0 $(GO) test -short -count=1 -run 'TestVectors|TestRoundTrip|TestOpenNamesMismatches' ./conformance/...

# The long run: the tests make test skips with -short (real-cost Argon2id
# on both backends, memory-limited children, big streams), >= 100,000
# differential cases per primitive with a fresh seed (printed; rerun one
# with DIFF_SEED=n), then the cross-compiles.
DIFF_CASES ?= 100000
test-long: setup long
	@seed=$${DIFF_SEED:-$$(date +%s)}; echo "test-long: differential seed $$seed, $(DIFF_CASES) cases per primitive"; \
	out=$$(mktemp); st=0; \
	$(GO) test -count=1 -timeout 60m -v -run '^TestDifferential' ./internal/sodium \
		-args -diff.cases=$(DIFF_CASES) -diff.seed=$$seed >$$out 2>&1 || st=$$?; \
	grep -E 'differential Test|^(--- |ok|FAIL)' $$out; \
	if [ $$st -ne 0 ]; then cat $$out; rm -f $$out; exit 1; fi; rm -f $$out
	$(MAKE) cross

# The packages with tests that -short skips, in full: on libsodium, then
# the pure-Go ones without cgo.
LONG_PKGS := ./cmd/e2ee ./examples/signup ./keys ./pwhash ./share ./stream
long:
	$(GO) test -count=1 -timeout 30m $(LONG_PKGS)
	CGO_ENABLED=0 $(GO) test -count=1 -timeout 30m ./pwhash ./keys ./examples/signup ./stream

# The pure-Go backend builds anywhere Go does.
cross:
	CGO_ENABLED=0 $(GO) build ./...
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 $(GO) build ./...
	GOOS=windows CGO_ENABLED=0 $(GO) build ./...
	GOOS=windows CGO_ENABLED=0 $(GO) vet ./...
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 $(GO) vet ./...
	@echo "cross: CGO_ENABLED=0 linux/$$($(GO) env GOARCH), darwin/arm64 and windows/$$($(GO) env GOARCH) build"

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
