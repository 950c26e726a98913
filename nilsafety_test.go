package e2ee_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/e2eekit/e2ee"
	"github.com/e2eekit/e2ee/conformance"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/record"
	"github.com/e2eekit/e2ee/sealed"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/share"
	"github.com/e2eekit/e2ee/share/sharetest"
	"github.com/e2eekit/e2ee/stream"
)

// The SDK never panics on nil or zero input. zeroCalls holds one entry per
// exported function and method of the public packages, keyed by its
// qualified name as go/doc lists it; each entry calls it with zero
// arguments: nil pointers (and nil receivers, for pointer receivers), zero
// structs (and zero receivers), nil slices and strings, empty readers and
// writers, a canceled context. A method with a value receiver is called on
// the zero value only: through a nil pointer Go itself dereferences before
// the method runs, which no method can guard against.
//
// Where the signature has an error, the entry checks that one comes back,
// unless nil input legitimately means something valid (an empty message to
// encrypt, a zero size), which the function's doc says and the entry checks
// with the documented result. Without an error, the entry checks the
// documented zero value. TestZeroCallsCoverAPI fails when an exported
// function or method is added without an entry here.
var zeroCalls = map[string]func(c *zc){
	// secret
	"secret.GenerateKey": func(c *zc) { c.true(secret.GenerateKey() != nil, "non-nil key") },
	"secret.NewKey": func(c *zc) {
		_, err := secret.NewKey(nil)
		c.is(err, secret.ErrKeySize)
	},
	"(*secret.Key).Bytes": func(c *zc) {
		var k *secret.Key
		c.true(bytes.Equal(k.Bytes(), make([]byte, secret.KeySize)), "nil key: 32 zero bytes")
		c.true(bytes.Equal(new(secret.Key).Bytes(), make([]byte, secret.KeySize)), "zero key: 32 zero bytes")
	},
	"(*secret.Key).Destroy": func(c *zc) {
		var k *secret.Key
		k.Destroy()
		new(secret.Key).Destroy()
	},
	"(*secret.Key).Equal": func(c *zc) {
		var k *secret.Key
		c.true(k.Equal(nil), "two nil keys are equal")
		c.true(!k.Equal(new(secret.Key)), "nil equals no key")
		c.true(new(secret.Key).Equal(new(secret.Key)), "two zero keys are equal")
	},
	"(secret.Key).Format":        func(c *zc) { c.redacted(fmt.Sprint(secret.Key{})) },
	"(secret.Key).GoString":      func(c *zc) { c.redacted(secret.Key{}.GoString()) },
	"(secret.Key).String":        func(c *zc) { c.redacted(secret.Key{}.String()) },
	"(secret.Key).LogValue":      func(c *zc) { c.redacted(secret.Key{}.LogValue().String()) },
	"(secret.Key).MarshalBinary": func(c *zc) { _, err := secret.Key{}.MarshalBinary(); c.is(err, secret.ErrNotMarshalable) },
	"(secret.Key).MarshalJSON":   func(c *zc) { _, err := secret.Key{}.MarshalJSON(); c.is(err, secret.ErrNotMarshalable) },
	"(secret.Key).MarshalText":   func(c *zc) { _, err := secret.Key{}.MarshalText(); c.is(err, secret.ErrNotMarshalable) },

	// secretbox
	"secretbox.Seal": func(c *zc) {
		// No error in the signature: a nil nonce or key seals nothing.
		c.true(secretbox.Seal(nil, nil, nil, nil) == nil, "nil nonce and key: nil")
		c.true(secretbox.Seal(nil, nil, nil, secret.GenerateKey()) == nil, "nil nonce: nil")
		c.true(secretbox.Seal(nil, nil, secretbox.RandomNonce(), nil) == nil, "nil key: nil")
		// A zero nonce and an empty message are valid: the box is the MAC.
		c.true(len(secretbox.Seal(nil, nil, new(secretbox.Nonce), secret.GenerateKey())) == secretbox.Overhead, "empty message: MAC only")
	},
	"secretbox.Open": func(c *zc) {
		_, err := secretbox.Open(nil, nil, nil, nil)
		c.is(err, secretbox.ErrOpen)
		_, err = secretbox.Open(nil, make([]byte, secretbox.Overhead), nil, nil)
		c.is(err, secretbox.ErrOpen)
		_, err = secretbox.Open(nil, make([]byte, secretbox.Overhead), new(secretbox.Nonce), new(secret.Key))
		c.is(err, secretbox.ErrOpen)
	},
	"secretbox.RandomNonce":            func(c *zc) { c.true(secretbox.RandomNonce() != nil, "non-nil nonce") },
	"(secretbox.Nonce).MarshalText":    func(c *zc) { _, err := secretbox.Nonce{}.MarshalText(); c.valid(err) },
	"(*secretbox.Nonce).UnmarshalText": failsNilAndZero(func(n *secretbox.Nonce) error { return n.UnmarshalText(nil) }),

	// sealed
	"sealed.Seal": func(c *zc) {
		_, err := sealed.Seal(nil, nil, nil)
		c.is(err, sealed.ErrInvalidPublicKey)
		_, err = sealed.Seal(nil, nil, new(sealed.PublicKey))
		c.is(err, sealed.ErrInvalidPublicKey)
	},
	"sealed.Open": func(c *zc) {
		_, err := sealed.Open(nil, nil, nil)
		c.err(err)
		_, err = sealed.Open(nil, make([]byte, sealed.Overhead), new(sealed.PrivateKey))
		c.err(err)
	},
	"sealed.GenerateKey": func(c *zc) { c.true(sealed.GenerateKey() != nil, "non-nil key") },
	"sealed.NewPrivateKey": func(c *zc) {
		_, err := sealed.NewPrivateKey(nil)
		c.is(err, sealed.ErrKeySize)
	},
	"(*sealed.PrivateKey).Bytes": func(c *zc) {
		var k *sealed.PrivateKey
		c.true(k.Bytes() == nil, "nil key: nil")
		c.true(bytes.Equal(new(sealed.PrivateKey).Bytes(), make([]byte, sealed.PrivateKeySize)), "zero key: zero bytes")
	},
	"(*sealed.PrivateKey).Destroy": func(c *zc) {
		var k *sealed.PrivateKey
		k.Destroy()
		new(sealed.PrivateKey).Destroy()
	},
	"(*sealed.PrivateKey).PublicKey": func(c *zc) {
		var k *sealed.PrivateKey
		c.true(k.PublicKey() == nil, "nil key: nil public key")
		c.true(*new(sealed.PrivateKey).PublicKey() == sealed.PublicKey{}, "zero key: zero public key")
	},
	"(sealed.PrivateKey).Format":        func(c *zc) { c.redacted(fmt.Sprint(sealed.PrivateKey{})) },
	"(sealed.PrivateKey).GoString":      func(c *zc) { c.redacted(sealed.PrivateKey{}.GoString()) },
	"(sealed.PrivateKey).String":        func(c *zc) { c.redacted(sealed.PrivateKey{}.String()) },
	"(sealed.PrivateKey).LogValue":      func(c *zc) { c.redacted(sealed.PrivateKey{}.LogValue().String()) },
	"(sealed.PrivateKey).MarshalBinary": func(c *zc) { _, err := sealed.PrivateKey{}.MarshalBinary(); c.err(err) },
	"(sealed.PrivateKey).MarshalJSON":   func(c *zc) { _, err := sealed.PrivateKey{}.MarshalJSON(); c.err(err) },
	"(sealed.PrivateKey).MarshalText":   func(c *zc) { _, err := sealed.PrivateKey{}.MarshalText(); c.err(err) },
	"(sealed.PublicKey).MarshalText":    func(c *zc) { _, err := sealed.PublicKey{}.MarshalText(); c.valid(err) },
	"(*sealed.PublicKey).UnmarshalText": failsNilAndZero(func(k *sealed.PublicKey) error { return k.UnmarshalText(nil) }),

	// pwhash
	"pwhash.DeriveKey": func(c *zc) {
		_, err := pwhash.DeriveKey(nil, nil, pwhash.Params{}, pwhash.Limits{})
		c.err(err)
		_, err = pwhash.DeriveKey(nil, new(pwhash.Salt), pwhash.Params{}, pwhash.Limits{})
		c.is(err, pwhash.ErrInvalidParams)
		_, err = pwhash.DeriveKey(nil, nil, pwhash.TestingPolicy.Start, pwhash.DefaultLimits)
		c.is(err, pwhash.ErrInvalidParams)
	},
	"pwhash.DeriveSensitiveKey": func(c *zc) {
		_, _, err := pwhash.DeriveSensitiveKey(nil, nil, pwhash.Policy{})
		c.err(err)
		_, _, err = pwhash.DeriveSensitiveKey(nil, new(pwhash.Salt), pwhash.Policy{})
		c.is(err, pwhash.ErrInvalidParams)
		_, _, err = pwhash.DeriveSensitiveKey(nil, nil, pwhash.TestingPolicy)
		c.is(err, pwhash.ErrInvalidParams)
	},
	"(pwhash.Params).Check": func(c *zc) { c.is(pwhash.Params{}.Check(pwhash.Limits{}), pwhash.ErrInvalidParams) },
	"(pwhash.Policy).Steps": func(c *zc) { c.true(len(pwhash.Policy{}.Steps()) <= 1, "zero policy: at most its one start") },
	"(pwhash.Policy).WithCeiling": func(c *zc) {
		c.true(pwhash.Policy{}.WithCeiling(0) == pwhash.Policy{}, "zero policy stays zero")
	},
	"pwhash.RandomSalt":            func(c *zc) { c.true(pwhash.RandomSalt() != nil, "non-nil salt") },
	"(pwhash.Salt).MarshalText":    func(c *zc) { _, err := pwhash.Salt{}.MarshalText(); c.valid(err) },
	"(*pwhash.Salt).UnmarshalText": failsNilAndZero(func(s *pwhash.Salt) error { return s.UnmarshalText(nil) }),

	// stream
	"stream.DecryptBlob": func(c *zc) {
		_, err := stream.DecryptBlob(nil, stream.Header{}, nil)
		c.err(err)
		_, err = stream.DecryptBlob(nil, stream.Header{}, new(secret.Key), nil)
		c.err(err)
	},
	"stream.DecryptBlobLegacy": func(c *zc) {
		_, err := stream.DecryptBlobLegacy(nil, stream.Header{}, nil)
		c.err(err)
		_, err = stream.DecryptBlobLegacy(nil, stream.Header{}, new(secret.Key), nil)
		c.err(err)
	},
	"stream.EncryptBlob": func(c *zc) {
		_, _, err := stream.EncryptBlob(nil, nil)
		c.err(err)
		// An empty message is valid: a blob of one FINAL message.
		ct, _, err := stream.EncryptBlob(nil, new(secret.Key))
		c.valid(err)
		c.true(len(ct) == stream.Overhead, "empty blob: one tag")
	},
	"stream.EncryptedSize": func(c *zc) {
		// Zero bytes of plaintext is a valid stream of one empty FINAL chunk.
		n, err := stream.EncryptedSize(0)
		c.valid(err)
		c.true(n == stream.Overhead, "EncryptedSize(0) is one tag")
	},
	"stream.MemoryBudget": func(c *zc) {
		c.true(stream.MemoryBudget() >= stream.EncryptedChunkSize, "the budget holds at least one buffer")
	},
	"stream.SetMemoryBudget": func(c *zc) {
		// Zero restores the default; the previous budget comes back.
		prev := stream.SetMemoryBudget(0)
		c.true(stream.MemoryBudget() >= 16*stream.EncryptedChunkSize, "zero restores the default of at least 16 buffers")
		stream.SetMemoryBudget(prev)
	},
	"e2ee.Backend": func(c *zc) {
		b := e2ee.Backend()
		c.true(strings.HasPrefix(b, "libsodium ") || strings.HasPrefix(b, "pure Go"), "Backend names libsodium or pure Go")
	},
	"stream.PlaintextSize": func(c *zc) {
		// No stream is 0 bytes long: even an empty one has its FINAL chunk.
		_, err := stream.PlaintextSize(0)
		c.err(err)
	},
	"stream.WithMaxSize": func(c *zc) {
		// Zero is a cap like any other: only an empty blob fits.
		ct, h, err := stream.EncryptBlob([]byte("x"), new(secret.Key))
		c.valid(err)
		_, err = stream.DecryptBlob(ct, h, new(secret.Key), stream.WithMaxSize(0))
		c.is(err, stream.ErrTooLarge)
	},
	"stream.NewEncryptReader": func(c *zc) {
		_, _, err := stream.NewEncryptReader(nil, nil)
		c.err(err)
		_, _, err = stream.NewEncryptReader(nil, new(secret.Key))
		c.err(err)
	},
	"stream.NewEncryptWriter": func(c *zc) {
		_, _, err := stream.NewEncryptWriter(nil, nil)
		c.err(err)
		_, _, err = stream.NewEncryptWriter(nil, new(secret.Key))
		c.err(err)
	},
	"stream.NewEncryptor": func(c *zc) {
		_, _, err := stream.NewEncryptor(nil)
		c.err(err)
	},
	"stream.NewDecryptReader": func(c *zc) {
		_, err := stream.NewDecryptReader(nil, stream.Header{}, nil)
		c.err(err)
		_, err = stream.NewDecryptReader(nil, stream.Header{}, new(secret.Key))
		c.err(err)
	},
	"stream.NewDecryptReaderBytes": func(c *zc) {
		_, err := stream.NewDecryptReaderBytes(nil, stream.Header{}, nil)
		c.err(err)
		// A nil ciphertext is an empty source: the error comes at Read.
		r, err := stream.NewDecryptReaderBytes(nil, stream.Header{}, new(secret.Key))
		if err == nil {
			_, err = r.Read(make([]byte, 1))
		}
		c.err(err)
	},
	"stream.NewDecryptor": func(c *zc) {
		_, err := stream.NewDecryptor(stream.Header{}, nil)
		c.err(err)
	},
	"(*stream.DecryptReader).Close":    failsNilAndZero(func(r *stream.DecryptReader) error { return r.Close() }),
	"(*stream.DecryptReader).Read":     failsNilAndZero(func(r *stream.DecryptReader) error { _, err := r.Read(make([]byte, 1)); return err }),
	"(*stream.DecryptReader).WriteTo":  failsNilAndZero(func(r *stream.DecryptReader) error { _, err := r.WriteTo(&bytes.Buffer{}); return err }),
	"(*stream.Decryptor).Finish":       failsNilAndZero(func(d *stream.Decryptor) error { return d.Finish() }),
	"(*stream.Decryptor).Pull":         failsNilAndZero(func(d *stream.Decryptor) error { _, _, err := d.Pull(nil, make([]byte, stream.Overhead)); return err }),
	"(*stream.EncryptReader).Close":    failsNilAndZero(func(r *stream.EncryptReader) error { return r.Close() }),
	"(*stream.EncryptReader).Read":     failsNilAndZero(func(r *stream.EncryptReader) error { _, err := r.Read(make([]byte, 1)); return err }),
	"(*stream.EncryptReader).WriteTo":  failsNilAndZero(func(r *stream.EncryptReader) error { _, err := r.WriteTo(&bytes.Buffer{}); return err }),
	"(*stream.EncryptWriter).Close":    failsNilAndZero(func(w *stream.EncryptWriter) error { return w.Close() }),
	"(*stream.EncryptWriter).ReadFrom": failsNilAndZero(func(w *stream.EncryptWriter) error { _, err := w.ReadFrom(bytes.NewReader([]byte("x"))); return err }),
	"(*stream.EncryptWriter).Write":    failsNilAndZero(func(w *stream.EncryptWriter) error { _, err := w.Write([]byte("x")); return err }),
	"(*stream.Encryptor).Push":         failsNilAndZero(func(e *stream.Encryptor) error { _, err := e.Push(nil, nil, stream.TagFinal); return err }),
	"(stream.Header).MarshalText":      func(c *zc) { _, err := stream.Header{}.MarshalText(); c.valid(err) },
	"(stream.Header).String":           func(c *zc) { c.true(stream.Header{}.String() != "", "zero header prints") },
	"(stream.Tag).String":              func(c *zc) { c.true(stream.Tag(0).String() != "", "zero tag prints") },
	"(*stream.Header).UnmarshalText": func(c *zc) {
		var h *stream.Header
		c.err(h.UnmarshalText(nil))
		c.err(h.UnmarshalText([]byte("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")))
		c.err(new(stream.Header).UnmarshalText(nil))
	},

	// record
	"(record.Ciphertext).MarshalText": func(c *zc) { _, err := record.Ciphertext(nil).MarshalText(); c.valid(err) },
	"(*record.Ciphertext).UnmarshalText": func(c *zc) {
		var ct *record.Ciphertext
		c.err(ct.UnmarshalText([]byte("AA==")))
		// An empty string is a valid encoding of an empty ciphertext.
		c.valid(new(record.Ciphertext).UnmarshalText(nil))
	},
	"(record.Collection).MarshalJSON": func(c *zc) { _, err := record.Collection{}.MarshalJSON(); c.valid(err) },
	"(*record.Collection).OpenName": func(c *zc) {
		var col *record.Collection
		_, err := col.OpenName(nil)
		c.err(err)
		// The zero Collection is a very old one with a plaintext name, "".
		name, err := new(record.Collection).OpenName(nil)
		c.valid(err)
		c.true(name == "", "zero collection: empty name")
	},
	"(*record.Collection).OwnerKey":      failsNilAndZero(func(col *record.Collection) error { _, err := col.OwnerKey(); return err }),
	"(*record.Collection).UnmarshalJSON": failsNilAndZero(func(col *record.Collection) error { return col.UnmarshalJSON(nil) }),
	"(record.File).MarshalJSON":          func(c *zc) { _, err := record.File{}.MarshalJSON(); c.valid(err) },
	"(*record.File).UnmarshalJSON":       failsNilAndZero(func(f *record.File) error { return f.UnmarshalJSON(nil) }),
	"record.SealMagic": func(c *zc) {
		_, err := record.SealMagic(nil, 0, nil)
		c.err(err)
		_, err = record.SealMagic(json.RawMessage(`{"a":1}`), 1, nil)
		c.err(err)
		_, err = record.SealMagic(nil, 0, new(secret.Key))
		c.err(err)
	},
	"(record.Magic).MarshalJSON": func(c *zc) { _, err := record.Magic{}.MarshalJSON(); c.valid(err) },
	"(*record.Magic).Open": func(c *zc) {
		var m *record.Magic
		_, err := m.Open(nil)
		c.err(err)
		_, err = new(record.Magic).Open(nil)
		c.err(err)
		_, err = new(record.Magic).Open(new(secret.Key))
		c.err(err)
	},
	"(*record.Magic).UnmarshalJSON": failsNilAndZero(func(m *record.Magic) error { return m.UnmarshalJSON(nil) }),
	"record.NewWrappedKey": func(c *zc) {
		_, err := record.NewWrappedKey("", "")
		c.err(err)
	},
	"(*record.WrappedKey).UnmarshalJSON": failsNilAndZero(func(w *record.WrappedKey) error { return w.UnmarshalJSON(nil) }),

	// keys
	"keys.DecryptExport": func(c *zc) {
		_, err := keys.DecryptExport(nil, nil, pwhash.Limits{})
		c.err(err)
	},
	"keys.DecryptExportPlaintext": func(c *zc) {
		_, err := keys.DecryptExportPlaintext(nil, nil, pwhash.Limits{})
		c.err(err)
	},
	"keys.EncryptExport": func(c *zc) {
		_, err := keys.EncryptExport(nil, nil, pwhash.Policy{})
		c.err(err)
	},
	"keys.EncryptExportParams": func(c *zc) {
		_, err := keys.EncryptExportParams(nil, nil, pwhash.Params{})
		c.err(err)
	},
	"keys.Generate": func(c *zc) {
		_, _, _, err := keys.Generate(nil, pwhash.Policy{})
		c.err(err)
	},
	"keys.LoginKey": func(c *zc) {
		// No error in the signature: no KEK, no login key.
		c.true(keys.LoginKey(nil) == nil, "nil KEK: nil")
		c.true(len(keys.LoginKey(new(keys.KEK))) == keys.LoginKeySize, "zero KEK: an all-zero key's login key")
	},
	"keys.NewSRPSetup": func(c *zc) {
		_, _, err := keys.NewSRPSetup(nil)
		c.is(err, keys.ErrSRPSession)
		c.is(err, keys.ErrNilKey)
		// An all-zero KEK is a KEK: its setup is valid, if useless.
		_, _, err = keys.NewSRPSetup(new(keys.KEK))
		c.valid(err)
	},
	"keys.SRPVerifier": func(c *zc) {
		_, err := keys.SRPVerifier(nil, "", nil)
		c.err(err)
		// Valid parameters: the nil KEK itself is refused, not an empty
		// login key turned into a verifier.
		_, err = keys.SRPVerifier(nil, "user", make([]byte, keys.SRPSaltSize))
		c.is(err, keys.ErrNilKey)
		_, err = keys.SRPVerifier(new(keys.KEK), "", nil)
		c.err(err)
	},
	"keys.NewSRPSession": func(c *zc) {
		_, err := keys.NewSRPSession(nil, "", nil)
		c.err(err)
		_, err = keys.NewSRPSession(nil, "user", make([]byte, keys.SRPSaltSize))
		c.is(err, keys.ErrNilKey)
		_, err = keys.NewSRPSession(new(keys.KEK), "", nil)
		c.err(err)
	},
	"keys.OpenAuthEntity": func(c *zc) {
		_, err := keys.OpenAuthEntity(nil, nil)
		c.err(err)
		_, err = keys.OpenAuthEntity(new(keys.AuthEntity), new(secret.Key))
		c.err(err)
	},
	"keys.OpenAuthKey": func(c *zc) {
		_, err := keys.OpenAuthKey(nil, nil)
		c.err(err)
		_, err = keys.OpenAuthKey(new(keys.AuthKeyEnvelope), new(keys.MasterKey))
		c.err(err)
	},
	"keys.OpenCollectionKey": func(c *zc) {
		_, err := keys.OpenCollectionKey(nil, nil)
		c.err(err)
		_, err = keys.OpenCollectionKey(new(keys.WrappedKey), new(keys.MasterKey))
		c.err(err)
	},
	"keys.OpenFileKey": func(c *zc) {
		_, err := keys.OpenFileKey(nil, nil)
		c.err(err)
		_, err = keys.OpenFileKey(new(keys.WrappedKey), new(secret.Key))
		c.err(err)
	},
	"keys.OpenSharedCollectionKey": func(c *zc) {
		_, err := keys.OpenSharedCollectionKey(nil, nil)
		c.err(err)
		_, err = keys.OpenSharedCollectionKey(nil, new(keys.Secrets))
		c.err(err)
	},
	"keys.OpenVaultToken": func(c *zc) {
		_, _, err := keys.OpenVaultToken(nil, nil)
		c.err(err)
		_, _, err = keys.OpenVaultToken(new(keys.VaultToken), new(secret.Key))
		c.err(err)
	},
	"keys.ParseAttributes": func(c *zc) {
		_, err := keys.ParseAttributes(nil)
		c.err(err)
	},
	"(keys.Attributes).MarshalJSON": func(c *zc) { _, err := keys.Attributes{}.MarshalJSON(); c.err(err) },
	"(*keys.Attributes).Params": func(c *zc) {
		var a *keys.Attributes
		c.true(a.Params() == pwhash.Params{}, "nil attributes: zero params")
		c.true(new(keys.Attributes).Params() == pwhash.Params{}, "zero attributes: zero params")
	},
	"(*keys.Attributes).Recovery": func(c *zc) {
		var a *keys.Attributes
		r, ok := a.Recovery()
		c.true(r == nil && !ok, "nil attributes: no recovery")
		r, ok = new(keys.Attributes).Recovery()
		c.true(r == nil && !ok, "zero attributes: no recovery")
	},
	"(*keys.Attributes).SetPassword": func(c *zc) {
		var a *keys.Attributes
		a.SetPassword(nil)
		a.SetPassword(new(keys.PasswordAttributes))
		new(keys.Attributes).SetPassword(nil)
	},
	"(*keys.Attributes).SetRecovery": func(c *zc) {
		var a *keys.Attributes
		a.SetRecovery(nil)
		a.SetRecovery(new(keys.RecoveryAttributes))
		new(keys.Attributes).SetRecovery(nil)
	},
	"(*keys.Attributes).UnmarshalJSON": failsNilAndZero(func(a *keys.Attributes) error { return a.UnmarshalJSON(nil) }),
	"(*keys.Attributes).Validate": func(c *zc) {
		var a *keys.Attributes
		c.is(a.Validate(), keys.ErrInvalidAttributes)
		c.is(new(keys.Attributes).Validate(), keys.ErrInvalidAttributes)
	},
	"keys.SealAuthEntity": func(c *zc) {
		_, err := keys.SealAuthEntity("", nil)
		c.err(err)
		_, err = keys.SealAuthEntity("", new(secret.Key))
		c.err(err)
	},
	"(*keys.AuthEntity).UnmarshalJSON": failsNilAndZero(func(e *keys.AuthEntity) error { return e.UnmarshalJSON(nil) }),
	"(keys.AuthEntry).MarshalJSON":     func(c *zc) { _, err := keys.AuthEntry{}.MarshalJSON(); c.valid(err) },
	"(*keys.AuthEntry).UnmarshalJSON":  failsNilAndZero(func(e *keys.AuthEntry) error { return e.UnmarshalJSON(nil) }),
	"keys.NewAuthKey": func(c *zc) {
		// No error in the signature: no master key, no auth key.
		k, e := keys.NewAuthKey(nil)
		c.true(k == nil && e == nil, "nil master key: nil, nil")
		k, e = keys.NewAuthKey(new(keys.MasterKey))
		c.true(k != nil && e != nil, "zero master key: an all-zero key wraps")
	},
	"(*keys.AuthKeyEnvelope).UnmarshalJSON": failsNilAndZero(func(e *keys.AuthKeyEnvelope) error { return e.UnmarshalJSON(nil) }),
	"keys.OpenToken": func(c *zc) {
		_, err := keys.OpenToken(nil, nil)
		c.err(err)
		_, err = keys.OpenToken(nil, new(keys.Secrets))
		c.err(err)
	},
	"(*keys.AuthToken).Destroy": func(c *zc) {
		var a *keys.AuthToken
		a.Destroy()
		new(keys.AuthToken).Destroy()
	},
	"(*keys.AuthToken).HeaderValue": func(c *zc) {
		var a *keys.AuthToken
		c.true(a.HeaderValue() == "", "nil token: empty")
		c.true(new(keys.AuthToken).HeaderValue() == base64.URLEncoding.EncodeToString(make([]byte, keys.AuthTokenSize)), "zero token: zeros")
	},
	"keys.ShareCollectionKey": func(c *zc) {
		_, err := keys.ShareCollectionKey(nil, nil)
		c.err(err)
		_, err = keys.ShareCollectionKey(new(secret.Key), new(sealed.PublicKey))
		c.err(err)
	},
	"keys.ParseExport": func(c *zc) {
		_, err := keys.ParseExport(nil)
		c.err(err)
	},
	"(*keys.Export).UnmarshalJSON": failsNilAndZero(func(e *keys.Export) error { return e.UnmarshalJSON(nil) }),
	"keys.DeriveKEK": func(c *zc) {
		_, err := keys.DeriveKEK(nil, nil, pwhash.Limits{})
		c.is(err, keys.ErrInvalidAttributes)
		_, err = keys.DeriveKEK(nil, new(keys.Attributes), pwhash.Limits{})
		c.is(err, pwhash.ErrInvalidParams)
	},
	"keys.NewKEK": func(c *zc) {
		_, err := keys.NewKEK(nil)
		c.is(err, secret.ErrKeySize)
	},
	"(*keys.KEK).Bytes": func(c *zc) {
		var k *keys.KEK
		c.true(k.Bytes() == nil, "nil KEK: nil")
		// The zero value is an all-zero key (which nothing in keys makes).
		c.true(bytes.Equal(new(keys.KEK).Bytes(), make([]byte, secret.KeySize)), "zero KEK: 32 zero bytes")
	},
	"(*keys.KEK).Destroy": func(c *zc) {
		var k *keys.KEK
		k.Destroy()
		new(keys.KEK).Destroy()
	},
	"keys.NewMasterKey": func(c *zc) {
		_, err := keys.NewMasterKey(nil)
		c.is(err, secret.ErrKeySize)
	},
	"(*keys.MasterKey).Bytes": func(c *zc) {
		var k *keys.MasterKey
		c.true(k.Bytes() == nil, "nil master key: nil")
		// The zero value is an all-zero key (which nothing in keys makes).
		c.true(bytes.Equal(new(keys.MasterKey).Bytes(), make([]byte, secret.KeySize)), "zero master key: 32 zero bytes")
	},
	"(*keys.MasterKey).Destroy": func(c *zc) {
		var k *keys.MasterKey
		k.Destroy()
		new(keys.MasterKey).Destroy()
	},
	"(*keys.MasterKey).Equal": func(c *zc) {
		var k *keys.MasterKey
		c.true(k.Equal(nil), "two nil keys are equal")
		c.true(!k.Equal(new(keys.MasterKey)), "nil equals no key")
		c.true(new(keys.MasterKey).Equal(new(keys.MasterKey)), "two zero keys are equal")
	},
	"(*keys.PasswordAttributes).UnmarshalJSON": failsNilAndZero(func(p *keys.PasswordAttributes) error { return p.UnmarshalJSON(nil) }),
	"(*keys.RecoveryAttributes).UnmarshalJSON": failsNilAndZero(func(r *keys.RecoveryAttributes) error { return r.UnmarshalJSON(nil) }),
	"keys.NewRecoveryKey": func(c *zc) {
		_, err := keys.NewRecoveryKey(nil)
		c.is(err, secret.ErrKeySize)
	},
	"keys.ParseRecoveryKey": func(c *zc) {
		_, err := keys.ParseRecoveryKey("")
		c.is(err, keys.ErrInvalidRecoveryKey)
	},
	"(*keys.RecoveryKey).Bytes": func(c *zc) {
		var k *keys.RecoveryKey
		c.true(k.Bytes() == nil, "nil recovery key: nil")
		// The zero value is an all-zero key (which nothing in keys makes).
		c.true(bytes.Equal(new(keys.RecoveryKey).Bytes(), make([]byte, secret.KeySize)), "zero recovery key: 32 zero bytes")
	},
	"(*keys.RecoveryKey).Destroy": func(c *zc) {
		var k *keys.RecoveryKey
		k.Destroy()
		new(keys.RecoveryKey).Destroy()
	},
	"(*keys.RecoveryKey).Equal": func(c *zc) {
		var k *keys.RecoveryKey
		c.true(k.Equal(nil), "two nil keys are equal")
		c.true(!k.Equal(new(keys.RecoveryKey)), "nil equals no key")
		c.true(new(keys.RecoveryKey).Equal(new(keys.RecoveryKey)), "two zero keys are equal")
	},
	"(*keys.RecoveryKey).Hex": func(c *zc) {
		var k *keys.RecoveryKey
		c.true(k.Hex() == "", "nil recovery key: empty")
		c.true(new(keys.RecoveryKey).Hex() == strings.Repeat("0", 64), "zero recovery key: 64 zeros")
	},
	"(*keys.RecoveryKey).Mnemonic": func(c *zc) {
		var k *keys.RecoveryKey
		c.true(k.Mnemonic() == "", "nil recovery key: empty")
		c.true(len(strings.Fields(new(keys.RecoveryKey).Mnemonic())) == 24, "zero recovery key: 24 words")
	},
	"keys.ParseSRPAttributes": func(c *zc) {
		_, err := keys.ParseSRPAttributes(nil)
		c.err(err)
	},
	"(*keys.SRPAttributes).DeriveKEK": failsNilAndZero(func(a *keys.SRPAttributes) error { _, err := a.DeriveKEK(nil, pwhash.Limits{}); return err }),
	"(*keys.SRPAttributes).Params": func(c *zc) {
		var a *keys.SRPAttributes
		c.true(a.Params() == pwhash.Params{}, "nil attributes: zero params")
		c.true(new(keys.SRPAttributes).Params() == pwhash.Params{}, "zero attributes: zero params")
	},
	"(*keys.SRPSession).A": func(c *zc) {
		var s *keys.SRPSession
		c.true(s.A() == nil, "nil session: nil")
		c.true(new(keys.SRPSession).A() == nil, "zero session: nil")
	},
	"(*keys.SRPSession).Destroy": func(c *zc) {
		var s *keys.SRPSession
		s.Destroy()
		new(keys.SRPSession).Destroy()
	},
	"(*keys.SRPSession).M1": func(c *zc) {
		var s *keys.SRPSession
		_, err := s.M1(nil)
		c.is(err, keys.ErrSRPSession)
		_, err = new(keys.SRPSession).M1(nil)
		c.is(err, keys.ErrSRPSession)
		// A B of the wrong size destroys the session, which then refuses
		// further use rather than reach its cleared client state.
		kek, err := keys.NewKEK(make([]byte, secret.KeySize))
		c.valid(err)
		sess, err := keys.NewSRPSession(kek, "user", make([]byte, keys.SRPSaltSize))
		c.valid(err)
		_, err = sess.M1(nil)
		c.is(err, keys.ErrInvalidSRPB)
		_, err = sess.M1(make([]byte, keys.SRPValueSize))
		c.is(err, keys.ErrSRPSession)
	},
	"(*keys.SRPSession).UserID": func(c *zc) {
		var s *keys.SRPSession
		c.true(s.UserID() == "", "nil session: empty")
		c.true(new(keys.SRPSession).UserID() == "", "zero session: empty")
	},
	"(*keys.SRPSession).Verify": func(c *zc) {
		var s *keys.SRPSession
		_, err := s.Verify(nil)
		c.is(err, keys.ErrSRPSession)
		_, err = new(keys.SRPSession).Verify(nil)
		c.is(err, keys.ErrSRPSession)
	},
	"keys.Unlock": func(c *zc) {
		_, err := keys.Unlock(nil, nil)
		c.is(err, keys.ErrNilKey)
		_, err = keys.Unlock(new(keys.KEK), nil)
		c.is(err, keys.ErrInvalidAttributes)
		_, err = keys.Unlock(new(keys.KEK), new(keys.Attributes))
		c.err(err)
	},
	"keys.UnlockWithRecoveryKey": func(c *zc) {
		_, err := keys.UnlockWithRecoveryKey(nil, nil)
		c.is(err, keys.ErrNilKey)
		_, err = keys.UnlockWithRecoveryKey(new(keys.RecoveryKey), nil)
		c.is(err, keys.ErrInvalidAttributes)
		_, err = keys.UnlockWithRecoveryKey(new(keys.RecoveryKey), new(keys.Attributes))
		c.err(err)
	},
	"(*keys.Secrets).ChangePassword": func(c *zc) {
		var s *keys.Secrets
		_, err := s.ChangePassword(nil, pwhash.Policy{})
		c.is(err, keys.ErrNilKey)
		// The zero Secrets hold an all-zero master key, which wraps.
		p, err := new(keys.Secrets).ChangePassword(nil, pwhash.TestingPolicy)
		c.valid(err)
		c.true(p != nil, "zero secrets: password attributes")
	},
	"(*keys.Secrets).Destroy": func(c *zc) {
		var s *keys.Secrets
		s.Destroy()
		new(keys.Secrets).Destroy()
	},
	"(*keys.Secrets).KEK": func(c *zc) {
		var s *keys.Secrets
		c.true(s.KEK() == nil, "nil secrets: nil")
		c.true(new(keys.Secrets).KEK() == nil, "zero secrets: nil")
	},
	"(*keys.Secrets).MasterKey": func(c *zc) {
		var s *keys.Secrets
		c.true(s.MasterKey() == nil, "nil secrets: nil")
		c.true(new(keys.Secrets).MasterKey() != nil, "zero secrets: an all-zero key")
	},
	"(*keys.Secrets).PrivateKey": func(c *zc) {
		var s *keys.Secrets
		c.true(s.PrivateKey() == nil, "nil secrets: nil")
		c.true(new(keys.Secrets).PrivateKey() != nil, "zero secrets: an all-zero key")
	},
	"(*keys.Secrets).PublicKey": func(c *zc) {
		var s *keys.Secrets
		c.true(s.PublicKey() == nil, "nil secrets: nil")
		c.true(*new(keys.Secrets).PublicKey() == sealed.PublicKey{}, "zero secrets: the zero public key")
	},
	"(*keys.Secrets).RecoveryKey": failsNilAndZero(func(s *keys.Secrets) error { _, err := s.RecoveryKey(new(keys.Attributes)); return err }),
	"(*keys.Secrets).RotateRecoveryKey": func(c *zc) {
		var s *keys.Secrets
		a, k := s.RotateRecoveryKey()
		c.true(a == nil && k == nil, "nil secrets: nil, nil")
		a, k = new(keys.Secrets).RotateRecoveryKey()
		c.true(a != nil && k != nil, "zero secrets: an all-zero master key wraps")
	},
	"keys.SealVaultToken": func(c *zc) {
		_, err := keys.SealVaultToken("", nil, nil)
		c.err(err)
		_, err = keys.SealVaultToken("otpauth://totp/x?secret=AA", nil, nil)
		c.is(err, keys.ErrNilKey)
		_, err = keys.SealVaultToken("", nil, new(secret.Key))
		c.err(err)
	},
	"(*keys.VaultToken).UnmarshalJSON": failsNilAndZero(func(v *keys.VaultToken) error { return v.UnmarshalJSON(nil) }),
	"keys.WrapCollectionKey": func(c *zc) {
		// No error in the signature: nothing to wrap, or nothing to wrap with.
		c.true(keys.WrapCollectionKey(nil, nil) == nil, "nil keys: nil")
		c.true(keys.WrapCollectionKey(new(secret.Key), nil) == nil, "nil master key: nil")
		c.true(keys.WrapCollectionKey(nil, new(keys.MasterKey)) == nil, "nil collection key: nil")
		c.true(keys.WrapCollectionKey(new(secret.Key), new(keys.MasterKey)) != nil, "zero keys: all-zero keys wrap")
	},
	"keys.WrapFileKey": func(c *zc) {
		c.true(keys.WrapFileKey(nil, nil) == nil, "nil keys: nil")
		c.true(keys.WrapFileKey(new(secret.Key), nil) == nil, "nil collection key: nil")
		c.true(keys.WrapFileKey(nil, new(secret.Key)) == nil, "nil file key: nil")
	},

	// share
	"share.AlbumURL": func(c *zc) {
		_, err := share.AlbumURL("", "", nil)
		c.err(err)
		_, err = share.AlbumURL(share.DefaultBase, "ABCDEFGHIJ", nil)
		c.is(err, share.ErrInvalidLink)
		_, err = share.AlbumURL(share.DefaultBase, "", new(secret.Key))
		c.err(err)
	},
	"share.FileURL": func(c *zc) {
		_, err := share.FileURL("", "", nil)
		c.err(err)
		_, err = share.FileURL(share.DefaultBase, "ABCDEFGHIJ", nil)
		c.is(err, share.ErrInvalidLink)
		_, err = share.FileURL(share.DefaultBase, "", new(secret.Key))
		c.err(err)
	},
	"share.DecodeKey": func(c *zc) {
		_, err := share.DecodeKey("")
		c.is(err, share.ErrInvalidLink)
	},
	"share.EncodeKey": func(c *zc) {
		// No error in the signature: no key, no fragment.
		c.true(share.EncodeKey(nil) == "", "nil key: empty")
	},
	"share.ParseFileURL": func(c *zc) {
		_, err := share.ParseFileURL("")
		c.is(err, share.ErrInvalidLink)
	},
	"share.ParseAlbumURL": func(c *zc) {
		_, err := share.ParseAlbumURL("")
		c.is(err, share.ErrInvalidLink)
	},
	"(*share.FileLink).FileKey": failsNilAndZero(func(l *share.FileLink) error { _, err := l.FileKey(nil); return err }),
	"(*share.FileLink).HasSecret": func(c *zc) {
		var l *share.FileLink
		c.true(!l.HasSecret(), "nil link: false")
		c.true(!new(share.FileLink).HasSecret(), "zero link: false")
	},
	"(share.FileLink).Format": func(c *zc) {
		c.printable(fmt.Sprintf("%v %+v %#v", share.FileLink{}, share.FileLink{}, share.FileLink{}))
	},
	"(share.FileLink).GoString":  func(c *zc) { c.printable(share.FileLink{}.GoString()) },
	"(share.FileLink).String":    func(c *zc) { c.printable(share.FileLink{}.String()) },
	"(share.FileLink).LogValue":  func(c *zc) { c.printable(share.FileLink{}.LogValue().String()) },
	"(share.FileLink).SecretURL": func(c *zc) { _, err := share.FileLink{}.SecretURL(); c.err(err) },
	"share.NewFileLinkSecret": func(c *zc) {
		_, err := share.NewFileLinkSecret(nil)
		c.err(err)
	},
	"(*share.FileLinkSecret).Fragment": func(c *zc) {
		var s *share.FileLinkSecret
		c.true(s.Fragment() == "", "nil secret: empty")
		c.true(new(share.FileLinkSecret).Fragment() == "", "zero secret: empty")
	},
	"(share.FileLinkSecret).MarshalJSON": func(c *zc) { _, err := share.FileLinkSecret{}.MarshalJSON(); c.err(err) },
	"share.NewFileViewer": func(c *zc) {
		_, err := share.NewFileViewer(nil, share.Options{})
		c.is(err, share.ErrInvalidLink)
		_, err = share.NewFileViewer(new(share.FileLink), share.Options{})
		c.is(err, share.ErrInvalidLink)
	},
	"(*share.FileViewer).Close": func(c *zc) {
		var v *share.FileViewer
		v.Close()
		new(share.FileViewer).Close()
	},
	"(*share.FileViewer).Download": func(c *zc) {
		for _, v := range []*share.FileViewer{nil, new(share.FileViewer)} {
			_, err := v.Download(canceled(), nil)
			c.err(err)
		}
	},
	"(*share.FileViewer).DownloadThumbnail": func(c *zc) {
		for _, v := range []*share.FileViewer{nil, new(share.FileViewer)} {
			_, err := v.DownloadThumbnail(canceled(), nil)
			c.err(err)
		}
	},
	"(*share.FileViewer).Open": func(c *zc) {
		for _, v := range []*share.FileViewer{nil, new(share.FileViewer)} {
			_, _, err := v.Open(canceled())
			c.err(err)
		}
	},
	"(*share.FileViewer).PasswordProtected": func(c *zc) {
		var v *share.FileViewer
		c.true(!v.PasswordProtected(), "nil viewer: false")
		c.true(!new(share.FileViewer).PasswordProtected(), "zero viewer: false")
	},
	"(*share.FileViewer).Unlock": func(c *zc) {
		for _, v := range []*share.FileViewer{nil, new(share.FileViewer)} {
			c.err(v.Unlock(canceled(), nil))
		}
	},
	"(*share.HTTPError).Error": func(c *zc) {
		var e *share.HTTPError
		c.printable(e.Error())
		c.printable(new(share.HTTPError).Error())
	},
	"(*share.HTTPError).Unwrap": func(c *zc) {
		var e *share.HTTPError
		c.true(e.Unwrap() == nil, "nil error: nothing wrapped")
		// The zero HTTPError still is an ErrHTTP.
		c.true(errors.Is(new(share.HTTPError), share.ErrHTTP), "zero HTTPError is ErrHTTP")
	},
	"(share.Link).Format":        func(c *zc) { c.printable(fmt.Sprintf("%v %+v %#v", share.Link{}, share.Link{}, share.Link{})) },
	"(share.Link).GoString":      func(c *zc) { c.printable(share.Link{}.GoString()) },
	"(share.Link).String":        func(c *zc) { c.printable(share.Link{}.String()) },
	"(share.Link).LogValue":      func(c *zc) { c.printable(share.Link{}.LogValue().String()) },
	"(share.Link).MarshalBinary": func(c *zc) { _, err := share.Link{}.MarshalBinary(); c.err(err) },
	"(share.Link).MarshalJSON":   func(c *zc) { _, err := share.Link{}.MarshalJSON(); c.err(err) },
	"(share.Link).MarshalText":   func(c *zc) { _, err := share.Link{}.MarshalText(); c.err(err) },
	"(share.Link).SecretURL":     func(c *zc) { _, err := share.Link{}.SecretURL(); c.err(err) },
	"share.NewLinkPassword": func(c *zc) {
		// An empty password is a password to Argon2id; the hash is valid.
		p, err := share.NewLinkPassword(nil)
		c.valid(err)
		c.true(p != nil, "empty password: a link password")
	},
	"(share.LinkPassword).Format": func(c *zc) {
		c.printable(fmt.Sprintf("%v %+v %#v", share.LinkPassword{}, share.LinkPassword{}, share.LinkPassword{}))
	},
	"(share.LinkPassword).GoString":      func(c *zc) { c.printable(share.LinkPassword{}.GoString()) },
	"(share.LinkPassword).String":        func(c *zc) { c.printable(share.LinkPassword{}.String()) },
	"(share.LinkPassword).LogValue":      func(c *zc) { c.printable(share.LinkPassword{}.LogValue().String()) },
	"(share.LinkPassword).MarshalBinary": func(c *zc) { _, err := share.LinkPassword{}.MarshalBinary(); c.err(err) },
	"(share.LinkPassword).MarshalJSON":   func(c *zc) { _, err := share.LinkPassword{}.MarshalJSON(); c.err(err) },
	"(share.LinkPassword).MarshalText":   func(c *zc) { _, err := share.LinkPassword{}.MarshalText(); c.err(err) },
	"share.LinkPassHash": func(c *zc) {
		_, err := share.LinkPassHash(nil, share.PasswordParams{})
		c.err(err)
	},
	"(*share.PassHash).Base64": func(c *zc) {
		var h *share.PassHash
		c.true(h.Base64() == "", "nil hash: empty")
		c.true(new(share.PassHash).Base64() == "", "zero hash: empty")
	},
	"(*share.PassHash).Equal": func(c *zc) {
		var h *share.PassHash
		c.true(h.Equal(nil), "two nil hashes are equal")
		c.true(!h.Equal(new(share.PassHash)), "nil equals no hash")
		c.true(new(share.PassHash).Equal(new(share.PassHash)), "two zero hashes are equal")
	},
	"(share.PassHash).Format":               func(c *zc) { c.redacted(fmt.Sprint(share.PassHash{})) },
	"(share.PassHash).GoString":             func(c *zc) { c.redacted(share.PassHash{}.GoString()) },
	"(share.PassHash).String":               func(c *zc) { c.redacted(share.PassHash{}.String()) },
	"(share.PassHash).LogValue":             func(c *zc) { c.redacted(share.PassHash{}.LogValue().String()) },
	"(share.PassHash).MarshalBinary":        func(c *zc) { _, err := share.PassHash{}.MarshalBinary(); c.err(err) },
	"(share.PassHash).MarshalJSON":          func(c *zc) { _, err := share.PassHash{}.MarshalJSON(); c.err(err) },
	"(share.PassHash).MarshalText":          func(c *zc) { _, err := share.PassHash{}.MarshalText(); c.err(err) },
	"(*share.PasswordParams).UnmarshalJSON": failsNilAndZero(func(p *share.PasswordParams) error { return p.UnmarshalJSON(nil) }),
	"share.NewViewer": func(c *zc) {
		_, err := share.NewViewer(nil, share.Options{})
		c.is(err, share.ErrInvalidLink)
		_, err = share.NewViewer(new(share.Link), share.Options{})
		c.is(err, share.ErrInvalidLink)
	},
	"(*share.Viewer).Album": func(c *zc) {
		var v *share.Viewer
		c.true(v.Album().Name == "", "nil viewer: zero album")
		c.true(new(share.Viewer).Album().Name == "", "zero viewer: zero album")
	},
	"(*share.Viewer).CanUpload": func(c *zc) {
		var v *share.Viewer
		c.true(!v.CanUpload(), "nil viewer: false")
		c.true(!new(share.Viewer).CanUpload(), "zero viewer: false")
	},
	"(*share.Viewer).Close": func(c *zc) {
		var v *share.Viewer
		v.Close()
		new(share.Viewer).Close()
	},
	"(*share.Viewer).DownloadFile": func(c *zc) {
		for _, v := range []*share.Viewer{nil, new(share.Viewer)} {
			_, err := v.DownloadFile(canceled(), 0, nil)
			c.err(err)
		}
	},
	"(*share.Viewer).DownloadThumbnail": func(c *zc) {
		for _, v := range []*share.Viewer{nil, new(share.Viewer)} {
			_, err := v.DownloadThumbnail(canceled(), 0, nil)
			c.err(err)
		}
	},
	"(*share.Viewer).PasswordProtected": func(c *zc) {
		var v *share.Viewer
		c.true(!v.PasswordProtected(), "nil viewer: false")
		c.true(!new(share.Viewer).PasswordProtected(), "zero viewer: false")
	},
	"(*share.Viewer).Sync": func(c *zc) {
		for _, v := range []*share.Viewer{nil, new(share.Viewer)} {
			_, err := v.Sync(canceled())
			c.err(err)
		}
	},
	"(*share.Viewer).Undecryptable": func(c *zc) {
		var v *share.Viewer
		c.true(v.Undecryptable() == nil, "nil viewer: nil")
		c.true(len(new(share.Viewer).Undecryptable()) == 0, "zero viewer: none")
	},
	"(*share.Viewer).Unlock": func(c *zc) {
		for _, v := range []*share.Viewer{nil, new(share.Viewer)} {
			c.err(v.Unlock(canceled(), nil))
		}
	},
	"(*share.Viewer).Upload": func(c *zc) {
		for _, v := range []*share.Viewer{nil, new(share.Viewer)} {
			_, err := v.Upload(canceled(), nil, 0, share.Upload{})
			c.err(err)
		}
	},

	// conformance
	"conformance.Sentinel": func(c *zc) { c.true(conformance.Sentinel("") == nil, "unknown name: nil") },
	"conformance.Run": func(c *zc) {
		// "" is the current directory, which holds no vectors.
		_, err := conformance.Run("")
		c.is(err, conformance.ErrNoVectors)
		_, err = conformance.Run(c.t.TempDir())
		c.is(err, conformance.ErrNoVectors)
	},
	"conformance.RunFS": func(c *zc) {
		_, err := conformance.RunFS(nil, conformance.Options{})
		c.is(err, conformance.ErrNoVectors)
		_, err = conformance.RunFS(fs.FS(os.DirFS(c.t.TempDir())), conformance.Options{})
		c.is(err, conformance.ErrNoVectors)
	},
	"(*conformance.FileReport).Counts": func(c *zc) {
		var f *conformance.FileReport
		c.true(f.Counts() == conformance.Counts{}, "nil report: zero counts")
		c.true(new(conformance.FileReport).Counts() == conformance.Counts{}, "zero report: zero counts")
	},
	"(*conformance.Report).Counts": func(c *zc) {
		var r *conformance.Report
		c.true(r.Counts() == conformance.Counts{}, "nil report: zero counts")
		c.true(new(conformance.Report).Counts() == conformance.Counts{}, "zero report: zero counts")
	},
	"(*conformance.Report).Filter": func(c *zc) {
		var r *conformance.Report
		c.true(r.Filter(0) == nil, "nil report: nil")
		c.true(new(conformance.Report).Filter(0) == nil, "zero report: nil")
	},
	"(*conformance.Report).OK": func(c *zc) {
		// A report of nothing run proves nothing.
		var r *conformance.Report
		c.true(!r.OK(), "nil report: not OK")
		// The zero Report has no file that failed (Run never returns one:
		// no vector file is ErrNoVectors).
		c.true(new(conformance.Report).OK(), "zero report: OK")
	},
	"(*conformance.Report).WriteText": func(c *zc) {
		var r *conformance.Report
		c.err(r.WriteText(nil, false))
		c.err(new(conformance.Report).WriteText(nil, true))
		c.valid(r.WriteText(&bytes.Buffer{}, true))
		c.valid(new(conformance.Report).WriteText(&bytes.Buffer{}, true))
	},
	"(conformance.Result).String":      func(c *zc) { c.printable(conformance.Result{}.String()) },
	"(conformance.Status).MarshalText": func(c *zc) { _, err := conformance.Status(0).MarshalText(); c.valid(err) },
	"(conformance.Status).String":      func(c *zc) { c.printable(conformance.Status(0).String()) },

	// sharetest
	"sharetest.New": func(c *zc) { c.true(sharetest.New("") != nil, "empty name: a server") },
	"(*sharetest.Server).AddFile": func(c *zc) {
		var s *sharetest.Server
		c.true(s.AddFile("", nil, nil) == 0, "nil server: id 0")
		c.true(new(sharetest.Server).AddFile("", nil, nil) == 0, "zero server: id 0")
		c.true(sharetest.New("").AddFile("", nil, nil) != 0, "empty file on a real server: an id")
	},
	"(*sharetest.Server).DeleteFile": func(c *zc) {
		var s *sharetest.Server
		s.DeleteFile(0)
		new(sharetest.Server).DeleteFile(0)
		c.panics(func() { sharetest.New("").DeleteFile(0) }, "sharetest: no file 0")
	},
	"(*sharetest.Server).Log": func(c *zc) {
		var s *sharetest.Server
		c.true(s.Log().EntriesServed == 0, "nil server: empty log")
		c.true(new(sharetest.Server).Log().EntriesServed == 0, "zero server: empty log")
	},
	"(*sharetest.Server).Object": func(c *zc) {
		var s *sharetest.Server
		c.true(s.Object("") == nil, "nil server: nil")
		c.true(new(sharetest.Server).Object("") == nil, "zero server: nil")
	},
	"(*sharetest.Server).ServeHTTP": func(c *zc) {
		var s *sharetest.Server
		s.ServeHTTP(nil, nil)
		new(sharetest.Server).ServeHTTP(nil, nil)
		sharetest.New("").ServeHTTP(nil, nil)
		for _, s := range []*sharetest.Server{nil, new(sharetest.Server)} {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/public-collection/info", nil))
			c.true(w.Code == http.StatusInternalServerError, "no album: 500")
		}
	},
	"(*sharetest.Server).SetCollect": func(c *zc) {
		var s *sharetest.Server
		s.SetCollect(false)
		new(sharetest.Server).SetCollect(true)
	},
	"(*sharetest.Server).SetFileLinkPassword": func(c *zc) {
		var s *sharetest.Server
		c.err(s.SetFileLinkPassword("", nil))
		c.err(new(sharetest.Server).SetFileLinkPassword("", nil))
		c.err(sharetest.New("").SetFileLinkPassword("", nil))
	},
	"(*sharetest.Server).SetPassword": func(c *zc) {
		var s *sharetest.Server
		c.err(s.SetPassword(nil))
		c.err(new(sharetest.Server).SetPassword(nil))
		c.err(sharetest.New("").SetPassword(nil))
	},
	"(*sharetest.Server).SetStatus": func(c *zc) {
		var s *sharetest.Server
		s.SetStatus(0)
		new(sharetest.Server).SetStatus(0)
	},
	"(*sharetest.Server).ShareFile": func(c *zc) {
		var s *sharetest.Server
		tok, frag := s.ShareFile(0, 0)
		c.true(tok == "" && frag == "", "nil server: empty")
		tok, frag = new(sharetest.Server).ShareFile(0, 0)
		c.true(tok == "" && frag == "", "zero server: empty")
		c.panics(func() { sharetest.New("").ShareFile(0, 0) }, "sharetest: no file 0")
	},
	"(*sharetest.Server).Tamper": func(c *zc) {
		var s *sharetest.Server
		s.Tamper(0, 0)
		new(sharetest.Server).Tamper(0, 0)
		c.panics(func() { sharetest.New("").Tamper(0, 0) }, "sharetest: no file 0")
	},
}

