package keys_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/keys"
)

// TestWordList pins the embedded list to the SHA-256 of BIP-39's published
// english.txt.
func TestWordList(t *testing.T) {
	b, err := os.ReadFile("bip39_english.txt")
	require.NoError(t, err)
	const want = "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda"
	got := sha256.Sum256(b)
	require.Equal(t, want, hex.EncodeToString(got[:]), "bip39_english.txt's SHA-256")
}

// BIP-39's official English vectors for 256-bit entropy (trezor/python-mnemonic
// vectors.json), the phrases only: this package derives no seed.
var bip39Vectors = []struct{ entropy, phrase string }{
	{strings.Repeat("00", 32), strings.Repeat("abandon ", 23) + "art"},
	{strings.Repeat("7f", 32), "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title"},
	{strings.Repeat("80", 32), "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless"},
	{strings.Repeat("ff", 32), strings.Repeat("zoo ", 23) + "vote"},
	{"68a79eaca2324873eacc50cb9c6eca8cc68ea5d936f98787c60c7ebc74e6ce7c", "hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length"},
	{"9f6a2878b2520799a44ef18bc7df394e7061a224d2c33cd015b157d746869863", "panda eyebrow bullet gorilla call smoke muffin taste mesh discover soft ostrich alcohol speed nation flash devote level hobby quick inner drive ghost inside"},
	{"066dca1a2bb7e8a1db2832148ce9933eea0f3ac9548d793112d9a95c9407efad", "all hour make first leader extend hole alien behind guard gospel lava path output census museum junior mass reopen famous sing advance salt reform"},
	{"f585c11aec520db57dd353c69554b21a89b20fb0650966fa0a9d6f74fd989d8f", "void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing screen patrol group space point ten exist slush involve unfold"},
}

func TestMnemonicVectors(t *testing.T) {
	for _, v := range bip39Vectors {
		e, _ := hex.DecodeString(v.entropy)
		rk, err := keys.NewRecoveryKey(e)
		require.NoError(t, err)
		// Phrases and hex are the recovery key: compared without testify's diff.
		got := rk.Mnemonic()
		assert.True(t, got == v.phrase, "Mnemonic(%s) = %q, want %q", v.entropy, got, v.phrase)
		got = rk.Hex()
		assert.True(t, got == v.entropy, "Hex = %s, want %s", got, v.entropy)
		parsed, err := keys.ParseRecoveryKey(v.phrase)
		if assert.NoError(t, err, "ParseRecoveryKey(%q)", v.phrase) {
			assert.True(t, bytes.Equal(parsed.Bytes(), e), "ParseRecoveryKey(%q) = %x; want %s", v.phrase, parsed.Bytes(), v.entropy)
		}
	}
}

func TestMnemonicRoundTrip(t *testing.T) {
	for range 200 {
		b := make([]byte, 32)
		rand.Read(b)
		rk, _ := keys.NewRecoveryKey(b)
		got, err := keys.ParseRecoveryKey(rk.Mnemonic())
		require.NoError(t, err, "%x: round trip failed", b)
		require.True(t, got.Equal(rk), "%x: round trip failed", b)
	}
}

func TestParseRecoveryKeyForgiving(t *testing.T) {
	v := bip39Vectors[4]
	words := strings.Fields(v.phrase)
	for name, in := range map[string]string{
		"padded":       "  \n" + v.phrase + "\t\n",
		"upper case":   strings.ToUpper(v.phrase),
		"mixed space":  strings.Join(words[:12], "\t") + "\n\n" + strings.Join(words[12:], "   "),
		"title case":   titleCase(v.phrase),
		"hex":          v.entropy,
		"upper hex":    " " + strings.ToUpper(v.entropy) + "\n",
		"non-breaking": strings.Join(words, "\u00a0"),
		"commas":       strings.Join(words, ", "),
		"no space":     strings.Join(words, ","),
		"quoted list":  `"` + strings.Join(words, `", "`) + `".`,
		"bullets":      "• " + strings.Join(words, "\n• ") + "\n",
		"dashes":       strings.Join(words, " - "),
		"ellipsis":     strings.Join(words[:12], " ") + "…\n" + strings.Join(words[12:], "; ") + "!",
		"zero-width":   strings.Join(words, "\u200b"),
		"brackets":     "[" + strings.Join(words, "] [") + "]",
	} {
		rk, err := keys.ParseRecoveryKey(in)
		if !assert.NoError(t, err, name) {
			continue
		}
		assert.True(t, rk.Hex() == v.entropy, "%s: parsed %s, want %s", name, rk.Hex(), v.entropy)
	}
}

func TestParseRecoveryKeyRejects(t *testing.T) {
	v := bip39Vectors[4]
	words := strings.Fields(v.phrase)
	swapped := append([]string(nil), words...)
	swapped[0], swapped[1] = swapped[1], swapped[0]
	typo := append([]string(nil), words...)
	typo[6] = "privat"
	for name, tc := range map[string]struct{ in, mention string }{
		"empty":          {"", "got 0 words"},
		"23 words":       {strings.Join(words[:23], " "), "got 23 words"},
		"25 words":       {v.phrase + " abandon", "got 25 words"},
		"swapped words":  {strings.Join(swapped, " "), "checksum"},
		"unknown word":   {strings.Join(typo, " "), "word 7 is not in the BIP-39 English list"},
		"unknown, comma": {strings.Join(typo, ", "), "word 7 is not in"},
		"63 hex":         {v.entropy[:63], "got 1 words"},
		"65 hex":         {v.entropy + "0", "got 1 words"},
		"64 non-hex":     {"g" + v.entropy[1:], "not hexadecimal"},
		"split hex":      {v.entropy[:32] + " " + v.entropy[32:], "got 2 words"},
		"last word zoo":  {strings.Join(append(words[:23:23], "zoo"), " "), "checksum"},
		"long bad word":  {strings.Repeat("x", 100) + " " + strings.Join(words[1:], " "), "word 1 is not in"},
		"number as word": {strings.Join(append([]string{"1"}, words[1:]...), " "), "word 1 is not in"},
		"numbered list":  {"1. " + strings.Join(words, " "), "got 25 words"},
	} {
		_, err := keys.ParseRecoveryKey(tc.in)
		if !assert.ErrorIs(t, err, keys.ErrInvalidRecoveryKey, name) {
			continue
		}
		assert.ErrorContains(t, err, tc.mention, name)
		// No word is quoted: a typo ("privat") shows most of the real one.
		quotes := strings.Contains(err.Error(), "privat") || strings.Contains(err.Error(), "xxxx") || strings.Contains(err.Error(), `"`)
		assert.False(t, quotes, "%s: error %q quotes the input", name, err)
	}
}

func titleCase(s string) string {
	w := strings.Fields(s)
	for i := range w {
		w[i] = strings.ToUpper(w[i][:1]) + w[i][1:]
	}
	return strings.Join(w, " ")
}
