package record_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/record"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/stream"
)

const (
	nonce24 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" // 24 zero bytes
	box48   = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
)

// liveFile is a minimal live diff entry with members replaced by over.
func liveFile(over map[string]any) []byte {
	m := map[string]any{
		"id": 7, "ownerID": 1, "collectionID": 2, "collectionOwnerID": 1,
		"encryptedKey": box48, "keyDecryptionNonce": nonce24,
		"file":      map[string]any{"decryptionHeader": nonce24, "size": 0},
		"thumbnail": map[string]any{"decryptionHeader": nonce24, "size": 0},
		"metadata":  map[string]any{"encryptedData": "AAAAAAAAAAAAAAAAAAAAAAAA", "decryptionHeader": nonce24, "size": 0},
		"isDeleted": false, "updationTime": 9,
	}
	for k, v := range over {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return b
}

// TestFileRejects: each malformed field is refused with ErrInvalid and its
// name, never its value.
func TestFileRejects(t *testing.T) {
	for name, tc := range map[string]struct {
		doc   []byte
		field string
	}{
		"missing key":        {liveFile(map[string]any{"encryptedKey": nil}), "file.encryptedKey: missing"},
		"URL-safe nonce":     {liveFile(map[string]any{"keyDecryptionNonce": strings.Repeat("_", 32)}), "file.keyDecryptionNonce"},
		"short header":       {liveFile(map[string]any{"file": map[string]any{"decryptionHeader": "AAAA"}}), "file.file.decryptionHeader"},
		"no metadata data":   {liveFile(map[string]any{"metadata": map[string]any{"decryptionHeader": nonce24}}), "file.metadata.encryptedData: missing"},
		"bad magic":          {liveFile(map[string]any{"pubMagicMetadata": map[string]any{"version": 1, "data": "AAAA"}}), "file.pubMagicMetadata.header: missing"},
		"a string for an ID": {liveFile(map[string]any{"id": "7"}), "id"},
		"not an object":      {[]byte(`[]`), "file"},
		"a name twice":       {[]byte(`{"id":1,"id":2}`), "duplicate"},
		"a byte-order mark":  {append([]byte("\ufeff"), liveFile(nil)...), "file"},
	} {
		var f record.File
		err := json.Unmarshal(tc.doc, &f)
		if tc.field == "file" && err != nil && !errors.Is(err, record.ErrInvalid) {
			continue // encoding/json refuses invalid JSON before UnmarshalJSON runs
		}
		assert.ErrorIs(t, err, record.ErrInvalid, "%s: want ErrInvalid naming %s", name, tc.field)
		assert.ErrorContains(t, err, tc.field, name)
		if err != nil {
			assert.NotContains(t, err.Error(), box48[:20], "%s: the error quotes a value", name)
		}
	}
	require.NoError(t, json.Unmarshal(liveFile(nil), new(record.File)), "the valid entry")
}

// TestDeletedFile: a deleted entry may come with its keys and headers
// empty, and encodes back as it came.
func TestDeletedFile(t *testing.T) {
	doc := `{"id":7,"ownerID":1,"collectionID":2,"collectionOwnerID":null,"encryptedKey":"","keyDecryptionNonce":"",` +
		`"file":{"decryptionHeader":"","size":0},"thumbnail":{"decryptionHeader":"","size":0},` +
		`"metadata":{"decryptionHeader":"","size":0},"isDeleted":true,"updationTime":9}`
	var f record.File
	require.NoError(t, json.Unmarshal([]byte(doc), &f))
	require.True(t, f.IsDeleted, "decoded %+v", f)
	require.Nil(t, f.Key.EncryptedKey, "decoded %+v", f)
	back, err := json.Marshal(f)
	require.NoError(t, err, "re-encoded")
	require.Equal(t, doc, string(back), "re-encoded")
	var live record.File
	err = json.Unmarshal([]byte(strings.Replace(doc, `"isDeleted":true`, `"isDeleted":false`, 1)), &live)
	assert.ErrorIs(t, err, record.ErrInvalid, "a live entry without a key")
}

func TestMagicSealOpen(t *testing.T) {
	k := secret.GenerateKey()
	m, err := record.SealMagic(json.RawMessage(`{"visibility":2,"caption":"x"}`), 3, k)
	require.NoError(t, err)
	require.Equal(t, 3, m.Version, "version")
	require.Equal(t, 2, m.Count, "count")
	wire, err := json.Marshal(m)
	require.NoError(t, err)
	var back record.Magic
	require.NoError(t, json.Unmarshal(wire, &back))
	got, err := back.Open(k)
	require.NoError(t, err, "Open")
	require.Equal(t, `{"visibility":2,"caption":"x"}`, string(got), "Open")
	_, err = back.Open(secret.GenerateKey())
	assert.ErrorIs(t, err, stream.ErrOpen, "wrong key")
	for _, bad := range []string{`[1]`, `"s"`, `{"a":1,"a":2}`, `{`} {
		_, err := record.SealMagic(json.RawMessage(bad), 0, k)
		assert.ErrorIs(t, err, record.ErrInvalid, "SealMagic(%s)", bad)
		ct, h, _ := stream.EncryptBlob([]byte(bad), k)
		_, err = (&record.Magic{Data: ct, Header: h}).Open(k)
		assert.ErrorIs(t, err, record.ErrInvalid, "Open of %s", bad)
	}
}

func TestNewWrappedKey(t *testing.T) {
	w, err := record.NewWrappedKey(box48, nonce24)
	require.NoError(t, err, "NewWrappedKey")
	require.Len(t, w.EncryptedKey, 48, "NewWrappedKey")
	for name, tc := range map[string][2]string{
		"encryptedKey":       {"", nonce24},
		"keyDecryptionNonce": {box48, nonce24[:28] + "===="},
	} {
		_, err := record.NewWrappedKey(tc[0], tc[1])
		assert.ErrorIs(t, err, record.ErrInvalid, "bad %s", name)
		assert.ErrorContains(t, err, name, "bad %s", name)
	}
}

func TestCollectionKeyAndName(t *testing.T) {
	ck := secret.GenerateKey()
	n := secretbox.RandomNonce()
	doc := `{"id":5,"owner":{"id":1,"email":"","name":"","role":""},"encryptedKey":"` + box48 + `",` +
		`"name":"","encryptedName":"` + b64.Encode(secretbox.Seal(nil, []byte("Lisbon"), n, ck)) + `","nameDecryptionNonce":"` + b64.Encode(n[:]) + `",` +
		`"type":"album","attributes":{"version":0},"sharees":null,"publicURLs":[],"updationTime":1,"app":"photos"}`
	var c record.Collection
	require.NoError(t, json.Unmarshal([]byte(doc), &c))
	name, err := c.OpenName(ck)
	assert.NoError(t, err, "OpenName")
	assert.Equal(t, "Lisbon", name, "OpenName")
	_, err = c.OpenName(secret.GenerateKey())
	assert.ErrorIs(t, err, secretbox.ErrOpen, "OpenName with another key")
	// No keyDecryptionNonce: a shared collection, whose key is sealed.
	_, err = c.OwnerKey()
	assert.ErrorIs(t, err, record.ErrInvalid, "OwnerKey without a nonce")
	back, err := json.Marshal(c)
	assert.NoError(t, err, "re-encoded")
	assert.Equal(t, doc, string(back), "re-encoded")
	old := record.Collection{Name: "legacy"}
	name, err = old.OpenName(ck)
	assert.NoError(t, err, "a plaintext name")
	assert.Equal(t, "legacy", name, "a plaintext name")
}

// TestExactNames: a member named as Ente's but in another case, which
// encoding/json would read into the field, is refused at any depth.
func TestExactNames(t *testing.T) {
	var f record.File
	for name, doc := range map[string]string{
		"file.encryptedKey":              strings.Replace(string(liveFile(nil)), `"encryptedKey"`, `"EncryptedKey"`, 1),
		"file.metadata.decryptionHeader": string(liveFile(map[string]any{"metadata": map[string]any{"encryptedData": "AAAA", "decryptionheader": nonce24}})),
		"file.pubMagicMetadata.header":   string(liveFile(map[string]any{"pubMagicMetadata": map[string]any{"version": 1, "data": "AAAA", "HEADER": nonce24}})),
		"wrapped key.keyDecryptionNonce": `{"encryptedKey":"` + box48 + `","keydecryptionnonce":"` + nonce24 + `"}`,
		"collection.publicURLs[0].nonce": `{"id":1,"encryptedKey":"` + box48 + `","publicURLs":[{"url":"","Nonce":"AAAAAAAAAAAAAAAAAAAAAA=="}]}`,
	} {
		var v any = &f
		switch {
		case strings.HasPrefix(name, "wrapped"):
			v = new(record.WrappedKey)
		case strings.HasPrefix(name, "collection"):
			v = new(record.Collection)
		}
		err := json.Unmarshal([]byte(doc), v)
		assert.ErrorIs(t, err, record.ErrInvalid, "%s: want ErrInvalid for a name in another case", name)
		assert.ErrorContains(t, err, name+": a member name in another case")
	}
}
