//go:build integration

package museum_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/internal/roundtrip"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/record"
	"github.com/e2eekit/e2ee/secret"
)

// captured is one museum answer kept as it came, under the name of its
// fixture in testdata/museum.
type captured struct {
	name string
	body json.RawMessage
}

// records: an album with magic metadata (private and public, on the album
// and on a file), a trashed file and a public link, and an Auth vault with
// a deleted entity; every answer that holds them is captured. With
// E2EE_CAPTURE_DIR set, they are written there (after links' access tokens
// are replaced), to refresh testdata/museum.
func (s *suite) records(t *testing.T) {
	ctx := t.Context()
	ck := secret.GenerateKey()
	defer ck.Destroy()
	id := s.createCollection(t, "records ✓", ck)
	live, _ := s.add(t, id, ck, "live.bin", 10)
	gone, _ := s.add(t, id, ck, "trashed.bin", 1)
	fk := s.fileKey(t, id, live, ck) // destroyed with the test

	// Magic metadata, sealed by package record: version 1 for a first
	// write (museum requires a version, and omits 0).
	magic := func(v string, key *secret.Key) *record.Magic {
		m, err := record.SealMagic(json.RawMessage(v), 1, key)
		require.NoError(t, err)
		return m
	}
	for _, call := range []struct{ path, meta string }{
		{"/collections/magic-metadata", `{"visibility":0,"subType":0}`},
		{"/collections/public-magic-metadata", `{"asc":true,"coverID":` + strconv.FormatInt(live, 10) + `}`},
	} {
		require.NoError(t, s.c.Do(ctx, http.MethodPut, call.path, nil, nil, record.MagicUpdate{ID: id, MagicMetadata: magic(call.meta, ck)}, nil))
	}
	for _, call := range []struct{ path, meta string }{
		{"/files/magic-metadata", `{"visibility":0}`},
		{"/files/public-magic-metadata", `{"editedTime":1700000000000000,"caption":"a caption"}`},
	} {
		item := record.MagicUpdate{ID: live, MagicMetadata: magic(call.meta, fk)}
		require.NoError(t, s.c.Do(ctx, http.MethodPut, call.path, nil, nil, map[string]any{"metadataList": []record.MagicUpdate{item}}, nil))
	}
	require.NoError(t, s.c.Trash(ctx, id, gone))
	link := s.publicLink(t, id, ck)

	var got []captured
	get := func(name, path string, q url.Values, h http.Header) {
		var raw json.RawMessage
		require.NoError(t, s.c.Do(ctx, http.MethodGet, path, q, h, nil, &raw), "%s", name)
		got = append(got, captured{name, raw})
	}
	get("collections-v2", "/collections/v2", url.Values{"sinceTime": {"0"}}, nil)
	get("collections-v2-diff", "/collections/v2/diff", url.Values{"collectionID": {strconv.FormatInt(id, 10)}, "sinceTime": {"0"}}, nil)
	pub := http.Header{"X-Auth-Access-Token": {link.AccessToken}}
	get("public-collection-info", "/public-collection/info", nil, pub)
	get("public-collection-diff", "/public-collection/diff", url.Values{"sinceTime": {"0"}}, pub)

	// The Auth vault: a key envelope, two entities, one deleted.
	authKey, env := keys.NewAuthKey(s.secrets.MasterKey())
	defer authKey.Destroy()
	require.NoError(t, s.c.Do(ctx, http.MethodPost, "/authenticator/key", nil, nil, env, nil))
	var ids []string
	for _, uri := range []string{"otpauth://totp/Museum:kept?secret=JBSWY3DPEHPK3PXP&issuer=Museum", "otpauth://totp/Museum:deleted?secret=GEZDGNBVGY3TQOJQ"} {
		e, err := keys.SealAuthEntity(uri, authKey)
		require.NoError(t, err)
		var out struct {
			ID string `json:"id"`
		}
		require.NoError(t, s.c.Do(ctx, http.MethodPost, "/authenticator/entity", nil, nil, e, &out))
		ids = append(ids, out.ID)
	}
	require.NoError(t, s.c.Do(ctx, http.MethodDelete, "/authenticator/entity", url.Values{"id": {ids[1]}}, nil, nil, nil))
	get("authenticator-key", "/authenticator/key", nil, nil)
	get("authenticator-entity-diff", "/authenticator/entity/diff", url.Values{"sinceTime": {"0"}, "limit": {"500"}}, nil)

	s.checkRecords(t, got, recordKeys{collection: ck, file: fk, fileID: live, authKey: authKey})

	dir := os.Getenv("E2EE_CAPTURE_DIR")
	if dir == "" {
		return
	}
	// The throwaway account's keys go with the fixtures so that tests can
	// open them; the link's access token and the account's session token
	// do not (the former appears in publicURLs).
	keyFile, _ := json.MarshalIndent(map[string]string{
		"collectionKey": b64.Encode(ck.Bytes()), "fileKey": b64.Encode(fk.Bytes()), "authKey": b64.Encode(authKey.Bytes()),
		"masterKey": b64.Encode(s.secrets.MasterKey().Bytes()), "fileID": strconv.FormatInt(live, 10),
	}, "", "  ")
	got = append(got, captured{"keys", keyFile})
	for _, c := range got {
		b := accessToken.ReplaceAll(c.body, []byte("?t=ACCESSTOKEN"))
		var out bytes.Buffer
		require.NoError(t, json.Indent(&out, b, "", "  "))
		out.WriteByte('\n')
		require.NoError(t, os.WriteFile(filepath.Join(dir, c.name+".json"), out.Bytes(), 0o644))
	}
	t.Logf("wrote %d fixtures to %s", len(got), dir)
}

