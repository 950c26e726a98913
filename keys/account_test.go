package keys_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/curve25519"
	nacl "golang.org/x/crypto/nacl/secretbox"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
)

// xOpen opens a wrapped key with x/crypto's independent secretbox.
func xOpen(t *testing.T, box []byte, nonce *[24]byte, key []byte) []byte {
	t.Helper()
	out, ok := nacl.Open(nil, box, nonce, (*[32]byte)(key))
	require.True(t, ok, "x/crypto secretbox does not open the box")
	return out
}

// TestGenerateCrossCheck opens everything Generate wrote with independent
// code: x/crypto's Argon2id, secretbox and X25519.
func TestGenerateCrossCheck(t *testing.T) {
	acc := signUp(t)
	a := acc.attrs
	require.EqualValues(t, 1, a.OpsLimit, "stored opsLimit, want the policy's")
	require.EqualValues(t, pwhash.MinMemLimit, a.MemLimit, "stored memLimit, want the policy's")
	kek := argon2.IDKey(password, a.KEKSalt[:], uint32(a.OpsLimit), uint32(a.MemLimit/1024), 1, 32)
	mk := xOpen(t, a.EncryptedKey, (*[24]byte)(&a.KeyDecryptionNonce), kek)
	require.True(t, bytes.Equal(mk, acc.secrets.MasterKey().Bytes()), "encryptedKey does not hold the master key")
	sk := xOpen(t, a.EncryptedSecretKey, (*[24]byte)(&a.SecretKeyDecryptionNonce), mk)
	pk, err := curve25519.X25519(sk, curve25519.Basepoint)
	require.NoError(t, err, "publicKey is not the X25519 public key of encryptedSecretKey")
	require.Equal(t, a.PublicKey[:], pk, "publicKey is not the X25519 public key of encryptedSecretKey")
	rk := acc.rk.Bytes()
	got := xOpen(t, a.MasterKeyEncryptedWithRecoveryKey, (*[24]byte)(a.MasterKeyDecryptionNonce), rk)
	require.True(t, bytes.Equal(got, mk), "masterKeyEncryptedWithRecoveryKey does not hold the master key")
	got = xOpen(t, a.RecoveryKeyEncryptedWithMasterKey, (*[24]byte)(a.RecoveryKeyDecryptionNonce), mk)
	require.True(t, bytes.Equal(got, rk), "recoveryKeyEncryptedWithMasterKey does not hold the recovery key")
	got = keys.LoginKey(acc.secrets.KEK())
	require.True(t, bytes.Equal(got, keys.LoginKey(mustKEK(t, kek))), "Secrets.KEK is not the derived KEK")
	nonces := map[[24]byte]bool{a.KeyDecryptionNonce: true, a.SecretKeyDecryptionNonce: true,
		*a.MasterKeyDecryptionNonce: true, *a.RecoveryKeyDecryptionNonce: true}
	require.Len(t, nonces, 4, "Generate reused a nonce")
}

func mustKEK(t *testing.T, b []byte) *keys.KEK {
	t.Helper()
	k, err := keys.NewKEK(b)
	require.NoError(t, err)
	return k
}

// TestSignUpUnlocksEveryWay is the round trip: a sign-up made here,
// sent as JSON, unlocks with the password, the mnemonic and the hex key.
func TestSignUpUnlocksEveryWay(t *testing.T) {
	acc := signUp(t)
	wire, err := json.Marshal(acc.attrs)
	require.NoError(t, err)
	var a keys.Attributes
	require.NoError(t, json.Unmarshal(wire, &a))
	want := acc.secrets.MasterKey()

	kek, err := keys.DeriveKEK(password, &a, pwhash.DefaultLimits)
	require.NoError(t, err)
	s, err := keys.Unlock(kek, &a)
	require.NoError(t, err)
	require.True(t, s.MasterKey().Equal(want), "password unlock gave other keys")
	require.Equal(t, a.PublicKey, *s.PublicKey(), "password unlock gave other keys")
	require.True(t, bytes.Equal(keys.LoginKey(s.KEK()), keys.LoginKey(acc.secrets.KEK())), "unlocked Secrets do not carry the KEK")

	for name, text := range map[string]string{"mnemonic": acc.rk.Mnemonic(), "hex": acc.rk.Hex()} {
		rk, err := keys.ParseRecoveryKey(text)
		require.NoError(t, err, name)
		s, err := keys.UnlockWithRecoveryKey(rk, &a)
		require.NoError(t, err, name)
		require.True(t, s.MasterKey().Equal(want), "%s unlock gave other keys", name)
		require.Equal(t, a.PublicKey, *s.PublicKey(), "%s unlock gave other keys", name)
		require.Nil(t, s.KEK(), "%s unlock claims to know the KEK", name)
	}
	shown, err := s.RecoveryKey(&a)
	require.NoError(t, err, "Secrets.RecoveryKey")
	require.True(t, shown.Equal(acc.rk), "Secrets.RecoveryKey: want the sign-up's recovery key")
}

