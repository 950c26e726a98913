package secret_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/internal/redacttest"
	"github.com/e2eekit/e2ee/secret"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testBytes is a key whose bytes are not printable ASCII, so that any of
// their encodings in printed output is a real leak, never an accident.
func testBytes() []byte {
	b := make([]byte, secret.KeySize)
	for i := range b {
		b[i] = byte(0xc0 + 3*i)
	}
	return b
}

func TestRedaction(t *testing.T) {
	raw := testBytes()
	k, err := secret.NewKey(raw)
	require.NoError(t, err)
	redacttest.Check(t, *k, raw)
	redacttest.Check(t, k, raw)

	for _, verb := range []string{"%v", "%+v", "%s", "%#v", "%x", "%q"} {
		assert.Equal(t, "secret.Key(REDACTED)", fmt.Sprintf(verb, k), "Sprintf(%q, key)", verb)
	}
	assert.Equal(t, "{K:secret.Key(REDACTED)}", fmt.Sprintf("%+v", struct{ K *secret.Key }{k}), "%+v of a struct holding *Key")
	assert.Equal(t, "{K:secret.Key(REDACTED)}", fmt.Sprintf("%+v", struct{ K secret.Key }{*k}), "%+v of a struct holding Key")
}

func TestMarshalRefuses(t *testing.T) {
	k := secret.GenerateKey()
	_, err := k.MarshalJSON()
	assert.ErrorIs(t, err, secret.ErrNotMarshalable, "MarshalJSON")
	_, err = k.MarshalText()
	assert.ErrorIs(t, err, secret.ErrNotMarshalable, "MarshalText")
	_, err = k.MarshalBinary()
	assert.ErrorIs(t, err, secret.ErrNotMarshalable, "MarshalBinary")
}

func TestNewKeySize(t *testing.T) {
	for _, n := range []int{0, 1, 16, 31, 33, 64} {
		k, err := secret.NewKey(make([]byte, n))
		assert.ErrorIs(t, err, secret.ErrKeySize, "NewKey(%d bytes)", n)
		assert.Nil(t, k, "NewKey(%d bytes)", n)
	}
	_, err := secret.NewKey(nil)
	assert.ErrorIs(t, err, secret.ErrKeySize, "NewKey(nil)")
}

func TestNewKeyCopies(t *testing.T) {
	raw := testBytes()
	k, err := secret.NewKey(raw)
	require.NoError(t, err)
	raw[0] ^= 1
	// Key bytes, here and below: compared, never printed.
	assert.False(t, k.Bytes()[0] == raw[0], "NewKey kept a reference to its input")
}

func TestBytesCopies(t *testing.T) {
	raw := testBytes()
	k, _ := secret.NewKey(raw)
	b := k.Bytes()
	require.True(t, bytes.Equal(raw, b), "Bytes differs from the key")
	clear(b)
	assert.True(t, bytes.Equal(raw, k.Bytes()), "clearing the result of Bytes changed the key")
	b1, b2 := k.Bytes(), k.Bytes()
	assert.False(t, &b1[0] == &b2[0], "Bytes returned the same buffer twice")
}

func TestEqual(t *testing.T) {
	raw := testBytes()
	a, _ := secret.NewKey(raw)
	b, _ := secret.NewKey(raw)
	var nilKey *secret.Key
	zero, _ := secret.NewKey(make([]byte, secret.KeySize))
	tests := []struct {
		name string
		x, y *secret.Key
		want bool
	}{
		{"same pointer", a, a, true},
		{"same bytes", a, b, true},
		{"both nil", nilKey, nilKey, true},
		{"nil and key", nilKey, a, false},
		{"key and nil", a, nilKey, false},
		{"zero Key and all-zero key", new(secret.Key), zero, true},
		{"zero Key and key", new(secret.Key), a, false},
	}
	// Every single-bit difference, at every position, must be seen: a
	// comparison that stopped early or looked at a prefix would miss some.
	for i := range secret.KeySize * 8 {
		r := testBytes()
		r[i/8] ^= 1 << (i % 8)
		c, _ := secret.NewKey(r)
		assert.False(t, a.Equal(c) || c.Equal(a), "keys differing in bit %d compare equal", i)
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.x.Equal(tt.y), "%s: Equal", tt.name)
	}
}

func TestGenerateKey(t *testing.T) {
	a, b := secret.GenerateKey(), secret.GenerateKey()
	assert.False(t, a.Equal(b), "two generated keys are equal")
	assert.False(t, bytes.Equal(make([]byte, secret.KeySize), a.Bytes()), "generated key is all zeros")
}

func TestDestroy(t *testing.T) {
	k, _ := secret.NewKey(testBytes())
	arr := keymat.Array(k)
	alias := *k // a copy of the Key value shares its bytes
	k.Destroy()
	assert.True(t, *arr == [secret.KeySize]byte{}, "Destroy left key bytes in memory")
	assert.True(t, alias.Equal(new(secret.Key)), "a copy of the Key value still holds the bytes")
	var nilKey *secret.Key
	nilKey.Destroy()          // must not panic
	new(secret.Key).Destroy() // must not panic
}

func TestZeroKeyFilledInPlace(t *testing.T) {
	// SDK packages fill a new(Key) through keymat.Array.
	k := new(secret.Key)
	assert.True(t, bytes.Equal(make([]byte, secret.KeySize), k.Bytes()), "zero Key is not all zeros")
	copy(keymat.Array(k)[:], testBytes())
	assert.True(t, bytes.Equal(testBytes(), k.Bytes()), "bytes written through keymat.Array are not the key's")
}

func TestErrorsHoldNoSecret(t *testing.T) {
	raw := testBytes()
	var errs []error
	for _, n := range []int{0, 16, 31, 33} {
		_, err := secret.NewKey(append(raw, raw...)[:n])
		errs = append(errs, err)
	}
	redacttest.CheckErrors(t, errs, map[string][]byte{"key": raw})
}
