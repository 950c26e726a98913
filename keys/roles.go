package keys

import (
	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/secret"
)

// MasterKey is an account's root key: 32 random bytes made at sign-up that
// wrap everything else. It never leaves a device unwrapped.
//
// MasterKey, KEK and RecoveryKey are distinct types so that one cannot be
// passed where another is meant. Each prints as keys.<Type>(REDACTED) under
// every fmt verb and in slog, and refuses to marshal.
type MasterKey struct {
	redact[MasterKey]
	k secret.Key
}

// KEK is the key-encryption key: Argon2id of the password with the
// account's kekSalt, opsLimit and memLimit. It opens encryptedKey, and
// LoginKey derives the SRP password from it.
type KEK struct {
	redact[KEK]
	k secret.Key
}

// RecoveryKey is the 32-byte key that opens masterKeyEncryptedWithRecoveryKey
// when the password is lost. People hold it as its Mnemonic.
type RecoveryKey struct {
	redact[RecoveryKey]
	k secret.Key
}

// NewMasterKey returns a MasterKey holding a copy of b (32 bytes), for keys
// kept in a platform keychain. The caller should clear b.
func NewMasterKey(b []byte) (*MasterKey, error) {
	m := new(MasterKey)
	if err := setKey(&m.k, b); err != nil {
		return nil, err
	}
	return m, nil
}

// NewKEK returns a KEK holding a copy of b (32 bytes).
func NewKEK(b []byte) (*KEK, error) {
	k := new(KEK)
	if err := setKey(&k.k, b); err != nil {
		return nil, err
	}
	return k, nil
}

// NewRecoveryKey returns a RecoveryKey holding a copy of b (32 bytes). To
// read one typed by a person, use ParseRecoveryKey.
func NewRecoveryKey(b []byte) (*RecoveryKey, error) {
	r := new(RecoveryKey)
	if err := setKey(&r.k, b); err != nil {
		return nil, err
	}
	return r, nil
}

func setKey(dst *secret.Key, b []byte) error {
	k, err := secret.NewKey(b)
	if err != nil {
		return err
	}
	move(dst, k)
	return nil
}

// move copies src into dst and clears src.
func move(dst, src *secret.Key) {
	*keymat.Array(dst) = *keymat.Array(src)
	src.Destroy()
}

// The role keys' methods accept nil receivers, as the SDK never panics on
// a nil value: Bytes gives nil, Destroy does nothing, and Equal holds two
// nil keys equal and a nil key equal to no other. The zero value of each is
// an all-zero key, which no function of this package produces.

// Bytes returns a copy of the key, or nil for a nil key. The caller should
// clear it when done.
func (m *MasterKey) Bytes() []byte { return bytesOf(m.key()) }

// Bytes returns a copy of the key, or nil for a nil key. The caller should
// clear it when done.
func (k *KEK) Bytes() []byte { return bytesOf(k.key()) }

// Bytes returns a copy of the key, or nil for a nil key. The caller should
// clear it when done.
func (r *RecoveryKey) Bytes() []byte { return bytesOf(r.key()) }

// Destroy overwrites the key with zeros (best effort; see package secret).
func (m *MasterKey) Destroy() { m.key().Destroy() }

// Destroy overwrites the key with zeros (best effort; see package secret).
func (k *KEK) Destroy() { k.key().Destroy() }

// Destroy overwrites the key with zeros (best effort; see package secret).
func (r *RecoveryKey) Destroy() { r.key().Destroy() }

// Equal reports whether r and o hold the same key, in constant time.
func (r *RecoveryKey) Equal(o *RecoveryKey) bool { return r.key().Equal(o.key()) }

// Equal reports whether m and o hold the same key, in constant time.
func (m *MasterKey) Equal(o *MasterKey) bool { return m.key().Equal(o.key()) }

// bytesOf is k.Bytes(), or nil for a nil k.
func bytesOf(k *secret.Key) []byte {
	if k == nil {
		return nil
	}
	return k.Bytes()
}

// key returns the secret.Key inside, or nil for a nil MasterKey.
func (m *MasterKey) key() *secret.Key {
	if m == nil {
		return nil
	}
	return &m.k
}

// key returns the secret.Key inside, or nil for a nil KEK.
func (k *KEK) key() *secret.Key {
	if k == nil {
		return nil
	}
	return &k.k
}

// key returns the secret.Key inside, or nil for a nil RecoveryKey.
func (r *RecoveryKey) key() *secret.Key {
	if r == nil {
		return nil
	}
	return &r.k
}
