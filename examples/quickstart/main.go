// Command quickstart is the SDK in a few lines: generate keys, seal and
// open a secretbox and a sealed box, and derive a key from a password.
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/sealed"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	// A symmetric key, as for Ente's masterKey or a collection key.
	key := secret.GenerateKey()
	defer key.Destroy()
	fmt.Fprintf(w, "generated %v (keys never print)\n", key)

	nonce := secretbox.RandomNonce()
	box := secretbox.Seal(nil, []byte("hello, e2ee"), nonce, key)
	msg, err := secretbox.Open(nil, box, nonce, key)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "secretbox: %d-byte box opened to %q\n", len(box), msg)

	// A key pair, as for an account: anyone can seal to the public key.
	kp := sealed.GenerateKey()
	defer kp.Destroy()
	sbox, err := sealed.Seal(nil, []byte("a shared collection key"), kp.PublicKey())
	if err != nil {
		return err
	}
	msg, err = sealed.Open(nil, sbox, kp)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "sealed box: %d bytes opened to %q\n", len(sbox), msg)

	// A key from a password (INTERACTIVE: 64 MiB, 2 passes).
	salt := pwhash.RandomSalt()
	k1, err := pwhash.DeriveKey([]byte("correct horse battery staple"), salt, pwhash.Interactive, pwhash.DefaultLimits)
	if err != nil {
		return err
	}
	k2, err := pwhash.DeriveKey([]byte("correct horse battery staple"), salt, pwhash.Interactive, pwhash.DefaultLimits)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "argon2id: same password and salt give the same key: %v\n", k1.Equal(k2))
	if _, err := secretbox.Open(nil, box, nonce, k1); err != nil {
		fmt.Fprintf(w, "a box does not open under another key: %v\n", err)
	}
	if !bytes.Equal(msg, []byte("a shared collection key")) {
		return fmt.Errorf("unexpected plaintext")
	}
	return nil
}
