package keys

import (
	"crypto/sha256"
	"crypto/subtle"
	_ "embed"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/e2eekit/e2ee/internal/keymat"
)

// bip39English is the BIP-39 English word list exactly as published
// (bitcoin/bips bip-0039/english.txt, SHA-256
// 2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda; the
// tests check it), one word per line.
//
//go:embed bip39_english.txt
var bip39English string

// mnemonicWords is the number of words of a 256-bit BIP-39 phrase:
// 256 bits of entropy + 8 bits of checksum = 24 × 11 bits.
const mnemonicWords = 24

// wordlist returns the 2048 words and each word's index.
var wordlist = sync.OnceValues(func() ([]string, map[string]int) {
	words := strings.Split(strings.TrimSuffix(bip39English, "\n"), "\n")
	if len(words) != 2048 {
		panic("keys: embedded BIP-39 word list is corrupt")
	}
	index := make(map[string]int, len(words))
	for i, w := range words {
		index[w] = i
	}
	return words, index
})

// Mnemonic returns the key as the 24-word BIP-39 English phrase of its 32
// bytes (the form Ente's apps show), words separated by single spaces. It
// is the key itself: show it only to its owner. A nil key gives "".
func (r *RecoveryKey) Mnemonic() string {
	if r == nil {
		return ""
	}
	words, _ := wordlist()
	var buf [33]byte // entropy ‖ first byte of SHA-256(entropy)
	copy(buf[:32], keymat.Array(&r.k)[:])
	sum := sha256.Sum256(buf[:32])
	buf[32] = sum[0]
	var b strings.Builder
	for i := range mnemonicWords {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[bits11(&buf, i)])
	}
	clear(buf[:])
	clear(sum[:])
	return b.String()
}

// Hex returns the key as 64 lowercase hexadecimal characters, the form of
// Ente's earliest apps. A nil key gives "".
func (r *RecoveryKey) Hex() string {
	if r == nil {
		return ""
	}
	return hex.EncodeToString(keymat.Array(&r.k)[:])
}

// bits11 returns the i-th 11-bit group of buf, most significant bit first.
func bits11(buf *[33]byte, i int) int {
	v := 0
	for j := 11 * i; j < 11*i+11; j++ {
		v = v<<1 | int(buf[j/8]>>(7-j%8)&1)
	}
	return v
}

// ParseRecoveryKey reads a recovery key as a person types or pastes it: a
// 24-word BIP-39 English phrase (any letter case; words separated by any
// whitespace or punctuation, so "legal, winner, …" and a quoted or
// bulleted list read too; the checksum is verified) or, as Ente's earliest
// apps showed it, 64 hexadecimal characters. Anything else gives an error
// wrapping ErrInvalidRecoveryKey. A word that is not in the list is
// reported by its position only, never quoted: a typo shows most of the
// real word.
func ParseRecoveryKey(s string) (*RecoveryKey, error) {
	fields := strings.FieldsFunc(s, isWordSeparator)
	switch {
	case len(fields) == 1 && len(fields[0]) == 2*32:
		b, err := hex.DecodeString(fields[0])
		if err != nil {
			return nil, fmt.Errorf("%w: 64 characters but not hexadecimal", ErrInvalidRecoveryKey)
		}
		defer clear(b)
		return NewRecoveryKey(b)
	case len(fields) == mnemonicWords:
		return parseMnemonic(fields)
	default:
		return nil, fmt.Errorf("%w: want %d words or 64 hexadecimal characters, got %d words",
			ErrInvalidRecoveryKey, mnemonicWords, len(fields))
	}
}

func parseMnemonic(fields []string) (*RecoveryKey, error) {
	_, index := wordlist()
	var buf [33]byte
	defer clear(buf[:])
	for i, w := range fields {
		v, ok := index[strings.ToLower(w)]
		if !ok {
			return nil, fmt.Errorf("%w: word %d is not in the BIP-39 English list", ErrInvalidRecoveryKey, i+1)
		}
		for j := range 11 {
			bit := 11*i + j
			buf[bit/8] |= byte(v>>(10-j)&1) << (7 - bit%8)
		}
	}
	sum := sha256.Sum256(buf[:32])
	defer clear(sum[:])
	if subtle.ConstantTimeByteEq(sum[0], buf[32]) != 1 {
		return nil, fmt.Errorf("%w: the checksum does not match (a word is wrong or out of order)", ErrInvalidRecoveryKey)
	}
	return NewRecoveryKey(buf[:32])
}

// isWordSeparator splits a phrase: whitespace, punctuation (commas,
// quotes, "…", bullets, dashes), symbols and invisible format characters
// (a zero-width space). BIP-39 words and hex digits have none of them.
func isWordSeparator(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.Is(unicode.Cf, r)
}
