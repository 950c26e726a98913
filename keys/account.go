package keys

import (
	"crypto/subtle"
	"fmt"

	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/sealed"
	"github.com/e2eekit/e2ee/secret"
)

// Secrets are an unlocked account: the master key, the X25519 key pair,
// and the KEK when it is known (after Generate, Unlock or ChangePassword;
// not after UnlockWithRecoveryKey alone). Secrets print as
// keys.Secrets(REDACTED) and refuse to marshal. Destroy clears them.
type Secrets struct {
	redact[Secrets]
	mk MasterKey
	// sk is the X25519 secret key. It is kept as a secret.Key, whose bytes
	// sit behind an unsafe.Pointer, because fmt prints a *sealed.PrivateKey
	// in an unexported field by reflection under %s and %q.
	sk  secret.Key
	pub sealed.PublicKey
	kek *KEK
}

// MasterKey returns the account's master key (nil for nil Secrets). It
// belongs to s: Destroy clears it.
func (s *Secrets) MasterKey() *MasterKey {
	if s == nil {
		return nil
	}
	return &s.mk
}

// PrivateKey returns a new copy of the account's X25519 key pair, which
// opens collection keys shared with the account and the server's auth
// token. The caller should Destroy it when done. Nil Secrets give nil.
func (s *Secrets) PrivateKey() *sealed.PrivateKey {
	if s == nil {
		return nil
	}
	k, err := sealed.NewPrivateKey(keymat.Array(&s.sk)[:])
	if err != nil {
		panic(err) // unreachable: the length is right
	}
	return k
}

// PublicKey returns the account's public key, or nil for nil Secrets.
func (s *Secrets) PublicKey() *sealed.PublicKey {
	if s == nil {
		return nil
	}
	p := s.pub
	return &p
}

// KEK returns the key-encryption key of the current password, or nil if s
// was unlocked with the recovery key and the password has not been changed
// since (or s is nil). Pass it to LoginKey to get the SRP password.
func (s *Secrets) KEK() *KEK {
	if s == nil {
		return nil
	}
	return s.kek
}

// Destroy overwrites every key in s (best effort; see package secret). It
// does nothing on nil Secrets.
func (s *Secrets) Destroy() {
	if s == nil {
		return
	}
	s.mk.Destroy()
	s.sk.Destroy()
	if s.kek != nil {
		s.kek.Destroy()
	}
}

// Generate signs up a new account on its first device: it draws a master
// key, a recovery key and an X25519 key pair, derives the KEK from password
// with pwhash.DeriveSensitiveKey under policy (pwhash.DefaultPolicy is the
// published design; pwhash.EntePolicy is what Ente's server accepts today),
// and wraps the master key under the KEK and under the recovery key, the
// recovery key and the box secret key under the master key.
//
// The caller sends the Attributes to the server, keeps the Secrets, and
// shows the RecoveryKey's Mnemonic to the person once.
func Generate(password []byte, policy pwhash.Policy) (*Attributes, *Secrets, *RecoveryKey, error) {
	salt := pwhash.RandomSalt()
	k, used, err := pwhash.DeriveSensitiveKey(password, salt, policy)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("keys: sign-up: %w", err)
	}
	s := &Secrets{kek: new(KEK)}
	move(&s.kek.k, k)
	move(&s.mk.k, secret.GenerateKey())
	// crypto_box_keypair: 32 random bytes and their X25519 public key.
	move(&s.sk, secret.GenerateKey())
	s.pub = *s.PrivateKey().PublicKey()
	rk := new(RecoveryKey)
	move(&rk.k, secret.GenerateKey())

	a := &Attributes{KEKSalt: *salt, MemLimit: used.MemLimit, OpsLimit: used.OpsLimit, PublicKey: s.pub}
	a.EncryptedKey, a.KeyDecryptionNonce = wrapKey(&s.mk.k, &s.kek.k)
	a.EncryptedSecretKey, a.SecretKeyDecryptionNonce = wrapKey(&s.sk, &s.mk.k)
	a.SetRecovery(s.wrapRecoveryKey(rk))
	return a, s, rk, nil
}