// failsNilAndZero is the entry of a method that must fail on a nil and on
// a zero receiver alike.
func failsNilAndZero[T any](call func(*T) error) func(*zc) {
	return func(c *zc) {
		c.err(call(nil))
		c.err(call(new(T)))
	}
}

// zc is what an entry of zeroCalls checks with.
type zc struct{ t *testing.T }

// err checks that a call with nil or zero input failed.
func (c *zc) err(err error) {
	c.t.Helper()
	if err == nil {
		c.t.Error("nil or zero input: no error")
	}
}

// is checks that a call failed with the documented sentinel.
func (c *zc) is(err, target error) {
	c.t.Helper()
	if !errors.Is(err, target) {
		c.t.Errorf("got %v, want %v", err, target)
	}
}

// valid checks a call whose zero input is documented as valid.
func (c *zc) valid(err error) {
	c.t.Helper()
	if err != nil {
		c.t.Errorf("zero input is valid here, got %v", err)
	}
}

// true checks a documented zero value.
func (c *zc) true(ok bool, what string) {
	c.t.Helper()
	if !ok {
		c.t.Errorf("want %s", what)
	}
}

// panics checks a documented, deliberate panic (sharetest's, on a file ID
// the test never added).
func (c *zc) panics(f func(), want string) {
	c.t.Helper()
	defer func() {
		if r := recover(); fmt.Sprint(r) != want {
			c.t.Errorf("panic %v, want %q", r, want)
		}
	}()
	f()
}

