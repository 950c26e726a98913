// Command crosscheck is the Go half of the live cross-implementation check
// run by scripts/crosscheck.sh (make crosscheck): the SDK produces fresh
// random objects of every kind for libsodium.js to open, and opens the
// objects libsodium.js produced.
//
//	crosscheck produce DIR   write DIR/manifest.json and DIR/*.bin
//	crosscheck open DIR      open every object of DIR/manifest.json; exit 1
//	                         naming the object kind, name and field of each
//	                         mismatch
//
// The kinds: account (key attributes with cheap Argon2id params, unlocked
// by password and by recovery phrase, login key; also an account after the
// lost-password flow: new password, rotated recovery key), authToken, collection
// (wrapped key and encrypted name), sharedCollectionKey, file (files of 1,
// 2 and 3 chunks, empty and an exact multiple of 4 MiB, with thumbnail and
// metadata blobs), authKey, authEntity, authExport, link, linkPassword.
// See manifest.go for the exchange format.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	if len(os.Args) != 3 || (os.Args[1] != "produce" && os.Args[1] != "open") {
		fmt.Fprintln(os.Stderr, "usage: crosscheck produce|open DIR")
		os.Exit(2)
	}
	dir := os.Args[2]
	if os.Args[1] == "produce" {
		if err := produce(dir); err != nil {
			fmt.Fprintln(os.Stderr, "crosscheck: produce:", err)
			os.Exit(1)
		}
		return
	}
	o, err := open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "crosscheck: open:", err)
		os.Exit(1)
	}
	for _, p := range o.problems {
		fmt.Println("MISMATCH", p)
	}
	var kinds []string
	for k, n := range o.checked {
		kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
	}
	sort.Strings(kinds)
	if len(o.problems) > 0 {
		fmt.Printf("go: %d mismatches opening %s\n", len(o.problems), dir)
		os.Exit(1)
	}
	fmt.Printf("go: opened %s\n", strings.Join(kinds, ", "))
}
