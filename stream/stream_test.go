package stream

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"runtime"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/secret"
)

// testCS is the small chunk size most tests use, so that multi-chunk cases
// stay fast; a few tests use the real ChunkSize.
const testCS = 1000

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// sizes around the chunk boundary: 0, 1, cs-1, cs, cs+1, 2cs+k, and more.
func boundarySizes(cs int) []int {
	return []int{0, 1, cs - 1, cs, cs + 1, 2*cs + 7, 3 * cs, 5*cs + cs/2}
}

// encryptWith encrypts msg with chunk size cs, writing step bytes per Write
// (all at once if step <= 0).
func encryptWith(t testing.TB, msg []byte, key *secret.Key, cs, step int) ([]byte, Header) {
	t.Helper()
	return encryptWithPar(t, msg, key, cs, step, gomaxprocs())
}

// gomaxprocs is the parallelism the exported constructors use; -cpu 1,4
// runs the tests on both sides of it.
func gomaxprocs() int { return runtime.GOMAXPROCS(0) }

// encryptWithPar is encryptWith with the given encryption parallelism.
func encryptWithPar(t testing.TB, msg []byte, key *secret.Key, cs, step, par int) ([]byte, Header) {
	t.Helper()
	var buf bytes.Buffer
	w, h, err := newEncryptWriter(&buf, key, cs, par)
	require.NoError(t, err)
	if step <= 0 {
		step = max(len(msg), 1)
	}
	for p := msg; len(p) > 0; {
		k := min(step, len(p))
		n, err := w.Write(p[:k])
		require.NoError(t, err, "Write")
		require.Equal(t, k, n, "Write")
		p = p[k:]
	}
	require.NoError(t, w.Close())
	return buf.Bytes(), h
}

