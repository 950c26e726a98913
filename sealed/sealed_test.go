package sealed_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"github.com/e2eekit/e2ee/internal/vectorseed"
	"strings"
	"testing"
	"testing/cryptotest"

	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/nacl/box"

	"github.com/e2eekit/e2ee/internal/boxtest"
	"github.com/e2eekit/e2ee/internal/redacttest"
	"github.com/e2eekit/e2ee/sealed"
	"github.com/e2eekit/e2ee/secret"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	sizes   = boxtest.Sizes
	message = boxtest.Message
)

// testKey returns a fixed key pair whose secret bytes are not printable.
func testKey(t testing.TB) (*sealed.PrivateKey, *[32]byte) {
	var raw [32]byte
	for i := range raw {
		raw[i] = byte(0xc0 + 3*i)
	}
	k, err := sealed.NewPrivateKey(raw[:])
	require.NoError(t, err)
	return k, &raw
}

func TestPublicKeyMatchesX25519(t *testing.T) {
	k, raw := testKey(t)
	want, err := curve25519.X25519(raw[:], curve25519.Basepoint)
	require.NoError(t, err)
	require.Equal(t, want, k.PublicKey()[:], "PublicKey")
	// box.GenerateKey reads the secret key from its reader, as
	// crypto_box_keypair draws it from randombytes.
	pub, priv, _ := box.GenerateKey(bytes.NewReader(raw[:]))
	require.Equal(t, sealed.PublicKey(*pub), *k.PublicKey(), "key pair differs from x/crypto's")
	// The secret key: compared, never printed.
	require.True(t, *priv == *raw, "key pair differs from x/crypto's")
	g := sealed.GenerateKey()
	want, _ = curve25519.X25519(g.Bytes(), curve25519.Basepoint)
	require.Equal(t, want, g.PublicKey()[:], "GenerateKey: public key is not X25519(sk, base)")
}

// TestXCrypto checks that x/crypto's OpenAnonymous opens our boxes and that
// we open its SealAnonymous boxes.
func TestXCrypto(t *testing.T) {
	k, raw := testKey(t)
	pub := (*[32]byte)(k.PublicKey())
	for _, size := range sizes {
		msg := message(size)
		ours, err := sealed.Seal(nil, msg, k.PublicKey())
		require.NoError(t, err)
		require.Len(t, ours, size+sealed.Overhead, "%d bytes: sealed box", size)
		got, ok := box.OpenAnonymous(nil, ours, pub, raw)
		require.True(t, ok, "%d bytes: x/crypto cannot open our box", size)
		// bytes.Equal here and below: an empty message opens as nil, and
		// message(0) is empty, not nil.
		require.True(t, bytes.Equal(msg, got), "%d bytes: x/crypto cannot open our box", size)
		theirs, err := box.SealAnonymous(nil, msg, pub, rand.Reader)
		require.NoError(t, err)
		got, err = sealed.Open(nil, theirs, k)
		require.NoError(t, err, "%d bytes: cannot open x/crypto's box", size)
		require.True(t, bytes.Equal(msg, got), "%d bytes: cannot open x/crypto's box", size)
	}
}

// TestDeterministic fixes crypto/rand and checks our sealed box byte for
// byte against x/crypto's SealAnonymous and against a construction by hand
// from x/crypto primitives, with the same ephemeral secret key.
func TestDeterministic(t *testing.T) {
	k, _ := testKey(t)
	pk := k.PublicKey()
	msg := []byte("a 32-byte collection key, sealed")

	cryptotest.SetGlobalRandom(t, 42)
	ours, err := sealed.Seal(nil, msg, pk)
	require.NoError(t, err)
	cryptotest.SetGlobalRandom(t, 42)
	esk := make([]byte, 32)
	rand.Read(esk)

	theirs, err := box.SealAnonymous(nil, msg, (*[32]byte)(pk), bytes.NewReader(esk))
	require.NoError(t, err)
	require.Equal(t, theirs, ours, "Seal vs x/crypto SealAnonymous")

	// By hand: epk ‖ box(msg, nonce = BLAKE2b-192(epk ‖ pk), pk, esk).
	epk, err := curve25519.X25519(esk, curve25519.Basepoint)
	require.NoError(t, err)
	h, _ := blake2b.New(24, nil)
	h.Write(epk)
	h.Write(pk[:])
	var nonce [24]byte
	copy(nonce[:], h.Sum(nil))
	manual := box.Seal(bytes.Clone(epk), msg, &nonce, (*[32]byte)(pk), (*[32]byte)(esk))
	require.Equal(t, manual, ours, "Seal vs by hand")
}