func TestWrongPassword(t *testing.T) {
	acc := signUp(t)
	kek, err := keys.DeriveKEK([]byte("Correct horse battery staple"), acc.attrs, pwhash.DefaultLimits)
	require.NoError(t, err)
	_, err = keys.Unlock(kek, acc.attrs)
	require.ErrorIs(t, err, keys.ErrIncorrectPassword, "Unlock with a wrong password")
}

func TestWrongRecoveryKey(t *testing.T) {
	acc := signUp(t)
	other := signUp(t)
	_, err := keys.UnlockWithRecoveryKey(other.rk, acc.attrs)
	require.ErrorIs(t, err, keys.ErrIncorrectRecoveryKey, "UnlockWithRecoveryKey with another account's key")
	require.ErrorIs(t, err, keys.ErrInvalidRecoveryKey, "UnlockWithRecoveryKey with another account's key")
}

func TestNoRecoveryFields(t *testing.T) {
	acc := signUp(t)
	a := *acc.attrs
	a.MasterKeyEncryptedWithRecoveryKey, a.MasterKeyDecryptionNonce = nil, nil
	a.RecoveryKeyEncryptedWithMasterKey, a.RecoveryKeyDecryptionNonce = nil, nil
	_, err := keys.UnlockWithRecoveryKey(acc.rk, &a)
	require.ErrorIs(t, err, keys.ErrNoRecoveryKey)
	_, err = acc.secrets.RecoveryKey(&a)
	require.ErrorIs(t, err, keys.ErrNoRecoveryKey)
	s, err := keys.Unlock(acc.secrets.KEK(), &a) // the password still works
	require.NoError(t, err, "Unlock without recovery fields")
	require.True(t, s.MasterKey().Equal(acc.secrets.MasterKey()), "Unlock without recovery fields")
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
			_, err := keys.Unlock(kek, a)
			require.ErrorIs(t, err, tc.want, "Unlock")
		})
	}
	// The recovery path catches tampering of its own box as a wrong key.
	a := clone(t, acc.attrs)
	a.MasterKeyEncryptedWithRecoveryKey = flip(a.MasterKeyEncryptedWithRecoveryKey, 0)
	_, err := keys.UnlockWithRecoveryKey(acc.rk, a)
	require.ErrorIs(t, err, keys.ErrIncorrectRecoveryKey, "tampered recovery box")
	a = clone(t, acc.attrs)
	a.RecoveryKeyEncryptedWithMasterKey = flip(a.RecoveryKeyEncryptedWithMasterKey, 47)
	_, err = acc.secrets.RecoveryKey(a)
	require.ErrorIs(t, err, keys.ErrInvalidAttributes, "tampered recoveryKeyEncryptedWithMasterKey")
}

// clone deep-copies attributes through their JSON.
func clone(t *testing.T, a *keys.Attributes) *keys.Attributes {
	t.Helper()
	b, err := json.Marshal(a)
	require.NoError(t, err)
	c := new(keys.Attributes)
	require.NoError(t, json.Unmarshal(b, c))
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
	require.NoError(t, err)
	newPassword := []byte("new password")
	p, err := s.ChangePassword(newPassword, cheap)
	require.NoError(t, err)
	wire, err := json.Marshal(p)
	require.NoError(t, err)
	assertFields(t, wire, "kekSalt", "encryptedKey", "keyDecryptionNonce", "memLimit", "opsLimit")

	before, _ := json.Marshal(acc.attrs)
	a := clone(t, acc.attrs)
	a.SetPassword(p)
	after, _ := json.Marshal(a)
	changed := diffFields(t, before, after)
	require.Equal(t, []string{"encryptedKey", "kekSalt", "keyDecryptionNonce"}, changed,
		"changed fields (memLimit/opsLimit equal under the same policy)")

	kek, err := keys.DeriveKEK(newPassword, a, pwhash.DefaultLimits)
	require.NoError(t, err)
	s2, err := keys.Unlock(kek, a)
	require.NoError(t, err, "new password does not unlock")
	require.True(t, s2.MasterKey().Equal(acc.secrets.MasterKey()), "new password does not unlock")
	require.True(t, bytes.Equal(keys.LoginKey(s.KEK()), keys.LoginKey(kek)), "ChangePassword did not keep the new KEK")
	old, _ := keys.DeriveKEK(password, a, pwhash.DefaultLimits)
	_, err = keys.Unlock(old, a)
	require.ErrorIs(t, err, keys.ErrIncorrectPassword, "old password after the change")
	_, err = keys.UnlockWithRecoveryKey(acc.rk, a)
	require.NoError(t, err, "recovery key after a password change")
}

