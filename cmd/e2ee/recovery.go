package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/e2eekit/e2ee/keys"
)

var recoveryKeyCmd = &command{
	name:    "recovery-key",
	summary: "check a recovery key",
	help: `An Ente recovery key is 32 bytes that people keep as a 24-word BIP-39 English
phrase (or, from Ente's earliest apps, 64 hexadecimal characters).`,
	subs: []*command{recoveryCheckCmd},
}

var recoveryCheckCmd = &command{
	name:    "check",
	summary: "tell whether a recovery phrase or hex key is well formed",
	help: `Reads a recovery key, a 24-word phrase or 64 hex characters, from standard
input (or, on a terminal, a prompt without echo) and prints "valid", or the
exact problem: a word not in the BIP-39 list (by its position only: a typo
shows most of the real word), the wrong number of words, a checksum that does
not match, or bad hex. Punctuation between the words, as a pasted list has
it ("legal, winner, …"), is ignored. It checks the form only: whether the key
opens an account needs that account.

The key is never taken from the command line, where ps and the shell's
history would keep it.`,
	argsNote: "the recovery key is read from standard input or a prompt, never from the command line",
	examples: `
e2ee recovery-key check < phrase.txt
echo "$PHRASE" | e2ee recovery-key check`,
	setup: func(*flag.FlagSet) func(*env, []string) error {
		return func(e *env, _ []string) error { return recoveryCheck(e) }
	},
}

func recoveryCheck(e *env) error {
	var text []byte
	var err error
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		text, err = promptSecret(e, "Recovery key (24 words or 64 hex characters): ")
	} else {
		text, err = readSmall(e.stdin, 4096, "standard input")
	}
	if err != nil {
		return err
	}
	defer clear(text)
	rk, err := keys.ParseRecoveryKey(string(text))
	if err != nil {
		// The keys package's message is the exact problem; only its
		// package prefix is dropped for people.
		return errors.New(strings.TrimPrefix(err.Error(), "keys: "))
	}
	rk.Destroy()
	fmt.Fprintln(e.stdout, "valid")
	return nil
}