func TestConformance(t *testing.T) {
	k, _ := testKey(t)
	pk := k.PublicKey()
	pkCopy := *pk
	boxtest.Run(t, boxtest.Box{
		Seal: func(dst, msg []byte) []byte {
			out, err := sealed.Seal(dst, msg, pk)
			// boxtest calls this in its subtests, on their goroutines:
			// assert, as FailNow of this (parent) t must not run there.
			assert.NoError(t, err)
			return out
		},
		Open:     func(dst, box []byte) ([]byte, error) { return sealed.Open(dst, box, k) },
		Overhead: sealed.Overhead,
		ErrOpen:  sealed.ErrOpen,
		Prefix:   "sealed: ",
	})
	assert.Equal(t, pkCopy, *pk, "public key modified")
	a, _ := sealed.Seal(nil, message(32), pk)
	b, _ := sealed.Seal(nil, message(32), pk)
	assert.NotEqual(t, a, b, "two sealed boxes of one message are equal: the ephemeral key is not fresh")
}

func TestWrongKey(t *testing.T) {
	k, _ := testKey(t)
	b, _ := sealed.Seal(nil, message(32), k.PublicKey())
	_, err := sealed.Open(nil, b, sealed.GenerateKey())
	assert.ErrorIs(t, err, sealed.ErrOpen, "wrong key")
	// The right secret key with a wrong public key derives the wrong nonce.
	other, _ := sealed.Seal(nil, message(32), sealed.GenerateKey().PublicKey())
	_, err = sealed.Open(nil, other, k)
	assert.ErrorIs(t, err, sealed.ErrOpen, "box to another key")
}

// TestLowOrderPublicKey seals to every encoding of a point of small order
// (libsodium's blacklist, with and without the ignored top bit): no shared
// secret exists, so Seal must refuse instead of sealing under a known key.
func TestLowOrderPublicKey(t *testing.T) {
	for _, h := range []string{
		"0000000000000000000000000000000000000000000000000000000000000000",
		"0100000000000000000000000000000000000000000000000000000000000000",
		"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
		"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	} {
		for _, top := range []byte{0, 0x80} {
			var pk sealed.PublicKey
			hex.Decode(pk[:], []byte(h))
			pk[31] |= top
			dst := make([]byte, 3, 200)
			out, err := sealed.Seal(dst, message(32), &pk)
			assert.ErrorIs(t, err, sealed.ErrInvalidPublicKey, "Seal to %x", pk[:])
			assert.Nil(t, out, "Seal to %x", pk[:])
			// Whatever Seal might have left there is not printed.
			assert.True(t, bytes.Equal(make([]byte, cap(dst)), dst[:cap(dst)]), "Seal to %x left bytes in dst", pk[:])
		}
	}
}

func TestPublicKeyText(t *testing.T) {
	k, _ := testKey(t)
	pk := k.PublicKey()
	b, err := json.Marshal(map[string]*sealed.PublicKey{"publicKey": pk})
	require.NoError(t, err)
	require.Equal(t, `{"publicKey":"`+base64.StdEncoding.EncodeToString(pk[:])+`"}`, string(b), "Marshal")
	var back struct {
		PublicKey sealed.PublicKey `json:"publicKey"`
	}
	require.NoError(t, json.Unmarshal(b, &back), "Unmarshal")
	require.Equal(t, *pk, back.PublicKey, "Unmarshal")
	std := base64.StdEncoding.EncodeToString(pk[:])
	for name, in := range map[string]string{
		"31 bytes":         base64.StdEncoding.EncodeToString(pk[:31]),
		"33 bytes":         base64.StdEncoding.EncodeToString(append(pk[:], 0)),
		"missing padding":  strings.TrimRight(std, "="),
		"URL-safe":         base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb, 0xff}, 16)),
		"embedded newline": std[:10] + "\n" + std[10:],
		"non-canonical":    std[:len(std)-2] + "B=", // B sets the 2 bits past the end
		"empty":            "",
	} {
		var got sealed.PublicKey
		err := got.UnmarshalText([]byte(in))
		if assert.Error(t, err, "%s (%q) accepted", name, in) {
			assert.True(t, strings.HasPrefix(err.Error(), "sealed: public key"), "%s: error %q does not name the field", name, err)
		}
	}
}

