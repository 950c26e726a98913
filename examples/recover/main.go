// Command recover is a lost password: the person types the recovery phrase
// (sloppily), the account unlocks with it, a new password replaces the old
// one (only five fields change on the server), and the recovery key is
// rotated.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
)

// demoPolicy is Argon2id's minimum cost, for a fast demo. Real accounts use
// pwhash.DefaultPolicy or pwhash.EntePolicy.
var demoPolicy = pwhash.Policy{Start: pwhash.Params{OpsLimit: 1, MemLimit: pwhash.MinMemLimit}, FloorMemLimit: pwhash.MinMemLimit}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "recover:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	attrs, secrets, rk, err := keys.Generate([]byte("forgotten"), demoPolicy)
	if err != nil {
		return err
	}
	secrets.Destroy()
	phrase := rk.Mnemonic()
	rk.Destroy()

	// What the person types: upper case, line breaks, and first a typo.
	words := strings.Fields(phrase)
	typo := strings.Join(append([]string{words[0] + "x"}, words[1:]...), " ")
	if _, err := keys.ParseRecoveryKey(typo); errors.Is(err, keys.ErrInvalidRecoveryKey) {
		fmt.Fprintln(w, "first try:", strings.Replace(err.Error(), words[0]+"x", "…", 1))
	}
	typed := "  " + strings.ToUpper(strings.Join(words[:12], " ")) + "\n" + strings.Join(words[12:], "  ") + "\n"
	rk, err = keys.ParseRecoveryKey(typed)
	if err != nil {
		return err
	}
	s, err := keys.UnlockWithRecoveryKey(rk, attrs)
	if err != nil {
		return err
	}
	defer s.Destroy()
	fmt.Fprintln(w, "unlocked with the recovery phrase")

	// New password: PUT /users/keys with just the fields that change.
	update, err := s.ChangePassword([]byte("remembered this time"), demoPolicy)
	if err != nil {
		return err
	}
	if err := printFields(w, "PUT /users/keys", update); err != nil {
		return err
	}
	attrs.SetPassword(update)

	kek, err := keys.DeriveKEK([]byte("remembered this time"), attrs, pwhash.DefaultLimits)
	if err != nil {
		return err
	}
	if _, err := keys.Unlock(kek, attrs); err != nil {
		return err
	}
	fmt.Fprintln(w, "the new password unlocks")
	old, _ := keys.DeriveKEK([]byte("forgotten"), attrs, pwhash.DefaultLimits)
	_, err = keys.Unlock(old, attrs)
	fmt.Fprintln(w, "the old password:", err)

	// A recovery key that was typed on a shared screen should be replaced.
	rotation, newRK := s.RotateRecoveryKey()
	defer newRK.Destroy()
	if err := printFields(w, "PUT /users/recovery-key", rotation); err != nil {
		return err
	}
	attrs.SetRecovery(rotation)
	_, err = keys.UnlockWithRecoveryKey(rk, attrs)
	fmt.Fprintln(w, "the old recovery key:", err)
	if _, err := keys.UnlockWithRecoveryKey(newRK, attrs); err != nil {
		return err
	}
	fmt.Fprintln(w, "the new recovery key unlocks")
	return nil
}

// printFields prints the JSON field names of a request body.
func printFields(w io.Writer, what string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	var names []string
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	fmt.Fprintf(w, "%s: %s\n", what, strings.Join(names, ", "))
	return nil
}
