// Command quickstart walks through the whole system in one run: two people
// sign up, one unlocks on a second device, encrypts a file into a collection,
// shares the collection with the other and publishes a link to it, and keeps
// a 2FA token in the vault. Every step uses the wire formats Ente's apps use.
//
// Argon2id runs at INTERACTIVE cost here so that the demo takes a second;
// real sign-ups use pwhash.DefaultPolicy (1 GiB, 4 passes, with back-off).
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/share"
	"github.com/e2eekit/e2ee/stream"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// demoPolicy keeps the demo fast; see the package comment.
var demoPolicy = pwhash.Policy{Start: pwhash.Interactive, FloorMemLimit: pwhash.MinMemLimit}

func run(w io.Writer) error {
	// 1. Alice signs up. The server stores attrs; the recovery key is shown
	//    to her once, as 24 words.
	alicePassword := []byte("correct horse battery staple")
	attrs, _, rk, err := keys.Generate(alicePassword, demoPolicy)
	if err != nil {
		return err
	}
	wire, err := json.Marshal(attrs)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "1. sign-up: %d bytes of key attributes (%s), recovery phrase of %d words\n",
		len(wire), fieldNames(wire), len(strings.Fields(rk.Mnemonic())))

	// 2. On her second device she has only the JSON and her password.
	stored, err := keys.ParseAttributes(wire)
	if err != nil {
		return err
	}
	kek, err := keys.DeriveKEK(alicePassword, stored, pwhash.DefaultLimits)
	if err != nil {
		return err
	}
	alice, err := keys.Unlock(kek, stored)
	if err != nil {
		return err
	}
	defer alice.Destroy()
	wrongKEK, err := keys.DeriveKEK([]byte("Tr0ub4dor&3"), stored, pwhash.DefaultLimits)
	if err != nil {
		return err
	}
	_, err = keys.Unlock(wrongKEK, stored)
	fmt.Fprintf(w, "2. second device: unlocked %v; a wrong password: %v\n", alice, err)

	// 3. A collection, and a 9 MiB file in it: the collection key is wrapped
	//    under her master key, the file key under the collection key, the
	//    file streamed in 4 MiB chunks, its metadata one blob.
	collectionKey := secret.GenerateKey()
	ownerCopy := keys.WrapCollectionKey(collectionKey, alice.MasterKey())
	fileKey := secret.GenerateKey()
	wrappedFileKey := keys.WrapFileKey(fileKey, collectionKey)
	file := bytes.Repeat([]byte("holiday video "), 9<<20/14)
	var encrypted bytes.Buffer
	enc, header, err := stream.NewEncryptWriter(&encrypted, fileKey)
	if err != nil {
		return err
	}
	if _, err := io.Copy(enc, bytes.NewReader(file)); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	meta, metaHeader, err := stream.EncryptBlob([]byte(`{"title":"lisbon.mp4"}`), fileKey)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "3. file: %d bytes → %d bytes in %d chunks; metadata blob of %d bytes\n",
		len(file), encrypted.Len(), (encrypted.Len()+stream.EncryptedChunkSize-1)/stream.EncryptedChunkSize, len(meta))

	// 4. Bob gets the collection: its key sealed to his public key.
	bobAttrs, bob, _, err := keys.Generate([]byte("bob's password"), demoPolicy)
	if err != nil {
		return err
	}
	defer bob.Destroy()
	sharedCopy, err := keys.ShareCollectionKey(collectionKey, &bobAttrs.PublicKey)
	if err != nil {
		return err
	}
	bobsCollectionKey, err := keys.OpenSharedCollectionKey(sharedCopy, bob)
	if err != nil {
		return err
	}
	bobsFileKey, err := keys.OpenFileKey(wrappedFileKey, bobsCollectionKey)
	if err != nil {
		return err
	}
	dec, err := stream.NewDecryptReader(bytes.NewReader(encrypted.Bytes()), header, bobsFileKey)
	if err != nil {
		return err
	}
	h := sha256.New()
	if _, err := io.Copy(h, dec); err != nil {
		return err
	}
	title, err := stream.DecryptBlob(meta, metaHeader, bobsFileKey)
	if err != nil {
		return err
	}
	same := sha256.Sum256(file) == [32]byte(h.Sum(nil))
	fmt.Fprintf(w, "4. shared with Bob (%d-byte sealed key): he decrypts %s, same bytes: %v\n", len(sharedCopy), title, same)

	// Alice's own copy opens too, and tampering never goes unnoticed.
	if _, err := keys.OpenCollectionKey(ownerCopy, alice.MasterKey()); err != nil {
		return err
	}
	tampered := bytes.Clone(encrypted.Bytes())
	tampered[5<<20] ^= 1
	fmt.Fprintf(w, "   a flipped bit: %v\n", decryptErr(tampered, header, fileKey))
	fmt.Fprintf(w, "   a cut at a chunk boundary: %v\n", decryptErr(encrypted.Bytes()[:stream.EncryptedChunkSize], header, fileKey))

	// 5. A public link: the key travels in the fragment, which browsers do
	//    not send to servers. The link prints redacted.
	raw, err := share.AlbumURL(share.DefaultBase, "ABCDEFGHIJ", collectionKey)
	if err != nil {
		return err
	}
	link, err := share.ParseAlbumURL(" <" + raw + "> ") // as a messenger might mangle it
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "5. public link %v carries the collection key: %v\n", link, link.Key.Equal(collectionKey))

	// 6. The 2FA vault: an authKey under the master key, each token a blob.
	authKey, envelope := keys.NewAuthKey(alice.MasterKey())
	entity, err := keys.SealAuthEntity("otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub", authKey)
	if err != nil {
		return err
	}
	reopened, err := keys.OpenAuthKey(envelope, alice.MasterKey())
	if err != nil {
		return err
	}
	uri, err := keys.OpenAuthEntity(entity, reopened)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "6. token vault: %s\n", uri[:strings.Index(uri, "?")])
	return nil
}

// decryptErr decrypts ct and returns the error that stopped it.
func decryptErr(ct []byte, h stream.Header, k *secret.Key) error {
	r, err := stream.NewDecryptReader(bytes.NewReader(ct), h, k)
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	return errors.New("no error")
}

// fieldNames lists the JSON object's keys, to show the wire format.
func fieldNames(obj []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return "?"
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return fmt.Sprintf("%d fields: %s, …", len(names), strings.Join(names[:4], ", "))
}
