package share_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/redacttest"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/share"
)

func TestNewLinkPassword(t *testing.T) {
	pw := []byte("hunter2 ünïcode")
	lp, err := share.NewLinkPassword(pw)
	require.NoError(t, err)
	j, err := json.Marshal(lp)
	require.NoError(t, err)
	var wire map[string]any
	require.NoError(t, json.Unmarshal(j, &wire))
	require.Len(t, wire, 4, "wire JSON %s: want passHash, nonce, memLimit 67108864, opsLimit 2", j)
	require.Equal(t, float64(64<<20), wire["memLimit"], "wire JSON %s: want passHash, nonce, memLimit 67108864, opsLimit 2", j)
	require.Equal(t, float64(2), wire["opsLimit"], "wire JSON %s: want passHash, nonce, memLimit 67108864, opsLimit 2", j)
	salt, err := base64.StdEncoding.Strict().DecodeString(wire["nonce"].(string))
	require.NoError(t, err, "nonce %v is not a 16-byte salt", wire["nonce"])
	require.Len(t, salt, 16, "nonce %v is not a 16-byte salt", wire["nonce"])
	// Cross-check with golang.org/x/crypto/argon2 (memory in KiB, one lane).
	// The hash stands for the password: compared without a diff.
	want := argon2.IDKey(pw, salt, 2, 64<<10, 1, 32)
	require.True(t, wire["passHash"] == base64.StdEncoding.EncodeToString(want), "passHash differs from x/crypto/argon2")

	// A viewer re-derives it from the params in the server's JSON.
	var p share.PasswordParams
	require.NoError(t, json.Unmarshal(j, &p))
	h, err := share.LinkPassHash(pw, p)
	require.NoError(t, err)
	assert.True(t, h.Equal(lp.Hash), "LinkPassHash differs from NewLinkPassword")
	assert.True(t, h.Base64() == wire["passHash"], "LinkPassHash differs from NewLinkPassword's JSON")
	other, err := share.NewLinkPassword(pw)
	require.NoError(t, err)
	assert.NotEqual(t, lp.Params.Salt, other.Params.Salt, "two links share a salt")
	assert.False(t, other.Hash.Equal(lp.Hash), "two links share a hash")

	redacttest.Check(t, h, want)
	redacttest.Check(t, *h, want)
	// LinkPassword marshals to JSON on purpose (it is the server's body),
	// but it never prints or logs the hash.
	for _, v := range []any{lp, *lp} {
		for _, verb := range redacttest.Verbs {
			assert.Empty(t, redacttest.Leak(fmt.Sprintf(verb, v), want), "%s of %T shows the hash", verb, v)
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "lp", lp)
	assert.Empty(t, redacttest.Leak(buf.String(), want), "slog shows the hash: %s", buf.String())
}

func TestLinkPassHashCheap(t *testing.T) {
	// Cheap params (the server chooses them) against x/crypto.
	var salt pwhash.Salt
	copy(salt[:], "0123456789abcdef")
	p := share.PasswordParams{Salt: salt, MemLimit: 8 << 20, OpsLimit: 1}
	h, err := share.LinkPassHash([]byte("pw"), p)
	require.NoError(t, err)
	want := argon2.IDKey([]byte("pw"), salt[:], 1, 8<<10, 1, 32)
	assert.True(t, h.Base64() == base64.StdEncoding.EncodeToString(want), "LinkPassHash differs from x/crypto/argon2")
}

func TestLinkPassHashCapped(t *testing.T) {
	for name, tc := range map[string]struct {
		p    share.PasswordParams
		want error
	}{
		"1 GiB":       {share.PasswordParams{MemLimit: 1 << 30, OpsLimit: 2}, pwhash.ErrTooExpensive},
		"many passes": {share.PasswordParams{MemLimit: 64 << 20, OpsLimit: 1 << 40}, pwhash.ErrTooExpensive},
		"overflow":    {share.PasswordParams{MemLimit: 1 << 33, OpsLimit: 1 << 33}, pwhash.ErrTooExpensive},
		"zero ops":    {share.PasswordParams{MemLimit: 64 << 20}, pwhash.ErrInvalidParams},
		"tiny mem":    {share.PasswordParams{MemLimit: 1024, OpsLimit: 2}, pwhash.ErrInvalidParams},
		"zero":        {share.PasswordParams{}, pwhash.ErrInvalidParams},
	} {
		h, err := share.LinkPassHash([]byte("pw"), tc.p)
		assert.ErrorIs(t, err, tc.want, "%s: LinkPassHash", name)
		assert.Nil(t, h, "%s: LinkPassHash", name)
	}
}

func TestPasswordParamsStrictJSON(t *testing.T) {
	for _, j := range []string{
		`{"nonce":"AAAAAAAAAAAAAAAAAAAAAA","memLimit":8192,"opsLimit":1}`,   // unpadded
		`{"nonce":"AAAAAAAAAAAAAAAAAAAA","memLimit":8192,"opsLimit":1}`,     // 15 bytes
		`{"nonce":"____________________AA==","memLimit":8192,"opsLimit":1}`, // URL-safe
		`{"nonce":"AAAAAAAAAAAAAAAAAAAAAA==","memLimit":-1,"opsLimit":1}`,
	} {
		var p share.PasswordParams
		assert.Error(t, json.Unmarshal([]byte(j), &p), "accepted %s", j)
	}
}
