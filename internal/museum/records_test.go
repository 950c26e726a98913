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
	"strings"
	"testing"

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
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	for _, call := range []struct{ path, meta string }{
		{"/collections/magic-metadata", `{"visibility":0,"subType":0}`},
		{"/collections/public-magic-metadata", `{"asc":true,"coverID":` + strconv.FormatInt(live, 10) + `}`},
	} {
		if err := s.c.Do(ctx, http.MethodPut, call.path, nil, nil, record.MagicUpdate{ID: id, MagicMetadata: magic(call.meta, ck)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, call := range []struct{ path, meta string }{
		{"/files/magic-metadata", `{"visibility":0}`},
		{"/files/public-magic-metadata", `{"editedTime":1700000000000000,"caption":"a caption"}`},
	} {
		item := record.MagicUpdate{ID: live, MagicMetadata: magic(call.meta, fk)}
		if err := s.c.Do(ctx, http.MethodPut, call.path, nil, nil, map[string]any{"metadataList": []record.MagicUpdate{item}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.c.Trash(ctx, id, gone); err != nil {
		t.Fatal(err)
	}
	link := s.publicLink(t, id, ck)

	var got []captured
	get := func(name, path string, q url.Values, h http.Header) {
		var raw json.RawMessage
		if err := s.c.Do(ctx, http.MethodGet, path, q, h, nil, &raw); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
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
	if err := s.c.Do(ctx, http.MethodPost, "/authenticator/key", nil, nil, env, nil); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, uri := range []string{"otpauth://totp/Museum:kept?secret=JBSWY3DPEHPK3PXP&issuer=Museum", "otpauth://totp/Museum:deleted?secret=GEZDGNBVGY3TQOJQ"} {
		e, err := keys.SealAuthEntity(uri, authKey)
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			ID string `json:"id"`
		}
		if err := s.c.Do(ctx, http.MethodPost, "/authenticator/entity", nil, nil, e, &out); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out.ID)
	}
	if err := s.c.Do(ctx, http.MethodDelete, "/authenticator/entity", url.Values{"id": {ids[1]}}, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
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
		if err := json.Indent(&out, b, "", "  "); err != nil {
			t.Fatal(err)
		}
		out.WriteByte('\n')
		if err := os.WriteFile(filepath.Join(dir, c.name+".json"), out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
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
	if !ok {
		t.Fatalf("file %d not in the owner's diff", fileID)
	}
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
		if err := json.Unmarshal(c.body, &m); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
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
		if len(list) == 0 {
			t.Errorf("%s: no records", c.name)
		}
		for i, raw := range list {
			if err := check(raw); err != nil {
				t.Errorf("%s record %d: %v", c.name, i, err)
			}
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
			if m == nil {
				t.Fatalf("file %d: magic metadata missing", f.ID)
			}
			if _, err := m.Open(k.file); err != nil {
				t.Errorf("file %d: %v", f.ID, err)
			}
		}
	case "public-collection-info":
		var c record.Collection
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		if name, err := c.OpenName(k.collection); err != nil || name != "records ✓" {
			t.Errorf("album name %q, %v", name, err)
		}
		if c.PubMagicMetadata == nil {
			t.Fatal("album public magic metadata missing")
		}
		if _, err := c.PubMagicMetadata.Open(k.collection); err != nil {
			t.Error(err)
		}
	case "authenticator-entity-diff":
		var e keys.AuthEntry
		if err := json.Unmarshal(raw, &e); err != nil || e.IsDeleted {
			return
		}
		if uri, err := keys.OpenAuthEntity(e.Entity, k.authKey); err != nil || !strings.Contains(uri, "Museum:kept") {
			t.Errorf("Auth entity: %q, %v", uri, err)
		}
	}
}
