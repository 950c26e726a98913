// Command signup is sign-up on a first device: it generates an account's
// keys at the real cost (Argon2id SENSITIVE, 1 GiB, a few seconds), prints
// the key attributes JSON a server would store, the recovery phrase to
// show the person once, and the SRP login key's size.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "signup:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	password := []byte("correct horse battery staple")
	defer clear(password)

	// pwhash.DefaultPolicy is the published design (1 GiB, 4 passes, backing
	// off on small devices); pwhash.EntePolicy is what Ente's server accepts.
	attrs, secrets, rk, err := keys.Generate(password, pwhash.DefaultPolicy)
	if err != nil {
		return err
	}
	defer secrets.Destroy()
	defer rk.Destroy()

	body, err := json.MarshalIndent(attrs, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "PUT /users/attributes\n%s\n", body)
	fmt.Fprintf(w, "Argon2id: %d MiB, %d passes\n", attrs.MemLimit>>20, attrs.OpsLimit)

	// Show once, ask the person to write it down.
	fmt.Fprintf(w, "recovery phrase: %s\n", rk.Mnemonic())

	// The SRP password is derived from the KEK, never from the master key.
	login := keys.LoginKey(secrets.KEK())
	defer clear(login)
	fmt.Fprintf(w, "SRP login key: %d bytes\n", len(login))
	fmt.Fprintf(w, "the secrets themselves print as %v\n", secrets)
	return nil
}
