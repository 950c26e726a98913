//go:build cgo && !purego

package sodium

import (
	"bytes"
	"encoding/binary"
	"testing"
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
		if got, ok := rt[name]; !ok || got != want {
			t.Errorf("%s = %d (present %v), want %d", name, got, ok, want)
		}
	}
	ss := secretstreamRuntimeSizes()
	for name, want := range map[string]int{
		"crypto_secretstream_xchacha20poly1305_statebytes":       SecretstreamStateBytes,
		"crypto_secretstream_xchacha20poly1305_messagebytes_max": SecretstreamMessageBytesMax,
		"sizeof_state":    SecretstreamStateBytes,
		"sizeof_go_state": SecretstreamStateBytes,
	} {
		if ss[name] != want {
			t.Errorf("%s = %d, want %d", name, ss[name], want)
		}
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
		if *stateBytes(&a) != *stateBytes(&b) {
			t.Fatalf("init_pull state differs from init_push state")
		}
		// counter 1, inonce = header[16:24], zero pad
		sb := stateBytes(&b)
		if binary.LittleEndian.Uint32(sb[32:36]) != 1 || !bytes.Equal(sb[36:44], h[16:]) || *(*[8]byte)(sb[44:]) != [8]byte{} {
			t.Fatalf("unexpected state layout %x", sb[32:])
		}
	}
}
