package secretbox_test

import (
	"testing"

	"github.com/e2eekit/e2ee/internal/sodium"
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
				sodium.ReferenceSecretboxEasy(out, msg, n[:], raw[:])
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
				if dst, err = secretbox.Open(dst[:0], box, n, k); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(s.name+"/wrapper-nil-dst", func(b *testing.B) {
			b.SetBytes(int64(s.n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := secretbox.Open(nil, box, n, k); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(s.name+"/libsodium", func(b *testing.B) {
			out := dst[:s.n]
			b.SetBytes(int64(s.n))
			b.ReportAllocs()
			for b.Loop() {
				if !sodium.ReferenceSecretboxOpenEasy(out, box, n[:], raw[:]) {
					b.Fatal("open failed")
				}
			}
		})
	}
}
