package secret_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/internal/redacttest"
	"github.com/e2eekit/e2ee/secret"
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
	if err != nil {
		t.Fatal(err)
	}
	redacttest.Check(t, *k, raw)
	redacttest.Check(t, k, raw)

	for _, verb := range []string{"%v", "%+v", "%s", "%#v", "%x", "%q"} {
		if got := fmt.Sprintf(verb, k); got != "secret.Key(REDACTED)" {
			t.Errorf("Sprintf(%q, key) = %q", verb, got)
		}
	}
	if got := fmt.Sprintf("%+v", struct{ K *secret.Key }{k}); got != "{K:secret.Key(REDACTED)}" {
		t.Errorf("%%+v of a struct holding *Key = %q", got)
	}
	if got := fmt.Sprintf("%+v", struct{ K secret.Key }{*k}); got != "{K:secret.Key(REDACTED)}" {
		t.Errorf("%%+v of a struct holding Key = %q", got)
	}
}

func TestMarshalRefuses(t *testing.T) {
	k := secret.GenerateKey()
	if _, err := k.MarshalJSON(); !errors.Is(err, secret.ErrNotMarshalable) {
		t.Errorf("MarshalJSON: %v", err)
	}
	if _, err := k.MarshalText(); !errors.Is(err, secret.ErrNotMarshalable) {
		t.Errorf("MarshalText: %v", err)
	}
	if _, err := k.MarshalBinary(); !errors.Is(err, secret.ErrNotMarshalable) {
		t.Errorf("MarshalBinary: %v", err)
	}
}

func TestNewKeySize(t *testing.T) {
	for _, n := range []int{0, 1, 16, 31, 33, 64} {
		k, err := secret.NewKey(make([]byte, n))
		if !errors.Is(err, secret.ErrKeySize) || k != nil {
			t.Errorf("NewKey(%d bytes) = %v, %v; want nil, ErrKeySize", n, k, err)
		}
	}
	if _, err := secret.NewKey(nil); !errors.Is(err, secret.ErrKeySize) {
		t.Errorf("NewKey(nil): %v", err)
	}
}

func TestNewKeyCopies(t *testing.T) {
	raw := testBytes()
	k, err := secret.NewKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	raw[0] ^= 1
	if got := k.Bytes(); got[0] == raw[0] {
		t.Error("NewKey kept a reference to its input")
	}
}

func TestBytesCopies(t *testing.T) {
	raw := testBytes()
	k, _ := secret.NewKey(raw)
	b := k.Bytes()
	if !bytes.Equal(b, raw) {
		t.Fatalf("Bytes = %x, want %x", b, raw)
	}
	clear(b)
	if !bytes.Equal(k.Bytes(), raw) {
		t.Error("clearing the result of Bytes changed the key")
	}
	if b1, b2 := k.Bytes(), k.Bytes(); &b1[0] == &b2[0] {
		t.Error("Bytes returned the same buffer twice")
	}
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
		if a.Equal(c) || c.Equal(a) {
			t.Errorf("keys differing in bit %d compare equal", i)
		}
	}
	for _, tt := range tests {
		if got := tt.x.Equal(tt.y); got != tt.want {
			t.Errorf("%s: Equal = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestGenerateKey(t *testing.T) {
	a, b := secret.GenerateKey(), secret.GenerateKey()
	if a.Equal(b) {
		t.Error("two generated keys are equal")
	}
	if bytes.Equal(a.Bytes(), make([]byte, secret.KeySize)) {
		t.Error("generated key is all zeros")
	}
}

func TestDestroy(t *testing.T) {
	k, _ := secret.NewKey(testBytes())
	arr := keymat.Array(k)
	alias := *k // a copy of the Key value shares its bytes
	k.Destroy()
	if *arr != [secret.KeySize]byte{} {
		t.Error("Destroy left key bytes in memory")
	}
	if !alias.Equal(new(secret.Key)) {
		t.Error("a copy of the Key value still holds the bytes")
	}
	var nilKey *secret.Key
	nilKey.Destroy()          // must not panic
	new(secret.Key).Destroy() // must not panic
}

func TestZeroKeyFilledInPlace(t *testing.T) {
	// SDK packages fill a new(Key) through keymat.Array.
	k := new(secret.Key)
	if !bytes.Equal(k.Bytes(), make([]byte, secret.KeySize)) {
		t.Error("zero Key is not all zeros")
	}
	copy(keymat.Array(k)[:], testBytes())
	if !bytes.Equal(k.Bytes(), testBytes()) {
		t.Error("bytes written through keymat.Array are not the key's")
	}
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
