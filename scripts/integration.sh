#!/usr/bin/env bash
# make integration: the suite of internal/museum (build tag integration)
# against Ente's real server, museum. It uses MUSEUM_API, MUSEUM_OTT and
# MUSEUM_EMAIL_SUFFIX when set; otherwise it starts ../shared/museum/up.sh
# (beside the repository) and reads the env file that writes; otherwise it
# skips with a notice. Prints the time of each phase.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
took() { echo "integration: $1: $((SECONDS - $2))s"; }

if [ -z "${MUSEUM_API:-}" ]; then
	up=../shared/museum/up.sh
	if [ ! -f "$up" ]; then
		echo "NOTICE: integration SKIPPED (no museum)"
		exit 0
	fi
	t=$SECONDS
	bash "$up"
	took "museum up (up.sh)" "$t"
	env_file=${MUSEUM_WORK:-/tmp/ente-museum}/run/env
	[ -f "$env_file" ] || { echo "integration: up.sh wrote no $env_file" >&2; exit 1; }
	set -a
	# shellcheck disable=SC1090
	. "$env_file"
	set +a
fi
if [ -z "${MUSEUM_OTT:-}" ] || [ -z "${MUSEUM_EMAIL_SUFFIX:-}" ]; then
	echo "integration: MUSEUM_API is set but MUSEUM_OTT or MUSEUM_EMAIL_SUFFIX is not (the suite signs up with museum's hard-coded OTT)" >&2
	exit 1
fi
echo "integration: museum at $MUSEUM_API"

t=$SECONDS
go test -tags integration -c -o /dev/null ./internal/museum
took "build" "$t"

t=$SECONDS
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
go test -tags integration -count=1 -v -timeout 15m -run '^TestMuseum$' ./internal/museum 2>&1 | tee "$out" || status=$?
took "suite" "$t"
echo "integration: phases (go test's times):"
sed -n 's/^ *--- \(PASS\|FAIL\|SKIP\): TestMuseum\/\([^ ]*\) (\(.*\))$/\2 \3 \1/p' "$out" | awk '{ printf "  %-14s %8s  %s\n", $1, $2, $3 }'
took "total" "$start"
exit "$status"
