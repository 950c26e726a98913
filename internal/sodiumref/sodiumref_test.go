//go:build cgo

package sodiumref

import (
	"bytes"
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/nacl/secretbox"

	"github.com/e2eekit/e2ee/internal/sodium"
)

// push encrypts msg as chunks of chunk bytes (MESSAGE, the last FINAL, or
// no FINAL at all when final is false) with the SDK's message-level push.
func push(t *testing.T, msg []byte, chunk int, final bool, h *[HeaderBytes]byte, k *[KeyBytes]byte) (ct, last []byte) {
	t.Helper()
	var st sodium.SecretstreamState
	st.Init(h, k)
	for off := 0; ; off += chunk {
		n := min(chunk, len(msg)-off)
		tag := byte(sodium.SecretstreamTagMessage)
		end := off+n == len(msg)
		if end && final {
			tag = sodium.SecretstreamTagFinal
		}
		last = make([]byte, n+ABytes)
		require.NoError(t, st.Push(last, msg[off:off+n], tag))
		ct = append(ct, last...)
		if end {
			return ct, last
		}
	}
}

func randomKeyHeader() (*[HeaderBytes]byte, *[KeyBytes]byte) {
	var h [HeaderBytes]byte
	var k [KeyBytes]byte
	rand.Read(h[:])
	rand.Read(k[:])
	return &h, &k
}

// The references agree with the SDK's libsodium backend byte for byte, and
// each refuses a forged or unfinished stream.
func TestLoops(t *testing.T) {
	const chunk = 1000
	out0, out1 := make([]byte, chunk), make([]byte, chunk)
	for _, n := range []int{0, 1, chunk, chunk + 1, 2 * chunk, 3*chunk + 7, 8 * chunk} {
		msg := make([]byte, n)
		rand.Read(msg)
		var h [HeaderBytes]byte
		_, k := randomKeyHeader()
		pushed := make([]byte, chunk+ABytes)
		require.NoError(t, PushLoop(pushed, msg, chunk, &h, k), "n=%d", n)
		ct, last := push(t, msg, chunk, true, &h, k) // the header PushLoop drew
		assert.Equal(t, last, pushed[:len(last)], "n=%d: the reference's buffer holds the last message it pushed", n)

		require.NoError(t, PullLoop(out0, ct, chunk, &h, k), "n=%d", n)
		require.NoError(t, PullTwoThreads(ct, chunk, &h, k, out0, out1), "n=%d: two threads", n)
		for i := range ct { // every byte matters, to each thread
			if n > 2*chunk && i%97 != 0 {
				continue
			}
			ct[i] ^= 1
			require.ErrorIs(t, PullLoop(out0, ct, chunk, &h, k), ErrForged, "n=%d: byte %d flipped", n, i)
			require.ErrorIs(t, PullTwoThreads(ct, chunk, &h, k, out0, out1), ErrForged, "n=%d: byte %d flipped, two threads", n, i)
			ct[i] ^= 1
		}
		ct, _ = push(t, msg, chunk, false, &h, k)
		require.ErrorIs(t, PullLoop(out0, ct, chunk, &h, k), ErrForged, "n=%d: no FINAL", n)
		require.ErrorIs(t, PullTwoThreads(ct, chunk, &h, k, out0, out1), ErrForged, "n=%d: no FINAL, two threads", n)
	}
	h, k := randomKeyHeader()
	assert.ErrorIs(t, PullTwoThreads(make([]byte, 10), chunk, h, k, out0, out1), ErrSize)
	assert.ErrorIs(t, PullLoop(out0[:1], make([]byte, 100), chunk, h, k), ErrSize)
	assert.ErrorIs(t, PushLoop(out0, nil, chunk, h, k), ErrSize)
}

// The bare secretbox calls agree with x/crypto's nacl/secretbox.
func TestSecretbox(t *testing.T) {
	var key [SecretboxKeyBytes]byte
	var nonce [SecretboxNonceBytes]byte
	rand.Read(key[:])
	rand.Read(nonce[:])
	for _, n := range []int{0, 1, 32, 1000} {
		msg := make([]byte, n)
		rand.Read(msg)
		box := make([]byte, n+SecretboxMACBytes)
		require.NoError(t, SecretboxEasy(box, msg, nonce[:], key[:]))
		assert.Equal(t, secretbox.Seal(nil, msg, &nonce, &key), box, "n=%d", n)
		out := make([]byte, n)
		require.NoError(t, SecretboxOpenEasy(out, box, nonce[:], key[:]))
		assert.Equal(t, msg, out, "n=%d", n)
		box[len(box)-1] ^= 1
		assert.ErrorIs(t, SecretboxOpenEasy(out, box, nonce[:], key[:]), ErrForged, "n=%d", n)
	}
	assert.ErrorIs(t, SecretboxEasy(make([]byte, 3), nil, nonce[:], key[:]), ErrSize)
	assert.ErrorIs(t, SecretboxOpenEasy(nil, make([]byte, 3), nonce[:], key[:]), ErrSize)
	assert.ErrorIs(t, SecretboxEasy(make([]byte, 16), nil, nonce[:1], key[:]), ErrSize)
}

// The bare crypto_pwhash agrees with x/crypto's argon2.IDKey.
func TestPwhash(t *testing.T) {
	salt := bytes.Repeat([]byte{7}, 16)
	out := make([]byte, 32)
	require.NoError(t, Pwhash(out, []byte("password"), salt, 2, 64<<10))
	want := argon2.IDKey([]byte("password"), salt, 2, 64, 1, 32)
	assert.True(t, bytes.Equal(want, out), "crypto_pwhash and argon2.IDKey differ") // a derived key: no diff printed
	assert.ErrorIs(t, Pwhash(out, nil, salt, 0, 64<<10), ErrPwhash, "ops below libsodium's minimum")
	assert.ErrorIs(t, Pwhash(out, nil, salt[:3], 2, 64<<10), ErrSize)
}
