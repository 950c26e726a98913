package keys

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/sealed"
	"github.com/e2eekit/e2ee/secretbox"
)

// Attributes are an account's key attributes: the JSON object Ente's
// server stores (PUT /users/attributes) and hands to every new device.
// Field names are exact; byte fields are strict padded standard base64;
// MemLimit is in bytes. The four recovery fields are absent on very old
// accounts (the server then writes them as ""), and must be all present or
// all absent. Unknown fields, such as the server's kekHash, are ignored.
//
// Decoding checks every field (errors wrap ErrInvalidAttributes and name the
// field); MarshalJSON refuses attributes that fail Validate. An object that
// names a member twice, at any depth, is refused (ErrInvalidAttributes)
// rather than read last-name-wins. Read attributes from the network with
// ParseAttributes: json.Unmarshal refuses invalid JSON, such as a leading
// byte-order mark, with a bare *json.SyntaxError before UnmarshalJSON runs.
type Attributes struct {
	KEKSalt            pwhash.Salt     `json:"kekSalt"`
	EncryptedKey       Ciphertext      `json:"encryptedKey"` // masterKey under the KEK
	KeyDecryptionNonce secretbox.Nonce `json:"keyDecryptionNonce"`

	PublicKey                sealed.PublicKey `json:"publicKey"`
	EncryptedSecretKey       Ciphertext       `json:"encryptedSecretKey"` // box secret key under masterKey
	SecretKeyDecryptionNonce secretbox.Nonce  `json:"secretKeyDecryptionNonce"`

	MemLimit uint64 `json:"memLimit"` // Argon2id memory, bytes
	OpsLimit uint64 `json:"opsLimit"` // Argon2id passes

	MasterKeyEncryptedWithRecoveryKey Ciphertext       `json:"masterKeyEncryptedWithRecoveryKey,omitempty"`
	MasterKeyDecryptionNonce          *secretbox.Nonce `json:"masterKeyDecryptionNonce,omitempty"`
	RecoveryKeyEncryptedWithMasterKey Ciphertext       `json:"recoveryKeyEncryptedWithMasterKey,omitempty"`
	RecoveryKeyDecryptionNonce        *secretbox.Nonce `json:"recoveryKeyDecryptionNonce,omitempty"`
}

// PasswordAttributes are the fields a password change replaces, with the
// names of Ente's PUT /users/keys body.
type PasswordAttributes struct {
	KEKSalt            pwhash.Salt     `json:"kekSalt"`
	EncryptedKey       Ciphertext      `json:"encryptedKey"`
	KeyDecryptionNonce secretbox.Nonce `json:"keyDecryptionNonce"`
	MemLimit           uint64          `json:"memLimit"`
	OpsLimit           uint64          `json:"opsLimit"`
}

// RecoveryAttributes are the four recovery fields, with the names of
// Ente's PUT /users/recovery-key body.
type RecoveryAttributes struct {
	MasterKeyEncryptedWithRecoveryKey Ciphertext      `json:"masterKeyEncryptedWithRecoveryKey"`
	MasterKeyDecryptionNonce          secretbox.Nonce `json:"masterKeyDecryptionNonce"`
	RecoveryKeyEncryptedWithMasterKey Ciphertext      `json:"recoveryKeyEncryptedWithMasterKey"`
	RecoveryKeyDecryptionNonce        secretbox.Nonce `json:"recoveryKeyDecryptionNonce"`
}

// UnmarshalJSON decodes the five fields strictly, as Attributes does
// (duplicate member names refused; errors wrap ErrInvalidAttributes).
func (p *PasswordAttributes) UnmarshalJSON(data []byte) error {
	return decodeInto(p, data, ErrInvalidAttributes, func(v *PasswordAttributes) []field {
		return []field{
			{name: "kekSalt", dst: &v.KEKSalt},
			{name: "encryptedKey", dst: &v.EncryptedKey},
			{name: "keyDecryptionNonce", dst: &v.KeyDecryptionNonce},
			{name: "memLimit", dst: &v.MemLimit},
			{name: "opsLimit", dst: &v.OpsLimit},
		}
	}, func(v *PasswordAttributes) error {
		if err := checkWrapped("encryptedKey", v.EncryptedKey); err != nil {
			return err
		}
		return checkParams(v.OpsLimit, v.MemLimit)
	})
}

