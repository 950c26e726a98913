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
		if ! go test -run '^$' -fuzz "^${fn}\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1; then
			cat "$log"
			echo "fuzz: $pkg $fn FAILED (crasher saved under its testdata/fuzz/)" >&2
			exit 1
		fi
		execs="$(grep -o 'execs: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)"
		printf 'fuzz: %-45s %-28s %12s execs\n' "${pkg#github.com/e2eekit/e2ee/}" "$fn" "$execs"
		total=$((total + execs))
		targets=$((targets + 1))
		rm -f "$log"
	done
done
echo "fuzz: $targets targets, $total executions in total, no crasher"
