package keys

import (
	"fmt"

	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/record"
	"github.com/e2eekit/e2ee/sealed"
	"github.com/e2eekit/e2ee/secret"
)

// WrappedKey is a 32-byte key in a secretbox under another key
// ({encryptedKey, keyDecryptionNonce}): package record's, so that its file
// and collection records carry it. record.NewWrappedKey makes one from its
// two base64 strings; its JSON decoding errors wrap record.ErrInvalid.
type WrappedKey = record.WrappedKey

func wrap(k, under *secret.Key) *WrappedKey {
	if k == nil || under == nil {
		return nil
	}
	w := new(WrappedKey)
	w.EncryptedKey, w.KeyDecryptionNonce = wrapKey(k, under)
	return w
}

func openWrapped(w *WrappedKey, under *secret.Key, what string) (*secret.Key, error) {
	if w == nil {
		return nil, fmt.Errorf("%w: nil %s", ErrInvalidEnvelope, what)
	}
	return unwrapKey(w.EncryptedKey, &w.KeyDecryptionNonce, under, what, ErrInvalidEnvelope, nil)
}

// WrapCollectionKey wraps a collection key for its owner: a secretbox
// under the owner's master key. Either key nil gives nil.
func WrapCollectionKey(collectionKey *secret.Key, mk *MasterKey) *WrappedKey {
	return wrap(collectionKey, mk.key())
}

// OpenCollectionKey opens an owner's collection key. A box that does not
// open wraps secretbox.ErrOpen; a wrong length, ErrInvalidEnvelope.
func OpenCollectionKey(w *WrappedKey, mk *MasterKey) (*secret.Key, error) {
	return openWrapped(w, mk.key(), "collection key")
}

// ShareCollectionKey seals a collection key to a sharee's public key
// (crypto_box_seal, 80 bytes, no nonce), Ente's encryptedKey for a
// collection shared with someone else.
func ShareCollectionKey(collectionKey *secret.Key, to *sealed.PublicKey) (Ciphertext, error) {
	if collectionKey == nil {
		return nil, fmt.Errorf("%w: nil collection key", ErrNilKey)
	}
	box, err := sealed.Seal(nil, keymat.Array(collectionKey)[:], to)
	if err != nil {
		return nil, fmt.Errorf("keys: sharing a collection key: %w", err)
	}
	return box, nil
}

// OpenSharedCollectionKey opens a collection key sealed to the account. A
// box that does not open (including one cut short) wraps sealed.ErrOpen;
// an authentic box that does not hold 32 bytes, ErrInvalidEnvelope.
func OpenSharedCollectionKey(box Ciphertext, s *Secrets) (*secret.Key, error) {
	k := new(secret.Key)
	if err := openSealedKey(k, box, s, "shared collection key"); err != nil {
		return nil, err
	}
	return k, nil
}

// WrapFileKey wraps a file's key under its collection key. Either key nil
// gives nil.
func WrapFileKey(fileKey, collectionKey *secret.Key) *WrappedKey {
	return wrap(fileKey, collectionKey)
}

// OpenFileKey opens a file's key with its collection key. A box that does
// not open wraps secretbox.ErrOpen; a wrong length, ErrInvalidEnvelope.
func OpenFileKey(w *WrappedKey, collectionKey *secret.Key) (*secret.Key, error) {
	return openWrapped(w, collectionKey, "file key")
}