func TestRotateRecoveryKey(t *testing.T) {
	acc := signUp(t)
	r, rk := acc.secrets.RotateRecoveryKey()
	wire, err := json.Marshal(r)
	require.NoError(t, err)
	assertFields(t, wire, "masterKeyEncryptedWithRecoveryKey", "masterKeyDecryptionNonce",
		"recoveryKeyEncryptedWithMasterKey", "recoveryKeyDecryptionNonce")
	a := clone(t, acc.attrs)
	a.SetRecovery(r)
	_, err = keys.UnlockWithRecoveryKey(acc.rk, a)
	require.ErrorIs(t, err, keys.ErrIncorrectRecoveryKey, "old recovery key after rotation")
	s, err := keys.UnlockWithRecoveryKey(rk, a)
	require.NoError(t, err, "new recovery key")
	require.True(t, s.MasterKey().Equal(acc.secrets.MasterKey()), "new recovery key")
	shown, err := s.RecoveryKey(a)
	require.NoError(t, err, "Secrets.RecoveryKey after rotation")
	require.True(t, shown.Equal(rk), "Secrets.RecoveryKey after rotation")
}

// TestDeriveKEKKnownAnswer uses Ente's Argon2id known answer, and checks
// that stored params above the caller's limits are refused before work.
func TestDeriveKEKKnownAnswer(t *testing.T) {
	a := &keys.Attributes{MemLimit: enteArgonMem, OpsLimit: enteArgonOps}
	copy(a.KEKSalt[:], b64(t, enteArgonSalt))
	kek, err := keys.DeriveKEK([]byte(enteArgonPassword), a, pwhash.DefaultLimits)
	require.NoError(t, err)
	require.True(t, bytes.Equal(kek.Bytes(), b64(t, enteArgonKey)), "KEK differs from Ente's known answer")
	_, err = keys.DeriveKEK([]byte(enteArgonPassword), a, pwhash.Limits{MaxMemLimit: 1 << 20, MaxWork: 1 << 30})
	require.ErrorIs(t, err, pwhash.ErrTooExpensive, "params above limits")
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
	require.NoError(t, err)
	require.True(t, bytes.Equal(s.MasterKey().Bytes(), mk), "Unlock opened other keys than the known answer")
	require.True(t, bytes.Equal(s.PrivateKey().Bytes(), sk), "Unlock opened other keys than the known answer")
}

func TestRoleConstructors(t *testing.T) {
	for _, n := range []int{0, 31, 33} {
		b := make([]byte, n)
		_, err := keys.NewMasterKey(b)
		assert.ErrorIs(t, err, secret.ErrKeySize, "NewMasterKey(%d bytes)", n)
		_, err = keys.NewKEK(b)
		assert.ErrorIs(t, err, secret.ErrKeySize, "NewKEK(%d bytes)", n)
		_, err = keys.NewRecoveryKey(b)
		assert.ErrorIs(t, err, secret.ErrKeySize, "NewRecoveryKey(%d bytes)", n)
	}
	b := bytes.Repeat([]byte{9}, 32)
	m, err := keys.NewMasterKey(b)
	require.NoError(t, err, "NewMasterKey does not hold its bytes")
	require.True(t, bytes.Equal(m.Bytes(), b), "NewMasterKey does not hold its bytes")
	b[0] = 0
	require.True(t, m.Bytes()[0] == 9, "NewMasterKey did not copy its input")
	m.Destroy()
	require.True(t, bytes.Equal(m.Bytes(), make([]byte, 32)), "Destroy left key bytes")
}
