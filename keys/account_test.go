package keys_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/curve25519"
	nacl "golang.org/x/crypto/nacl/secretbox"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
)

// xOpen opens a wrapped key with x/crypto's independent secretbox.
func xOpen(t *testing.T, box []byte, nonce *[24]byte, key []byte) []byte {
	t.Helper()
	out, ok := nacl.Open(nil, box, nonce, (*[32]byte)(key))
	if !ok {
		t.Fatal("x/crypto secretbox does not open the box")
	}
	return out
}

// TestGenerateCrossCheck opens everything Generate wrote with independent
// code: x/crypto's Argon2id, secretbox and X25519.
func TestGenerateCrossCheck(t *testing.T) {
	acc := signUp(t)
	a := acc.attrs
	if a.OpsLimit != 1 || a.MemLimit != pwhash.MinMemLimit {
		t.Fatalf("stored params %d/%d, want the policy's 1/%d", a.OpsLimit, a.MemLimit, pwhash.MinMemLimit)
	}
	kek := argon2.IDKey(password, a.KEKSalt[:], uint32(a.OpsLimit), uint32(a.MemLimit/1024), 1, 32)
	mk := xOpen(t, a.EncryptedKey, (*[24]byte)(&a.KeyDecryptionNonce), kek)
	if !bytes.Equal(mk, acc.secrets.MasterKey().Bytes()) {
		t.Fatal("encryptedKey does not hold the master key")
	}
	sk := xOpen(t, a.EncryptedSecretKey, (*[24]byte)(&a.SecretKeyDecryptionNonce), mk)
	pk, err := curve25519.X25519(sk, curve25519.Basepoint)
	if err != nil || !bytes.Equal(pk, a.PublicKey[:]) {
		t.Fatal("publicKey is not the X25519 public key of encryptedSecretKey")
	}
	rk := acc.rk.Bytes()
	if got := xOpen(t, a.MasterKeyEncryptedWithRecoveryKey, (*[24]byte)(a.MasterKeyDecryptionNonce), rk); !bytes.Equal(got, mk) {
		t.Fatal("masterKeyEncryptedWithRecoveryKey does not hold the master key")
	}
	if got := xOpen(t, a.RecoveryKeyEncryptedWithMasterKey, (*[24]byte)(a.RecoveryKeyDecryptionNonce), mk); !bytes.Equal(got, rk) {
		t.Fatal("recoveryKeyEncryptedWithMasterKey does not hold the recovery key")
	}
	if got := keys.LoginKey(acc.secrets.KEK()); !bytes.Equal(got, keys.LoginKey(mustKEK(t, kek))) {
		t.Fatal("Secrets.KEK is not the derived KEK")
	}
	nonces := map[[24]byte]bool{a.KeyDecryptionNonce: true, a.SecretKeyDecryptionNonce: true,
		*a.MasterKeyDecryptionNonce: true, *a.RecoveryKeyDecryptionNonce: true}
	if len(nonces) != 4 {
		t.Fatal("Generate reused a nonce")
	}
}

