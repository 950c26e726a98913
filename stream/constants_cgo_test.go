//go:build cgo && !purego

package stream

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/e2eekit/e2ee/internal/sodium"
)

// TestConstants checks the package's sizes and tags against libsodium's
// run-time values (only the libsodium backend has them).
func TestConstants(t *testing.T) {
	rt := sodium.RuntimeSizes()
	for name, want := range map[string]int{
		"crypto_secretstream_xchacha20poly1305_keybytes":    KeySize,
		"crypto_secretstream_xchacha20poly1305_headerbytes": HeaderSize,
		"crypto_secretstream_xchacha20poly1305_abytes":      Overhead,
		"crypto_secretstream_xchacha20poly1305_tag_message": int(TagMessage),
		"crypto_secretstream_xchacha20poly1305_tag_push":    int(TagPush),
		"crypto_secretstream_xchacha20poly1305_tag_rekey":   int(TagRekey),
		"crypto_secretstream_xchacha20poly1305_tag_final":   int(TagFinal),
	} {
		got, ok := rt[name]
		if assert.True(t, ok, "%s: missing from libsodium's run-time sizes", name) {
			assert.Equal(t, want, got, "%s: the package's constant (expected), libsodium's run-time value (actual)", name)
		}
	}
	assert.Equal(t, 4194304, ChunkSize, "chunk sizes differ from Ente's (4 MiB plaintext, 17 bytes overhead)")
	assert.Equal(t, 4194321, EncryptedChunkSize, "chunk sizes differ from Ente's (4 MiB plaintext, 17 bytes overhead)")
}
