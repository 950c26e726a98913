// Command authexport reads and writes Ente Auth's encrypted export: it
// decrypts a file made of the known answers in Ente's own tests, refuses a
// file whose Argon2id params exceed the reader's limits before doing any
// work, and writes and reads back an export of its own.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
)

// enteFile is an export built from Ente's known answers
// (cli/internal/crypto/crypto_test.go): password "test_password",
// Argon2id 64 MiB × 2, and a secretstream message holding "plain_text".
const enteFile = `{"version":1,
 "kdfParams":{"memLimit":67108864,"opsLimit":2,"salt":"vd0dcYMGNLKn/gpT6uTFTw=="},
 "encryptedData":"kBXQ2PuX6y/aje5r22H0AehRPh6sQ0ULoeAO",
 "encryptionNonce":"v7wsI+BFZsRMIjDm3rTxPhmi/CaUdkdJ"}`

// demoPolicy is Argon2id's minimum cost, for a fast demo. Ente Auth writes
// exports with its sensitive derivation (pwhash.EntePolicy).
var demoPolicy = pwhash.Policy{Start: pwhash.Params{OpsLimit: 1, MemLimit: pwhash.MinMemLimit}, FloorMemLimit: pwhash.MinMemLimit}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "authexport:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	uris, err := keys.DecryptExport([]byte(enteFile), []byte("test_password"), pwhash.DefaultLimits)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Ente's vector: %q\n", uris)

	_, err = keys.DecryptExport([]byte(enteFile), []byte("test_passwort"), pwhash.DefaultLimits)
	fmt.Fprintln(w, "wrong password:", errors.Is(err, keys.ErrIncorrectPassword))

	// A file is untrusted: a reader on a small device caps the cost.
	small := pwhash.Limits{MaxMemLimit: 32 << 20, MaxWork: 64 << 20}
	_, err = keys.DecryptExport([]byte(enteFile), []byte("test_password"), small)
	fmt.Fprintln(w, "over the limits:", err)

	v2 := strings.Replace(enteFile, `"version":1`, `"version":2`, 1)
	_, err = keys.DecryptExport([]byte(v2), []byte("test_password"), pwhash.DefaultLimits)
	fmt.Fprintln(w, "version 2:", err)

	mine := []string{
		"otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
		"otpauth://hotp/Bank:alice?secret=GEZDGNBVGY3TQOJQ&counter=3",
	}
	file, err := keys.EncryptExport(mine, []byte("export password"), demoPolicy)
	if err != nil {
		return err
	}
	back, err := keys.DecryptExport(file, []byte("export password"), pwhash.DefaultLimits)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %d bytes of JSON, read back %d URIs:\n", len(file), len(back))
	for _, u := range back {
		fmt.Fprintln(w, " ", u)
	}
	return nil
}
