#!/usr/bin/env bash
# gofmt, go vet, staticcheck and govulncheck at pinned versions.
set -euo pipefail
cd "$(dirname "$0")/.."
STATICCHECK=honnef.co/go/tools/cmd/staticcheck@v0.6.1
GOVULNCHECK=golang.org/x/vuln/cmd/govulncheck@v1.1.4

out="$(gofmt -l $(git ls-files '*.go'))"
if [ -n "$out" ]; then echo "gofmt needed on:"; echo "$out"; exit 1; fi
echo "lint: gofmt clean"
go vet ./...
echo "lint: go vet clean"
go run "$STATICCHECK" ./...
echo "lint: staticcheck clean"

# govulncheck needs its database (vuln.go.dev, or a mirror or local copy
# named by GOVULNCHECK_DB, e.g. file:///srv/vulndb). Where the network does
# not reach it, say so loudly instead of pretending the check passed.
# Without GOVULNCHECK_DB, an offline copy beside the repository
# (../shared/vulndb, as in this project's workspace) is used when present.
dbflag=()
if [ -z "${GOVULNCHECK_DB:-}" ] && [ -f ../shared/vulndb/index/db.json ]; then
	GOVULNCHECK_DB="file://$(cd ../shared/vulndb && pwd)"
fi
if [ -n "${GOVULNCHECK_DB:-}" ]; then
	dbflag=(-db "$GOVULNCHECK_DB")
	if [[ "$GOVULNCHECK_DB" == file://* ]] && [ -f "${GOVULNCHECK_DB#file://}/index/db.json" ]; then
		modified="$(sed -n 's/.*"modified" *: *"\([^"]*\)".*/\1/p' "${GOVULNCHECK_DB#file://}/index/db.json" | head -1)"
		echo "lint: govulncheck database $GOVULNCHECK_DB, modified $modified"
	else
		echo "lint: govulncheck database $GOVULNCHECK_DB"
	fi
else
	echo "lint: govulncheck database https://vuln.go.dev"
fi
if out="$(go run "$GOVULNCHECK" "${dbflag[@]}" ./... 2>&1)"; then
	echo "$out" | tail -3
	echo "lint: govulncheck clean"
elif echo "$out" | grep -q 'fetching vulnerabilities'; then
	echo "lint: NOTICE govulncheck SKIPPED: vulnerability database unreachable from this machine" >&2
	echo "$out" | tail -2 >&2
else
	echo "$out"
	exit 1
fi
