#!/usr/bin/env bash
# make test: runs each step (a Makefile target) in turn, stops at the first
# that fails, and prints how long each took.
set -uo pipefail
cd "$(dirname "$0")/.."
names=()
secs=()
status=0
for step in "$@"; do
	start=$(date +%s%N)
	make --no-print-directory "$step"
	rc=$?
	names+=("$step")
	secs+=("$(( ($(date +%s%N) - start) / 1000000 ))")
	if [ "$rc" -ne 0 ]; then
		status=$rc
		names[-1]="$step (FAILED)"
		break
	fi
done
total=0
echo
echo "make test, step by step:"
for i in "${!names[@]}"; do
	ms=${secs[$i]}
	total=$((total + ms))
	printf '  %-28s %5d.%d s\n' "${names[$i]}" $((ms / 1000)) $((ms % 1000 / 100))
done
printf '  %-28s %5d.%d s\n' "total" $((total / 1000)) $((total % 1000 / 100))
exit "$status"
