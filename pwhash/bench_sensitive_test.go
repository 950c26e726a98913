//go:build cgo && !purego

package pwhash_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/internal/sodiumref"
	"github.com/e2eekit/e2ee/pwhash"
	"golang.org/x/crypto/argon2"
)

// BenchmarkSensitive derives one key at SENSITIVE (1 GiB, 4 passes) through
// DeriveKey, through the bare crypto_pwhash call, and through x/crypto's
// pure-Go Argon2id, so that one run gives the wrapper's overhead and the
// gain over Go. Run it alone: each op takes seconds and a GiB.
func BenchmarkSensitive(b *testing.B) {
	pw := []byte("correct horse battery staple")
	salt := pwhash.RandomSalt()
	p := pwhash.Sensitive
	// DeriveKey on each backend (on the pure-Go one, with its memory probe).
	sodium.EachBackend(func(name string) {
		if name == "go" {
			name = "sdk-go"
		} else {
			name = "sdk"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				k, err := pwhash.DeriveKey(pw, salt, p, pwhash.DefaultLimits)
				require.NoError(b, err)
				k.Destroy()
			}
		})
	})
	b.Run("libsodium", func(b *testing.B) {
		out := make([]byte, pwhash.KeySize)
		b.ReportAllocs()
		for b.Loop() {
			require.NoError(b, sodiumref.Pwhash(out, pw, salt[:], p.OpsLimit, p.MemLimit))
		}
	})
	b.Run("x-crypto-argon2", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = argon2.IDKey(pw, salt[:], uint32(p.OpsLimit), uint32(p.MemLimit/1024), 1, pwhash.KeySize)
		}
	})
}