func mustKEK(t *testing.T, b []byte) *keys.KEK {
	t.Helper()
	k, err := keys.NewKEK(b)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestSignUpUnlocksEveryWay is the round trip: a sign-up made here,
// sent as JSON, unlocks with the password, the mnemonic and the hex key.
func TestSignUpUnlocksEveryWay(t *testing.T) {
	acc := signUp(t)
	wire, err := json.Marshal(acc.attrs)
	if err != nil {
		t.Fatal(err)
	}
	var a keys.Attributes
	if err := json.Unmarshal(wire, &a); err != nil {
		t.Fatal(err)
	}
	want := acc.secrets.MasterKey()

	kek, err := keys.DeriveKEK(password, &a, pwhash.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	s, err := keys.Unlock(kek, &a)
	if err != nil {
		t.Fatal(err)
	}
	if !s.MasterKey().Equal(want) || *s.PublicKey() != a.PublicKey {
		t.Fatal("password unlock gave other keys")
	}
	if !bytes.Equal(keys.LoginKey(s.KEK()), keys.LoginKey(acc.secrets.KEK())) {
		t.Fatal("unlocked Secrets do not carry the KEK")
	}

	for name, text := range map[string]string{"mnemonic": acc.rk.Mnemonic(), "hex": acc.rk.Hex()} {
		rk, err := keys.ParseRecoveryKey(text)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s, err := keys.UnlockWithRecoveryKey(rk, &a)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !s.MasterKey().Equal(want) || *s.PublicKey() != a.PublicKey {
			t.Fatalf("%s unlock gave other keys", name)
		}
		if s.KEK() != nil {
			t.Fatalf("%s unlock claims to know the KEK", name)
		}
	}
	shown, err := s.RecoveryKey(&a)
	if err != nil || !shown.Equal(acc.rk) {
		t.Fatalf("Secrets.RecoveryKey = %v, %v; want the sign-up's recovery key", shown, err)
	}
}

func TestWrongPassword(t *testing.T) {
	acc := signUp(t)
	kek, err := keys.DeriveKEK([]byte("Correct horse battery staple"), acc.attrs, pwhash.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Unlock(kek, acc.attrs); !errors.Is(err, keys.ErrIncorrectPassword) {
		t.Fatalf("Unlock with a wrong password: %v, want ErrIncorrectPassword", err)
	}
}

func TestWrongRecoveryKey(t *testing.T) {
	acc := signUp(t)
	other := signUp(t)
	_, err := keys.UnlockWithRecoveryKey(other.rk, acc.attrs)
	if !errors.Is(err, keys.ErrIncorrectRecoveryKey) || !errors.Is(err, keys.ErrInvalidRecoveryKey) {
		t.Fatalf("UnlockWithRecoveryKey with another account's key: %v, want ErrIncorrectRecoveryKey", err)
	}
}

func TestNoRecoveryFields(t *testing.T) {
	acc := signUp(t)
	a := *acc.attrs
	a.MasterKeyEncryptedWithRecoveryKey, a.MasterKeyDecryptionNonce = nil, nil
	a.RecoveryKeyEncryptedWithMasterKey, a.RecoveryKeyDecryptionNonce = nil, nil
	if _, err := keys.UnlockWithRecoveryKey(acc.rk, &a); !errors.Is(err, keys.ErrNoRecoveryKey) {
		t.Fatalf("got %v, want ErrNoRecoveryKey", err)
	}
	if _, err := acc.secrets.RecoveryKey(&a); !errors.Is(err, keys.ErrNoRecoveryKey) {
		t.Fatalf("got %v, want ErrNoRecoveryKey", err)
	}
	s, err := keys.Unlock(acc.secrets.KEK(), &a) // the password still works
	if err != nil || !s.MasterKey().Equal(acc.secrets.MasterKey()) {
		t.Fatalf("Unlock without recovery fields: %v", err)
	}
}

// TestTamperedAttributes flips one bit in each field: the masterKey box
// then looks like a wrong password (which is all a client can tell); any
// other field is caught as ErrInvalidAttributes.
func TestTamperedAttributes(t *testing.T) {
	acc := signUp(t)
	kek := acc.secrets.KEK()
	for _, tc := range []struct {
		name   string
		tamper func(a *keys.Attributes)
		want   error
	}{
		{"encryptedKey", func(a *keys.Attributes) { a.EncryptedKey = flip(a.EncryptedKey, 20) }, keys.ErrIncorrectPassword},
		{"keyDecryptionNonce", func(a *keys.Attributes) { a.KeyDecryptionNonce[3] ^= 1 }, keys.ErrIncorrectPassword},
		{"encryptedSecretKey", func(a *keys.Attributes) { a.EncryptedSecretKey = flip(a.EncryptedSecretKey, 40) }, keys.ErrInvalidAttributes},
		{"secretKeyDecryptionNonce", func(a *keys.Attributes) { a.SecretKeyDecryptionNonce[0] ^= 1 }, keys.ErrInvalidAttributes},
		{"publicKey", func(a *keys.Attributes) { a.PublicKey[31] ^= 1 }, keys.ErrInvalidAttributes},
		{"opsLimit 0", func(a *keys.Attributes) { a.OpsLimit = 0 }, keys.ErrInvalidAttributes},
		{"memLimit below minimum", func(a *keys.Attributes) { a.MemLimit = 8191 }, keys.ErrInvalidAttributes},
		{"short encryptedKey", func(a *keys.Attributes) { a.EncryptedKey = a.EncryptedKey[:47] }, keys.ErrInvalidAttributes},
		{"long encryptedSecretKey", func(a *keys.Attributes) { a.EncryptedSecretKey = append(a.EncryptedSecretKey, 0) }, keys.ErrInvalidAttributes},
		{"short recovery box", func(a *keys.Attributes) {
			a.MasterKeyEncryptedWithRecoveryKey = a.MasterKeyEncryptedWithRecoveryKey[:16]
		}, keys.ErrInvalidAttributes},
		{"three recovery fields", func(a *keys.Attributes) { a.RecoveryKeyDecryptionNonce = nil }, keys.ErrInvalidAttributes},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := clone(t, acc.attrs)
			tc.tamper(a)
			if _, err := keys.Unlock(kek, a); !errors.Is(err, tc.want) {
				t.Fatalf("Unlock: %v, want %v", err, tc.want)
			}
		})
	}
	// The recovery path catches tampering of its own box as a wrong key.
	a := clone(t, acc.attrs)
	a.MasterKeyEncryptedWithRecoveryKey = flip(a.MasterKeyEncryptedWithRecoveryKey, 0)
	if _, err := keys.UnlockWithRecoveryKey(acc.rk, a); !errors.Is(err, keys.ErrIncorrectRecoveryKey) {
		t.Fatalf("tampered recovery box: %v", err)
	}
	a = clone(t, acc.attrs)
	a.RecoveryKeyEncryptedWithMasterKey = flip(a.RecoveryKeyEncryptedWithMasterKey, 47)
	if _, err := acc.secrets.RecoveryKey(a); !errors.Is(err, keys.ErrInvalidAttributes) {
		t.Fatalf("tampered recoveryKeyEncryptedWithMasterKey: %v", err)
	}
}

// clone deep-copies attributes through their JSON.
func clone(t *testing.T, a *keys.Attributes) *keys.Attributes {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	c := new(keys.Attributes)
	if err := json.Unmarshal(b, c); err != nil {
		t.Fatal(err)
	}
	return c
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x80
	return c
}

// TestChangePassword recovers with the recovery key, changes the password,
// and checks that only the five password fields change.
func TestChangePassword(t *testing.T) {
	acc := signUp(t)
	s, err := keys.UnlockWithRecoveryKey(acc.rk, acc.attrs)
	if err != nil {
		t.Fatal(err)
	}
	newPassword := []byte("new password")
	p, err := s.ChangePassword(newPassword, cheap)
	if err != nil {
		t.Fatal(err)
	}
	wire, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	assertFields(t, wire, "kekSalt", "encryptedKey", "keyDecryptionNonce", "memLimit", "opsLimit")

	before, _ := json.Marshal(acc.attrs)
	a := clone(t, acc.attrs)
	a.SetPassword(p)
	after, _ := json.Marshal(a)
	changed := diffFields(t, before, after)
	if want := []string{"encryptedKey", "kekSalt", "keyDecryptionNonce"}; !equalStrings(changed, want) {
		t.Fatalf("changed fields %v, want %v (memLimit/opsLimit equal under the same policy)", changed, want)
	}

	kek, err := keys.DeriveKEK(newPassword, a, pwhash.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := keys.Unlock(kek, a)
	if err != nil || !s2.MasterKey().Equal(acc.secrets.MasterKey()) {
		t.Fatalf("new password does not unlock: %v", err)
	}
	if !bytes.Equal(keys.LoginKey(s.KEK()), keys.LoginKey(kek)) {
		t.Fatal("ChangePassword did not keep the new KEK")
	}
	old, _ := keys.DeriveKEK(password, a, pwhash.DefaultLimits)
	if _, err := keys.Unlock(old, a); !errors.Is(err, keys.ErrIncorrectPassword) {
		t.Fatalf("old password after the change: %v, want ErrIncorrectPassword", err)
	}
	if _, err := keys.UnlockWithRecoveryKey(acc.rk, a); err != nil {
		t.Fatalf("recovery key after a password change: %v", err)
	}
}

func TestRotateRecoveryKey(t *testing.T) {
	acc := signUp(t)
	r, rk := acc.secrets.RotateRecoveryKey()
	wire, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	assertFields(t, wire, "masterKeyEncryptedWithRecoveryKey", "masterKeyDecryptionNonce",
		"recoveryKeyEncryptedWithMasterKey", "recoveryKeyDecryptionNonce")
	a := clone(t, acc.attrs)
	a.SetRecovery(r)
	if _, err := keys.UnlockWithRecoveryKey(acc.rk, a); !errors.Is(err, keys.ErrIncorrectRecoveryKey) {
		t.Fatalf("old recovery key after rotation: %v", err)
	}
	s, err := keys.UnlockWithRecoveryKey(rk, a)
	if err != nil || !s.MasterKey().Equal(acc.secrets.MasterKey()) {
		t.Fatalf("new recovery key: %v", err)
	}
	if shown, err := s.RecoveryKey(a); err != nil || !shown.Equal(rk) {
		t.Fatalf("Secrets.RecoveryKey after rotation: %v", err)
	}
}

// TestDeriveKEKKnownAnswer uses Ente's Argon2id known answer, and checks
// that stored params above the caller's limits are refused before work.
func TestDeriveKEKKnownAnswer(t *testing.T) {
	a := &keys.Attributes{MemLimit: enteArgonMem, OpsLimit: enteArgonOps}
	copy(a.KEKSalt[:], b64(t, enteArgonSalt))
	kek, err := keys.DeriveKEK([]byte(enteArgonPassword), a, pwhash.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(kek.Bytes(), b64(t, enteArgonKey)) {
		t.Fatal("KEK differs from Ente's known answer")
	}
	_, err = keys.DeriveKEK([]byte(enteArgonPassword), a, pwhash.Limits{MaxMemLimit: 1 << 20, MaxWork: 1 << 30})
	if !errors.Is(err, pwhash.ErrTooExpensive) {
		t.Fatalf("params above limits: %v, want pwhash.ErrTooExpensive", err)
	}
}

// TestUnlockKnownAnswer opens a masterKey box from Ente's secretbox known
// answer: KEK kercNp…, nonce jgfPDO…, box KHwRN… → master key O1ObUB….
func TestUnlockKnownAnswer(t *testing.T) {
	kek := mustKEK(t, b64(t, enteBoxKey))
	mk := b64(t, enteBoxPlain)
	// The rest of the account is made here with x/crypto.
	sk := bytes.Repeat([]byte{7}, 32)
	pk, _ := curve25519.X25519(sk, curve25519.Basepoint)
	var skNonce [24]byte
	a := &keys.Attributes{
		EncryptedKey:       b64(t, enteBox),
		EncryptedSecretKey: nacl.Seal(nil, sk, &skNonce, (*[32]byte)(mk)),
		MemLimit:           pwhash.MinMemLimit, OpsLimit: 1,
	}
	copy(a.KeyDecryptionNonce[:], b64(t, enteBoxNonce))
	copy(a.PublicKey[:], pk)
	s, err := keys.Unlock(kek, a)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s.MasterKey().Bytes(), mk) || !bytes.Equal(s.PrivateKey().Bytes(), sk) {
		t.Fatal("Unlock opened other keys than the known answer")
	}
}

func TestRoleConstructors(t *testing.T) {
	for _, n := range []int{0, 31, 33} {
		b := make([]byte, n)
		if _, err := keys.NewMasterKey(b); !errors.Is(err, secret.ErrKeySize) {
			t.Errorf("NewMasterKey(%d bytes): %v", n, err)
		}
		if _, err := keys.NewKEK(b); !errors.Is(err, secret.ErrKeySize) {
			t.Errorf("NewKEK(%d bytes): %v", n, err)
		}
		if _, err := keys.NewRecoveryKey(b); !errors.Is(err, secret.ErrKeySize) {
			t.Errorf("NewRecoveryKey(%d bytes): %v", n, err)
		}
	}
	b := bytes.Repeat([]byte{9}, 32)
	m, err := keys.NewMasterKey(b)
	if err != nil || !bytes.Equal(m.Bytes(), b) {
		t.Fatal("NewMasterKey does not hold its bytes")
	}
	b[0] = 0
	if m.Bytes()[0] != 9 {
		t.Fatal("NewMasterKey did not copy its input")
	}
	m.Destroy()
	if !bytes.Equal(m.Bytes(), make([]byte, 32)) {
		t.Fatal("Destroy left key bytes")
	}
}
