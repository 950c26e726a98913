// Package keys composes the SDK's primitives into Ente's account key
// hierarchy and its 2FA token vault, byte for byte as the published
// architecture describes them and as Ente's shipped clients put them on
// the wire.
//
// # The account
//
// In the diagrams, "A ─secretbox─▶ B" means B is wrapped under A, in the
// field named on the right.
//
//	password ──Argon2id(kekSalt, opsLimit, memLimit)──▶ KEK ──LoginKey──▶ SRP password (16 B)
//	KEK         ─secretbox─▶ masterKey                  encryptedKey, keyDecryptionNonce
//	recoveryKey ─secretbox─▶ masterKey                  masterKeyEncryptedWithRecoveryKey, masterKeyDecryptionNonce
//	masterKey   ─secretbox─▶ recoveryKey                recoveryKeyEncryptedWithMasterKey, recoveryKeyDecryptionNonce
//	masterKey   ─secretbox─▶ X25519 secret key          encryptedSecretKey, secretKeyDecryptionNonce (+ publicKey)
//	publicKey   ◀─crypto_box_seal── server's auth token  encryptedToken (80 B) → X-Auth-Token
//
// Generate signs up (the KEK by pwhash.DeriveSensitiveKey's back-off);
// DeriveKEK and Unlock sign in on another device; UnlockWithRecoveryKey,
// Secrets.ChangePassword and Secrets.RotateRecoveryKey cover a lost
// password. Attributes is the JSON the server stores; every wrapped key in
// it is a 48-byte secretbox (16-byte MAC ‖ 32-byte key) under a random
// 24-byte nonce.
//
// # Files and collections
//
//	masterKey     ─secretbox─▶ collectionKey   (owner)         WrapCollectionKey
//	publicKey     ◀─sealed box── collectionKey (sharee, 80 B)  ShareCollectionKey
//	collectionKey ─secretbox─▶ fileKey                         WrapFileKey
//
// # The token vault
//
//	masterKey ─secretbox─▶ authKey                    {encryptedKey, header}  (header = nonce)
//	Ente Auth as shipped:  authKey ─secretstream blob─▶ "otpauth://…"   {encryptedData, header}
//	Published design:      authKey ─secretbox─▶ tokenKey ─secretstream blob─▶ {"uri", "metadata"}
//
// The shipped format encrypts every token directly under the authKey; the
// published design gives each token its own tokenKey (VaultToken). Both are
// here. EncryptExport and DecryptExport read and write Ente Auth's
// encrypted export (version 1, see Export).
//
// # Security
//
//   - MasterKey, KEK, RecoveryKey, Secrets and AuthToken are opaque: they
//     print as keys.<Type>(REDACTED) under every fmt verb and in slog, and
//     refuse JSON, text and binary marshalling (secret.ErrNotMarshalable).
//     They are distinct types, so a KEK cannot be passed for a master key.
//   - A wrong password is told, as in Ente's clients, by the masterKey box
//     not opening (ErrIncorrectPassword); Unlock also checks that the opened
//     secret key matches publicKey, which Ente's clients do not.
//   - Argon2id parameters from the server or an export file are checked
//     against pwhash.Limits before any work (pwhash.ErrTooExpensive).
//   - Every field is decoded strictly and its length checked before any
//     cryptography; errors name the field and never quote secrets or
//     plaintext. Transient key bytes are cleared (best effort, see secret).
//   - A mistyped recovery phrase word is reported by its position only,
//     never quoted: a typo shows most of the real word, and errors get
//     logged. Parsing a phrase looks words up in a map and is not constant
//     time; the checksum comparison is.
//
// # Compatibility
//
// Emitted: the field names of Ente's server (kekSalt, encryptedKey, …),
// strict padded standard base64, memLimit in bytes; recovery fields omitted
// when absent; Auth entities and exports tagged FINAL, an entity's URI
// JSON-encoded byte for byte as JavaScript's JSON.stringify does; the
// X-Auth-Token as URL-safe padded base64.
//
// Accepted: the same, with unknown fields ignored (kekHash, id, isDeleted,
// …); recovery fields absent, null or "" (Ente's server writes "") on very
// old accounts; Auth entities and exports tagged FINAL or, as Ente Auth
// wrote before November 2025, MESSAGE; an entity whose plaintext is the
// legacy object {"rawData": URI, "display": …} that Ente Auth mobile
// reads. Rejected: base64 without padding or in the URL-safe alphabet,
// non-canonical base64, wrong lengths, field names in another case, and
// an object that names a member twice at any depth (encoding/json would
// keep the last), a byte-order mark or anything else that is not strict
// JSON. encoding/json refuses invalid JSON with a bare *json.SyntaxError
// before a type's UnmarshalJSON runs: ParseAttributes and ParseExport
// wrap it in ErrInvalidAttributes and ErrInvalidExport.
//
// # Recovery key text
//
// Mnemonic is the 24-word BIP-39 English phrase of the key's 32 bytes
// (256 bits of entropy, an 8-bit SHA-256 checksum, 24 groups of 11 bits),
// the phrase Ente's apps show; ParseRecoveryKey also reads the 64-character
// hexadecimal form of Ente's earliest apps. The phrase is an encoding only:
// no BIP-39 seed (PBKDF2) is derived. That is why this package carries a
// small implementation over the standard word list (embedded, its SHA-256
// checked by the tests) instead of a dependency: the encoding is about 40
// lines, the popular Go packages bring seed derivation and other word lists
// that are not wanted here, and keeping key bytes in this package lets us
// clear them.
//
// # Units
//
// MemLimit is in bytes (as in libsodium and Ente's JSON), OpsLimit in
// Argon2id passes.
package keys
