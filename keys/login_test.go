package keys_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"math/bits"
	"testing"

	"golang.org/x/crypto/blake2b"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/keys"
)

// blake2bRef is BLAKE2b written from RFC 7693 for these tests, with the
// parameter block's salt and personalisation, which x/crypto/blake2b does
// not expose. TestBlake2bRef checks it against x/crypto where both apply.
func blake2bRef(outLen int, key, salt, personal, msg []byte) []byte {
	iv := [8]uint64{
		0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
		0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
	}
	sigma := [12][16]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
		{14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
		{11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
		{7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
		{9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
		{2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
		{12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
		{13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
		{6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
		{10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
		{14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
	}
	// Parameter block: digest length, key length, fanout 1, depth 1; salt
	// and personalisation XORed into words 4..7.
	h := iv
	h[0] ^= 0x01010000 ^ uint64(len(key))<<8 ^ uint64(outLen)
	var sp [32]byte
	copy(sp[:16], salt)
	copy(sp[16:], personal)
	for i := range 4 {
		h[4+i] ^= binary.LittleEndian.Uint64(sp[8*i:])
	}
	data := msg
	if len(key) > 0 {
		block := make([]byte, 128)
		copy(block, key)
		data = append(block, msg...)
	}
	compress := func(block []byte, t uint64, last bool) {
		var m [16]uint64
		for i := range m {
			m[i] = binary.LittleEndian.Uint64(block[8*i:])
		}
		var v [16]uint64
		copy(v[:8], h[:])
		copy(v[8:], iv[:])
		v[12] ^= t
		if last {
			v[14] = ^v[14]
		}
		g := func(a, b, c, d int, x, y uint64) {
			v[a] = v[a] + v[b] + x
			v[d] = bits.RotateLeft64(v[d]^v[a], -32)
			v[c] = v[c] + v[d]
			v[b] = bits.RotateLeft64(v[b]^v[c], -24)
			v[a] = v[a] + v[b] + y
			v[d] = bits.RotateLeft64(v[d]^v[a], -16)
			v[c] = v[c] + v[d]
			v[b] = bits.RotateLeft64(v[b]^v[c], -63)
		}
		for _, s := range sigma {
			g(0, 4, 8, 12, m[s[0]], m[s[1]])
			g(1, 5, 9, 13, m[s[2]], m[s[3]])
			g(2, 6, 10, 14, m[s[4]], m[s[5]])
			g(3, 7, 11, 15, m[s[6]], m[s[7]])
			g(0, 5, 10, 15, m[s[8]], m[s[9]])
			g(1, 6, 11, 12, m[s[10]], m[s[11]])
			g(2, 7, 8, 13, m[s[12]], m[s[13]])
			g(3, 4, 9, 14, m[s[14]], m[s[15]])
		}
		for i := range 8 {
			h[i] ^= v[i] ^ v[i+8]
		}
	}
	var t uint64
	for len(data) > 128 {
		t += 128
		compress(data[:128], t, false)
		data = data[128:]
	}
	last := make([]byte, 128)
	copy(last, data)
	compress(last, t+uint64(len(data)), true)
	out := make([]byte, 64)
	for i := range 8 {
		binary.LittleEndian.PutUint64(out[8*i:], h[i])
	}
	return out[:outLen]
}

// TestBlake2bRef checks the reference against RFC 7693's own example and
// against x/crypto's keyed BLAKE2b (salt and personalisation zero).
func TestBlake2bRef(t *testing.T) {
	const abc = "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
	require.Equal(t, abc, hex.EncodeToString(blake2bRef(64, nil, nil, nil, []byte("abc"))), "BLAKE2b-512(abc), want RFC 7693's")
	key := bytes.Repeat([]byte{0x5a}, 32)
	for _, n := range []int{0, 1, 127, 128, 129, 256, 1000} {
		msg := bytes.Repeat([]byte{byte(n)}, n)
		for _, size := range []int{32, 64} {
			x, err := blake2b.New(size, key)
			require.NoError(t, err)
			x.Write(msg)
			digest := blake2bRef(size, key, nil, nil, msg)
			require.Equal(t, x.Sum(nil), digest, "reference and x/crypto differ for %d-byte message, %d-byte digest", n, size)
		}
	}
}

// TestLoginKey checks LoginKey against crypto_kdf_derive_from_key's
// definition (BLAKE2b-256 keyed with the KEK, salt = id as 8 bytes little
// endian ‖ 8 zero bytes, personalisation = context ‖ 8 zero bytes, empty
// message) computed by the reference above, and against a known answer.
func TestLoginKey(t *testing.T) {
	kekBytes := b64(t, enteArgonKey)
	kek := mustKEK(t, kekBytes)
	salt := make([]byte, 16)
	binary.LittleEndian.PutUint64(salt, 1)
	personal := append([]byte("loginctx"), make([]byte, 8)...)
	want := blake2bRef(32, kekBytes, salt, personal, nil)[:16]
	got := keys.LoginKey(kek)
	require.True(t, bytes.Equal(got, want), "LoginKey = %x, reference BLAKE2b gives %x", got, want)
	// Computed independently with @noble/hashes' blake2b (salt,
	// personalization) and libsodium.js crypto_kdf_derive_from_key(32, 1,
	// "loginctx", kek), both giving 48549ae6…4c4c; the first 16 bytes:
	kat := b64(t, "SFSa5oJxygjfifMdZjNWcg==")
	require.True(t, bytes.Equal(got, kat), "LoginKey = %x, want the known answer %x", got, kat)
	// Another KEK gives another login key.
	other := mustKEK(t, bytes.Repeat([]byte{1}, 32))
	require.False(t, bytes.Equal(keys.LoginKey(other), got), "LoginKey ignores its input")
}