// UnmarshalJSON decodes the four fields strictly, as Attributes does
// (duplicate member names refused; errors wrap ErrInvalidAttributes).
func (r *RecoveryAttributes) UnmarshalJSON(data []byte) error {
	return decodeInto(r, data, ErrInvalidAttributes, func(v *RecoveryAttributes) []field {
		return []field{
			{name: "masterKeyEncryptedWithRecoveryKey", dst: &v.MasterKeyEncryptedWithRecoveryKey},
			{name: "masterKeyDecryptionNonce", dst: &v.MasterKeyDecryptionNonce},
			{name: "recoveryKeyEncryptedWithMasterKey", dst: &v.RecoveryKeyEncryptedWithMasterKey},
			{name: "recoveryKeyDecryptionNonce", dst: &v.RecoveryKeyDecryptionNonce},
		}
	}, func(v *RecoveryAttributes) error {
		if err := checkWrapped("masterKeyEncryptedWithRecoveryKey", v.MasterKeyEncryptedWithRecoveryKey); err != nil {
			return err
		}
		return checkWrapped("recoveryKeyEncryptedWithMasterKey", v.RecoveryKeyEncryptedWithMasterKey)
	})
}

// checkParams checks Argon2id params against libsodium's minimums only:
// how much work to accept is decided when deriving, not when parsing.
func checkParams(ops, mem uint64) error {
	unbounded := pwhash.Limits{MaxMemLimit: math.MaxUint64, MaxWork: math.MaxUint64}
	if err := (pwhash.Params{OpsLimit: ops, MemLimit: mem}).Check(unbounded); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidAttributes, err)
	}
	return nil
}

// checkWrapped checks the length of a wrapped key.
func checkWrapped(name string, box Ciphertext) error {
	if len(box) != WrappedKeySize {
		return fmt.Errorf("%w: %s: %d bytes, want %d", ErrInvalidAttributes, name, len(box), WrappedKeySize)
	}
	return nil
}

// Params returns the Argon2id parameters stored with the account; zero for
// nil Attributes (which Params.Check rejects).
func (a *Attributes) Params() pwhash.Params {
	if a == nil {
		return pwhash.Params{}
	}
	return pwhash.Params{OpsLimit: a.OpsLimit, MemLimit: a.MemLimit}
}

// Recovery returns the four recovery fields, or false if the account has
// none (or a is nil).
func (a *Attributes) Recovery() (*RecoveryAttributes, bool) {
	if a == nil || a.MasterKeyDecryptionNonce == nil || a.RecoveryKeyDecryptionNonce == nil ||
		a.MasterKeyEncryptedWithRecoveryKey == nil || a.RecoveryKeyEncryptedWithMasterKey == nil {
		return nil, false
	}
	return &RecoveryAttributes{
		MasterKeyEncryptedWithRecoveryKey: a.MasterKeyEncryptedWithRecoveryKey,
		MasterKeyDecryptionNonce:          *a.MasterKeyDecryptionNonce,
		RecoveryKeyEncryptedWithMasterKey: a.RecoveryKeyEncryptedWithMasterKey,
		RecoveryKeyDecryptionNonce:        *a.RecoveryKeyDecryptionNonce,
	}, true
}

// SetPassword replaces the password fields with p, after a password change
// has been accepted by the server. With a or p nil it does nothing.
func (a *Attributes) SetPassword(p *PasswordAttributes) {
	if a == nil || p == nil {
		return
	}
	a.KEKSalt, a.EncryptedKey, a.KeyDecryptionNonce = p.KEKSalt, p.EncryptedKey, p.KeyDecryptionNonce
	a.MemLimit, a.OpsLimit = p.MemLimit, p.OpsLimit
}

