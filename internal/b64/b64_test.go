package b64

import (
	"bytes"
	"encoding/base64"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/vectorseed"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		in   string
		want []byte // nil: must fail with ErrInvalid
	}{
		{"", []byte{}},
		{"AA==", []byte{0}},
		{"AAA=", []byte{0, 0}},
		{"AAAA", []byte{0, 0, 0}},
		{"+/+/", []byte{0xfb, 0xff, 0xbf}},
		{"Zm9vYmFy", []byte("foobar")},
		{"Zm9vYg==", []byte("foob")},

		{"AA", nil},         // missing padding
		{"AAA", nil},        // missing padding
		{"AA=", nil},        // short padding
		{"AA===", nil},      // extra padding
		{"A===", nil},       // impossible length
		{"A", nil},          // impossible length
		{"-_-_", nil},       // URL-safe alphabet
		{"Zm9vYmF-", nil},   // one URL-safe character
		{"AB==", nil},       // non-zero trailing bits (canonical is AA==)
		{"AAB=", nil},       // non-zero trailing bits (canonical is AAA=)
		{"Zm9vYh==", nil},   // non-zero trailing bits (canonical is Zm9vYg==)
		{"Zm9v\nYmFy", nil}, // embedded newline
		{"Zm9v\r\nYmFy", nil},
		{"Zm9vYmFy\n", nil}, // trailing newline
		{"\rZm9vYmFy", nil},
		{"Zm9v YmFy", nil}, // embedded space
		{" Zm9vYmFy", nil},
		{"Zm9vYmFy ", nil},
		{"Zm9v\tYmFy", nil},
		{"AA==AA==", nil}, // padding in the middle
		{"=AAA", nil},
		{"Zm9vYmFy\x00", nil},
		{"Zm9vYmF\xff", nil},
		{"Zm9vYmFyé", nil},
	}
	for _, tt := range tests {
		got, err := Decode(tt.in)
		if tt.want == nil {
			assert.ErrorIs(t, err, ErrInvalid, "Decode(%q)", tt.in)
			assert.Nil(t, got, "Decode(%q)", tt.in)
			continue
		}
		assert.NoError(t, err, "Decode(%q)", tt.in)
		assert.Equal(t, tt.want, got, "Decode(%q)", tt.in)
		assert.Equal(t, tt.in, Encode(tt.want), "Encode(%x)", tt.want)
	}
}

func TestDecodeFixed(t *testing.T) {
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i)
	}
	good := base64.StdEncoding.EncodeToString(key)
	tests := []struct {
		name string
		in   string
		err  error
	}{
		{"exact", good, nil},
		{"one byte short", base64.StdEncoding.EncodeToString(key[:31]), ErrLength},
		{"one byte long", base64.StdEncoding.EncodeToString(append(key, 0)), ErrLength},
		{"empty", "", ErrLength},
		{"16 bytes", base64.StdEncoding.EncodeToString(key[:16]), ErrLength},
		{"missing padding", strings.TrimRight(good, "="), ErrInvalid},
		{"URL-safe", base64.URLEncoding.EncodeToString(append([]byte{0xfb, 0xff}, key[2:]...)), ErrInvalid},
		{"wrong length and invalid", "!!!!", ErrInvalid},
		{"newline", good[:20] + "\n" + good[20:], ErrInvalid},
		{"space instead of padding", good[:len(good)-1] + " ", ErrInvalid},
	}
	for _, tt := range tests {
		var dst [32]byte
		err := DecodeFixed(dst[:], tt.in)
		assert.ErrorIs(t, err, tt.err, "%s: DecodeFixed(%q)", tt.name, tt.in) // a nil err: no error
		// A key's 32 bytes: compared with bytes.Equal and ==, not in a testify diff.
		if tt.err == nil {
			assert.True(t, bytes.Equal(key, dst[:]), "%s: decoded %x, want %x", tt.name, dst, key)
		}
		if tt.err != nil {
			assert.True(t, dst == [32]byte{}, "%s: dst written on failure: %x", tt.name, dst)
		}
	}
}

