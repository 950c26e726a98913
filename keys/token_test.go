package keys_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/crypto/nacl/box"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/sealed"
)

// serverToken seals token to the account's public key the way Ente's
// server does, with x/crypto's independent crypto_box_seal.
func serverToken(t testing.TB, token []byte, to *sealed.PublicKey) keys.Ciphertext {
	t.Helper()
	ct, err := box.SealAnonymous(nil, token, (*[32]byte)(to), rand.Reader)
	require.NoError(t, err)
	return ct
}

func TestOpenToken(t *testing.T) {
	acc := signUp(t)
	// All ones: standard base64 would be "///…/8=".
	token := bytes.Repeat([]byte{0xff}, 32)
	tok, err := keys.OpenToken(serverToken(t, token, acc.secrets.PublicKey()), acc.secrets)
	require.NoError(t, err)
	// The token is key material: compared without testify's diff.
	want := strings.Repeat("_", 42) + "8="
	got := tok.HeaderValue()
	require.True(t, got == want && got == base64.URLEncoding.EncodeToString(token), "HeaderValue = %q, want %q", got, want)
	tok.Destroy()
	require.True(t, tok.HeaderValue() == base64.URLEncoding.EncodeToString(make([]byte, 32)), "Destroy left token bytes")
}

func TestOpenTokenRejects(t *testing.T) {
	acc := signUp(t)
	other := signUp(t)
	raw := serverToken(t, make([]byte, 32), acc.secrets.PublicKey())
	for name, tc := range map[string]struct {
		in   keys.Ciphertext
		want error
	}{
		"other account":   {serverToken(t, make([]byte, 32), other.secrets.PublicKey()), sealed.ErrOpen},
		"flipped byte":    {flip(raw, 50), sealed.ErrOpen},
		"cut to 79 bytes": {raw[:79], sealed.ErrOpen},
		"cut to 47 bytes": {raw[:47], sealed.ErrOpen},
		"31-byte token":   {serverToken(t, make([]byte, 31), acc.secrets.PublicKey()), keys.ErrInvalidEnvelope},
		"33-byte token":   {serverToken(t, make([]byte, 33), acc.secrets.PublicKey()), keys.ErrInvalidEnvelope},
		"empty":           {nil, sealed.ErrOpen},
	} {
		_, err := keys.OpenToken(tc.in, acc.secrets)
		assert.ErrorIs(t, err, tc.want, name)
	}
	// The token's base64 is decoded strictly before OpenToken sees it.
	good := base64.StdEncoding.EncodeToString(raw)
	for name, s := range map[string]string{
		"truncated":       good[:len(good)-1],
		"URL-safe base64": base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xff}, 80)),
		"line break":      good[:8] + "\n" + good[8:],
	} {
		var c keys.Ciphertext
		assert.Error(t, c.UnmarshalText([]byte(s)), "%s: decoded as a Ciphertext", name)
	}
}
