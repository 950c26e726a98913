package keys_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"testing"

	"golang.org/x/crypto/nacl/box"
	nacl "golang.org/x/crypto/nacl/secretbox"

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
	if err != nil {
		t.Fatal(err)
	}
	assertFields(t, wire, "encryptedKey", "keyDecryptionNonce")
	var back keys.WrappedKey
	if err := json.Unmarshal(wire, &back); err != nil {
		t.Fatal(err)
	}
	got, err := keys.OpenCollectionKey(&back, acc.secrets.MasterKey())
	if err != nil || !got.Equal(ck) {
		t.Fatalf("OpenCollectionKey: %v", err)
	}
	// x/crypto opens it too.
	if plain := xOpen(t, w.EncryptedKey, (*[24]byte)(&w.KeyDecryptionNonce), acc.secrets.MasterKey().Bytes()); !bytes.Equal(plain, ck.Bytes()) {
		t.Fatal("x/crypto opens another key")
	}
	other := signUp(t)
	if _, err := keys.OpenCollectionKey(w, other.secrets.MasterKey()); !errors.Is(err, secretbox.ErrOpen) {
		t.Fatalf("another master key: %v, want secretbox.ErrOpen", err)
	}
}

func TestCollectionKeySharee(t *testing.T) {
	owner, sharee := signUp(t), signUp(t)
	ck := secret.GenerateKey()
	ct, err := keys.ShareCollectionKey(ck, sharee.secrets.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if len(ct) != 80 {
		t.Fatalf("shared key is %d bytes, want 80", len(ct))
	}
	got, err := keys.OpenSharedCollectionKey(ct, sharee.secrets)
	if err != nil || !got.Equal(ck) {
		t.Fatalf("OpenSharedCollectionKey: %v", err)
	}
	// x/crypto opens what we seal, and we open what x/crypto seals.
	plain, ok := box.OpenAnonymous(nil, ct, (*[32]byte)(sharee.secrets.PublicKey()), (*[32]byte)(sharee.secrets.PrivateKey().Bytes()))
	if !ok || !bytes.Equal(plain, ck.Bytes()) {
		t.Fatal("x/crypto does not open the shared key")
	}
	xct, _ := box.SealAnonymous(nil, ck.Bytes(), (*[32]byte)(sharee.secrets.PublicKey()), rand.Reader)
	if got, err := keys.OpenSharedCollectionKey(xct, sharee.secrets); err != nil || !got.Equal(ck) {
		t.Fatalf("opening x/crypto's sealed box: %v", err)
	}
	if _, err := keys.OpenSharedCollectionKey(ct, owner.secrets); !errors.Is(err, sealed.ErrOpen) {
		t.Fatalf("wrong account: %v, want sealed.ErrOpen", err)
	}
	// Cut or random boxes do not open, whatever their length.
	for _, n := range []int{0, 47, 48, 79, 81} {
		if _, err := keys.OpenSharedCollectionKey(make([]byte, n), sharee.secrets); !errors.Is(err, sealed.ErrOpen) {
			t.Errorf("%d zero bytes: %v, want sealed.ErrOpen", n, err)
		}
	}
	if _, err := keys.OpenSharedCollectionKey(ct[:79], sharee.secrets); !errors.Is(err, sealed.ErrOpen) {
		t.Errorf("box cut to 79 bytes: %v, want sealed.ErrOpen", err)
	}
	// An authentic box of the wrong size is malformed.
	long, _ := box.SealAnonymous(nil, make([]byte, 33), (*[32]byte)(sharee.secrets.PublicKey()), rand.Reader)
	if _, err := keys.OpenSharedCollectionKey(long, sharee.secrets); !errors.Is(err, keys.ErrInvalidEnvelope) {
		t.Errorf("authentic 33-byte key: %v, want ErrInvalidEnvelope", err)
	}
	var lowOrder sealed.PublicKey // the all-zero point has small order
	if _, err := keys.ShareCollectionKey(ck, &lowOrder); !errors.Is(err, sealed.ErrInvalidPublicKey) {
		t.Fatalf("sharing to a small-order key: %v", err)
	}
}

// TestFileKeyKnownAnswer opens Ente's secretbox known answer as a file key
// under a collection key.
func TestFileKeyKnownAnswer(t *testing.T) {
	ck, _ := secret.NewKey(b64(t, enteBoxKey))
	w := &keys.WrappedKey{EncryptedKey: b64(t, enteBox)}
	copy(w.KeyDecryptionNonce[:], b64(t, enteBoxNonce))
	fk, err := keys.OpenFileKey(w, ck)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fk.Bytes(), b64(t, enteBoxPlain)) {
		t.Fatal("file key differs from the known answer")
	}
}

func TestFileKeyRoundTrip(t *testing.T) {
	ck, fk := secret.GenerateKey(), secret.GenerateKey()
	w := keys.WrapFileKey(fk, ck)
	if len(w.EncryptedKey) != keys.WrappedKeySize {
		t.Fatalf("wrapped file key is %d bytes", len(w.EncryptedKey))
	}
	plain, ok := nacl.Open(nil, w.EncryptedKey, (*[24]byte)(&w.KeyDecryptionNonce), (*[32]byte)(ck.Bytes()))
	if !ok || !bytes.Equal(plain, fk.Bytes()) {
		t.Fatal("x/crypto does not open the wrapped file key")
	}
	if got, err := keys.OpenFileKey(w, ck); err != nil || !got.Equal(fk) {
		t.Fatalf("OpenFileKey: %v", err)
	}
	if _, err := keys.OpenFileKey(w, fk); !errors.Is(err, secretbox.ErrOpen) {
		t.Fatalf("wrong collection key: %v", err)
	}
	for _, n := range []int{0, 16, 47, 49} {
		short := &keys.WrappedKey{EncryptedKey: make([]byte, n)}
		if _, err := keys.OpenFileKey(short, ck); !errors.Is(err, keys.ErrInvalidEnvelope) {
			t.Errorf("%d-byte box: %v, want ErrInvalidEnvelope", n, err)
		}
	}
	for _, doc := range []string{`{}`, `{"encryptedKey":"AAAA"}`, `{"encryptedKey":"AAA","keyDecryptionNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`, `[]`} {
		var w keys.WrappedKey
		if err := json.Unmarshal([]byte(doc), &w); !errors.Is(err, record.ErrInvalid) {
			t.Errorf("%s: %v, want record.ErrInvalid", doc, err)
		}
	}
}
