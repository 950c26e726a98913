//go:build cgo && !purego

package sodium

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
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

func TestReferenceStream(t *testing.T) {
	k, _ := testKeyHeader(t)
	const chunk = 1000
	for _, n := range []int{0, 1, chunk, chunk + 1, 3*chunk + 5} {
		in := make([]byte, n)
		rand.Read(in)
		var h [24]byte
		out := make([]byte, chunk+SecretstreamABytes)
		if err := ReferenceStreamEncrypt(out, in, chunk, &h, k); err != nil {
			t.Fatal(err)
		}
		// Build the same stream message by message, then decrypt it with
		// the reference.
		var st SecretstreamState
		st.Init(&h, k)
		var ct, last []byte
		off := 0
		for {
			m := in[off:min(off+chunk, n)]
			tag := byte(SecretstreamTagMessage)
			if off+len(m) == n {
				tag = SecretstreamTagFinal
			}
			last = make([]byte, len(m)+SecretstreamABytes)
			st.Push(last, m, tag)
			ct = append(ct, last...)
			off += len(m)
			if off == n {
				break
			}
		}
		// The reference's buffer holds the last message it pushed.
		if !bytes.Equal(out[:len(last)], last) {
			t.Fatalf("n=%d: reference encryption differs", n)
		}
		if err := ReferenceStreamDecrypt(make([]byte, chunk), ct, chunk, &h, k); err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if err := ReferenceStreamDecrypt2(make([]byte, chunk), make([]byte, chunk), ct, chunk, &h, k); err != nil {
			t.Fatalf("n=%d: two threads: %v", n, err)
		}
		ct[len(ct)-1] ^= 1
		if err := ReferenceStreamDecrypt(make([]byte, chunk), ct, chunk, &h, k); !errors.Is(err, ErrForged) {
			t.Fatalf("n=%d: forged stream: %v", n, err)
		}
		if err := ReferenceStreamDecrypt2(make([]byte, chunk), make([]byte, chunk), ct, chunk, &h, k); !errors.Is(err, ErrForged) {
			t.Fatalf("n=%d: forged stream, two threads: %v", n, err)
		}
	}
}
