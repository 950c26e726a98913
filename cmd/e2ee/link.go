package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"

	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/share"
)

var linkCmd = &command{
	name:    "link",
	summary: "parse or make a public album link",
	help: `Public album links carry the album's access token in the query and its key in
the URL fragment, which browsers never send to a server:
https://albums.ente.com/?t=TOKEN#BASE58KEY.`,
	subs: []*command{linkParseCmd, linkNewCmd},
}

var linkParseCmd = &command{
	name:    "parse",
	args:    "[URL]",
	maxArgs: 1,
	summary: "show a link's host, access token and key fingerprint",
	help: `Parses an album link and shows its base URL, access token and a fingerprint of
its key (the first 8 bytes of the key's SHA-256, in hex), which tells two links
apart without showing the key. --show-key also prints the key.

The link holds the key: given as an argument it shows in ps and in shell
history. Without URL (or with "-") it is read from standard input.`,
	examples: `
e2ee link parse < link.txt
e2ee link parse 'https://albums.ente.com/?t=ABCDEFGHIJ#1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE'`,
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		showKey := fs.Bool("show-key", false, "also print the key (base58 and base64)")
		return func(e *env, args []string) error { return linkParse(e, arg(args, 0), *showKey) }
	},
}

var linkNewCmd = &command{
	name:    "new",
	summary: "make a link with a fresh random key",
	help: `Draws a fresh random album key and prints the link for the access token the
server gave the album: BASE/?t=TOKEN#base58(key). The printed link holds the
key.`,
	examples: `
e2ee link new --token ABCDEFGHIJ
e2ee link new --base https://albums.example.org --token ABCDEFGHIJ`,
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		base := fs.String("base", share.DefaultBase, "the albums host, an http(s) `URL`")
		token := fs.String("token", "", "the album's access `TOKEN` (required)")
		return func(e *env, _ []string) error {
			if *token == "" {
				return usagef("--token is required")
			}
			k := secret.GenerateKey()
			defer k.Destroy()
			u, err := share.AlbumURL(*base, *token, k)
			if errors.Is(err, share.ErrInvalidBase) {
				return usagef("--base: %v", err)
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, u)
			return nil
		}
	},
}

func linkParse(e *env, raw string, showKey bool) error {
	if raw == "" || raw == "-" {
		var err error
		if raw, err = readLinkFrom(e.stdin, "standard input"); err != nil {
			return err
		}
	}
	l, err := share.ParseAlbumURL(raw)
	if err != nil {
		return err
	}
	defer l.Key.Destroy()
	fmt.Fprintf(e.stdout, "base:        %s\n", l.Base)
	fmt.Fprintf(e.stdout, "token:       %s\n", l.AccessToken)
	fmt.Fprintf(e.stdout, "fingerprint: %s\n", fingerprint(l.Key))
	if showKey {
		fmt.Fprintf(e.stdout, "key:         %s\n", share.EncodeKey(l.Key))
		fmt.Fprintf(e.stdout, "key base64:  %s", encodeKey(l.Key))
	}
	return nil
}

// fingerprint is the first 8 bytes of SHA-256 of the key, in hex: enough to
// tell keys apart, useless for recovering one.
func fingerprint(k *secret.Key) string {
	b := k.Bytes()
	defer clear(b)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
