package secretbox_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"github.com/e2eekit/e2ee/internal/vectorseed"
	"testing"

	xsecretbox "golang.org/x/crypto/nacl/secretbox"

	"github.com/e2eekit/e2ee/internal/boxtest"
	"github.com/e2eekit/e2ee/internal/redacttest"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustB64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

func testKey(t testing.TB) (*secret.Key, *[32]byte) {
	var raw [32]byte
	for i := range raw {
		raw[i] = byte(0x80 ^ i)
	}
	k, err := secret.NewKey(raw[:])
	require.NoError(t, err)
	return k, &raw
}

func testNonce() *secretbox.Nonce {
	var n secretbox.Nonce
	for i := range n {
		n[i] = byte(3 * i)
	}
	return &n
}

var message = boxtest.Message

func TestConformance(t *testing.T) {
	k, _ := testKey(t)
	n := testNonce()
	nonceCopy := *n
	boxtest.Run(t, boxtest.Box{
		Seal:     func(dst, msg []byte) []byte { return secretbox.Seal(dst, msg, n, k) },
		Open:     func(dst, box []byte) ([]byte, error) { return secretbox.Open(dst, box, n, k) },
		Overhead: secretbox.Overhead,
		ErrOpen:  secretbox.ErrOpen,
		Prefix:   "secretbox: ",
	})
	assert.Equal(t, nonceCopy, *n, "nonce modified")
}

// TestEnteCLIVector is the secretbox known answer of Ente's Go CLI tests.
func TestEnteCLIVector(t *testing.T) {
	k, err := secret.NewKey(mustB64(t, "kercNpvGufMTTHmDwAhz26DgCAvznd1+/buBqKEkWr4="))
	require.NoError(t, err)
	var n secretbox.Nonce
	require.NoError(t, n.UnmarshalText([]byte("jgfPDOsQh2VdIHWJVSBicMPF2sQW3HIY")))
	box := mustB64(t, "KHwRN+RzvTu+jC7mCdkMsqnTPSLvevtZILmcR2OYFbIRPqDyjAl+m8KxD9B5fiEo")
	want := mustB64(t, "O1ObUBMv+SCE1qWHD7+WViEIZcAeTp18Y+m9eMlDE1Y=")
	got, err := secretbox.Open(nil, box, &n, k)
	require.NoError(t, err, "Open")
	require.Equal(t, want, got, "Open")
	require.Equal(t, box, secretbox.Seal(nil, want, &n, k), "Seal")
}

// TestXCrypto checks byte equality with golang.org/x/crypto/nacl/secretbox
// in both directions.
func TestXCrypto(t *testing.T) {
	k, raw := testKey(t)
	n := testNonce()
	for _, size := range boxtest.Sizes {
		msg := message(size)
		ours := secretbox.Seal(nil, msg, n, k)
		theirs := xsecretbox.Seal(nil, msg, (*[24]byte)(n), raw)
		require.Equal(t, theirs, ours, "%d bytes: Seal differs from x/crypto", size)
		require.Len(t, ours, size+secretbox.Overhead, "%d bytes: box", size)
		got, ok := xsecretbox.Open(nil, ours, (*[24]byte)(n), raw)
		require.True(t, ok, "%d bytes: x/crypto cannot open our box", size)
		// bytes.Equal here and below: an empty message opens as nil, and
		// message(0) is empty, not nil.
		require.True(t, bytes.Equal(msg, got), "%d bytes: x/crypto cannot open our box", size)
		got, err := secretbox.Open(nil, theirs, n, k)
		require.NoError(t, err, "%d bytes: cannot open x/crypto's box", size)
		require.True(t, bytes.Equal(msg, got), "%d bytes: cannot open x/crypto's box", size)
		buf := append(make([]byte, 0, size+secretbox.Overhead), msg...)
		require.Equal(t, theirs, secretbox.Seal(buf[:0], buf, n, k), "%d bytes: in-place Seal differs from x/crypto", size)
	}
}

func TestWrongKeyOrNonce(t *testing.T) {
	k, _ := testKey(t)
	n := testNonce()
	box := secretbox.Seal(nil, message(32), n, k)
	_, err := secretbox.Open(nil, box, n, secret.GenerateKey())
	assert.ErrorIs(t, err, secretbox.ErrOpen, "wrong key")
	for i := range secretbox.NonceSize {
		bad := *n
		bad[i] ^= 0x80
		_, err := secretbox.Open(nil, box, &bad, k)
		assert.ErrorIs(t, err, secretbox.ErrOpen, "nonce byte %d flipped", i)
	}
}

