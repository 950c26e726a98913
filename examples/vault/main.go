// Command vault is a 2FA token vault: an authKey wrapped under the master
// key, tokens added in Ente Auth's shipped format (each encrypted directly
// under the authKey) and in the published design's (each under its own
// tokenKey), then listed back from their JSON as a new device would.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
)

// demoPolicy is Argon2id's minimum cost, for a fast demo. Real accounts use
// pwhash.DefaultPolicy or pwhash.EntePolicy.
var demoPolicy = pwhash.Policy{Start: pwhash.Params{OpsLimit: 1, MemLimit: pwhash.MinMemLimit}, FloorMemLimit: pwhash.MinMemLimit}

var tokens = []string{
	"otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
	"otpauth://totp/Mastodon:alice@example.social?secret=KRSXG5CTMVRXEZLU&issuer=Mastodon",
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "vault:", err)
		os.Exit(1)
	}
}

// store is what the server keeps: opaque JSON only.
type store struct {
	authKey  []byte   // {encryptedKey, header}
	entities [][]byte // {encryptedData, header}, Ente Auth as shipped
	tokens   [][]byte // the published design's per-token records
}

func run(w io.Writer) error {
	_, secrets, _, err := keys.Generate([]byte("vault password"), demoPolicy)
	if err != nil {
		return err
	}
	defer secrets.Destroy()

	// First device: create the authKey and add tokens.
	var srv store
	authKey, env := keys.NewAuthKey(secrets.MasterKey())
	if srv.authKey, err = json.Marshal(env); err != nil {
		return err
	}
	for _, uri := range tokens {
		e, err := keys.SealAuthEntity(uri, authKey)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(e)
		srv.entities = append(srv.entities, b)

		meta := json.RawMessage(`{"pinned":true}`)
		vt, err := keys.SealVaultToken(uri, meta, authKey)
		if err != nil {
			return err
		}
		b, _ = json.Marshal(vt)
		srv.tokens = append(srv.tokens, b)
	}
	authKey.Destroy()
	fmt.Fprintf(w, "stored: authKey %d bytes of JSON, %d entities, %d tokens\n", len(srv.authKey), len(srv.entities), len(srv.tokens))

	// Another device, already unlocked: open the authKey, list the vault.
	var e keys.AuthKeyEnvelope
	if err := json.Unmarshal(srv.authKey, &e); err != nil {
		return err
	}
	authKey, err = keys.OpenAuthKey(&e, secrets.MasterKey())
	if err != nil {
		return err
	}
	defer authKey.Destroy()
	fmt.Fprintln(w, "Ente Auth entities:")
	for _, b := range srv.entities {
		var ent keys.AuthEntity
		if err := json.Unmarshal(b, &ent); err != nil {
			return err
		}
		uri, err := keys.OpenAuthEntity(&ent, authKey)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, " ", uri)
	}
	fmt.Fprintln(w, "per-token keys:")
	for _, b := range srv.tokens {
		var vt keys.VaultToken
		if err := json.Unmarshal(b, &vt); err != nil {
			return err
		}
		uri, meta, err := keys.OpenVaultToken(&vt, authKey)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, " ", uri, string(meta))
	}
	return nil
}