// DeriveKEK derives the KEK from password with the account's STORED
// kekSalt, opsLimit and memLimit, after checking those against limits (they
// come from the server: pwhash.DefaultLimits admits every pair an Ente
// account can carry). This is the slow step of signing in; Unlock is quick.
func DeriveKEK(password []byte, a *Attributes, limits pwhash.Limits) (*KEK, error) {
	if a == nil {
		return nil, fmt.Errorf("%w: nil", ErrInvalidAttributes)
	}
	k, err := pwhash.DeriveKey(password, &a.KEKSalt, a.Params(), limits)
	if err != nil {
		return nil, fmt.Errorf("keys: deriving the KEK: %w", err)
	}
	kek := new(KEK)
	move(&kek.k, k)
	return kek, nil
}

// Unlock opens the account on a device that has its attributes and a KEK
// from DeriveKEK. If the KEK does not open encryptedKey, the password was
// wrong: the error wraps ErrIncorrectPassword. Unlock also opens the box
// secret key and checks that it matches publicKey (ErrInvalidAttributes if
// not). A nil kek is ErrNilKey; nil attributes, ErrInvalidAttributes.
func Unlock(kek *KEK, a *Attributes) (*Secrets, error) {
	if kek == nil {
		return nil, fmt.Errorf("%w: Unlock without a KEK", ErrNilKey)
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	mk, err := unwrapKey(a.EncryptedKey, &a.KeyDecryptionNonce, &kek.k, "encryptedKey", ErrInvalidAttributes, ErrIncorrectPassword)
	if err != nil {
		return nil, err
	}
	s, err := open(mk, a)
	if err != nil {
		return nil, err
	}
	s.kek = new(KEK)
	*keymat.Array(&s.kek.k) = *keymat.Array(&kek.k) // a copy: s.Destroy must not clear the caller's
	return s, nil
}

// UnlockWithRecoveryKey opens the account with its recovery key, for a
// person who lost the password; follow it with ChangePassword. A recovery
// key that does not open masterKeyEncryptedWithRecoveryKey gives an error
// wrapping ErrIncorrectRecoveryKey; an account without recovery fields,
// ErrNoRecoveryKey; a nil rk, ErrNilKey.
func UnlockWithRecoveryKey(rk *RecoveryKey, a *Attributes) (*Secrets, error) {
	if rk == nil {
		return nil, fmt.Errorf("%w: UnlockWithRecoveryKey without a recovery key", ErrNilKey)
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	r, ok := a.Recovery()
	if !ok {
		return nil, ErrNoRecoveryKey
	}
	mk, err := unwrapKey(r.MasterKeyEncryptedWithRecoveryKey, &r.MasterKeyDecryptionNonce, &rk.k,
		"masterKeyEncryptedWithRecoveryKey", ErrInvalidAttributes, ErrIncorrectRecoveryKey)
	if err != nil {
		return nil, err
	}
	return open(mk, a)
}

// open finishes unlocking with the master key: it opens the box secret key
// and checks it against the public key.
func open(mk *secret.Key, a *Attributes) (*Secrets, error) {
	s := new(Secrets)
	move(&s.mk.k, mk)
	sk, err := unwrapKey(a.EncryptedSecretKey, &a.SecretKeyDecryptionNonce, &s.mk.k,
		"encryptedSecretKey", ErrInvalidAttributes, ErrInvalidAttributes)
	if err != nil {
		s.mk.Destroy()
		return nil, err
	}
	move(&s.sk, sk)
	pk := s.PrivateKey()
	s.pub = *pk.PublicKey()
	pk.Destroy()
	if subtle.ConstantTimeCompare(s.pub[:], a.PublicKey[:]) != 1 {
		s.Destroy()
		return nil, fmt.Errorf("%w: publicKey does not match encryptedSecretKey", ErrInvalidAttributes)
	}
	return s, nil
}

// ChangePassword derives a KEK for newPassword under a fresh salt with
// policy and wraps the master key under it. It returns only the fields
// that change (send them to the server, then Attributes.SetPassword);
// nothing else is re-encrypted. s keeps the new KEK, for LoginKey.
func (s *Secrets) ChangePassword(newPassword []byte, policy pwhash.Policy) (*PasswordAttributes, error) {
	if s == nil {
		return nil, fmt.Errorf("%w: nil Secrets", ErrNilKey)
	}
	salt := pwhash.RandomSalt()
	k, used, err := pwhash.DeriveSensitiveKey(newPassword, salt, policy)
	if err != nil {
		return nil, fmt.Errorf("keys: changing the password: %w", err)
	}
	kek := new(KEK)
	move(&kek.k, k)
	p := &PasswordAttributes{KEKSalt: *salt, MemLimit: used.MemLimit, OpsLimit: used.OpsLimit}
	p.EncryptedKey, p.KeyDecryptionNonce = wrapKey(&s.mk.k, &kek.k)
	if s.kek != nil {
		s.kek.Destroy()
	}
	s.kek = kek
	return p, nil
}

// RotateRecoveryKey draws a new recovery key and returns it with the four
// recovery fields that replace the old ones (send them to the server, then
// Attributes.SetRecovery). The old recovery key stops working once the
// server has the new fields. Nil Secrets give nil, nil.
func (s *Secrets) RotateRecoveryKey() (*RecoveryAttributes, *RecoveryKey) {
	if s == nil {
		return nil, nil
	}
	rk := new(RecoveryKey)
	move(&rk.k, secret.GenerateKey())
	return s.wrapRecoveryKey(rk), rk
}

func (s *Secrets) wrapRecoveryKey(rk *RecoveryKey) *RecoveryAttributes {
	r := new(RecoveryAttributes)
	r.MasterKeyEncryptedWithRecoveryKey, r.MasterKeyDecryptionNonce = wrapKey(&s.mk.k, &rk.k)
	r.RecoveryKeyEncryptedWithMasterKey, r.RecoveryKeyDecryptionNonce = wrapKey(&rk.k, &s.mk.k)
	return r
}

// RecoveryKey opens the account's recovery key with the master key, so
// that a signed-in person can see it again.
func (s *Secrets) RecoveryKey(a *Attributes) (*RecoveryKey, error) {
	if s == nil {
		return nil, fmt.Errorf("%w: nil Secrets", ErrNilKey)
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	r, ok := a.Recovery()
	if !ok {
		return nil, ErrNoRecoveryKey
	}
	k, err := unwrapKey(r.RecoveryKeyEncryptedWithMasterKey, &r.RecoveryKeyDecryptionNonce, &s.mk.k,
		"recoveryKeyEncryptedWithMasterKey", ErrInvalidAttributes, ErrInvalidAttributes)
	if err != nil {
		return nil, err
	}
	rk := new(RecoveryKey)
	move(&rk.k, k)
	return rk, nil
}

// Login subkey parameters (crypto_kdf_derive_from_key).
const (
	loginKeyID      = 1
	loginKeyContext = "loginctx"
	// LoginKeySize is the length of the SRP password LoginKey returns.
	LoginKeySize = 16
)

// LoginKey returns the password Ente's clients use for SRP:
// crypto_kdf_derive_from_key(32, 1, "loginctx", KEK), first 16 bytes. The
// input is the KEK, not the master key. The caller should clear the result.
// A nil KEK gives nil.
func LoginKey(kek *KEK) []byte {
	if kek == nil {
		return nil
	}
	sub, err := sodium.KDFDeriveFromKey(32, loginKeyID, loginKeyContext, keymat.Array(&kek.k))
	if err != nil {
		panic(err) // unreachable: the sizes are constants within libsodium's range
	}
	out := make([]byte, LoginKeySize)
	copy(out, sub)
	clear(sub)
	return out
}