// decryptWith decrypts with chunk size cs and parallelism par, through
// io.ReadAll (which uses Read, not WriteTo).
func decryptWith(ct []byte, h Header, key *secret.Key, cs, par int) ([]byte, error) {
	r, err := newDecryptReader(bytes.NewReader(ct), h, key, cs, par)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

func TestRoundTripSizesAndSteps(t *testing.T) {
	key := secret.GenerateKey()
	for _, n := range boundarySizes(testCS) {
		msg := randBytes(n)
		orig := bytes.Clone(msg)
		for _, step := range []int{0, 1, 7, testCS - 1, testCS, testCS + 1} {
			if step == 1 && n > 3*testCS {
				continue
			}
			ct, h := encryptWithPar(t, msg, key, testCS, step, 1+step%2) // inline and pipelined sealing
			want, _ := encryptedSize(int64(n), testCS)
			require.Equal(t, want, int64(len(ct)), "n=%d step=%d: ciphertext bytes", n, step)
			require.Equal(t, orig, msg, "Write modified its input")
			for _, par := range []int{1, 2, 4} {
				got, err := decryptWith(ct, h, key, testCS, par)
				require.NoError(t, err, "n=%d step=%d par=%d (%d bytes)", n, step, par, len(got))
				require.Equal(t, msg, got, "n=%d step=%d par=%d (%d bytes)", n, step, par, len(got))
				r, _ := newDecryptReaderBytes(ct, h, key, testCS, par)
				got, err = io.ReadAll(r)
				require.NoError(t, err, "bytes: n=%d step=%d par=%d (%d bytes)", n, step, par, len(got))
				require.Equal(t, msg, got, "bytes: n=%d step=%d par=%d (%d bytes)", n, step, par, len(got))
			}
		}
	}
}

func TestRoundTripRealChunks(t *testing.T) {
	key := secret.GenerateKey()
	for _, n := range []int{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 2*ChunkSize + 12345} {
		msg := randBytes(n)
		var buf bytes.Buffer
		w, h, err := NewEncryptWriter(&buf, key)
		require.NoError(t, err)
		_, err = io.Copy(w, iotest.HalfReader(bytes.NewReader(msg)))
		require.NoError(t, err)
		require.NoError(t, w.Close())
		want, _ := EncryptedSize(int64(n))
		require.Equal(t, want, int64(buf.Len()), "n=%d: bytes", n)
		p, err := PlaintextSize(int64(buf.Len()))
		require.NoError(t, err, "PlaintextSize")
		require.Equal(t, int64(n), p, "PlaintextSize")
		r, err := NewDecryptReader(bytes.NewReader(buf.Bytes()), h, key)
		require.NoError(t, err)
		var out bytes.Buffer
		_, err = io.Copy(&out, r)
		require.NoError(t, err, "n=%d", n)
		// bytes.Equal: an empty bytes.Buffer gives nil, which assert.Equal
		// would call different from the empty msg.
		require.True(t, bytes.Equal(out.Bytes(), msg), "n=%d: decrypts to something else", n)
		ctCopy := bytes.Clone(buf.Bytes())
		rb, _ := NewDecryptReaderBytes(buf.Bytes(), h, key)
		out.Reset()
		_, err = io.Copy(&out, rb)
		require.NoError(t, err, "bytes n=%d", n)
		require.True(t, bytes.Equal(out.Bytes(), msg), "bytes n=%d: decrypts to something else", n)
		require.Equal(t, ctCopy, buf.Bytes(), "NewDecryptReaderBytes wrote to its input")
	}
}

func TestEncryptReaderMatchesWriter(t *testing.T) {
	key := secret.GenerateKey()
	for _, n := range boundarySizes(testCS) {
		for _, par := range []int{1, 2} {
			msg := randBytes(n)
			r, h, err := newEncryptReader(iotest.OneByteReader(bytes.NewReader(msg)), key, testCS, par)
			require.NoError(t, err)
			ct, err := io.ReadAll(r)
			require.NoError(t, err)
			got, err := decryptWith(ct, h, key, testCS, 2)
			require.NoError(t, err, "n=%d par=%d", n, par)
			require.Equal(t, msg, got, "n=%d par=%d", n, par)
		}
	}
}

var _ = errors.Is

func keyBytes(k *secret.Key) *[32]byte {
	b := k.Bytes()
	return (*[32]byte)(b)
}

// enteKAT is the secretstream known answer from Ente's CLI tests (cli/internal/crypto/crypto_test.go).
func enteKAT(t testing.TB) (*[32]byte, Header, []byte) {
	t.Helper()
	kb, err := base64.StdEncoding.DecodeString("vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0=")
	require.NoError(t, err)
	var h Header
	require.NoError(t, h.UnmarshalText([]byte("v7wsI+BFZsRMIjDm3rTxPhmi/CaUdkdJ")))
	ct, err := base64.StdEncoding.DecodeString("kBXQ2PuX6y/aje5r22H0AehRPh6sQ0ULoeAO")
	require.NoError(t, err)
	return (*[32]byte)(kb), h, ct
}

// Write seals whole chunks straight from the caller's buffer; it must be
// done with p when it returns. Scribbling over p after every Write must not
// change what was encrypted. (The race detector cannot see libsodium's
// reads, so this checks the outcome.)
func TestWriteDoesNotRetainInput(t *testing.T) {
	const cs = 64
	key := secret.GenerateKey()
	for _, size := range []int{cs + 1, 2 * cs, 3*cs + 5, 9 * cs} {
		for _, par := range []int{1, 2} {
			msg := randBytes(size)
			var ct bytes.Buffer
			w, h, err := newEncryptWriter(&ct, key, cs, par)
			require.NoError(t, err)
			for off := 0; off < size; off += 2*cs + 3 {
				p := bytes.Clone(msg[off:min(size, off+2*cs+3)])
				n, err := w.Write(p)
				require.NoError(t, err, "Write")
				require.Equal(t, len(p), n, "Write")
				for i := range p {
					p[i] ^= 0xff
				}
			}
			require.NoError(t, w.Close())
			got, err := decryptWith(ct.Bytes(), h, key, cs, 2)
			require.NoError(t, err, "size %d, par %d", size, par)
			require.Equal(t, msg, got, "size %d, par %d: decrypts to something else", size, par)
		}
	}
}
