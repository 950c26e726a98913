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
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
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

	// Magic metadata: the app's JSON in a one-message blob under the
	// collection key (an album's) or the file key (a file's).
	magic := func(v string, key *secret.Key) map[string]any {
		data, hdr, err := stream.EncryptBlob([]byte(v), key)
		if err != nil {
			t.Fatal(err)
		}
		return map[string]any{"version": 1, "count": strings.Count(v, ":"), "data": b64.Encode(data), "header": text(hdr)}
	}
	for _, call := range []struct{ path, meta string }{
		{"/collections/magic-metadata", `{"visibility":0,"subType":0}`},
		{"/collections/public-magic-metadata", `{"asc":true,"coverID":` + strconv.FormatInt(live, 10) + `}`},
	} {
		key := ck
		if err := s.c.Do(ctx, http.MethodPut, call.path, nil, nil, map[string]any{"id": id, "magicMetadata": magic(call.meta, key)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, call := range []struct{ path, meta string }{
		{"/files/magic-metadata", `{"visibility":0}`},
		{"/files/public-magic-metadata", `{"editedTime":1700000000000000,"caption":"a caption"}`},
	} {
		item := map[string]any{"id": live, "magicMetadata": magic(call.meta, fk)}
		if err := s.c.Do(ctx, http.MethodPut, call.path, nil, nil, map[string]any{"metadataList": []any{item}}, nil); err != nil {
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

	s.checkRecords(t, got, recordKeys{collection: ck, file: fk, fileID: live, authKey: authKey, master: s.secrets.MasterKey()})

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
	master                    *keys.MasterKey
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

func (s *suite) checkRecords(t *testing.T, got []captured, k recordKeys) {}
