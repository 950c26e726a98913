//go:build cgo && !purego

package sodium_test

import (
	"testing"

	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/sealed"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/stream"
	"github.com/stretchr/testify/assert"
)

// TestRuntimeSizes checks every size and preset the SDK hard-codes against
// the value libsodium reports at run time.
func TestRuntimeSizes(t *testing.T) {
	rt := sodium.RuntimeSizes()
	for name, got := range map[string]int{
		"crypto_secretbox_keybytes":                         secretbox.KeySize,
		"crypto_secretbox_noncebytes":                       secretbox.NonceSize,
		"crypto_secretbox_macbytes":                         secretbox.Overhead,
		"crypto_box_publickeybytes":                         sealed.PublicKeySize,
		"crypto_box_secretkeybytes":                         sealed.PrivateKeySize,
		"crypto_box_sealbytes":                              sealed.Overhead,
		"crypto_kdf_keybytes":                               sodium.KDFKeyBytes,
		"crypto_kdf_contextbytes":                           sodium.KDFContextBytes,
		"crypto_kdf_bytes_min":                              sodium.KDFBytesMin,
		"crypto_kdf_bytes_max":                              sodium.KDFBytesMax,
		"crypto_pwhash_saltbytes":                           pwhash.SaltSize,
		"crypto_pwhash_opslimit_min":                        pwhash.MinOpsLimit,
		"crypto_pwhash_memlimit_min":                        pwhash.MinMemLimit,
		"crypto_pwhash_memlimit_max":                        sodium.PwhashMemLimitMax,
		"crypto_pwhash_opslimit_interactive":                int(pwhash.Interactive.OpsLimit),
		"crypto_pwhash_memlimit_interactive":                int(pwhash.Interactive.MemLimit),
		"crypto_pwhash_opslimit_moderate":                   int(pwhash.Moderate.OpsLimit),
		"crypto_pwhash_memlimit_moderate":                   int(pwhash.Moderate.MemLimit),
		"crypto_pwhash_opslimit_sensitive":                  int(pwhash.Sensitive.OpsLimit),
		"crypto_pwhash_memlimit_sensitive":                  int(pwhash.Sensitive.MemLimit),
		"crypto_pwhash_alg_argon2id13":                      sodium.PwhashAlgArgon2id13,
		"crypto_secretstream_xchacha20poly1305_keybytes":    secret.KeySize,
		"crypto_secretstream_xchacha20poly1305_headerbytes": stream.HeaderSize,
		"crypto_secretstream_xchacha20poly1305_abytes":      stream.Overhead,
		"crypto_secretstream_xchacha20poly1305_tag_message": sodium.SecretstreamTagMessage,
		"crypto_secretstream_xchacha20poly1305_tag_push":    sodium.SecretstreamTagPush,
		"crypto_secretstream_xchacha20poly1305_tag_rekey":   sodium.SecretstreamTagRekey,
		"crypto_secretstream_xchacha20poly1305_tag_final":   sodium.SecretstreamTagFinal,
	} {
		want, ok := rt[name]
		if !assert.True(t, ok, "%s: libsodium value not exported by RuntimeSizes", name) {
			continue
		}
		assert.Equal(t, want, got, "%s: SDK value (actual) vs libsodium's (expected)", name)
	}
	assert.True(t, stream.KeySize == secret.KeySize && pwhash.KeySize == secret.KeySize && secretbox.KeySize == secret.KeySize,
		"a package's key size differs from secret.KeySize")
}
