package share_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/share"
)

func mustKey(t testing.TB, b []byte) *secret.Key {
	t.Helper()
	k, err := secret.NewKey(b)
	require.NoError(t, err)
	return k
}

func seqKey(t testing.TB) *secret.Key {
	b := make([]byte, 32)
	for i := range b {
		b[i] = byte(i)
	}
	return mustKey(t, b)
}

// Known answers: the first is Ente's own (cli/internal/crypto/crypto_test.go);
// the others were computed with the bs58 npm package that Ente's web client
// uses (testdata/gen/node_modules/bs58).
func TestKeyKnownAnswers(t *testing.T) {
	ff := bytes.Repeat([]byte{0xff}, 32)
	lead := append([]byte{0, 0}, ff[2:]...)
	one := make([]byte, 32)
	one[31] = 1
	for _, tc := range []struct {
		name string
		key  []byte
		want string
	}{
		{"00..1f", seqKey(t).Bytes(), "1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE"},
		{"zeros", make([]byte, 32), strings.Repeat("1", 32)},
		{"two leading zeros", lead, "11tJ93RwaVfE1PEMxd5rpZZuPtLCwbEaDCrNBhAy8Cv"},
		{"thirty-one leading zeros", one, strings.Repeat("1", 31) + "2"},
		{"ff", ff, "JEKNVnkbo3jma5nREBBJCDoXFVeKkD56V3xKrvRmWxFG"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Keys, even known ones: compared without a diff.
			got := share.EncodeKey(mustKey(t, tc.key))
			assert.True(t, got == tc.want, "EncodeKey = %s, want %s", got, tc.want)
			k, err := share.DecodeKey(tc.want)
			require.NoError(t, err)
			assert.True(t, bytes.Equal(tc.key, k.Bytes()), "DecodeKey = %x, want %x", k.Bytes(), tc.key)
		})
	}
}

func TestDecodeKeyLegacyHex(t *testing.T) {
	want := seqKey(t)
	for _, frag := range []string{
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		"000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
	} {
		k, err := share.DecodeKey(frag)
		require.NoError(t, err)
		assert.True(t, k.Equal(want), "DecodeKey(%s) = %x", frag, k.Bytes())
	}
}

func TestDecodeKeyRejects(t *testing.T) {
	for name, frag := range map[string]string{
		"empty":               "",
		"31 bytes of base58":  "21bnBr73VvqFKaCDQxB7ckG2qbQrVbHLgdhdDUrjteu",
		"33 bytes of base58":  "LgcYyCwMGRoGfrRC4nJFCyLsmc5MccvyMoHwmet9CPrXs",
		"base58 with 0":       "0thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE",
		"base58 with l":       "lthX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE",
		"base64":              "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
		"31 ones":             strings.Repeat("1", 31),
		"33 ones":             strings.Repeat("1", 33),
		"49 ones":             strings.Repeat("1", 49),
		"hex of 31 bytes":     strings.Repeat("ab", 31),
		"hex of 25 bytes":     strings.Repeat("ab", 25),
		"hex of 33 bytes":     strings.Repeat("ab", 33),
		"odd hex":             strings.Repeat("a", 63),
		"hex with g":          strings.Repeat("a", 63) + "g",
		"long base58":         strings.Repeat("z", 10000),
		"base58 with a space": "1thX6LZfHDZZKUs92febYZhYR cXddmzfzF2NvTkPNE",
	} {
		t.Run(name, func(t *testing.T) {
			k, err := share.DecodeKey(frag)
			require.ErrorIs(t, err, share.ErrInvalidLink)
			require.Nil(t, k)
		})
	}
}

// bigBase58 is an independent, textbook base58 encoder over math/big.
func bigBase58(b []byte) string {
	const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	n := new(big.Int).SetBytes(b)
	var out []byte
	for mod, base := new(big.Int), big.NewInt(58); n.Sign() > 0; {
		n.DivMod(n, base, mod)
		out = append(out, alphabet[mod.Int64()])
	}
	for i := 0; i < len(b) && b[i] == 0; i++ {
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

func TestKeyRandomAgainstBigInt(t *testing.T) {
	for i := range 500 {
		b := make([]byte, 32)
		rand.Read(b)
		b[0] &= byte(0xff >> (i % 9)) // vary the magnitude, with some leading zeros
		if i%50 == 0 {
			b[0], b[1] = 0, 0
		}
		k := mustKey(t, b)
		s := share.EncodeKey(k)
		want := bigBase58(b)
		require.True(t, s == want, "EncodeKey(%x) = %s, big.Int says %s", b, s, want)
		got, err := share.DecodeKey(s)
		require.NoError(t, err, "DecodeKey(EncodeKey(%x))", b)
		require.True(t, got.Equal(k), "DecodeKey(EncodeKey(%x)) = %v", b, got)
		got, err = share.DecodeKey(hex.EncodeToString(b))
		require.NoError(t, err, "DecodeKey(hex %x)", b)
		require.True(t, got.Equal(k), "DecodeKey(hex %x) = %v", b, got)
	}
}

func TestDecodeKeyErrorHidesFragment(t *testing.T) {
	for _, frag := range []string{"secretXYZ0", strings.Repeat("q", 64), "abc!def"} {
		_, err := share.DecodeKey(frag)
		if assert.Error(t, err) {
			assert.NotContains(t, err.Error(), frag, "DecodeKey error reveals the fragment")
			assert.NotContains(t, err.Error(), "!", "DecodeKey error reveals the fragment")
		}
	}
}
