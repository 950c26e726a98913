package keys_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/internal/roundtrip"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/secret"
)

// museumFixture reads an answer captured from museum (testdata/museum).
func museumFixture(t *testing.T, name string, v any) {
	t.Helper()
	b, err := roundtrip.Fixture(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
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
	if err != nil {
		t.Fatal(err)
	}
	authKey, err := keys.OpenAuthKey(&env, mk)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := secret.NewKey(k.AuthKey); !authKey.Equal(want) {
		t.Fatal("museum's authKey envelope opens to another key")
	}
	var live, deleted int
	for i, raw := range diff.Diff {
		if err := roundtrip.Check[keys.AuthEntry](raw); err != nil {
			t.Errorf("entry %d: %v", i, err)
		}
		var e keys.AuthEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Fatal(err)
		}
		if e.IsDeleted {
			deleted++
			if e.Entity != nil {
				t.Errorf("entry %d: deleted with an entity", i)
			}
			// The bare entity type says what to use instead of "missing".
			var bare keys.AuthEntity
			if err := json.Unmarshal(raw, &bare); !errors.Is(err, keys.ErrInvalidEnvelope) || !strings.Contains(err.Error(), "AuthEntry") {
				t.Errorf("a deleted entry as AuthEntity: %v", err)
			}
			continue
		}
		live++
		uri, err := keys.OpenAuthEntity(e.Entity, authKey)
		if err != nil || !strings.HasPrefix(uri, "otpauth://totp/Museum:kept") {
			t.Errorf("entry %d: %q, %v", i, uri, err)
		}
	}
	if live == 0 || deleted == 0 {
		t.Fatalf("%d live and %d deleted entries, want both", live, deleted)
	}
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
		if err := json.Unmarshal([]byte(doc), &e); !errors.Is(err, keys.ErrInvalidEnvelope) {
			t.Errorf("%s: %v, want ErrInvalidEnvelope", name, err)
		}
	}
}
