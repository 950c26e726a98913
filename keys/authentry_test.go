package keys_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/roundtrip"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/secret"
)

// museumFixture reads an answer captured from museum (testdata/museum).
func museumFixture(t *testing.T, name string, v any) {
	t.Helper()
	b, err := roundtrip.Fixture(name)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v), name)
}

// TestMuseumAuthDiff: museum's entity diff, a live entry and a deleted
// one (null data), decodes as AuthEntry, encodes back to the same members,
// and opens with the vault's authKey, itself opened from museum's
// /authenticator/key with the master key.
func TestMuseumAuthDiff(t *testing.T) {
	var diff struct{ Diff []json.RawMessage }
	museumFixture(t, "authenticator-entity-diff", &diff)
	var env keys.AuthKeyEnvelope
	museumFixture(t, "authenticator-key", &env)
	var k struct{ MasterKey, AuthKey keys.Ciphertext }
	museumFixture(t, "keys", &k)
	mk, err := keys.NewMasterKey(k.MasterKey)
	require.NoError(t, err)
	authKey, err := keys.OpenAuthKey(&env, mk)
	require.NoError(t, err)
	want, _ := secret.NewKey(k.AuthKey)
	require.True(t, authKey.Equal(want), "museum's authKey envelope opens to another key")
	var live, deleted int
	for i, raw := range diff.Diff {
		assert.NoError(t, roundtrip.Check[keys.AuthEntry](raw), "entry %d", i)
		var e keys.AuthEntry
		require.NoError(t, json.Unmarshal(raw, &e))
		if e.IsDeleted {
			deleted++
			assert.Nil(t, e.Entity, "entry %d: deleted with an entity", i)
			// The bare entity type says what to use instead of "missing".
			var bare keys.AuthEntity
			err := json.Unmarshal(raw, &bare)
			assert.ErrorIs(t, err, keys.ErrInvalidEnvelope, "a deleted entry as AuthEntity")
			assert.ErrorContains(t, err, "AuthEntry", "a deleted entry as AuthEntity")
			continue
		}
		live++
		uri, err := keys.OpenAuthEntity(e.Entity, authKey)
		assert.NoError(t, err, "entry %d", i)
		assert.True(t, strings.HasPrefix(uri, "otpauth://totp/Museum:kept"), "entry %d: %q", i, uri)
	}
	require.NotZero(t, live, "%d live and %d deleted entries, want both", live, deleted)
	require.NotZero(t, deleted, "%d live and %d deleted entries, want both", live, deleted)
}

func TestAuthEntryRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"live without data":  `{"id":"a","encryptedData":null,"header":null,"isDeleted":false}`,
		"live without id":    `{"encryptedData":"AAAA","header":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`,
		"bad header":         `{"id":"a","encryptedData":"AAAA","header":"AAAA","isDeleted":false}`,
		"a string isDeleted": `{"id":"a","encryptedData":null,"header":null,"isDeleted":"true"}`,
		"a name twice":       `{"id":"a","id":"b","encryptedData":null,"header":null,"isDeleted":true}`,
	} {
		var e keys.AuthEntry
		assert.ErrorIs(t, json.Unmarshal([]byte(doc), &e), keys.ErrInvalidEnvelope, name)
	}
}
