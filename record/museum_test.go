package record_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/internal/roundtrip"
	"github.com/e2eekit/e2ee/record"
	"github.com/e2eekit/e2ee/secret"
)

// fixture reads an answer captured from museum (testdata/museum).
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := roundtrip.Fixture(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// members reads the JSON array at member of a captured answer.
func members(t *testing.T, name, member string) []json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	var list []json.RawMessage
	if err := json.Unmarshal(fixture(t, name), &m); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(m[member], &list); err != nil || len(list) == 0 {
		t.Fatalf("%s: no %s: %v", name, member, err)
	}
	return list
}

// TestMuseumRoundTrip: every file and collection museum returned decodes,
// and encodes back to the same members and values.
func TestMuseumRoundTrip(t *testing.T) {
	var info struct{ Collection json.RawMessage }
	if err := json.Unmarshal(fixture(t, "public-collection-info"), &info); err != nil {
		t.Fatal(err)
	}
	for name, entries := range map[string][]json.RawMessage{
		"collections-v2":         members(t, "collections-v2", "collections"),
		"public-collection-info": {info.Collection},
	} {
		for i, raw := range entries {
			if err := roundtrip.Check[record.Collection](raw); err != nil {
				t.Errorf("%s collection %d: %v", name, i, err)
			}
		}
	}
	deleted := 0
	for _, name := range []string{"collections-v2-diff", "public-collection-diff"} {
		for i, raw := range members(t, name, "diff") {
			if err := roundtrip.Check[record.File](raw); err != nil {
				t.Errorf("%s entry %d: %v", name, i, err)
			}
			var f record.File
			if err := json.Unmarshal(raw, &f); err == nil && f.IsDeleted {
				deleted++
			}
		}
	}
	if deleted == 0 {
		t.Error("the fixtures hold no deleted entry")
	}
}

// capturedKeys are the throwaway account's keys, kept with the fixtures.
type capturedKeys struct {
	collection, file *secret.Key
	fileID           int64
}

func keysOf(t *testing.T) capturedKeys {
	t.Helper()
	var k struct{ CollectionKey, FileKey, FileID string }
	if err := json.Unmarshal(fixture(t, "keys"), &k); err != nil {
		t.Fatal(err)
	}
	var out capturedKeys
	for _, p := range []struct {
		s   string
		dst **secret.Key
	}{{k.CollectionKey, &out.collection}, {k.FileKey, &out.file}} {
		var b record.Ciphertext
		if err := b.UnmarshalText([]byte(p.s)); err != nil {
			t.Fatal(err)
		}
		key, err := secret.NewKey(b)
		if err != nil {
			t.Fatal(err)
		}
		*p.dst = key
	}
	id, err := strconv.ParseInt(k.FileID, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	out.fileID = id
	return out
}

// TestMuseumMagicMetadata opens what museum stored: the album's name and
// magic metadata (private and public) under its key, and the file's under
// the file key, as the owner and as a link see them.
func TestMuseumMagicMetadata(t *testing.T) {
	k := keysOf(t)
	var info struct{ Collection record.Collection }
	if err := json.Unmarshal(fixture(t, "public-collection-info"), &info); err != nil {
		t.Fatal(err)
	}
	c := info.Collection
	if name, err := c.OpenName(k.collection); err != nil || name != "records ✓" {
		t.Errorf("album name %q, %v", name, err)
	}
	if c.MagicMetadata != nil {
		t.Error("a link was served the owner's private magic metadata")
	}
	if got := open(t, c.PubMagicMetadata, k.collection); !strings.Contains(got, `"asc":true`) {
		t.Errorf("album public metadata %s", got)
	}
	var owned *record.Collection
	for _, raw := range members(t, "collections-v2", "collections") {
		var oc record.Collection
		if err := json.Unmarshal(raw, &oc); err != nil {
			t.Fatal(err)
		}
		if oc.ID == c.ID {
			owned = &oc
		}
	}
	if owned == nil {
		t.Fatal("the album is not in the owner's list")
	}
	if got := open(t, owned.MagicMetadata, k.collection); got != `{"visibility":0,"subType":0}` {
		t.Errorf("album private metadata %s", got)
	}
	for name, private := range map[string]bool{"collections-v2-diff": true, "public-collection-diff": false} {
		for _, raw := range members(t, name, "diff") {
			var f record.File
			if err := json.Unmarshal(raw, &f); err != nil {
				t.Fatal(err)
			}
			if f.ID != k.fileID {
				continue
			}
			if got := open(t, f.PubMagicMetadata, k.file); !strings.Contains(got, `"caption":"a caption"`) {
				t.Errorf("%s: file public metadata %s", name, got)
			}
			if private {
				if got := open(t, f.MagicMetadata, k.file); got != `{"visibility":0}` {
					t.Errorf("%s: file private metadata %s", name, got)
				}
			} else if f.MagicMetadata != nil {
				t.Errorf("%s: a link was served a file's private magic metadata", name)
			}
		}
	}
}

func open(t *testing.T, m *record.Magic, key *secret.Key) string {
	t.Helper()
	if m == nil {
		t.Fatal("no magic metadata")
	}
	b, err := m.Open(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
