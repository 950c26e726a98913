package e2ee_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
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
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
var zeroCalls = map[string]func(t *testing.T){
	// secret
	"secret.GenerateKey": func(t *testing.T) { assert.NotNil(t, secret.GenerateKey(), "non-nil key") },
	"secret.NewKey": func(t *testing.T) {
		_, err := secret.NewKey(nil)
		assert.ErrorIs(t, err, secret.ErrKeySize)
	},
	"(*secret.Key).Bytes": func(t *testing.T) {
		var k *secret.Key
		assert.True(t, bytes.Equal(k.Bytes(), make([]byte, secret.KeySize)), "nil key: 32 zero bytes")
		assert.True(t, bytes.Equal(new(secret.Key).Bytes(), make([]byte, secret.KeySize)), "zero key: 32 zero bytes")
	},
	"(*secret.Key).Destroy": func(t *testing.T) {
		var k *secret.Key
		k.Destroy()
		new(secret.Key).Destroy()
	},
	"(*secret.Key).Equal": func(t *testing.T) {
		var k *secret.Key
		assert.True(t, k.Equal(nil), "two nil keys are equal")
		assert.False(t, k.Equal(new(secret.Key)), "nil equals no key")
		assert.True(t, new(secret.Key).Equal(new(secret.Key)), "two zero keys are equal")
	},
	"(secret.Key).Format": func(t *testing.T) {
		assert.Contains(t, fmt.Sprint(secret.Key{}), "REDACTED", "want a redacted placeholder")
	},
	"(secret.Key).GoString": func(t *testing.T) {
		assert.Contains(t, secret.Key{}.GoString(), "REDACTED", "want a redacted placeholder")
	},
	"(secret.Key).String": func(t *testing.T) {
		assert.Contains(t, secret.Key{}.String(), "REDACTED", "want a redacted placeholder")
	},
	"(secret.Key).LogValue": func(t *testing.T) {
		assert.Contains(t, secret.Key{}.LogValue().String(), "REDACTED", "want a redacted placeholder")
	},
	"(secret.Key).MarshalBinary": func(t *testing.T) {
		_, err := secret.Key{}.MarshalBinary()
		assert.ErrorIs(t, err, secret.ErrNotMarshalable)
	},
	"(secret.Key).MarshalJSON": func(t *testing.T) {
		_, err := secret.Key{}.MarshalJSON()
		assert.ErrorIs(t, err, secret.ErrNotMarshalable)
	},
	"(secret.Key).MarshalText": func(t *testing.T) {
		_, err := secret.Key{}.MarshalText()
		assert.ErrorIs(t, err, secret.ErrNotMarshalable)
	},

	// secretbox
	"secretbox.Seal": func(t *testing.T) {
		// No error in the signature: a nil nonce or key seals nothing.
		assert.Nil(t, secretbox.Seal(nil, nil, nil, nil), "nil nonce and key: nil")
		assert.Nil(t, secretbox.Seal(nil, nil, nil, secret.GenerateKey()), "nil nonce: nil")
		assert.Nil(t, secretbox.Seal(nil, nil, secretbox.RandomNonce(), nil), "nil key: nil")
		// A zero nonce and an empty message are valid: the box is the MAC.
		assert.Len(t, secretbox.Seal(nil, nil, new(secretbox.Nonce), secret.GenerateKey()), secretbox.Overhead, "empty message: MAC only")
	},
	"secretbox.Open": func(t *testing.T) {
		_, err := secretbox.Open(nil, nil, nil, nil)
		assert.ErrorIs(t, err, secretbox.ErrOpen)
		_, err = secretbox.Open(nil, make([]byte, secretbox.Overhead), nil, nil)
		assert.ErrorIs(t, err, secretbox.ErrOpen)
		_, err = secretbox.Open(nil, make([]byte, secretbox.Overhead), new(secretbox.Nonce), new(secret.Key))
		assert.ErrorIs(t, err, secretbox.ErrOpen)
	},
	"secretbox.RandomNonce": func(t *testing.T) { assert.NotNil(t, secretbox.RandomNonce(), "non-nil nonce") },
	"(secretbox.Nonce).MarshalText": func(t *testing.T) {
		_, err := secretbox.Nonce{}.MarshalText()
		assert.NoError(t, err, "zero input is valid here")
	},
	"(*secretbox.Nonce).UnmarshalText": failsNilAndZero(func(n *secretbox.Nonce) error { return n.UnmarshalText(nil) }),

	// sealed
	"sealed.Seal": func(t *testing.T) {
		_, err := sealed.Seal(nil, nil, nil)
		assert.ErrorIs(t, err, sealed.ErrInvalidPublicKey)
		_, err = sealed.Seal(nil, nil, new(sealed.PublicKey))
		assert.ErrorIs(t, err, sealed.ErrInvalidPublicKey)
	},
	"sealed.Open": func(t *testing.T) {
		_, err := sealed.Open(nil, nil, nil)
		assert.Error(t, err)
		_, err = sealed.Open(nil, make([]byte, sealed.Overhead), new(sealed.PrivateKey))
		assert.Error(t, err)
	},
	"sealed.GenerateKey": func(t *testing.T) { assert.NotNil(t, sealed.GenerateKey(), "non-nil key") },
	"sealed.NewPrivateKey": func(t *testing.T) {
		_, err := sealed.NewPrivateKey(nil)
		assert.ErrorIs(t, err, sealed.ErrKeySize)
	},
	"(*sealed.PrivateKey).Bytes": func(t *testing.T) {
		var k *sealed.PrivateKey
		assert.True(t, k.Bytes() == nil, "nil key: nil")
		assert.True(t, bytes.Equal(new(sealed.PrivateKey).Bytes(), make([]byte, sealed.PrivateKeySize)), "zero key: zero bytes")
	},
	"(*sealed.PrivateKey).Destroy": func(t *testing.T) {
		var k *sealed.PrivateKey
		k.Destroy()
		new(sealed.PrivateKey).Destroy()
	},
	"(*sealed.PrivateKey).PublicKey": func(t *testing.T) {
		var k *sealed.PrivateKey
		assert.Nil(t, k.PublicKey(), "nil key: nil public key")
		assert.Equal(t, sealed.PublicKey{}, *new(sealed.PrivateKey).PublicKey(), "zero key: zero public key")
	},
	"(sealed.PrivateKey).Format": func(t *testing.T) {
		assert.Contains(t, fmt.Sprint(sealed.PrivateKey{}), "REDACTED", "want a redacted placeholder")
	},
	"(sealed.PrivateKey).GoString": func(t *testing.T) {
		assert.Contains(t, sealed.PrivateKey{}.GoString(), "REDACTED", "want a redacted placeholder")
	},
	"(sealed.PrivateKey).String": func(t *testing.T) {
		assert.Contains(t, sealed.PrivateKey{}.String(), "REDACTED", "want a redacted placeholder")
	},
	"(sealed.PrivateKey).LogValue": func(t *testing.T) {
		assert.Contains(t, sealed.PrivateKey{}.LogValue().String(), "REDACTED", "want a redacted placeholder")
	},
	"(sealed.PrivateKey).MarshalBinary": func(t *testing.T) { _, err := sealed.PrivateKey{}.MarshalBinary(); assert.Error(t, err) },
	"(sealed.PrivateKey).MarshalJSON":   func(t *testing.T) { _, err := sealed.PrivateKey{}.MarshalJSON(); assert.Error(t, err) },
	"(sealed.PrivateKey).MarshalText":   func(t *testing.T) { _, err := sealed.PrivateKey{}.MarshalText(); assert.Error(t, err) },
	"(sealed.PublicKey).MarshalText": func(t *testing.T) {
		_, err := sealed.PublicKey{}.MarshalText()
		assert.NoError(t, err, "zero input is valid here")
	},
	"(*sealed.PublicKey).UnmarshalText": failsNilAndZero(func(k *sealed.PublicKey) error { return k.UnmarshalText(nil) }),

	// pwhash
	"pwhash.DeriveKey": func(t *testing.T) {
		_, err := pwhash.DeriveKey(nil, nil, pwhash.Params{}, pwhash.Limits{})
		assert.Error(t, err)
		_, err = pwhash.DeriveKey(nil, new(pwhash.Salt), pwhash.Params{}, pwhash.Limits{})
		assert.ErrorIs(t, err, pwhash.ErrInvalidParams)
		_, err = pwhash.DeriveKey(nil, nil, pwhash.TestingPolicy.Start, pwhash.DefaultLimits)
		assert.ErrorIs(t, err, pwhash.ErrInvalidParams)
	},
	"pwhash.DeriveSensitiveKey": func(t *testing.T) {
		_, _, err := pwhash.DeriveSensitiveKey(nil, nil, pwhash.Policy{})
		assert.Error(t, err)
		_, _, err = pwhash.DeriveSensitiveKey(nil, new(pwhash.Salt), pwhash.Policy{})
		assert.ErrorIs(t, err, pwhash.ErrInvalidParams)
		_, _, err = pwhash.DeriveSensitiveKey(nil, nil, pwhash.TestingPolicy)
		assert.ErrorIs(t, err, pwhash.ErrInvalidParams)
	},
	"(pwhash.Params).Check": func(t *testing.T) { assert.ErrorIs(t, pwhash.Params{}.Check(pwhash.Limits{}), pwhash.ErrInvalidParams) },
	"(pwhash.Policy).Steps": func(t *testing.T) {
		assert.LessOrEqual(t, len(pwhash.Policy{}.Steps()), 1, "zero policy: at most its one start")
	},
	"(pwhash.Policy).WithCeiling": func(t *testing.T) {
		assert.Equal(t, pwhash.Policy{}, pwhash.Policy{}.WithCeiling(0), "zero policy stays zero")
	},
	"pwhash.RandomSalt": func(t *testing.T) { assert.NotNil(t, pwhash.RandomSalt(), "non-nil salt") },
	"(pwhash.Salt).MarshalText": func(t *testing.T) {
		_, err := pwhash.Salt{}.MarshalText()
		assert.NoError(t, err, "zero input is valid here")
	},
	"(*pwhash.Salt).UnmarshalText": failsNilAndZero(func(s *pwhash.Salt) error { return s.UnmarshalText(nil) }),

	// stream
	"stream.DecryptBlob": func(t *testing.T) {
		_, err := stream.DecryptBlob(nil, stream.Header{}, nil)
		assert.Error(t, err)
		_, err = stream.DecryptBlob(nil, stream.Header{}, new(secret.Key), nil)
		assert.Error(t, err)
	},
	"stream.DecryptBlobLegacy": func(t *testing.T) {
		_, err := stream.DecryptBlobLegacy(nil, stream.Header{}, nil)
		assert.Error(t, err)
		_, err = stream.DecryptBlobLegacy(nil, stream.Header{}, new(secret.Key), nil)
		assert.Error(t, err)
	},
	"stream.EncryptBlob": func(t *testing.T) {
		_, _, err := stream.EncryptBlob(nil, nil)
		assert.Error(t, err)
		// An empty message is valid: a blob of one FINAL message.
		ct, _, err := stream.EncryptBlob(nil, new(secret.Key))
		assert.NoError(t, err, "zero input is valid here")
		assert.Len(t, ct, stream.Overhead, "empty blob: one tag")
	},
	"stream.EncryptedSize": func(t *testing.T) {
		// Zero bytes of plaintext is a valid stream of one empty FINAL chunk.
		n, err := stream.EncryptedSize(0)
		assert.NoError(t, err, "zero input is valid here")
		assert.Equal(t, int64(stream.Overhead), n, "EncryptedSize(0) is one tag")
	},
	"stream.MemoryBudget": func(t *testing.T) {
		assert.GreaterOrEqual(t, stream.MemoryBudget(), int64(stream.EncryptedChunkSize), "the budget holds at least one buffer")
	},
	"stream.SetMemoryBudget": func(t *testing.T) {
		// Zero restores the default; the previous budget comes back.
		prev := stream.SetMemoryBudget(0)
		assert.GreaterOrEqual(t, stream.MemoryBudget(), int64(16*stream.EncryptedChunkSize), "zero restores the default of at least 16 buffers")
		stream.SetMemoryBudget(prev)
	},
	"e2ee.Backend": func(t *testing.T) {
		b := e2ee.Backend()
		assert.True(t, strings.HasPrefix(b, "libsodium ") || strings.HasPrefix(b, "pure Go"), "Backend names libsodium or pure Go")
	},
	"stream.PlaintextSize": func(t *testing.T) {
		// No stream is 0 bytes long: even an empty one has its FINAL chunk.
		_, err := stream.PlaintextSize(0)
		assert.Error(t, err)
	},
	"stream.WithMaxSize": func(t *testing.T) {
		// Zero is a cap like any other: only an empty blob fits.
		ct, h, err := stream.EncryptBlob([]byte("x"), new(secret.Key))
		assert.NoError(t, err, "zero input is valid here")
		_, err = stream.DecryptBlob(ct, h, new(secret.Key), stream.WithMaxSize(0))
		assert.ErrorIs(t, err, stream.ErrTooLarge)
	},
	"stream.NewEncryptReader": func(t *testing.T) {
		_, _, err := stream.NewEncryptReader(nil, nil)
		assert.Error(t, err)
		_, _, err = stream.NewEncryptReader(nil, new(secret.Key))
		assert.Error(t, err)
	},
	"stream.NewEncryptWriter": func(t *testing.T) {
		_, _, err := stream.NewEncryptWriter(nil, nil)
		assert.Error(t, err)
		_, _, err = stream.NewEncryptWriter(nil, new(secret.Key))
		assert.Error(t, err)
	},
	"stream.NewEncryptor": func(t *testing.T) {
		_, _, err := stream.NewEncryptor(nil)
		assert.Error(t, err)
	},
	"stream.NewDecryptReader": func(t *testing.T) {
		_, err := stream.NewDecryptReader(nil, stream.Header{}, nil)
		assert.Error(t, err)
		_, err = stream.NewDecryptReader(nil, stream.Header{}, new(secret.Key))
		assert.Error(t, err)
	},
	"stream.NewDecryptReaderBytes": func(t *testing.T) {
		_, err := stream.NewDecryptReaderBytes(nil, stream.Header{}, nil)
		assert.Error(t, err)
		// A nil ciphertext is an empty source: the error comes at Read.
		r, err := stream.NewDecryptReaderBytes(nil, stream.Header{}, new(secret.Key))
		if err == nil {
			_, err = r.Read(make([]byte, 1))
		}
		assert.Error(t, err)
	},
	"stream.NewDecryptor": func(t *testing.T) {
		_, err := stream.NewDecryptor(stream.Header{}, nil)
		assert.Error(t, err)
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
	"(stream.Header).MarshalText": func(t *testing.T) {
		_, err := stream.Header{}.MarshalText()
		assert.NoError(t, err, "zero input is valid here")
	},
	"(stream.Header).String": func(t *testing.T) { assert.NotEmpty(t, stream.Header{}.String(), "zero header prints") },
	"(stream.Tag).String":    func(t *testing.T) { assert.NotEmpty(t, stream.Tag(0).String(), "zero tag prints") },
	"(*stream.Header).UnmarshalText": func(t *testing.T) {
		var h *stream.Header
		assert.Error(t, h.UnmarshalText(nil))
		assert.Error(t, h.UnmarshalText([]byte("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")))
		assert.Error(t, new(stream.Header).UnmarshalText(nil))
	},

	// record
	"(record.Ciphertext).MarshalText": func(t *testing.T) {
		_, err := record.Ciphertext(nil).MarshalText()
		assert.NoError(t, err, "zero input is valid here")
	},
	"(*record.Ciphertext).UnmarshalText": func(t *testing.T) {
		var ct *record.Ciphertext
		assert.Error(t, ct.UnmarshalText([]byte("AA==")))
		// An empty string is a valid encoding of an empty ciphertext.
		assert.NoError(t, new(record.Ciphertext).UnmarshalText(nil), "zero input is valid here")
	},
	"(record.Collection).MarshalJSON": func(t *testing.T) {
		_, err := record.Collection{}.MarshalJSON()
		assert.NoError(t, err, "zero input is valid here")
	},
	"(*record.Collection).OpenName": func(t *testing.T) {
		var col *record.Collection
		_, err := col.OpenName(nil)
		assert.Error(t, err)
		// The zero Collection is a very old one with a plaintext name, "".
		name, err := new(record.Collection).OpenName(nil)
		assert.NoError(t, err, "zero input is valid here")
		assert.Empty(t, name, "zero collection: empty name")
	},
	"(*record.Collection).OwnerKey":      failsNilAndZero(func(col *record.Collection) error { _, err := col.OwnerKey(); return err }),
	"(*record.Collection).UnmarshalJSON": failsNilAndZero(func(col *record.Collection) error { return col.UnmarshalJSON(nil) }),
	"(record.File).MarshalJSON": func(t *testing.T) {
		_, err := record.File{}.MarshalJSON()
		assert.NoError(t, err, "zero input is valid here")
	},
	"(*record.File).UnmarshalJSON": failsNilAndZero(func(f *record.File) error { return f.UnmarshalJSON(nil) }),
	"record.SealMagic": func(t *testing.T) {
		_, err := record.SealMagic(nil, 0, nil)
		assert.Error(t, err)
		_, err = record.SealMagic(json.RawMessage(`{"a":1}`), 1, nil)
		assert.Error(t, err)
		_, err = record.SealMagic(nil, 0, new(secret.Key))
		assert.Error(t, err)
	},
	"(record.Magic).MarshalJSON": func(t *testing.T) {
		_, err := record.Magic{}.MarshalJSON()
		assert.NoError(t, err, "zero input is valid here")
	},
	"(*record.Magic).Open": func(t *testing.T) {
		var m *record.Magic
		_, err := m.Open(nil)
		assert.Error(t, err)
		_, err = new(record.Magic).Open(nil)
		assert.Error(t, err)
		_, err = new(record.Magic).Open(new(secret.Key))
		assert.Error(t, err)
	},
	"(*record.Magic).UnmarshalJSON": failsNilAndZero(func(m *record.Magic) error { return m.UnmarshalJSON(nil) }),
	"record.NewWrappedKey": func(t *testing.T) {
		_, err := record.NewWrappedKey("", "")
		assert.Error(t, err)
	},
	"(*record.WrappedKey).UnmarshalJSON": failsNilAndZero(func(w *record.WrappedKey) error { return w.UnmarshalJSON(nil) }),

	// keys
	"keys.DecryptExport": func(t *testing.T) {
		_, err := keys.DecryptExport(nil, nil, pwhash.Limits{})
		assert.Error(t, err)
	},
	"keys.DecryptExportPlaintext": func(t *testing.T) {
		_, err := keys.DecryptExportPlaintext(nil, nil, pwhash.Limits{})
		assert.Error(t, err)
	},
	"keys.EncryptExport": func(t *testing.T) {
		_, err := keys.EncryptExport(nil, nil, pwhash.Policy{})
		assert.Error(t, err)
	},
	"keys.EncryptExportParams": func(t *testing.T) {
		_, err := keys.EncryptExportParams(nil, nil, pwhash.Params{})
		assert.Error(t, err)
	},
	"keys.Generate": func(t *testing.T) {
		_, _, _, err := keys.Generate(nil, pwhash.Policy{})
		assert.Error(t, err)
	},
	"keys.LoginKey": func(t *testing.T) {
		// No error in the signature: no KEK, no login key.
		assert.True(t, keys.LoginKey(nil) == nil, "nil KEK: nil")
		assert.True(t, len(keys.LoginKey(new(keys.KEK))) == keys.LoginKeySize, "zero KEK: an all-zero key's login key")
	},
	"keys.NewSRPSetup": func(t *testing.T) {
		_, _, err := keys.NewSRPSetup(nil)
		assert.ErrorIs(t, err, keys.ErrSRPSession)
		assert.ErrorIs(t, err, keys.ErrNilKey)
		// An all-zero KEK is a KEK: its setup is valid, if useless.
		_, _, err = keys.NewSRPSetup(new(keys.KEK))
		assert.NoError(t, err, "zero input is valid here")
	},
	"keys.SRPVerifier": func(t *testing.T) {
		_, err := keys.SRPVerifier(nil, "", nil)
		assert.Error(t, err)
		// Valid parameters: the nil KEK itself is refused, not an empty
		// login key turned into a verifier.
		_, err = keys.SRPVerifier(nil, "user", make([]byte, keys.SRPSaltSize))
		assert.ErrorIs(t, err, keys.ErrNilKey)
		_, err = keys.SRPVerifier(new(keys.KEK), "", nil)
		assert.Error(t, err)
	},
	"keys.NewSRPSession": func(t *testing.T) {
		_, err := keys.NewSRPSession(nil, "", nil)
		assert.Error(t, err)
		_, err = keys.NewSRPSession(nil, "user", make([]byte, keys.SRPSaltSize))
		assert.ErrorIs(t, err, keys.ErrNilKey)
		_, err = keys.NewSRPSession(new(keys.KEK), "", nil)
		assert.Error(t, err)
	},
	"keys.OpenAuthEntity": func(t *testing.T) {
		_, err := keys.OpenAuthEntity(nil, nil)
		assert.Error(t, err)
		_, err = keys.OpenAuthEntity(new(keys.AuthEntity), new(secret.Key))
		assert.Error(t, err)
	},
	"keys.OpenAuthKey": func(t *testing.T) {
		_, err := keys.OpenAuthKey(nil, nil)
		assert.Error(t, err)
		_, err = keys.OpenAuthKey(new(keys.AuthKeyEnvelope), new(keys.MasterKey))
		assert.Error(t, err)
	},
	"keys.OpenCollectionKey": func(t *testing.T) {
		_, err := keys.OpenCollectionKey(nil, nil)
		assert.Error(t, err)
		_, err = keys.OpenCollectionKey(new(keys.WrappedKey), new(keys.MasterKey))
		assert.Error(t, err)
	},
	"keys.OpenFileKey": func(t *testing.T) {
		_, err := keys.OpenFileKey(nil, nil)
		assert.Error(t, err)
		_, err = keys.OpenFileKey(new(keys.WrappedKey), new(secret.Key))
		assert.Error(t, err)
	},
	"keys.OpenSharedCollectionKey": func(t *testing.T) {
		_, err := keys.OpenSharedCollectionKey(nil, nil)
		assert.Error(t, err)
		_, err = keys.OpenSharedCollectionKey(nil, new(keys.Secrets))
		assert.Error(t, err)
	},
	"keys.OpenVaultToken": func(t *testing.T) {
		_, _, err := keys.OpenVaultToken(nil, nil)
		assert.Error(t, err)
		_, _, err = keys.OpenVaultToken(new(keys.VaultToken), new(secret.Key))
		assert.Error(t, err)
	},
	"keys.ParseAttributes": func(t *testing.T) {
		_, err := keys.ParseAttributes(nil)
		assert.Error(t, err)
	},
	"(keys.Attributes).MarshalJSON": func(t *testing.T) { _, err := keys.Attributes{}.MarshalJSON(); assert.Error(t, err) },
	"(*keys.Attributes).Params": func(t *testing.T) {
		var a *keys.Attributes
		assert.Equal(t, pwhash.Params{}, a.Params(), "nil attributes: zero params")
		assert.Equal(t, pwhash.Params{}, new(keys.Attributes).Params(), "zero attributes: zero params")
	},
	"(*keys.Attributes).Recovery": func(t *testing.T) {
		var a *keys.Attributes
		r, ok := a.Recovery()
		assert.True(t, r == nil && !ok, "nil attributes: no recovery")
		r, ok = new(keys.Attributes).Recovery()
		assert.True(t, r == nil && !ok, "zero attributes: no recovery")
	},
	"(*keys.Attributes).SetPassword": func(t *testing.T) {
		var a *keys.Attributes
		a.SetPassword(nil)
		a.SetPassword(new(keys.PasswordAttributes))
		new(keys.Attributes).SetPassword(nil)
	},
	"(*keys.Attributes).SetRecovery": func(t *testing.T) {
		var a *keys.Attributes
		a.SetRecovery(nil)
		a.SetRecovery(new(keys.RecoveryAttributes))
		new(keys.Attributes).SetRecovery(nil)
	},
	"(*keys.Attributes).UnmarshalJSON": failsNilAndZero(func(a *keys.Attributes) error { return a.UnmarshalJSON(nil) }),
	"(*keys.Attributes).Validate": func(t *testing.T) {
		var a *keys.Attributes
		assert.ErrorIs(t, a.Validate(), keys.ErrInvalidAttributes)
		assert.ErrorIs(t, new(keys.Attributes).Validate(), keys.ErrInvalidAttributes)
	},
	"keys.SealAuthEntity": func(t *testing.T) {
		_, err := keys.SealAuthEntity("", nil)
		assert.Error(t, err)
		_, err = keys.SealAuthEntity("", new(secret.Key))
		assert.Error(t, err)
	},
	"(*keys.AuthEntity).UnmarshalJSON": failsNilAndZero(func(e *keys.AuthEntity) error { return e.UnmarshalJSON(nil) }),
	"(keys.AuthEntry).MarshalJSON": func(t *testing.T) {
		_, err := keys.AuthEntry{}.MarshalJSON()
		assert.NoError(t, err, "zero input is valid here")
	},
	"(*keys.AuthEntry).UnmarshalJSON": failsNilAndZero(func(e *keys.AuthEntry) error { return e.UnmarshalJSON(nil) }),
	"keys.NewAuthKey": func(t *testing.T) {
		// No error in the signature: no master key, no auth key.
		k, e := keys.NewAuthKey(nil)
		assert.True(t, k == nil && e == nil, "nil master key: nil, nil")
		k, e = keys.NewAuthKey(new(keys.MasterKey))
		assert.True(t, k != nil && e != nil, "zero master key: an all-zero key wraps")
	},
	"(*keys.AuthKeyEnvelope).UnmarshalJSON": failsNilAndZero(func(e *keys.AuthKeyEnvelope) error { return e.UnmarshalJSON(nil) }),
	"keys.OpenToken": func(t *testing.T) {
		_, err := keys.OpenToken(nil, nil)
		assert.Error(t, err)
		_, err = keys.OpenToken(nil, new(keys.Secrets))
		assert.Error(t, err)
	},
	"(*keys.AuthToken).Destroy": func(t *testing.T) {
		var a *keys.AuthToken
		a.Destroy()
		new(keys.AuthToken).Destroy()
	},
	"(*keys.AuthToken).HeaderValue": func(t *testing.T) {
		var a *keys.AuthToken
		assert.True(t, a.HeaderValue() == "", "nil token: empty")
		assert.True(t, new(keys.AuthToken).HeaderValue() == base64.URLEncoding.EncodeToString(make([]byte, keys.AuthTokenSize)), "zero token: zeros")
	},
	"keys.ShareCollectionKey": func(t *testing.T) {
		_, err := keys.ShareCollectionKey(nil, nil)
		assert.Error(t, err)
		_, err = keys.ShareCollectionKey(new(secret.Key), new(sealed.PublicKey))
		assert.Error(t, err)
	},
	"keys.ParseExport": func(t *testing.T) {
		_, err := keys.ParseExport(nil)
		assert.Error(t, err)
	},
	"(*keys.Export).UnmarshalJSON": failsNilAndZero(func(e *keys.Export) error { return e.UnmarshalJSON(nil) }),
	"keys.DeriveKEK": func(t *testing.T) {
		_, err := keys.DeriveKEK(nil, nil, pwhash.Limits{})
		assert.ErrorIs(t, err, keys.ErrInvalidAttributes)
		_, err = keys.DeriveKEK(nil, new(keys.Attributes), pwhash.Limits{})
		assert.ErrorIs(t, err, pwhash.ErrInvalidParams)
	},
	"keys.NewKEK": func(t *testing.T) {
		_, err := keys.NewKEK(nil)
		assert.ErrorIs(t, err, secret.ErrKeySize)
	},
	"(*keys.KEK).Bytes": func(t *testing.T) {
		var k *keys.KEK
		assert.True(t, k.Bytes() == nil, "nil KEK: nil")
		// The zero value is an all-zero key (which nothing in keys makes).
		assert.True(t, bytes.Equal(new(keys.KEK).Bytes(), make([]byte, secret.KeySize)), "zero KEK: 32 zero bytes")
	},
	"(*keys.KEK).Destroy": func(t *testing.T) {
		var k *keys.KEK
		k.Destroy()
		new(keys.KEK).Destroy()
	},
	"keys.NewMasterKey": func(t *testing.T) {
		_, err := keys.NewMasterKey(nil)
		assert.ErrorIs(t, err, secret.ErrKeySize)
	},
	"(*keys.MasterKey).Bytes": func(t *testing.T) {
		var k *keys.MasterKey
		assert.True(t, k.Bytes() == nil, "nil master key: nil")
		// The zero value is an all-zero key (which nothing in keys makes).
		assert.True(t, bytes.Equal(new(keys.MasterKey).Bytes(), make([]byte, secret.KeySize)), "zero master key: 32 zero bytes")
	},
	"(*keys.MasterKey).Destroy": func(t *testing.T) {
		var k *keys.MasterKey
		k.Destroy()
		new(keys.MasterKey).Destroy()
	},
	"(*keys.MasterKey).Equal": func(t *testing.T) {
		var k *keys.MasterKey
		assert.True(t, k.Equal(nil), "two nil keys are equal")
		assert.False(t, k.Equal(new(keys.MasterKey)), "nil equals no key")
		assert.True(t, new(keys.MasterKey).Equal(new(keys.MasterKey)), "two zero keys are equal")
	},
	"(*keys.PasswordAttributes).UnmarshalJSON": failsNilAndZero(func(p *keys.PasswordAttributes) error { return p.UnmarshalJSON(nil) }),
	"(*keys.RecoveryAttributes).UnmarshalJSON": failsNilAndZero(func(r *keys.RecoveryAttributes) error { return r.UnmarshalJSON(nil) }),
	"keys.NewRecoveryKey": func(t *testing.T) {
		_, err := keys.NewRecoveryKey(nil)
		assert.ErrorIs(t, err, secret.ErrKeySize)
	},
	"keys.ParseRecoveryKey": func(t *testing.T) {
		_, err := keys.ParseRecoveryKey("")
		assert.ErrorIs(t, err, keys.ErrInvalidRecoveryKey)
	},
	"(*keys.RecoveryKey).Bytes": func(t *testing.T) {
		var k *keys.RecoveryKey
		assert.True(t, k.Bytes() == nil, "nil recovery key: nil")
		// The zero value is an all-zero key (which nothing in keys makes).
		assert.True(t, bytes.Equal(new(keys.RecoveryKey).Bytes(), make([]byte, secret.KeySize)), "zero recovery key: 32 zero bytes")
	},
	"(*keys.RecoveryKey).Destroy": func(t *testing.T) {
		var k *keys.RecoveryKey
		k.Destroy()
		new(keys.RecoveryKey).Destroy()
	},
	"(*keys.RecoveryKey).Equal": func(t *testing.T) {
		var k *keys.RecoveryKey
		assert.True(t, k.Equal(nil), "two nil keys are equal")
		assert.False(t, k.Equal(new(keys.RecoveryKey)), "nil equals no key")
		assert.True(t, new(keys.RecoveryKey).Equal(new(keys.RecoveryKey)), "two zero keys are equal")
	},
	"(*keys.RecoveryKey).Hex": func(t *testing.T) {
		var k *keys.RecoveryKey
		assert.True(t, k.Hex() == "", "nil recovery key: empty")
		assert.True(t, new(keys.RecoveryKey).Hex() == strings.Repeat("0", 64), "zero recovery key: 64 zeros")
	},
	"(*keys.RecoveryKey).Mnemonic": func(t *testing.T) {
		var k *keys.RecoveryKey
		assert.True(t, k.Mnemonic() == "", "nil recovery key: empty")
		assert.True(t, len(strings.Fields(new(keys.RecoveryKey).Mnemonic())) == 24, "zero recovery key: 24 words")
	},
	"keys.ParseSRPAttributes": func(t *testing.T) {
		_, err := keys.ParseSRPAttributes(nil)
		assert.Error(t, err)
	},
	"(*keys.SRPAttributes).DeriveKEK": failsNilAndZero(func(a *keys.SRPAttributes) error { _, err := a.DeriveKEK(nil, pwhash.Limits{}); return err }),
	"(*keys.SRPAttributes).Params": func(t *testing.T) {
		var a *keys.SRPAttributes
		assert.Equal(t, pwhash.Params{}, a.Params(), "nil attributes: zero params")
		assert.Equal(t, pwhash.Params{}, new(keys.SRPAttributes).Params(), "zero attributes: zero params")
	},
	"(*keys.SRPSession).A": func(t *testing.T) {
		var s *keys.SRPSession
		assert.Nil(t, s.A(), "nil session: nil")
		assert.Nil(t, new(keys.SRPSession).A(), "zero session: nil")
	},
	"(*keys.SRPSession).Destroy": func(t *testing.T) {
		var s *keys.SRPSession
		s.Destroy()
		new(keys.SRPSession).Destroy()
	},
	"(*keys.SRPSession).M1": func(t *testing.T) {
		var s *keys.SRPSession
		_, err := s.M1(nil)
		assert.ErrorIs(t, err, keys.ErrSRPSession)
		_, err = new(keys.SRPSession).M1(nil)
		assert.ErrorIs(t, err, keys.ErrSRPSession)
		// A B of the wrong size destroys the session, which then refuses
		// further use rather than reach its cleared client state.
		kek, err := keys.NewKEK(make([]byte, secret.KeySize))
		assert.NoError(t, err, "zero input is valid here")
		sess, err := keys.NewSRPSession(kek, "user", make([]byte, keys.SRPSaltSize))
		assert.NoError(t, err, "zero input is valid here")
		_, err = sess.M1(nil)
		assert.ErrorIs(t, err, keys.ErrInvalidSRPB)
		_, err = sess.M1(make([]byte, keys.SRPValueSize))
		assert.ErrorIs(t, err, keys.ErrSRPSession)
	},
	"(*keys.SRPSession).UserID": func(t *testing.T) {
		var s *keys.SRPSession
		assert.Empty(t, s.UserID(), "nil session: empty")
		assert.Empty(t, new(keys.SRPSession).UserID(), "zero session: empty")
	},
	"(*keys.SRPSession).Verify": func(t *testing.T) {
		var s *keys.SRPSession
		_, err := s.Verify(nil)
		assert.ErrorIs(t, err, keys.ErrSRPSession)
		_, err = new(keys.SRPSession).Verify(nil)
		assert.ErrorIs(t, err, keys.ErrSRPSession)
	},
	"keys.Unlock": func(t *testing.T) {
		_, err := keys.Unlock(nil, nil)
		assert.ErrorIs(t, err, keys.ErrNilKey)
		_, err = keys.Unlock(new(keys.KEK), nil)
		assert.ErrorIs(t, err, keys.ErrInvalidAttributes)
		_, err = keys.Unlock(new(keys.KEK), new(keys.Attributes))
		assert.Error(t, err)
	},
	"keys.UnlockWithRecoveryKey": func(t *testing.T) {
		_, err := keys.UnlockWithRecoveryKey(nil, nil)
		assert.ErrorIs(t, err, keys.ErrNilKey)
		_, err = keys.UnlockWithRecoveryKey(new(keys.RecoveryKey), nil)
		assert.ErrorIs(t, err, keys.ErrInvalidAttributes)
		_, err = keys.UnlockWithRecoveryKey(new(keys.RecoveryKey), new(keys.Attributes))
		assert.Error(t, err)
	},
	"(*keys.Secrets).ChangePassword": func(t *testing.T) {
		var s *keys.Secrets
		_, err := s.ChangePassword(nil, pwhash.Policy{})
		assert.ErrorIs(t, err, keys.ErrNilKey)
		// The zero Secrets hold an all-zero master key, which wraps.
		p, err := new(keys.Secrets).ChangePassword(nil, pwhash.TestingPolicy)
		assert.NoError(t, err, "zero input is valid here")
		assert.NotNil(t, p, "zero secrets: password attributes")
	},
	"(*keys.Secrets).Destroy": func(t *testing.T) {
		var s *keys.Secrets
		s.Destroy()
		new(keys.Secrets).Destroy()
	},
	"(*keys.Secrets).KEK": func(t *testing.T) {
		var s *keys.Secrets
		assert.True(t, s.KEK() == nil, "nil secrets: nil")
		assert.True(t, new(keys.Secrets).KEK() == nil, "zero secrets: nil")
	},
	"(*keys.Secrets).MasterKey": func(t *testing.T) {
		var s *keys.Secrets
		assert.True(t, s.MasterKey() == nil, "nil secrets: nil")
		assert.True(t, new(keys.Secrets).MasterKey() != nil, "zero secrets: an all-zero key")
	},
	"(*keys.Secrets).PrivateKey": func(t *testing.T) {
		var s *keys.Secrets
		assert.True(t, s.PrivateKey() == nil, "nil secrets: nil")
		assert.True(t, new(keys.Secrets).PrivateKey() != nil, "zero secrets: an all-zero key")
	},
	"(*keys.Secrets).PublicKey": func(t *testing.T) {
		var s *keys.Secrets
		assert.Nil(t, s.PublicKey(), "nil secrets: nil")
		assert.Equal(t, sealed.PublicKey{}, *new(keys.Secrets).PublicKey(), "zero secrets: the zero public key")
	},
	"(*keys.Secrets).RecoveryKey": failsNilAndZero(func(s *keys.Secrets) error { _, err := s.RecoveryKey(new(keys.Attributes)); return err }),
	"(*keys.Secrets).RotateRecoveryKey": func(t *testing.T) {
		var s *keys.Secrets
		a, k := s.RotateRecoveryKey()
		assert.True(t, a == nil && k == nil, "nil secrets: nil, nil")
		a, k = new(keys.Secrets).RotateRecoveryKey()
		assert.True(t, a != nil && k != nil, "zero secrets: an all-zero master key wraps")
	},
	"keys.SealVaultToken": func(t *testing.T) {
		_, err := keys.SealVaultToken("", nil, nil)
		assert.Error(t, err)
		_, err = keys.SealVaultToken("otpauth://totp/x?secret=AA", nil, nil)
		assert.ErrorIs(t, err, keys.ErrNilKey)
		_, err = keys.SealVaultToken("", nil, new(secret.Key))
		assert.Error(t, err)
	},
	"(*keys.VaultToken).UnmarshalJSON": failsNilAndZero(func(v *keys.VaultToken) error { return v.UnmarshalJSON(nil) }),
	"keys.WrapCollectionKey": func(t *testing.T) {
		// No error in the signature: nothing to wrap, or nothing to wrap with.
		assert.Nil(t, keys.WrapCollectionKey(nil, nil), "nil keys: nil")
		assert.Nil(t, keys.WrapCollectionKey(new(secret.Key), nil), "nil master key: nil")
		assert.Nil(t, keys.WrapCollectionKey(nil, new(keys.MasterKey)), "nil collection key: nil")
		assert.NotNil(t, keys.WrapCollectionKey(new(secret.Key), new(keys.MasterKey)), "zero keys: all-zero keys wrap")
	},
	"keys.WrapFileKey": func(t *testing.T) {
		assert.Nil(t, keys.WrapFileKey(nil, nil), "nil keys: nil")
		assert.Nil(t, keys.WrapFileKey(new(secret.Key), nil), "nil collection key: nil")
		assert.Nil(t, keys.WrapFileKey(nil, new(secret.Key)), "nil file key: nil")
	},

	// share
	"share.AlbumURL": func(t *testing.T) {
		_, err := share.AlbumURL("", "", nil)
		assert.Error(t, err)
		_, err = share.AlbumURL(share.DefaultBase, "ABCDEFGHIJ", nil)
		assert.ErrorIs(t, err, share.ErrInvalidLink)
		_, err = share.AlbumURL(share.DefaultBase, "", new(secret.Key))
		assert.Error(t, err)
	},
	"share.FileURL": func(t *testing.T) {
		_, err := share.FileURL("", "", nil)
		assert.Error(t, err)
		_, err = share.FileURL(share.DefaultBase, "ABCDEFGHIJ", nil)
		assert.ErrorIs(t, err, share.ErrInvalidLink)
		_, err = share.FileURL(share.DefaultBase, "", new(secret.Key))
		assert.Error(t, err)
	},
	"share.DecodeKey": func(t *testing.T) {
		_, err := share.DecodeKey("")
		assert.ErrorIs(t, err, share.ErrInvalidLink)
	},
	"share.EncodeKey": func(t *testing.T) {
		// No error in the signature: no key, no fragment.
		assert.True(t, share.EncodeKey(nil) == "", "nil key: empty")
	},
	"share.ParseFileURL": func(t *testing.T) {
		_, err := share.ParseFileURL("")
		assert.ErrorIs(t, err, share.ErrInvalidLink)
	},
	"share.ParseAlbumURL": func(t *testing.T) {
		_, err := share.ParseAlbumURL("")
		assert.ErrorIs(t, err, share.ErrInvalidLink)
	},
	"(*share.FileLink).FileKey": failsNilAndZero(func(l *share.FileLink) error { _, err := l.FileKey(nil); return err }),
	"(*share.FileLink).HasSecret": func(t *testing.T) {
		var l *share.FileLink
		assert.False(t, l.HasSecret(), "nil link: false")
		assert.False(t, new(share.FileLink).HasSecret(), "zero link: false")
	},
	"(share.FileLink).Format": func(t *testing.T) {
		assert.NotEmpty(t, fmt.Sprintf("%v %+v %#v", share.FileLink{}, share.FileLink{}, share.FileLink{}), "zero value prints as an empty string")
	},
	"(share.FileLink).GoString": func(t *testing.T) {
		assert.NotEmpty(t, share.FileLink{}.GoString(), "zero value prints as an empty string")
	},
	"(share.FileLink).String": func(t *testing.T) {
		assert.NotEmpty(t, share.FileLink{}.String(), "zero value prints as an empty string")
	},
	"(share.FileLink).LogValue": func(t *testing.T) {
		assert.NotEmpty(t, share.FileLink{}.LogValue().String(), "zero value prints as an empty string")
	},
	"(share.FileLink).SecretURL": func(t *testing.T) { _, err := share.FileLink{}.SecretURL(); assert.Error(t, err) },
	"share.NewFileLinkSecret": func(t *testing.T) {
		_, err := share.NewFileLinkSecret(nil)
		assert.Error(t, err)
	},
	"(*share.FileLinkSecret).Fragment": func(t *testing.T) {
		var s *share.FileLinkSecret
		assert.True(t, s.Fragment() == "", "nil secret: empty")
		assert.True(t, new(share.FileLinkSecret).Fragment() == "", "zero secret: empty")
	},
	"(share.FileLinkSecret).MarshalJSON": func(t *testing.T) { _, err := share.FileLinkSecret{}.MarshalJSON(); assert.Error(t, err) },
	"share.NewFileViewer": func(t *testing.T) {
		_, err := share.NewFileViewer(nil, share.Options{})
		assert.ErrorIs(t, err, share.ErrInvalidLink)
		_, err = share.NewFileViewer(new(share.FileLink), share.Options{})
		assert.ErrorIs(t, err, share.ErrInvalidLink)
	},
	"(*share.FileViewer).Close": func(t *testing.T) {
		var v *share.FileViewer
		v.Close()
		new(share.FileViewer).Close()
	},
	"(*share.FileViewer).Download": func(t *testing.T) {
		for _, v := range []*share.FileViewer{nil, new(share.FileViewer)} {
			_, err := v.Download(canceled(), nil)
			assert.Error(t, err)
		}
	},
	"(*share.FileViewer).DownloadThumbnail": func(t *testing.T) {
		for _, v := range []*share.FileViewer{nil, new(share.FileViewer)} {
			_, err := v.DownloadThumbnail(canceled(), nil)
			assert.Error(t, err)
		}
	},
	"(*share.FileViewer).Open": func(t *testing.T) {
		for _, v := range []*share.FileViewer{nil, new(share.FileViewer)} {
			_, _, err := v.Open(canceled())
			assert.Error(t, err)
		}
	},
	"(*share.FileViewer).PasswordProtected": func(t *testing.T) {
		var v *share.FileViewer
		assert.False(t, v.PasswordProtected(), "nil viewer: false")
		assert.False(t, new(share.FileViewer).PasswordProtected(), "zero viewer: false")
	},
	"(*share.FileViewer).Unlock": func(t *testing.T) {
		for _, v := range []*share.FileViewer{nil, new(share.FileViewer)} {
			assert.Error(t, v.Unlock(canceled(), nil))
		}
	},
	"(*share.HTTPError).Error": func(t *testing.T) {
		var e *share.HTTPError
		assert.NotEmpty(t, e.Error(), "zero value prints as an empty string")
		assert.NotEmpty(t, new(share.HTTPError).Error(), "zero value prints as an empty string")
	},
	"(*share.HTTPError).Unwrap": func(t *testing.T) {
		var e *share.HTTPError
		assert.Nil(t, e.Unwrap(), "nil error: nothing wrapped")
		// The zero HTTPError still is an ErrHTTP.
		assert.ErrorIs(t, new(share.HTTPError), share.ErrHTTP, "zero HTTPError is ErrHTTP")
	},
	"(share.Link).Format": func(t *testing.T) {
		assert.NotEmpty(t, fmt.Sprintf("%v %+v %#v", share.Link{}, share.Link{}, share.Link{}), "zero value prints as an empty string")
	},
	"(share.Link).GoString": func(t *testing.T) {
		assert.NotEmpty(t, share.Link{}.GoString(), "zero value prints as an empty string")
	},
	"(share.Link).String": func(t *testing.T) { assert.NotEmpty(t, share.Link{}.String(), "zero value prints as an empty string") },
	"(share.Link).LogValue": func(t *testing.T) {
		assert.NotEmpty(t, share.Link{}.LogValue().String(), "zero value prints as an empty string")
	},
	"(share.Link).MarshalBinary": func(t *testing.T) { _, err := share.Link{}.MarshalBinary(); assert.Error(t, err) },
	"(share.Link).MarshalJSON":   func(t *testing.T) { _, err := share.Link{}.MarshalJSON(); assert.Error(t, err) },
	"(share.Link).MarshalText":   func(t *testing.T) { _, err := share.Link{}.MarshalText(); assert.Error(t, err) },
	"(share.Link).SecretURL":     func(t *testing.T) { _, err := share.Link{}.SecretURL(); assert.Error(t, err) },
	"share.NewLinkPassword": func(t *testing.T) {
		// An empty password is a password to Argon2id; the hash is valid.
		p, err := share.NewLinkPassword(nil)
		assert.NoError(t, err, "zero input is valid here")
		assert.NotNil(t, p, "empty password: a link password")
	},
	"(share.LinkPassword).Format": func(t *testing.T) {
		assert.NotEmpty(t, fmt.Sprintf("%v %+v %#v", share.LinkPassword{}, share.LinkPassword{}, share.LinkPassword{}), "zero value prints as an empty string")
	},
	"(share.LinkPassword).GoString": func(t *testing.T) {
		assert.NotEmpty(t, share.LinkPassword{}.GoString(), "zero value prints as an empty string")
	},
	"(share.LinkPassword).String": func(t *testing.T) {
		assert.NotEmpty(t, share.LinkPassword{}.String(), "zero value prints as an empty string")
	},
	"(share.LinkPassword).LogValue": func(t *testing.T) {
		assert.NotEmpty(t, share.LinkPassword{}.LogValue().String(), "zero value prints as an empty string")
	},
	"(share.LinkPassword).MarshalBinary": func(t *testing.T) { _, err := share.LinkPassword{}.MarshalBinary(); assert.Error(t, err) },
	"(share.LinkPassword).MarshalJSON":   func(t *testing.T) { _, err := share.LinkPassword{}.MarshalJSON(); assert.Error(t, err) },
	"(share.LinkPassword).MarshalText":   func(t *testing.T) { _, err := share.LinkPassword{}.MarshalText(); assert.Error(t, err) },
	"share.LinkPassHash": func(t *testing.T) {
		_, err := share.LinkPassHash(nil, share.PasswordParams{})
		assert.Error(t, err)
	},
	"(*share.PassHash).Base64": func(t *testing.T) {
		var h *share.PassHash
		assert.True(t, h.Base64() == "", "nil hash: empty")
		assert.True(t, new(share.PassHash).Base64() == "", "zero hash: empty")
	},
	"(*share.PassHash).Equal": func(t *testing.T) {
		var h *share.PassHash
		assert.True(t, h.Equal(nil), "two nil hashes are equal")
		assert.False(t, h.Equal(new(share.PassHash)), "nil equals no hash")
		assert.True(t, new(share.PassHash).Equal(new(share.PassHash)), "two zero hashes are equal")
	},
	"(share.PassHash).Format": func(t *testing.T) {
		assert.Contains(t, fmt.Sprint(share.PassHash{}), "REDACTED", "want a redacted placeholder")
	},
	"(share.PassHash).GoString": func(t *testing.T) {
		assert.Contains(t, share.PassHash{}.GoString(), "REDACTED", "want a redacted placeholder")
	},
	"(share.PassHash).String": func(t *testing.T) {
		assert.Contains(t, share.PassHash{}.String(), "REDACTED", "want a redacted placeholder")
	},
	"(share.PassHash).LogValue": func(t *testing.T) {
		assert.Contains(t, share.PassHash{}.LogValue().String(), "REDACTED", "want a redacted placeholder")
	},
	"(share.PassHash).MarshalBinary":        func(t *testing.T) { _, err := share.PassHash{}.MarshalBinary(); assert.Error(t, err) },
	"(share.PassHash).MarshalJSON":          func(t *testing.T) { _, err := share.PassHash{}.MarshalJSON(); assert.Error(t, err) },
	"(share.PassHash).MarshalText":          func(t *testing.T) { _, err := share.PassHash{}.MarshalText(); assert.Error(t, err) },
	"(*share.PasswordParams).UnmarshalJSON": failsNilAndZero(func(p *share.PasswordParams) error { return p.UnmarshalJSON(nil) }),
	"share.NewViewer": func(t *testing.T) {
		_, err := share.NewViewer(nil, share.Options{})
		assert.ErrorIs(t, err, share.ErrInvalidLink)
		_, err = share.NewViewer(new(share.Link), share.Options{})
		assert.ErrorIs(t, err, share.ErrInvalidLink)
	},
	"(*share.Viewer).Album": func(t *testing.T) {
		var v *share.Viewer
		assert.Empty(t, v.Album().Name, "nil viewer: zero album")
		assert.Empty(t, new(share.Viewer).Album().Name, "zero viewer: zero album")
	},
	"(*share.Viewer).CanUpload": func(t *testing.T) {
		var v *share.Viewer
		assert.False(t, v.CanUpload(), "nil viewer: false")
		assert.False(t, new(share.Viewer).CanUpload(), "zero viewer: false")
	},
	"(*share.Viewer).Close": func(t *testing.T) {
		var v *share.Viewer
		v.Close()
		new(share.Viewer).Close()
	},
	"(*share.Viewer).DownloadFile": func(t *testing.T) {
		for _, v := range []*share.Viewer{nil, new(share.Viewer)} {
			_, err := v.DownloadFile(canceled(), 0, nil)
			assert.Error(t, err)
		}
	},
	"(*share.Viewer).DownloadThumbnail": func(t *testing.T) {
		for _, v := range []*share.Viewer{nil, new(share.Viewer)} {
			_, err := v.DownloadThumbnail(canceled(), 0, nil)
			assert.Error(t, err)
		}
	},
	"(*share.Viewer).PasswordProtected": func(t *testing.T) {
		var v *share.Viewer
		assert.False(t, v.PasswordProtected(), "nil viewer: false")
		assert.False(t, new(share.Viewer).PasswordProtected(), "zero viewer: false")
	},
	"(*share.Viewer).Sync": func(t *testing.T) {
		for _, v := range []*share.Viewer{nil, new(share.Viewer)} {
			_, err := v.Sync(canceled())
			assert.Error(t, err)
		}
	},
	"(*share.Viewer).Undecryptable": func(t *testing.T) {
		var v *share.Viewer
		assert.Nil(t, v.Undecryptable(), "nil viewer: nil")
		assert.Empty(t, new(share.Viewer).Undecryptable(), "zero viewer: none")
	},
	"(*share.Viewer).Unlock": func(t *testing.T) {
		for _, v := range []*share.Viewer{nil, new(share.Viewer)} {
			assert.Error(t, v.Unlock(canceled(), nil))
		}
	},
	"(*share.Viewer).Upload": func(t *testing.T) {
		for _, v := range []*share.Viewer{nil, new(share.Viewer)} {
			_, err := v.Upload(canceled(), nil, 0, share.Upload{})
			assert.Error(t, err)
		}
	},

	// conformance
	"conformance.Sentinel": func(t *testing.T) { assert.True(t, conformance.Sentinel("") == nil, "unknown name: nil") },
	"conformance.Run": func(t *testing.T) {
		// "" is the current directory, which holds no vectors.
		_, err := conformance.Run("")
		assert.ErrorIs(t, err, conformance.ErrNoVectors)
		_, err = conformance.Run(t.TempDir())
		assert.ErrorIs(t, err, conformance.ErrNoVectors)
	},
	"conformance.RunFS": func(t *testing.T) {
		_, err := conformance.RunFS(nil, conformance.Options{})
		assert.ErrorIs(t, err, conformance.ErrNoVectors)
		_, err = conformance.RunFS(fs.FS(os.DirFS(t.TempDir())), conformance.Options{})
		assert.ErrorIs(t, err, conformance.ErrNoVectors)
	},
	"(*conformance.FileReport).Counts": func(t *testing.T) {
		var f *conformance.FileReport
		assert.Equal(t, conformance.Counts{}, f.Counts(), "nil report: zero counts")
		assert.Equal(t, conformance.Counts{}, new(conformance.FileReport).Counts(), "zero report: zero counts")
	},
	"(*conformance.Report).Counts": func(t *testing.T) {
		var r *conformance.Report
		assert.Equal(t, conformance.Counts{}, r.Counts(), "nil report: zero counts")
		assert.Equal(t, conformance.Counts{}, new(conformance.Report).Counts(), "zero report: zero counts")
	},
	"(*conformance.Report).Filter": func(t *testing.T) {
		var r *conformance.Report
		assert.Nil(t, r.Filter(0), "nil report: nil")
		assert.Nil(t, new(conformance.Report).Filter(0), "zero report: nil")
	},
	"(*conformance.Report).OK": func(t *testing.T) {
		// A report of nothing run proves nothing.
		var r *conformance.Report
		assert.False(t, r.OK(), "nil report: not OK")
		// The zero Report has no file that failed (Run never returns one:
		// no vector file is ErrNoVectors).
		assert.True(t, new(conformance.Report).OK(), "zero report: OK")
	},
	"(*conformance.Report).WriteText": func(t *testing.T) {
		var r *conformance.Report
		assert.Error(t, r.WriteText(nil, false))
		assert.Error(t, new(conformance.Report).WriteText(nil, true))
		assert.NoError(t, r.WriteText(&bytes.Buffer{}, true), "zero input is valid here")
		assert.NoError(t, new(conformance.Report).WriteText(&bytes.Buffer{}, true), "zero input is valid here")
	},
	"(conformance.Result).String": func(t *testing.T) {
		assert.NotEmpty(t, conformance.Result{}.String(), "zero value prints as an empty string")
	},
	"(conformance.Status).MarshalText": func(t *testing.T) {
		_, err := conformance.Status(0).MarshalText()
		assert.NoError(t, err, "zero input is valid here")
	},
	"(conformance.Status).String": func(t *testing.T) {
		assert.NotEmpty(t, conformance.Status(0).String(), "zero value prints as an empty string")
	},

	// sharetest
	"sharetest.New": func(t *testing.T) { assert.NotNil(t, sharetest.New(""), "empty name: a server") },
	"(*sharetest.Server).AddFile": func(t *testing.T) {
		var s *sharetest.Server
		assert.Zero(t, s.AddFile("", nil, nil), "nil server: id 0")
		assert.Zero(t, new(sharetest.Server).AddFile("", nil, nil), "zero server: id 0")
		assert.NotZero(t, sharetest.New("").AddFile("", nil, nil), "empty file on a real server: an id")
	},
	"(*sharetest.Server).DeleteFile": func(t *testing.T) {
		var s *sharetest.Server
		s.DeleteFile(0)
		new(sharetest.Server).DeleteFile(0)
		assert.PanicsWithValue(t, "sharetest: no file 0", func() { sharetest.New("").DeleteFile(0) })
	},
	"(*sharetest.Server).Log": func(t *testing.T) {
		var s *sharetest.Server
		assert.Zero(t, s.Log().EntriesServed, "nil server: empty log")
		assert.Zero(t, new(sharetest.Server).Log().EntriesServed, "zero server: empty log")
	},
	"(*sharetest.Server).Object": func(t *testing.T) {
		var s *sharetest.Server
		assert.Nil(t, s.Object(""), "nil server: nil")
		assert.Nil(t, new(sharetest.Server).Object(""), "zero server: nil")
	},
	"(*sharetest.Server).ServeHTTP": func(t *testing.T) {
		var s *sharetest.Server
		s.ServeHTTP(nil, nil)
		new(sharetest.Server).ServeHTTP(nil, nil)
		sharetest.New("").ServeHTTP(nil, nil)
		for _, s := range []*sharetest.Server{nil, new(sharetest.Server)} {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/public-collection/info", nil))
			assert.Equal(t, http.StatusInternalServerError, w.Code, "no album: 500")
		}
	},
	"(*sharetest.Server).SetCollect": func(t *testing.T) {
		var s *sharetest.Server
		s.SetCollect(false)
		new(sharetest.Server).SetCollect(true)
	},
	"(*sharetest.Server).SetFileLinkPassword": func(t *testing.T) {
		var s *sharetest.Server
		assert.Error(t, s.SetFileLinkPassword("", nil))
		assert.Error(t, new(sharetest.Server).SetFileLinkPassword("", nil))
		assert.Error(t, sharetest.New("").SetFileLinkPassword("", nil))
	},
	"(*sharetest.Server).SetPassword": func(t *testing.T) {
		var s *sharetest.Server
		assert.Error(t, s.SetPassword(nil))
		assert.Error(t, new(sharetest.Server).SetPassword(nil))
		assert.Error(t, sharetest.New("").SetPassword(nil))
	},
	"(*sharetest.Server).SetStatus": func(t *testing.T) {
		var s *sharetest.Server
		s.SetStatus(0)
		new(sharetest.Server).SetStatus(0)
	},
	"(*sharetest.Server).ShareFile": func(t *testing.T) {
		var s *sharetest.Server
		tok, frag := s.ShareFile(0, 0)
		assert.True(t, tok == "" && frag == "", "nil server: empty")
		tok, frag = new(sharetest.Server).ShareFile(0, 0)
		assert.True(t, tok == "" && frag == "", "zero server: empty")
		assert.PanicsWithValue(t, "sharetest: no file 0", func() { sharetest.New("").ShareFile(0, 0) })
	},
	"(*sharetest.Server).Tamper": func(t *testing.T) {
		var s *sharetest.Server
		s.Tamper(0, 0)
		new(sharetest.Server).Tamper(0, 0)
		assert.PanicsWithValue(t, "sharetest: no file 0", func() { sharetest.New("").Tamper(0, 0) })
	},
}

// failsNilAndZero is the entry of a method that must fail on a nil and on
// a zero receiver alike.
func failsNilAndZero[T any](call func(*T) error) func(*testing.T) {
	return func(t *testing.T) {
		assert.Error(t, call(nil))
		assert.Error(t, call(new(T)))
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
			assert.NotPanics(t, func() { zeroCalls[name](t) }, "%s panics on nil or zero input", name)
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
	require.NoError(t, err)
	// A walk that went wrong must not pass for want of packages.
	for _, want := range []string{"secret", "secretbox", "sealed", "pwhash", "stream", "record", "keys", "share", "share/sharetest", "conformance"} {
		require.Contains(t, dirs, filepath.FromSlash(want), "public packages: %s missing", want)
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
			require.NoError(t, err)
			files = append(files, f)
		}
	} else {
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
			require.NoError(t, err)
			files = append(files, f)
		}
	}
	require.NotEmpty(t, files, "%s: no Go files", dir)
	// AllMethods lists methods promoted from embedded exported types too
	// (Level > 0); we require none, so a new embedding is noticed.
	p, err := doc.NewFromFiles(fset, files, modulePath+"/"+dir, doc.AllMethods)
	require.NoError(t, err)
	require.NotEqual(t, "main", p.Name, "%s is a command", dir)
	var out []string
	for _, f := range p.Funcs {
		out = append(out, p.Name+"."+f.Name)
	}
	for _, typ := range p.Types {
		for _, f := range typ.Funcs {
			out = append(out, p.Name+"."+f.Name)
		}
		for _, m := range typ.Methods {
			if !assert.LessOrEqual(t, m.Level, 0, "%s.%s: method %s promoted by embedding; cover it and adjust this check", p.Name, typ.Name, m.Name) {
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
		assert.Empty(t, uncovered(api), "%s: exported without an entry in zeroCalls (nilsafety_test.go)", dir)
	}
	for name := range zeroCalls {
		assert.True(t, all[name], "zeroCalls[%q] names no exported function or method", name)
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
	assert.Equal(t, want, got, "uncovered")
}

// TestUnmarshalNilReceiver decodes valid encodings, made by the SDK, into
// nil pointers: the decoders check their input before they write through
// the receiver, so an empty object alone would not reach the write.
func TestUnmarshalNilReceiver(t *testing.T) {
	attrs, secrets, _, err := keys.Generate([]byte("pw"), pwhash.TestingPolicy)
	require.NoError(t, err)
	pass, err := secrets.ChangePassword([]byte("pw2"), pwhash.TestingPolicy)
	require.NoError(t, err)
	rec, _ := secrets.RotateRecoveryKey()
	authKey, env := keys.NewAuthKey(secrets.MasterKey())
	token, err := keys.SealVaultToken("otpauth://totp/x?secret=AA", nil, authKey)
	require.NoError(t, err)
	entity, err := keys.SealAuthEntity("otpauth://totp/x?secret=AA", authKey)
	require.NoError(t, err)
	export, err := keys.EncryptExportParams([]string{"otpauth://totp/x?secret=AA"}, []byte("pw"), pwhash.TestingPolicy.Start)
	require.NoError(t, err)
	magic, err := record.SealMagic(json.RawMessage(`{"a":1}`), 1, secret.GenerateKey())
	require.NoError(t, err)
	wrapped := keys.WrapFileKey(secret.GenerateKey(), secret.GenerateKey())
	params := share.PasswordParams{MemLimit: pwhash.MinMemLimit, OpsLimit: 1}
	// A collection and a file as museum returned them.
	var museum struct {
		Collections []json.RawMessage `json:"collections"`
		Diff        []json.RawMessage `json:"diff"`
	}
	for _, name := range []string{"collections-v2.json", "collections-v2-diff.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "museum", name))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &museum))
	}
	require.NotEmpty(t, museum.Collections, "testdata/museum: no collection")
	require.NotEmpty(t, museum.Diff, "testdata/museum: no file")
	col, file := museum.Collections[0], museum.Diff[0]

	mustJSON := func(v any) []byte {
		t.Helper()
		b, err := json.Marshal(v)
		require.NoError(t, err)
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
			require.NoError(t, c.ok(), "the data does not decode into a fresh value")
			var err error
			require.NotPanics(t, func() { err = c.dec() }, "decoding into a nil pointer panics")
			require.Error(t, err, "decoding into a nil pointer: no error")
			if c.is != nil {
				assert.ErrorIs(t, err, c.is)
			}
		})
	}
}