func TestPrivateKey(t *testing.T) {
	k, raw := testKey(t)
	redacttest.Check(t, *k, raw[:])
	redacttest.Check(t, k, raw[:])

	for _, n := range []int{0, 31, 33, 64} {
		got, err := sealed.NewPrivateKey(make([]byte, n))
		assert.ErrorIs(t, err, sealed.ErrKeySize, "NewPrivateKey(%d bytes)", n)
		assert.Nil(t, got, "NewPrivateKey(%d bytes)", n)
	}
	// Key bytes: compared, never printed.
	b := k.Bytes()
	require.True(t, bytes.Equal(raw[:], b), "Bytes differs from the key")
	clear(b)
	require.True(t, bytes.Equal(raw[:], k.Bytes()), "clearing Bytes' result changed the key")
	for _, m := range []func() ([]byte, error){k.MarshalJSON, k.MarshalText, k.MarshalBinary} {
		_, err := m()
		assert.ErrorIs(t, err, secret.ErrNotMarshalable, "marshal")
	}
	box1, _ := sealed.Seal(nil, message(8), k.PublicKey())
	k.Destroy()
	assert.True(t, bytes.Equal(make([]byte, 32), k.Bytes()), "Destroy left secret bytes")
	_, err := sealed.Open(nil, box1, k)
	assert.ErrorIs(t, err, sealed.ErrOpen, "destroyed key still opens")
	var nilKey *sealed.PrivateKey
	nilKey.Destroy() // must not panic
}

func FuzzOpen(f *testing.F) {
	k, raw := testKey(f)
	b, _ := sealed.Seal(nil, message(5), k.PublicKey())
	f.Add(raw[:], b)
	empty, _ := sealed.Seal(nil, nil, k.PublicKey())
	f.Add(raw[:], empty)
	f.Add(raw[:], []byte{})
	f.Add(make([]byte, 32), make([]byte, 48))
	// Every sealed box of the independent vectors, with its recipient key.
	for _, r := range vectorseed.Rows(f, "sealed.json", "secretKey", "ct") {
		sk, err1 := base64.StdEncoding.DecodeString(r[0])
		box, err2 := base64.StdEncoding.DecodeString(r[1])
		require.NoError(f, err1, "sealed.json")
		require.NoError(f, err2, "sealed.json")
		f.Add(sk, box)
	}
	f.Fuzz(func(t *testing.T, sk, b []byte) {
		var skb [32]byte
		copy(skb[:], sk)
		k, err := sealed.NewPrivateKey(skb[:])
		require.NoError(t, err)
		msg, err := sealed.Open(nil, b, k)
		ref, ok := box.OpenAnonymous(nil, b, (*[32]byte)(k.PublicKey()), &skb)
		require.Equal(t, ok, err == nil, "Open err = %v, x/crypto ok = %v", err, ok)
		if err != nil {
			require.ErrorIs(t, err, sealed.ErrOpen, "Open")
			require.Nil(t, msg, "Open")
			return
		}
		require.Equal(t, ref, msg, "Open and x/crypto disagree on the plaintext")
	})
}

// TestErrorsHoldNoSecret feeds a known key pair and plaintext through every
// failing path and searches the error text for them.
func TestErrorsHoldNoSecret(t *testing.T) {
	k, raw := testKey(t)
	msg := message(64)
	b, _ := sealed.Seal(nil, msg, k.PublicKey())
	var errs []error
	for l := range len(b) {
		_, err := sealed.Open(nil, b[:l], k)
		errs = append(errs, err)
	}
	_, err := sealed.Open(nil, b, sealed.GenerateKey())
	errs = append(errs, err)
	_, err = sealed.NewPrivateKey(raw[:31])
	errs = append(errs, err)
	_, err = sealed.Seal(nil, msg, new(sealed.PublicKey))
	errs = append(errs, err)
	var pk sealed.PublicKey
	errs = append(errs, pk.UnmarshalText([]byte(base64.StdEncoding.EncodeToString(raw[:31]))))
	redacttest.CheckErrors(t, errs, map[string][]byte{"key": raw[:], "plaintext": msg})
}