func TestNonceText(t *testing.T) {
	n := testNonce()
	type wire struct {
		Nonce secretbox.Nonce `json:"nonce"`
	}
	b, err := json.Marshal(wire{*n})
	require.NoError(t, err)
	want := `{"nonce":"` + base64.StdEncoding.EncodeToString(n[:]) + `"}`
	require.Equal(t, want, string(b), "Marshal")
	var back wire
	require.NoError(t, json.Unmarshal(b, &back), "Unmarshal")
	require.Equal(t, *n, back.Nonce, "Unmarshal")

	std := base64.StdEncoding.EncodeToString(n[:])
	for name, in := range map[string]string{
		"23 bytes":                        base64.StdEncoding.EncodeToString(n[:23]),
		"25 bytes":                        base64.StdEncoding.EncodeToString(append(n[:], 0)),
		"32 bytes":                        base64.StdEncoding.EncodeToString(make([]byte, 32)),
		"empty":                           "",
		"URL-safe":                        base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb, 0xff, 0xfe}, 8)),
		"unpadded 23 bytes":               base64.RawStdEncoding.EncodeToString(n[:23]),
		"embedded newline":                std[:16] + "\n" + std[16:],
		"trailing newline":                std + "\n",
		"leading space":                   " " + std,
		"23 bytes, bits set past the end": base64.StdEncoding.EncodeToString(n[:23])[:30] + "B=",
	} {
		var got secretbox.Nonce
		err := json.Unmarshal([]byte(`{"nonce":`+jsonString(in)+`}`), &struct {
			Nonce *secretbox.Nonce `json:"nonce"`
		}{&got})
		if !assert.Error(t, err, "%s (%q): accepted", name, in) {
			continue
		}
		assert.ErrorContains(t, err, "secretbox: nonce", "%s: the error does not name the field", name)
	}
	for _, in := range []string{`{"nonce":12}`, `{"nonce":[1,2,3]}`, `{"nonce":{}}`} {
		var w wire
		assert.Error(t, json.Unmarshal([]byte(in), &w), "%s accepted", in)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestRandomNonce(t *testing.T) {
	assert.NotEqual(t, *secretbox.RandomNonce(), *secretbox.RandomNonce(), "two random nonces are equal")
}

func FuzzOpen(f *testing.F) {
	k, raw := testKey(f)
	n := testNonce()
	f.Add(raw[:], n[:], secretbox.Seal(nil, message(5), n, k))
	f.Add(raw[:], n[:], secretbox.Seal(nil, nil, n, k))
	f.Add(raw[:], n[:], []byte{})
	f.Add(mustB64(f, "kercNpvGufMTTHmDwAhz26DgCAvznd1+/buBqKEkWr4="), mustB64(f, "jgfPDOsQh2VdIHWJVSBicMPF2sQW3HIY"),
		mustB64(f, "KHwRN+RzvTu+jC7mCdkMsqnTPSLvevtZILmcR2OYFbIRPqDyjAl+m8KxD9B5fiEo"))
	// Every box of the independent vectors, valid and forged.
	for _, r := range vectorseed.Rows(f, "secretbox.json", "key", "nonce", "ct") {
		f.Add(mustB64(f, r[0]), mustB64(f, r[1]), mustB64(f, r[2]))
	}
	f.Fuzz(func(t *testing.T, key, nonce, box []byte) {
		var kb [32]byte
		var nb secretbox.Nonce
		copy(kb[:], key)
		copy(nb[:], nonce)
		k, _ := secret.NewKey(kb[:])
		msg, err := secretbox.Open(nil, box, &nb, k)
		ref, ok := xsecretbox.Open(nil, box, (*[24]byte)(&nb), &kb)
		require.Equal(t, ok, err == nil, "Open err = %v, x/crypto ok = %v", err, ok)
		if err != nil {
			require.ErrorIs(t, err, secretbox.ErrOpen, "Open")
			require.Nil(t, msg, "Open")
			return
		}
		require.Equal(t, ref, msg, "opened box does not re-seal to itself")
		require.Equal(t, box, secretbox.Seal(nil, msg, &nb, k), "opened box does not re-seal to itself")
	})
}

// TestAllocs checks that Seal and Open into a dst with room allocate
// nothing, even with a nonce on the caller's stack: the cgo calls are
// marked noescape, so the nonce need not move to the heap.
func TestAllocs(t *testing.T) {
	k, _ := testKey(t)
	msg := message(32)
	dst := make([]byte, 0, 64)
	box := secretbox.Seal(nil, msg, testNonce(), k)
	allocs := testing.AllocsPerRun(100, func() {
		var n secretbox.Nonce
		n[0] = 1
		dst = secretbox.Seal(dst[:0], msg, &n, k)
	})
	allocs += testing.AllocsPerRun(100, func() {
		n := *testNonce()
		dst, _ = secretbox.Open(dst[:0], box, &n, k)
	})
	assert.Zero(t, allocs, "Seal and Open allocate per call")
}

// TestErrorsHoldNoSecret feeds a known key and plaintext through every
// failing path and searches the error text for them.
func TestErrorsHoldNoSecret(t *testing.T) {
	k, raw := testKey(t)
	n := testNonce()
	msg := message(64)
	box := secretbox.Seal(nil, msg, n, k)
	var errs []error
	for l := range len(box) {
		_, err := secretbox.Open(nil, box[:l], n, k)
		errs = append(errs, err)
	}
	bad := bytes.Clone(box)
	bad[0] ^= 1
	_, err := secretbox.Open(nil, bad, n, k)
	errs = append(errs, err)
	var nonce secretbox.Nonce
	errs = append(errs, nonce.UnmarshalText([]byte(base64.StdEncoding.EncodeToString(raw[:]))))
	errs = append(errs, nonce.UnmarshalText(raw[:]))
	redacttest.CheckErrors(t, errs, map[string][]byte{"key": raw[:], "plaintext": msg})
}
