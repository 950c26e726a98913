//go:build cgo && !purego

package secretbox_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/internal/sodiumref"
	"github.com/e2eekit/e2ee/secretbox"
)

var benchSizes = []struct {
	name string
	n    int
}{{"32B", 32}, {"1MiB", 1 << 20}}

// BenchmarkSeal measures Seal into a preallocated dst and into nil, next to
// the bare libsodium call on the same buffers (sub-benchmark "libsodium"),
// so that one run gives the wrapper's overhead.
func BenchmarkSeal(b *testing.B) {
	k, raw := testKey(b)
	n := testNonce()
	for _, s := range benchSizes {
		msg := message(s.n)
		dst := make([]byte, 0, s.n+secretbox.Overhead)
		b.Run(s.name+"/wrapper", func(b *testing.B) {
			b.SetBytes(int64(s.n))
			b.ReportAllocs()
			for b.Loop() {
				dst = secretbox.Seal(dst[:0], msg, n, k)
			}
		})
		b.Run(s.name+"/wrapper-nil-dst", func(b *testing.B) {
			b.SetBytes(int64(s.n))
			b.ReportAllocs()
			for b.Loop() {
				_ = secretbox.Seal(nil, msg, n, k)
			}
		})
		b.Run(s.name+"/libsodium", func(b *testing.B) {
			out := dst[:s.n+secretbox.Overhead]
			b.SetBytes(int64(s.n))
			b.ReportAllocs()
			for b.Loop() {
				sodiumref.SecretboxEasy(out, msg, n[:], raw[:])
			}
		})
	}
}

func BenchmarkOpen(b *testing.B) {
	k, raw := testKey(b)
	n := testNonce()
	for _, s := range benchSizes {
		box := secretbox.Seal(nil, message(s.n), n, k)
		dst := make([]byte, 0, s.n)
		b.Run(s.name+"/wrapper", func(b *testing.B) {
			b.SetBytes(int64(s.n))
			b.ReportAllocs()
			for b.Loop() {
				var err error
				dst, err = secretbox.Open(dst[:0], box, n, k)
				require.NoError(b, err)
			}
		})
		b.Run(s.name+"/wrapper-nil-dst", func(b *testing.B) {
			b.SetBytes(int64(s.n))
			b.ReportAllocs()
			for b.Loop() {
				_, err := secretbox.Open(nil, box, n, k)
				require.NoError(b, err)
			}
		})
		b.Run(s.name+"/libsodium", func(b *testing.B) {
			out := dst[:s.n]
			b.SetBytes(int64(s.n))
			b.ReportAllocs()
			for b.Loop() {
				require.NoError(b, sodiumref.SecretboxOpenEasy(out, box, n[:], raw[:]))
			}
		})
	}
}

// BenchmarkOverhead32B interleaves short batches of Seal and Open (dst
// preallocated; on libsodium, then on the pure-Go backend) with the bare
// libsodium calls on the same buffers, and
// reports the ratio of their fastest batches: on a machine shared with other
// work, the minimum over many interleaved batches is what each costs when
// nothing else runs. Target: ratio ≤ 1.15.
func BenchmarkOverhead32B(b *testing.B) {
	k, raw := testKey(b)
	n := testNonce()
	msg := message(32)
	dst := make([]byte, 0, 64)
	box := secretbox.Seal(nil, msg, n, k)
	out := make([]byte, 32+secretbox.Overhead)
	calls := []func(){
		func() { dst = secretbox.Seal(dst[:0], msg, n, k) },
		func() { sodiumref.SecretboxEasy(out, msg, n[:], raw[:]) },
		func() { dst, _ = secretbox.Open(dst[:0], box, n, k) },
		func() { sodiumref.SecretboxOpenEasy(out[:32], box, n[:], raw[:]) },
		// The same Seal and Open on the pure-Go backend (switched on for
		// these batches): both backends against the same bare C calls.
		func() { dst = secretbox.Seal(dst[:0], msg, n, k) },
		func() { dst, _ = secretbox.Open(dst[:0], box, n, k) },
	}
	defer sodium.SetPureGo(false)
	const batch = 1000
	best := make([]time.Duration, len(calls))
	for i := range best {
		best[i] = time.Hour
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, call := range calls {
			sodium.SetPureGo(i >= 4)
			start := time.Now()
			for range batch {
				call()
			}
			best[i] = min(best[i], time.Since(start))
		}
	}
	ns := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / batch }
	b.ReportMetric(ns(best[0]), "seal-ns")
	b.ReportMetric(ns(best[1]), "bare-seal-ns")
	b.ReportMetric(ns(best[0])/ns(best[1]), "seal-ratio")
	b.ReportMetric(ns(best[2]), "open-ns")
	b.ReportMetric(ns(best[3]), "bare-open-ns")
	b.ReportMetric(ns(best[2])/ns(best[3]), "open-ratio")
	b.ReportMetric(ns(best[4]), "go-seal-ns")
	b.ReportMetric(ns(best[4])/ns(best[1]), "go-seal-ratio")
	b.ReportMetric(ns(best[5]), "go-open-ns")
	b.ReportMetric(ns(best[5])/ns(best[3]), "go-open-ratio")
	sodium.SetPureGo(true)
	b.ReportMetric(testing.AllocsPerRun(100, calls[5]), "go-open-allocs")
	b.ReportMetric(0, "ns/op") // one op is a round of six batches: not meaningful
}
