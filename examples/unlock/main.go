// Command unlock is signing in on a second device: from the key attributes
// JSON the server returns and the password, derive the KEK with the stored
// Argon2id params, unlock the account, derive the SRP login key, and open
// the auth token the server sealed to the account's public key.
//
// The "server" here is a sign-up made at the start of run at Argon2id's
// minimum cost, so that the example runs in milliseconds.
package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/sealed"
)

// demoPolicy is Argon2id's minimum cost, for a fast demo. Real sign-ups use
// pwhash.DefaultPolicy or pwhash.EntePolicy.
var demoPolicy = pwhash.Policy{Start: pwhash.Params{OpsLimit: 1, MemLimit: pwhash.MinMemLimit}, FloorMemLimit: pwhash.MinMemLimit}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "unlock:", err)
		os.Exit(1)
	}
}

// server is what the first device uploaded and what the server answers.
type server struct {
	keyAttributes  []byte // JSON
	encryptedToken string // base64 sealed box
}

func newServer(password []byte) (*server, error) {
	attrs, secrets, _, err := keys.Generate(password, demoPolicy)
	if err != nil {
		return nil, err
	}
	secrets.Destroy()
	body, err := json.Marshal(attrs)
	if err != nil {
		return nil, err
	}
	// The server seals 32 random bytes to the account's public key.
	token := make([]byte, keys.AuthTokenSize)
	rand.Read(token)
	box, err := sealed.Seal(nil, token, &attrs.PublicKey)
	if err != nil {
		return nil, err
	}
	return &server{keyAttributes: body, encryptedToken: base64.StdEncoding.EncodeToString(box)}, nil
}

func run(w io.Writer) error {
	srv, err := newServer([]byte("hunter2 but longer"))
	if err != nil {
		return err
	}

	// Second device: all it has is the JSON and what the person types.
	attrs, err := keys.ParseAttributes(srv.keyAttributes)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "stored params: %d bytes, %d passes\n", attrs.MemLimit, attrs.OpsLimit)

	for _, typed := range []string{"hunter2", "hunter2 but longer"} {
		// The stored params come from the server: cap them before deriving.
		kek, err := keys.DeriveKEK([]byte(typed), attrs, pwhash.DefaultLimits)
		if err != nil {
			return err
		}
		secrets, err := keys.Unlock(kek, attrs)
		if errors.Is(err, keys.ErrIncorrectPassword) {
			fmt.Fprintf(w, "%q: incorrect password\n", typed)
			continue
		}
		if err != nil {
			return err
		}
		defer secrets.Destroy()
		fmt.Fprintf(w, "%q: unlocked %v\n", typed, secrets)

		login := keys.LoginKey(kek)
		fmt.Fprintf(w, "SRP password: %d bytes derived from the KEK\n", len(login))
		clear(login)

		tok, err := keys.OpenToken(srv.encryptedToken, secrets)
		if err != nil {
			return err
		}
		defer tok.Destroy()
		fmt.Fprintf(w, "X-Auth-Token: %d characters of URL-safe base64\n", len(tok.HeaderValue()))
	}
	return nil
}