// SetRecovery replaces the four recovery fields with r. With a or r nil it
// does nothing.
func (a *Attributes) SetRecovery(r *RecoveryAttributes) {
	if a == nil || r == nil {
		return
	}
	mn, rn := r.MasterKeyDecryptionNonce, r.RecoveryKeyDecryptionNonce
	a.MasterKeyEncryptedWithRecoveryKey, a.MasterKeyDecryptionNonce = r.MasterKeyEncryptedWithRecoveryKey, &mn
	a.RecoveryKeyEncryptedWithMasterKey, a.RecoveryKeyDecryptionNonce = r.RecoveryKeyEncryptedWithMasterKey, &rn
}

// Validate checks every length (wrapped keys are WrappedKeySize bytes),
// that the Argon2id parameters are at least libsodium's minimums, and that
// the recovery fields are all present or all absent. Errors wrap
// ErrInvalidAttributes and name the field.
func (a *Attributes) Validate() error {
	if a == nil {
		return fmt.Errorf("%w: nil", ErrInvalidAttributes)
	}
	for _, c := range []struct {
		name     string
		box      Ciphertext
		optional bool
	}{
		{"encryptedKey", a.EncryptedKey, false},
		{"encryptedSecretKey", a.EncryptedSecretKey, false},
		{"masterKeyEncryptedWithRecoveryKey", a.MasterKeyEncryptedWithRecoveryKey, true},
		{"recoveryKeyEncryptedWithMasterKey", a.RecoveryKeyEncryptedWithMasterKey, true},
	} {
		if c.box == nil && c.optional {
			continue
		}
		if err := checkWrapped(c.name, c.box); err != nil {
			return err
		}
	}
	if err := checkParams(a.OpsLimit, a.MemLimit); err != nil {
		return err
	}
	n := 0
	for _, present := range []bool{a.MasterKeyEncryptedWithRecoveryKey != nil, a.MasterKeyDecryptionNonce != nil,
		a.RecoveryKeyEncryptedWithMasterKey != nil, a.RecoveryKeyDecryptionNonce != nil} {
		if present {
			n++
		}
	}
	if n != 0 && n != 4 {
		return fmt.Errorf("%w: %d of the 4 recovery fields are present, want all or none", ErrInvalidAttributes, n)
	}
	return nil
}

// attributesJSON has Attributes' fields without its methods.
type attributesJSON Attributes

// MarshalJSON encodes valid attributes with Ente's field names.
func (a Attributes) MarshalJSON() ([]byte, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return json.Marshal(attributesJSON(a))
}

// ParseAttributes decodes and validates key attributes from data, as
// UnmarshalJSON does. Every error, invalid JSON included, wraps
// ErrInvalidAttributes.
func ParseAttributes(data []byte) (*Attributes, error) {
	a := new(Attributes)
	if err := a.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	return a, nil
}

// UnmarshalJSON decodes and validates key attributes; every error wraps
// ErrInvalidAttributes. Duplicate member names are refused.
func (a *Attributes) UnmarshalJSON(data []byte) error {
	return decodeInto(a, data, ErrInvalidAttributes, func(v *Attributes) []field {
		return []field{
			{name: "kekSalt", dst: &v.KEKSalt},
			{name: "encryptedKey", dst: &v.EncryptedKey},
			{name: "keyDecryptionNonce", dst: &v.KeyDecryptionNonce},
			{name: "publicKey", dst: &v.PublicKey},
			{name: "encryptedSecretKey", dst: &v.EncryptedSecretKey},
			{name: "secretKeyDecryptionNonce", dst: &v.SecretKeyDecryptionNonce},
			{name: "memLimit", dst: &v.MemLimit},
			{name: "opsLimit", dst: &v.OpsLimit},
			{name: "masterKeyEncryptedWithRecoveryKey", dst: &v.MasterKeyEncryptedWithRecoveryKey, optional: true},
			{name: "masterKeyDecryptionNonce", dst: &v.MasterKeyDecryptionNonce, optional: true},
			{name: "recoveryKeyEncryptedWithMasterKey", dst: &v.RecoveryKeyEncryptedWithMasterKey, optional: true},
			{name: "recoveryKeyDecryptionNonce", dst: &v.RecoveryKeyDecryptionNonce, optional: true},
		}
	}, (*Attributes).Validate)
}
