package keys_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"testing"

	"golang.org/x/crypto/nacl/box"
	nacl "golang.org/x/crypto/nacl/secretbox"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/record"
	"github.com/e2eekit/e2ee/sealed"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
)

func TestCollectionKeyOwner(t *testing.T) {
	acc := signUp(t)
	ck := secret.GenerateKey()
	w := keys.WrapCollectionKey(ck, acc.secrets.MasterKey())
	wire, err := json.Marshal(w)
	require.NoError(t, err)
	assertFields(t, wire, "encryptedKey", "keyDecryptionNonce")
	var back keys.WrappedKey
	require.NoError(t, json.Unmarshal(wire, &back))
	got, err := keys.OpenCollectionKey(&back, acc.secrets.MasterKey())
	require.NoError(t, err, "OpenCollectionKey")
	require.True(t, got.Equal(ck), "OpenCollectionKey")
	// x/crypto opens it too.
	plain := xOpen(t, w.EncryptedKey, (*[24]byte)(&w.KeyDecryptionNonce), acc.secrets.MasterKey().Bytes())
	require.True(t, bytes.Equal(plain, ck.Bytes()), "x/crypto opens another key")
	other := signUp(t)
	_, err = keys.OpenCollectionKey(w, other.secrets.MasterKey())
	require.ErrorIs(t, err, secretbox.ErrOpen, "another master key")
}

func TestCollectionKeySharee(t *testing.T) {
	owner, sharee := signUp(t), signUp(t)
	ck := secret.GenerateKey()
	ct, err := keys.ShareCollectionKey(ck, sharee.secrets.PublicKey())
	require.NoError(t, err)
	require.Len(t, ct, 80, "shared key")
	got, err := keys.OpenSharedCollectionKey(ct, sharee.secrets)
	require.NoError(t, err, "OpenSharedCollectionKey")
	require.True(t, got.Equal(ck), "OpenSharedCollectionKey")
	// x/crypto opens what we seal, and we open what x/crypto seals.
	plain, ok := box.OpenAnonymous(nil, ct, (*[32]byte)(sharee.secrets.PublicKey()), (*[32]byte)(sharee.secrets.PrivateKey().Bytes()))
	require.True(t, ok, "x/crypto does not open the shared key")
	require.True(t, bytes.Equal(plain, ck.Bytes()), "x/crypto does not open the shared key")
	xct, _ := box.SealAnonymous(nil, ck.Bytes(), (*[32]byte)(sharee.secrets.PublicKey()), rand.Reader)
	got, err = keys.OpenSharedCollectionKey(xct, sharee.secrets)
	require.NoError(t, err, "opening x/crypto's sealed box")
	require.True(t, got.Equal(ck), "opening x/crypto's sealed box")
	_, err = keys.OpenSharedCollectionKey(ct, owner.secrets)
	require.ErrorIs(t, err, sealed.ErrOpen, "wrong account")
	// Cut or random boxes do not open, whatever their length.
	for _, n := range []int{0, 47, 48, 79, 81} {
		_, err := keys.OpenSharedCollectionKey(make([]byte, n), sharee.secrets)
		assert.ErrorIs(t, err, sealed.ErrOpen, "%d zero bytes", n)
	}
	_, err = keys.OpenSharedCollectionKey(ct[:79], sharee.secrets)
	assert.ErrorIs(t, err, sealed.ErrOpen, "box cut to 79 bytes")
	// An authentic box of the wrong size is malformed.
	long, _ := box.SealAnonymous(nil, make([]byte, 33), (*[32]byte)(sharee.secrets.PublicKey()), rand.Reader)
	_, err = keys.OpenSharedCollectionKey(long, sharee.secrets)
	assert.ErrorIs(t, err, keys.ErrInvalidEnvelope, "authentic 33-byte key")
	var lowOrder sealed.PublicKey // the all-zero point has small order
	_, err = keys.ShareCollectionKey(ck, &lowOrder)
	require.ErrorIs(t, err, sealed.ErrInvalidPublicKey, "sharing to a small-order key")
}

// TestFileKeyKnownAnswer opens Ente's secretbox known answer as a file key
// under a collection key.
func TestFileKeyKnownAnswer(t *testing.T) {
	ck, _ := secret.NewKey(b64(t, enteBoxKey))
	w := &keys.WrappedKey{EncryptedKey: b64(t, enteBox)}
	copy(w.KeyDecryptionNonce[:], b64(t, enteBoxNonce))
	fk, err := keys.OpenFileKey(w, ck)
	require.NoError(t, err)
	require.True(t, bytes.Equal(fk.Bytes(), b64(t, enteBoxPlain)), "file key differs from the known answer")
}

func TestFileKeyRoundTrip(t *testing.T) {
	ck, fk := secret.GenerateKey(), secret.GenerateKey()
	w := keys.WrapFileKey(fk, ck)
	require.Len(t, w.EncryptedKey, keys.WrappedKeySize, "wrapped file key")
	plain, ok := nacl.Open(nil, w.EncryptedKey, (*[24]byte)(&w.KeyDecryptionNonce), (*[32]byte)(ck.Bytes()))
	require.True(t, ok, "x/crypto does not open the wrapped file key")
	require.True(t, bytes.Equal(plain, fk.Bytes()), "x/crypto does not open the wrapped file key")
	got, err := keys.OpenFileKey(w, ck)
	require.NoError(t, err, "OpenFileKey")
	require.True(t, got.Equal(fk), "OpenFileKey")
	_, err = keys.OpenFileKey(w, fk)
	require.ErrorIs(t, err, secretbox.ErrOpen, "wrong collection key")
	for _, n := range []int{0, 16, 47, 49} {
		short := &keys.WrappedKey{EncryptedKey: make([]byte, n)}
		_, err := keys.OpenFileKey(short, ck)
		assert.ErrorIs(t, err, keys.ErrInvalidEnvelope, "%d-byte box", n)
	}
	for _, doc := range []string{`{}`, `{"encryptedKey":"AAAA"}`, `{"encryptedKey":"AAA","keyDecryptionNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`, `[]`} {
		var w keys.WrappedKey
		assert.ErrorIs(t, json.Unmarshal([]byte(doc), &w), record.ErrInvalid, "%s", doc)
	}
}
