#!/usr/bin/env bash
# Runs the benchmarks whose ratios the README reports, in one run, and
# prints the table (internal/cmd/benchreport) and writes docs/bench.svg.
# Run it on a quiet machine: other load skews every number (each stream
# benchmark prints the other processes' share of the CPU, and the report
# says when the machine was busy).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${BENCH_OUT:-bench.out}"
mkdir -p docs
{
	go test -run '^$' -bench '^Benchmark(Seal|Open|Overhead32B)$' -benchmem -count 1 ./secretbox
	go test -run '^$' -bench '^Benchmark(DecryptReaderBytes|DecryptReader|DecryptReaderSequential|EncryptWriter|EncryptWriter4MiB|EncryptReader)$' -benchtime "${STREAM_BENCHTIME:-10x}" ./stream
	go test -run '^$' -bench '^BenchmarkConcurrentReaders$' -benchtime "${CONCURRENT_BENCHTIME:-3x}" ./stream
	go test -run '^$' -bench '^BenchmarkSensitive$' -benchtime "${ARGON_BENCHTIME:-2x}" ./pwhash
	go run ./internal/cmd/peakmem -size $((1 << 30))
	go run ./internal/cmd/peakmem -size $((16 << 20)) -readers 64
} | tee "$out"
echo
go run ./internal/cmd/benchreport -svg docs/bench.svg <"$out"
