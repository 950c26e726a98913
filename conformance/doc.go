// Package conformance runs conformance vectors for Ente's end-to-end
// encryption formats through this SDK's public API and reports, vector by
// vector, what passed, what failed and what could not be checked.
//
// The vectors are the Wycheproof-shaped JSON files of testdata/vectors,
// made by an independent generator (Node, libsodium.js, bs58, bip39; see
// testdata/README.md for every field and flag). Run also reads any other
// directory in the same schema, so vectors produced by another
// implementation can be checked against this one:
//
//	rep, err := conformance.Run("testdata/vectors")
//	if err != nil { ... }                  // unreadable directory, no *.json
//	rep.WriteText(os.Stdout, false)        // per-file counts, then failures
//	if !rep.OK() { os.Exit(1) }
//
// # What is checked
//
// Each vector gives one Result per SDK operation it exercises, named after
// the function (Check "secretbox.Open", "secretbox.Seal", ...). A valid
// vector must succeed with exactly the expected outputs; an invalid one
// must fail with an error that errors.Is the sentinel its "error" field
// names (see Sentinel). Per group type:
//
//	PwhashTest               pwhash.DeriveKey, with the group's limits
//	LoginSubkeyTest          keys.LoginKey
//	SecretboxTest            secretbox.Open; valid: secretbox.Seal reproduces ct
//	SealedBoxTest            sealed.Open (and the public key of the secret key)
//	AuthTokenTest            sealed.Open; keys.OpenToken and its X-Auth-Token value
//	BlobTest                 stream.DecryptBlob and stream.DecryptBlobLegacy
//	FileTest                 stream.NewDecryptReader (size, SHA-256); valid: chunk
//	                         tags via stream.Decryptor, stream.PlaintextSize, and for
//	                         canonical files the writer's size, stream.EncryptedSize
//	RecoveryKey*Test         keys.RecoveryKey Mnemonic/Hex, keys.ParseRecoveryKey
//	PasswordUnlockTest       keys.DeriveKEK + keys.Unlock: every expected key,
//	                         the login key and the recovery key
//	RecoveryUnlockTest       keys.ParseRecoveryKey + keys.UnlockWithRecoveryKey
//	BadAttributesTest        keys.Attributes decoding, DeriveKEK, Unlock
//	AuthKeyTest, AuthEntityTest, AuthExportTest
//	                         keys.OpenAuthKey, keys.OpenAuthEntity, keys.DecryptExport
//	AuthEntityEncodingTest   keys.SealAuthEntity: the plaintext, decrypted, is
//	                         byte for byte JSON.stringify's; invalid: refused
//	AlbumLinkTest            share.ParseAlbumURL; canonical: share.AlbumURL
//	LinkPasswordTest         share.LinkPassHash and the owner's LinkPassword JSON
//	FileLinkTest             share.ParseFileURL + share.FileLink.FileKey
//
// Inputs that come off the wire (attributes, envelopes, export files, link
// params) are handed to the SDK's own JSON decoders as they are.
//
// # What is not checked, and why
//
// The SDK draws every sealed-box ephemeral key and secretstream header from
// crypto/rand and has no API that takes them, so re-encrypting a
// DeterministicSeal, CanonicalBlob or CanonicalWriterOutput vector byte for
// byte is reported as Skip with that reason (the repository's live
// cross-check, scripts/crosscheck.sh, has libsodium.js open what the SDK
// writes instead). Intermediate values the public API does not expose are
// not compared: the 32-byte kdf subkey (only its 16-byte login key), the
// tag of an Auth entity and the exact plaintext of an Auth export (its
// URIs are). A group type this package does not know is reported as
// skipped, test by test. Nothing is ever skipped silently: every skip is a
// Result with Status Skip and a Reason.
//
// # Security
//
// Vector files are untrusted input: they are size-bounded, decoded
// strictly (bytes as canonical padded standard base64), a malformed vector
// is a Fail with Check "vector", and no input makes the runner panic.
// Argon2id params a vector asks for are capped by Options.Limits (default
// pwhash.DefaultLimits) before anything is derived. Reasons describe
// mismatches by field, length and offset and never quote key or plaintext
// bytes.
//
// # Units
//
// Sizes are bytes; Argon2id memLimit is bytes, as in the vectors.
package conformance
