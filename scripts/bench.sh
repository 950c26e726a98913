#!/usr/bin/env bash
# Runs the benchmarks whose ratios the README reports, in one run, for both
# backends (the pure-Go one switched on inside the same test binaries, and
# a CGO_ENABLED=0 build for peak memory), and prints the table
# (internal/cmd/benchreport) and writes docs/bench.svg. Each stream row
# shows the other processes' CPU share during it, and the report flags a
# busy run.
# Run it on a quiet machine: other load skews every number.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${BENCH_OUT:-bench.out}"
mkdir -p docs
{
	go test -run '^$' -bench '^Benchmark(Seal|Open|Overhead32B)$' -benchmem -count 1 ./secretbox
	go test -run '^$' -bench '^Benchmark(DecryptReaderBytes|DecryptReader|DecryptReaderSequential|EncryptWriter|EncryptWriter4MiB|EncryptReader)$' -benchtime "${STREAM_BENCHTIME:-15x}" ./stream
	go test -run '^$' -bench '^BenchmarkConcurrentReaders$' -benchtime "${CONCURRENT_BENCHTIME:-5x}" ./stream
	go test -run '^$' -bench '^BenchmarkSensitive$' -benchtime "${ARGON_BENCHTIME:-2x}" ./pwhash
	go run ./internal/cmd/peakmem -size $((1 << 30))
	CGO_ENABLED=0 go run ./internal/cmd/peakmem -size $((1 << 30))
	go run ./internal/cmd/peakmem -size $((16 << 20)) -readers 64
} | tee "$out"
echo
go run ./internal/cmd/benchreport -svg docs/bench.svg <"$out"
