#!/usr/bin/env bash
# Runs every fuzz target in the module for FUZZTIME each (default 10s) and
# prints the executions each one reached. Any crasher that go test finds is
# written under the package's testdata/fuzz/ and fails this script; commit
# it there and it becomes a regression test that `go test` always runs.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-10s}"
total=0
targets=0
for pkg in $(go list ./...); do
	for fn in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
		log="$(mktemp)"
		tries=0
		until go test -run '^$' -fuzz "^${fn}\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1; do
			tries=$((tries + 1))
			# Go's fuzzer sometimes stops a short run with "context deadline
			# exceeded" when a worker is slow to wind down on a loaded machine;
			# it found nothing then (no failing input written). Retry that
			# case only, twice at most; any real finding fails at once.
			if grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log" && [ "$tries" -le 2 ]; then
				echo "fuzz: $fn: fuzzer timed out winding down without a finding; retrying" >&2
				continue
			fi
			cat "$log"
			echo "fuzz: $pkg $fn FAILED (any failing input is saved under the package's testdata/fuzz/)" >&2
			exit 1
		done
		execs="$(grep -o 'execs: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)"
		printf 'fuzz: %-45s %-28s %12s execs\n' "${pkg#github.com/e2eekit/e2ee/}" "$fn" "$execs"
		total=$((total + execs))
		targets=$((targets + 1))
		rm -f "$log"
	done
done
echo "fuzz: $targets targets, $total executions in total, no crasher"
