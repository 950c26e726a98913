//go:build cgo && !purego

package sodium

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSecretstreamSizes(t *testing.T) {
	rt := RuntimeSizes()
	for name, want := range map[string]int{
		"crypto_secretstream_xchacha20poly1305_keybytes":    SecretstreamKeyBytes,
		"crypto_secretstream_xchacha20poly1305_headerbytes": SecretstreamHeaderBytes,
		"crypto_secretstream_xchacha20poly1305_abytes":      SecretstreamABytes,
		"crypto_secretstream_xchacha20poly1305_tag_message": SecretstreamTagMessage,
		"crypto_secretstream_xchacha20poly1305_tag_push":    SecretstreamTagPush,
		"crypto_secretstream_xchacha20poly1305_tag_rekey":   SecretstreamTagRekey,
		"crypto_secretstream_xchacha20poly1305_tag_final":   SecretstreamTagFinal,
	} {
		if assert.Contains(t, rt, name) {
			assert.Equal(t, want, rt[name], name)
		}
	}
	ss := secretstreamRuntimeSizes()
	for name, want := range map[string]int{
		"crypto_secretstream_xchacha20poly1305_statebytes":       SecretstreamStateBytes,
		"crypto_secretstream_xchacha20poly1305_messagebytes_max": SecretstreamMessageBytesMax,
		"sizeof_state":    SecretstreamStateBytes,
		"sizeof_go_state": SecretstreamStateBytes,
	} {
		assert.Equal(t, want, ss[name], name)
	}
}

// Init on the header that libsodium's init_push drew yields exactly the
// state init_push produced: drawing the header in Go loses nothing.
func TestSecretstreamInitMatchesInitPush(t *testing.T) {
	for range 16 {
		k, _ := testKeyHeader(t)
		var h [24]byte
		var a, b SecretstreamState
		a.initPushLibsodium(&h, k)
		b.Init(&h, k)
		// States hold the key: compared with ==, never printed.
		require.True(t, *stateBytes(&a) == *stateBytes(&b), "init_pull state differs from init_push state")
		// counter 1, inonce = header[16:24], zero pad (the key's bytes, sb[:32], stay out of the messages)
		sb := stateBytes(&b)
		require.Equal(t, uint32(1), binary.LittleEndian.Uint32(sb[32:36]), "counter")
		require.Equal(t, h[16:], sb[36:44], "inonce")
		require.Equal(t, [8]byte{}, *(*[8]byte)(sb[44:]), "padding")
	}
}
