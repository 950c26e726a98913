package main

import (
	"strconv"
	"strings"
	"unicode"
)

// Keys and phrases do not belong on the command line, but people put them
// there: "recovery-key check 'legal winner …'", a key where --key-file
// wants a path, a link with its key as an argument. No message may then
// echo them. redactArgs is the backstop applied to every message printed:
// commands also avoid quoting arguments in the first place.

// argNotShown replaces an argument that may be a secret.
const argNotShown = "[argument not shown]"

// redactArgs replaces in msg every argument (or flag value) that may hold
// a key or phrase, as typed or as %q quotes it.
func redactArgs(msg string, args []string) string {
	for _, a := range args {
		if _, v, isFlag := strings.Cut(a, "="); isFlag && strings.HasPrefix(a, "-") {
			a = v
		}
		if !mayBeSecret(a) {
			continue
		}
		msg = strings.ReplaceAll(msg, strconv.Quote(a), argNotShown)
		msg = strings.ReplaceAll(msg, a, argNotShown)
	}
	return msg
}

// mayBeSecret reports whether an argument looks like a recovery phrase
// (two or more words of letters, punctuation around them allowed), a key
// (32 to 100 characters of the base64, base58 or hex alphabets), or a link
// carrying a key in its fragment. File paths and flag names, which messages
// do quote, have dots, leading slashes or few characters.
func mayBeSecret(a string) bool {
	if words := strings.Fields(a); len(words) >= 2 {
		phrase := true
		for _, w := range words {
			w = strings.TrimFunc(w, unicode.IsPunct)
			if w == "" || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
				phrase = false
				break
			}
		}
		if phrase {
			return true
		}
	}
	if _, frag, ok := strings.Cut(a, "#"); ok && keyRun(frag) >= 32 {
		return true
	}
	// A key: base64 has '/' about once in 64 characters, a path has them
	// from its start.
	a = strings.TrimSpace(a)
	return len(a) >= 32 && len(a) <= 100 && keyRun(a) == len(a) && a[0] != '/' && strings.Count(a, "/") <= 3
}

// keyRun is the length of the leading run of characters that base64
// (standard or URL-safe), base58 or hex use.
func keyRun(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("+/=_-", c) >= 0) {
			return i
		}
	}
	return len(s)
}