// accessToken matches a link's access token in a publicURLs url.
var accessToken = regexp.MustCompile(`\?t=[A-Za-z0-9]+`)

// recordKeys open what the records phase captured.
type recordKeys struct {
	collection, file, authKey *secret.Key
	fileID                    int64
}

// fileKey opens a file's key from the owner's diff.
func (s *suite) fileKey(t *testing.T, collectionID, fileID int64, ck *secret.Key) *secret.Key {
	t.Helper()
	files := s.ownerFiles(t, collectionID, ck)
	f, ok := files[fileID]
	require.True(t, ok, "file %d not in the owner's diff", fileID)
	return f.key
}

// checkRecords holds package record and keys.AuthEntry to the live
// answers, as the fixture tests do to the captured ones: every record
// decodes and encodes back to the same members, and the magic metadata
// and the Auth entity open.
func (s *suite) checkRecords(t *testing.T, got []captured, k recordKeys) {
	t.Helper()
	for _, c := range got {
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(c.body, &m), "%s", c.name)
		var list []json.RawMessage
		var check func([]byte) error
		switch c.name {
		case "collections-v2":
			check = roundtrip.Check[record.Collection]
			_ = json.Unmarshal(m["collections"], &list)
		case "public-collection-info":
			check, list = roundtrip.Check[record.Collection], []json.RawMessage{m["collection"]}
		case "collections-v2-diff", "public-collection-diff":
			check = roundtrip.Check[record.File]
			_ = json.Unmarshal(m["diff"], &list)
		case "authenticator-entity-diff":
			check = roundtrip.Check[keys.AuthEntry]
			_ = json.Unmarshal(m["diff"], &list)
		default:
			continue
		}
		assert.NotEmpty(t, list, "%s: no records", c.name)
		for i, raw := range list {
			assert.NoError(t, check(raw), "%s record %d", c.name, i)
			s.openRecord(t, c.name, raw, k)
		}
	}
}

// openRecord decrypts what a record holds under the phase's keys.
func (s *suite) openRecord(t *testing.T, name string, raw json.RawMessage, k recordKeys) {
	t.Helper()
	switch name {
	case "collections-v2-diff":
		var f record.File
		if err := json.Unmarshal(raw, &f); err != nil || f.ID != k.fileID {
			return
		}
		for _, m := range []*record.Magic{f.MagicMetadata, f.PubMagicMetadata} {
			require.NotNil(t, m, "file %d: magic metadata missing", f.ID)
			_, err := m.Open(k.file)
			assert.NoError(t, err, "file %d", f.ID)
		}
	case "public-collection-info":
		var c record.Collection
		require.NoError(t, json.Unmarshal(raw, &c))
		got, err := c.OpenName(k.collection)
		assert.NoError(t, err, "album name")
		assert.Equal(t, "records ✓", got, "album name")
		require.NotNil(t, c.PubMagicMetadata, "album public magic metadata missing")
		_, err = c.PubMagicMetadata.Open(k.collection)
		assert.NoError(t, err)
	case "authenticator-entity-diff":
		var e keys.AuthEntry
		if err := json.Unmarshal(raw, &e); err != nil || e.IsDeleted {
			return
		}
		uri, err := keys.OpenAuthEntity(e.Entity, k.authKey)
		assert.NoError(t, err, "Auth entity")
		assert.Contains(t, uri, "Museum:kept", "Auth entity")
	}
}
