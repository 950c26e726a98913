package record_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/roundtrip"
	"github.com/e2eekit/e2ee/record"
	"github.com/e2eekit/e2ee/secret"
)

// fixture reads an answer captured from museum (testdata/museum).
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := roundtrip.Fixture(name)
	require.NoError(t, err)
	return b
}

// members reads the JSON array at member of a captured answer.
func members(t *testing.T, name, member string) []json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	var list []json.RawMessage
	require.NoError(t, json.Unmarshal(fixture(t, name), &m))
	require.NoError(t, json.Unmarshal(m[member], &list), "%s: no %s", name, member)
	require.NotEmpty(t, list, "%s: no %s", name, member)
	return list
}

// TestMuseumRoundTrip: every file and collection museum returned decodes,
// and encodes back to the same members and values.
func TestMuseumRoundTrip(t *testing.T) {
	var info struct{ Collection json.RawMessage }
	require.NoError(t, json.Unmarshal(fixture(t, "public-collection-info"), &info))
	for name, entries := range map[string][]json.RawMessage{
		"collections-v2":         members(t, "collections-v2", "collections"),
		"public-collection-info": {info.Collection},
	} {
		for i, raw := range entries {
			assert.NoError(t, roundtrip.Check[record.Collection](raw), "%s collection %d", name, i)
		}
	}
	deleted := 0
	for _, name := range []string{"collections-v2-diff", "public-collection-diff"} {
		for i, raw := range members(t, name, "diff") {
			assert.NoError(t, roundtrip.Check[record.File](raw), "%s entry %d", name, i)
			var f record.File
			if err := json.Unmarshal(raw, &f); err == nil && f.IsDeleted {
				deleted++
			}
		}
	}
	assert.NotZero(t, deleted, "the fixtures hold no deleted entry")
}

// capturedKeys are the throwaway account's keys, kept with the fixtures.
type capturedKeys struct {
	collection, file *secret.Key
	fileID           int64
}

func keysOf(t *testing.T) capturedKeys {
	t.Helper()
	var k struct{ CollectionKey, FileKey, FileID string }
	require.NoError(t, json.Unmarshal(fixture(t, "keys"), &k))
	var out capturedKeys
	for _, p := range []struct {
		s   string
		dst **secret.Key
	}{{k.CollectionKey, &out.collection}, {k.FileKey, &out.file}} {
		var b record.Ciphertext
		require.NoError(t, b.UnmarshalText([]byte(p.s)))
		key, err := secret.NewKey(b)
		require.NoError(t, err)
		*p.dst = key
	}
	id, err := strconv.ParseInt(k.FileID, 10, 64)
	require.NoError(t, err)
	out.fileID = id
	return out
}

// TestMuseumMagicMetadata opens what museum stored: the album's name and
// magic metadata (private and public) under its key, and the file's under
// the file key, as the owner and as a link see them.
func TestMuseumMagicMetadata(t *testing.T) {
	k := keysOf(t)
	var info struct{ Collection record.Collection }
	require.NoError(t, json.Unmarshal(fixture(t, "public-collection-info"), &info))
	c := info.Collection
	name, err := c.OpenName(k.collection)
	assert.NoError(t, err, "album name")
	assert.Equal(t, "records ✓", name, "album name")
	assert.Nil(t, c.MagicMetadata, "a link was served the owner's private magic metadata")
	assert.Contains(t, open(t, c.PubMagicMetadata, k.collection), `"asc":true`, "album public metadata")
	var owned *record.Collection
	for _, raw := range members(t, "collections-v2", "collections") {
		var oc record.Collection
		require.NoError(t, json.Unmarshal(raw, &oc))
		if oc.ID == c.ID {
			owned = &oc
		}
	}
	require.NotNil(t, owned, "the album is not in the owner's list")
	assert.Equal(t, `{"visibility":0,"subType":0}`, open(t, owned.MagicMetadata, k.collection), "album private metadata")
	for name, private := range map[string]bool{"collections-v2-diff": true, "public-collection-diff": false} {
		for _, raw := range members(t, name, "diff") {
			var f record.File
			require.NoError(t, json.Unmarshal(raw, &f))
			if f.ID != k.fileID {
				continue
			}
			assert.Contains(t, open(t, f.PubMagicMetadata, k.file), `"caption":"a caption"`, "%s: file public metadata", name)
			if private {
				assert.Equal(t, `{"visibility":0}`, open(t, f.MagicMetadata, k.file), "%s: file private metadata", name)
			} else {
				assert.Nil(t, f.MagicMetadata, "%s: a link was served a file's private magic metadata", name)
			}
		}
	}
}

func open(t *testing.T, m *record.Magic, key *secret.Key) string {
	t.Helper()
	require.NotNil(t, m, "no magic metadata")
	b, err := m.Open(key)
	require.NoError(t, err)
	return string(b)
}