// redacted checks the text of a zero secret-bearing value.
func (c *zc) redacted(s string) {
	c.t.Helper()
	if !strings.Contains(s, "REDACTED") {
		c.t.Errorf("got %q, want a redacted placeholder", s)
	}
}

// printable checks that a zero value prints as something.
func (c *zc) printable(s string) {
	c.t.Helper()
	if s == "" {
		c.t.Error("zero value prints as an empty string")
	}
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// TestNoPanicOnZero runs every entry of zeroCalls, turning a panic into a
// failure that names the call.
func TestNoPanicOnZero(t *testing.T) {
	// Some entries log on purpose (a server answering a nil request).
	slog.SetDefault(slog.New(slog.DiscardHandler))
	for _, name := range slices.Sorted(maps.Keys(zeroCalls)) {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s panics on nil or zero input: %v", name, r)
				}
			}()
			zeroCalls[name](&zc{t: t})
		})
	}
}

// publicPackages lists the directories whose exported API zeroCalls must
// cover: every package of the module outside internal/ and testdata/ that is
// not a command. share/sharetest is test support but importable by anyone
// (and documented for users' own tests), so it is public API held to the
// same rule.
func publicPackages(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (name == "internal" || name == "testdata" || strings.HasPrefix(name, ".") || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.PackageClauseOnly)
		if err != nil {
			return err
		}
		if dir := filepath.Dir(path); f.Name.Name != "main" && !slices.Contains(dirs, dir) {
			dirs = append(dirs, dir)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A walk that went wrong must not pass for want of packages.
	for _, want := range []string{"secret", "secretbox", "sealed", "pwhash", "stream", "record", "keys", "share", "share/sharetest", "conformance"} {
		if !slices.Contains(dirs, filepath.FromSlash(want)) {
			t.Fatalf("public packages %q: %s missing", dirs, want)
		}
	}
	return dirs
}

// exportedFuncs lists the exported functions and methods go/doc finds in
// the non-test Go files of dir, named as zeroCalls keys them. A method is
// listed under the type that declares it. The only embedding in the public
// packages is redaction.Of (through each package's alias redact), whose
// String, Format, LogValue and Marshal* value methods are declared in
// internal/redaction and return fixed text or an error whatever the value
// (the hygiene tests cover them); go/doc, which does not follow an alias
// to another package's generic type, does not list them.
// A method promoted from an embedded type of the same package would show
// as Level > 0, which fails the check until this rule is revisited. src, if
// set, replaces the directory's files by name and source (the proof test
// uses it).
func exportedFuncs(t *testing.T, dir string, src map[string]string) []string {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	if src != nil {
		for _, name := range slices.Sorted(maps.Keys(src)) {
			f, err := parser.ParseFile(fset, name, src[name], parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	} else {
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		t.Fatalf("%s: no Go files", dir)
	}
	// AllMethods lists methods promoted from embedded exported types too
	// (Level > 0); we require none, so a new embedding is noticed.
	p, err := doc.NewFromFiles(fset, files, modulePath+"/"+dir, doc.AllMethods)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name == "main" {
		t.Fatalf("%s is a command", dir)
	}
	var out []string
	for _, f := range p.Funcs {
		out = append(out, p.Name+"."+f.Name)
	}
	for _, typ := range p.Types {
		for _, f := range typ.Funcs {
			out = append(out, p.Name+"."+f.Name)
		}
		for _, m := range typ.Methods {
			if m.Level > 0 {
				t.Errorf("%s.%s: method %s promoted by embedding; cover it and adjust this check", p.Name, typ.Name, m.Name)
				continue
			}
			if strings.HasPrefix(m.Recv, "*") {
				out = append(out, "(*"+p.Name+"."+strings.TrimPrefix(m.Recv, "*")+")."+m.Name)
			} else {
				out = append(out, "("+p.Name+"."+m.Recv+")."+m.Name)
			}
		}
	}
	return out
}

// uncovered lists the names in api that zeroCalls has no entry for.
func uncovered(api []string) []string {
	var missing []string
	for _, name := range api {
		if zeroCalls[name] == nil {
			missing = append(missing, name)
		}
	}
	return missing
}

// TestZeroCallsCoverAPI fails listing every exported function and method
// of the public packages that zeroCalls does not call, and every entry that
// names nothing (a renamed or removed function).
func TestZeroCallsCoverAPI(t *testing.T) {
	all := map[string]bool{}
	for _, dir := range publicPackages(t) {
		api := exportedFuncs(t, filepath.ToSlash(dir), nil)
		for _, name := range api {
			all[name] = true
		}
		if missing := uncovered(api); len(missing) > 0 {
			t.Errorf("%s: exported without an entry in zeroCalls (nilsafety_test.go):\n\t%s", dir, strings.Join(missing, "\n\t"))
		}
	}
	for name := range zeroCalls {
		if !all[name] {
			t.Errorf("zeroCalls[%q] names no exported function or method", name)
		}
	}
	t.Logf("%d exported functions and methods called with zero arguments", len(all))
}

// TestZeroCallsCoverAPIFindsNew proves the coverage check: a package that
// adds a function, a pointer method and a value method to a covered type
// has exactly those three reported.
func TestZeroCallsCoverAPIFindsNew(t *testing.T) {
	src := map[string]string{"keys.go": `package keys

type KEK struct{}
type Header [24]byte

func Unlock() {}
func (*KEK) Destroy() {}

func Brand() {}
func (*KEK) Brand() {}
func (Header) Brand() string { return "" }
func (*KEK) unexported() {}
func unexported() {}
`}
	got := uncovered(exportedFuncs(t, "keys", src))
	slices.Sort(got)
	want := []string{"(*keys.KEK).Brand", "(keys.Header).Brand", "keys.Brand"}
	if !slices.Equal(got, want) {
		t.Errorf("uncovered = %q, want %q", got, want)
	}
}

// TestUnmarshalNilReceiver decodes valid encodings, made by the SDK, into
// nil pointers: the decoders check their input before they write through
// the receiver, so an empty object alone would not reach the write.
func TestUnmarshalNilReceiver(t *testing.T) {
	attrs, secrets, _, err := keys.Generate([]byte("pw"), pwhash.TestingPolicy)
	if err != nil {
		t.Fatal(err)
	}
	pass, err := secrets.ChangePassword([]byte("pw2"), pwhash.TestingPolicy)
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := secrets.RotateRecoveryKey()
	authKey, env := keys.NewAuthKey(secrets.MasterKey())
	token, err := keys.SealVaultToken("otpauth://totp/x?secret=AA", nil, authKey)
	if err != nil {
		t.Fatal(err)
	}
	entity, err := keys.SealAuthEntity("otpauth://totp/x?secret=AA", authKey)
	if err != nil {
		t.Fatal(err)
	}
	export, err := keys.EncryptExportParams([]string{"otpauth://totp/x?secret=AA"}, []byte("pw"), pwhash.TestingPolicy.Start)
	if err != nil {
		t.Fatal(err)
	}
	magic, err := record.SealMagic(json.RawMessage(`{"a":1}`), 1, secret.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	wrapped := keys.WrapFileKey(secret.GenerateKey(), secret.GenerateKey())
	params := share.PasswordParams{MemLimit: pwhash.MinMemLimit, OpsLimit: 1}
	// A collection and a file as museum returned them.
	var museum struct {
		Collections []json.RawMessage `json:"collections"`
		Diff        []json.RawMessage `json:"diff"`
	}
	for _, name := range []string{"collections-v2.json", "collections-v2-diff.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "museum", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &museum); err != nil {
			t.Fatal(err)
		}
	}
	if len(museum.Collections) == 0 || len(museum.Diff) == 0 {
		t.Fatal("testdata/museum: no collection or file")
	}
	col, file := museum.Collections[0], museum.Diff[0]

	mustJSON := func(v any) []byte {
		t.Helper()
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, c := range []struct {
		name string
		dec  func() error // decodes into a nil pointer
		ok   func() error // the same data into a fresh value: proves it is valid
		is   error
	}{
		{"keys.Attributes", func() error { return (*keys.Attributes)(nil).UnmarshalJSON(mustJSON(attrs)) }, func() error { return new(keys.Attributes).UnmarshalJSON(mustJSON(attrs)) }, keys.ErrInvalidAttributes},
		{"keys.PasswordAttributes", func() error { return (*keys.PasswordAttributes)(nil).UnmarshalJSON(mustJSON(pass)) }, func() error { return new(keys.PasswordAttributes).UnmarshalJSON(mustJSON(pass)) }, keys.ErrInvalidAttributes},
		{"keys.RecoveryAttributes", func() error { return (*keys.RecoveryAttributes)(nil).UnmarshalJSON(mustJSON(rec)) }, func() error { return new(keys.RecoveryAttributes).UnmarshalJSON(mustJSON(rec)) }, keys.ErrInvalidAttributes},
		{"keys.AuthKeyEnvelope", func() error { return (*keys.AuthKeyEnvelope)(nil).UnmarshalJSON(mustJSON(env)) }, func() error { return new(keys.AuthKeyEnvelope).UnmarshalJSON(mustJSON(env)) }, keys.ErrInvalidEnvelope},
		{"keys.VaultToken", func() error { return (*keys.VaultToken)(nil).UnmarshalJSON(mustJSON(token)) }, func() error { return new(keys.VaultToken).UnmarshalJSON(mustJSON(token)) }, keys.ErrInvalidEnvelope},
		{"keys.AuthEntity", func() error { return (*keys.AuthEntity)(nil).UnmarshalJSON(mustJSON(entity)) }, func() error { return new(keys.AuthEntity).UnmarshalJSON(mustJSON(entity)) }, keys.ErrInvalidEnvelope},
		{"keys.AuthEntry", func() error {
			return (*keys.AuthEntry)(nil).UnmarshalJSON(mustJSON(keys.AuthEntry{ID: "x", Entity: entity}))
		}, func() error {
			return new(keys.AuthEntry).UnmarshalJSON(mustJSON(keys.AuthEntry{ID: "x", Entity: entity}))
		}, keys.ErrInvalidEnvelope},
		{"keys.Export", func() error { return (*keys.Export)(nil).UnmarshalJSON(export) }, func() error { return new(keys.Export).UnmarshalJSON(export) }, keys.ErrInvalidExport},
		{"record.Collection", func() error { return (*record.Collection)(nil).UnmarshalJSON(col) }, func() error { return new(record.Collection).UnmarshalJSON(col) }, record.ErrInvalid},
		{"record.File", func() error { return (*record.File)(nil).UnmarshalJSON(file) }, func() error { return new(record.File).UnmarshalJSON(file) }, record.ErrInvalid},
		{"record.Magic", func() error { return (*record.Magic)(nil).UnmarshalJSON(mustJSON(magic)) }, func() error { return new(record.Magic).UnmarshalJSON(mustJSON(magic)) }, record.ErrInvalid},
		{"record.WrappedKey", func() error { return (*record.WrappedKey)(nil).UnmarshalJSON(mustJSON(wrapped)) }, func() error { return new(record.WrappedKey).UnmarshalJSON(mustJSON(wrapped)) }, record.ErrInvalid},
		{"record.Ciphertext", func() error { return (*record.Ciphertext)(nil).UnmarshalText([]byte("AA==")) }, func() error { return new(record.Ciphertext).UnmarshalText([]byte("AA==")) }, record.ErrInvalid},
		{"share.PasswordParams", func() error { return (*share.PasswordParams)(nil).UnmarshalJSON(mustJSON(params)) }, func() error { return new(share.PasswordParams).UnmarshalJSON(mustJSON(params)) }, share.ErrBadResponse},
		{"stream.Header", func() error { return (*stream.Header)(nil).UnmarshalText(mustJSON(stream.Header{})[1:33]) }, func() error { return new(stream.Header).UnmarshalText(mustJSON(stream.Header{})[1:33]) }, nil},
		{"pwhash.Salt", func() error { return (*pwhash.Salt)(nil).UnmarshalText([]byte("AAAAAAAAAAAAAAAAAAAAAA==")) }, func() error { return new(pwhash.Salt).UnmarshalText([]byte("AAAAAAAAAAAAAAAAAAAAAA==")) }, nil},
		{"secretbox.Nonce", func() error { return (*secretbox.Nonce)(nil).UnmarshalText(mustJSON(secretbox.Nonce{})[1:33]) }, func() error { return new(secretbox.Nonce).UnmarshalText(mustJSON(secretbox.Nonce{})[1:33]) }, nil},
		{"sealed.PublicKey", func() error { return (*sealed.PublicKey)(nil).UnmarshalText(mustJSON(sealed.PublicKey{})[1:45]) }, func() error { return new(sealed.PublicKey).UnmarshalText(mustJSON(sealed.PublicKey{})[1:45]) }, sealed.ErrInvalidPublicKey},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.ok(); err != nil {
				t.Fatalf("the data does not decode into a fresh value: %v", err)
			}
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("decoding into a nil pointer panics: %v", r)
				}
			}()
			err := c.dec()
			if err == nil {
				t.Fatal("decoding into a nil pointer: no error")
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("got %v, want %v", err, c.is)
			}
		})
	}
}