// vectorFields are the base64 fields of every vector file: canonical
// values, and in attributes.json's BadAttributesTest the deliberately
// malformed ones (unpadded, URL-safe, non-canonical, with whitespace).
var vectorFields = map[string][]string{
	"secretbox.json": {"key", "nonce", "ct", "msg"},
	"sealed.json":    {"publicKey", "secretKey", "ephemeralSecretKey", "ct", "msg"},
	"blob.json":      {"key", "header", "ct", "msg"},
	"file.json":      {"key", "header"},
	"pwhash.json":    {"salt", "key"},
	"kdf.json":       {"kek", "subkey", "loginKey"},
	"attributes.json": {"RecoveryKeyEncodingTest/recoveryKey", "RecoveryKeyParseTest/recoveryKey",
		"attributes.kekSalt", "attributes.encryptedKey", "attributes.keyDecryptionNonce", "attributes.publicKey",
		"attributes.encryptedSecretKey", "attributes.secretKeyDecryptionNonce",
		"attributes.masterKeyEncryptedWithRecoveryKey", "attributes.masterKeyDecryptionNonce",
		"attributes.recoveryKeyEncryptedWithMasterKey", "attributes.recoveryKeyDecryptionNonce",
		"expected.kek", "expected.loginKey", "expected.masterKey", "expected.secretKey", "expected.publicKey",
		"expected.recoveryKey"},
	// tokenHeader is URL-safe base64: Decode must refuse most of them.
	"authtoken.json": {"publicKey", "secretKey", "ephemeralSecretKey", "encryptedToken", "token", "tokenHeader"},
	"authenticator.json": {"masterKey", "authKey", "encryptedKey", "header", "encryptedData", "plaintext",
		"export.kdfParams.salt", "export.encryptedData", "export.encryptionNonce"},
	"links.json":    {"key"},
	"linkpass.json": {"linkParams.passHash", "linkParams.nonce"},
}

// vectorBase64 returns every distinct value of vectorFields.
func vectorBase64(f *testing.F) []string {
	var out []string
	seen := map[string]bool{}
	for _, file := range slices.Sorted(maps.Keys(vectorFields)) {
		for _, path := range vectorFields[file] {
			for _, s := range vectorseed.Strings(f, file, path) {
				if !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// FuzzDecode checks Decode against an independent oracle: s is valid
// exactly when it has no line break, Go's lenient standard decoder accepts
// it, and re-encoding the bytes gives s back (canonical, padded, std
// alphabet). A valid decode must round-trip, and DecodeFixed must agree.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"", "AA==", "AAA=", "AAAA", "AB==", "Zm9v\nYmFy", "-_-_",
		"kercNpvGufMTTHmDwAhz26DgCAvznd1+/buBqKEkWr4=", "jgfPDOsQh2VdIHWJVSBicMPF2sQW3HIY", "vd0dcYMGNLKn/gpT6uTFTw=="} {
		f.Add(s)
	}
	for _, s := range vectorBase64(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Decode(s)
		ref, refErr := base64.StdEncoding.DecodeString(s)
		valid := !strings.ContainsAny(s, "\r\n") && refErr == nil && base64.StdEncoding.EncodeToString(ref) == s
		require.Equal(t, valid, err == nil, "Decode(%q): err = %v, oracle says valid = %v", s, err, valid)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalid, "Decode(%q)", s)
			require.Nil(t, got, "Decode(%q)", s)
			return
		}
		// The seeds hold the vectors' secret keys: bytes.Equal and ==, not
		// a testify diff.
		require.True(t, bytes.Equal(ref, got) && Encode(got) == s, "Decode(%q) = %x does not round-trip", s, got)
		dst := make([]byte, len(got))
		require.NoError(t, DecodeFixed(dst, s), "DecodeFixed(%d bytes, %q)", len(dst), s)
		require.True(t, bytes.Equal(got, dst), "DecodeFixed(%d bytes, %q)", len(dst), s)
		dst = make([]byte, len(got)+1)
		require.ErrorIs(t, DecodeFixed(dst, s), ErrLength, "DecodeFixed(%d bytes, %q)", len(dst), s)
	})
}
