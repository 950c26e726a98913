//go:build cgo

package sodiumref

import (
	"crypto/rand"
	"errors"
	"testing"

	"github.com/e2eekit/e2ee/internal/sodium"
)

// push encrypts msg as chunks of chunk bytes (MESSAGE, the last FINAL, or
// no FINAL at all when final is false) with the SDK's message-level push.
func push(t *testing.T, msg []byte, chunk int, final bool) ([]byte, *[HeaderBytes]byte, *[KeyBytes]byte) {
	t.Helper()
	var h [HeaderBytes]byte
	var k [KeyBytes]byte
	rand.Read(h[:])
	rand.Read(k[:])
	var st sodium.SecretstreamState
	st.Init(&h, &k)
	var ct []byte
	for off := 0; ; off += chunk {
		n := min(chunk, len(msg)-off)
		tag := byte(sodium.SecretstreamTagMessage)
		last := off+n == len(msg)
		if last && final {
			tag = sodium.SecretstreamTagFinal
		}
		out := make([]byte, n+ABytes)
		if err := st.Push(out, msg[off:off+n], tag); err != nil {
			t.Fatal(err)
		}
		ct = append(ct, out...)
		if last {
			return ct, &h, &k
		}
	}
}

func TestPullTwoThreads(t *testing.T) {
	const chunk = 1000
	out0, out1 := make([]byte, chunk), make([]byte, chunk)
	for _, n := range []int{0, 1, chunk, chunk + 1, 2 * chunk, 3*chunk + 7, 8 * chunk} {
		msg := make([]byte, n)
		rand.Read(msg)
		ct, h, k := push(t, msg, chunk, true)
		if err := PullTwoThreads(ct, chunk, h, k, out0, out1); err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		for i := range ct { // every byte matters, to each thread
			if n > 2*chunk && i%97 != 0 {
				continue
			}
			ct[i] ^= 1
			if err := PullTwoThreads(ct, chunk, h, k, out0, out1); !errors.Is(err, ErrForged) {
				t.Fatalf("n=%d: byte %d flipped: %v", n, i, err)
			}
			ct[i] ^= 1
		}
		ct, h, k = push(t, msg, chunk, false)
		if err := PullTwoThreads(ct, chunk, h, k, out0, out1); !errors.Is(err, ErrForged) {
			t.Fatalf("n=%d: no FINAL: %v", n, err)
		}
	}
	if err := PullTwoThreads(make([]byte, 10), chunk, new([HeaderBytes]byte), new([KeyBytes]byte), out0, out1); !errors.Is(err, ErrSize) {
		t.Fatal(err)
	}
}
