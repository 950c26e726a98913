package share

import (
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/vectorseed"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/share/internal/wire"
	"github.com/e2eekit/e2ee/share/sharetest"
)

// seedAlbum serves a small album and returns its key, its info and diff
// responses as the server sent them.
func seedAlbum(f *testing.F) (key *secret.Key, collection json.RawMessage, entries []json.RawMessage) {
	srv := sharetest.New("Seeds")
	a := srv.AddFile("a.jpg", []byte("aaaa"), []byte("t"))
	srv.AddFile("b.jpg", nil, nil)
	srv.Tamper(a, sharetest.DamageMetadata)
	srv.DeleteFile(srv.AddFile("c.jpg", []byte("c"), []byte("c")))
	ts := httptest.NewServer(srv)
	defer ts.Close()
	get := func(path string, out any) {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Header.Set(wire.TokenHeader, srv.Token)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(f, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		require.NoError(f, json.Unmarshal(b, out))
	}
	var info wire.InfoResponse
	get(wire.InfoPath, &info)
	var diff wire.DiffResponse
	get(wire.DiffPath+"?sinceTime=0", &diff)
	return srv.Key, info.Collection, diff.Diff
}

func FuzzOpenCollection(f *testing.F) {
	key, coll, _ := seedAlbum(f)
	f.Add([]byte(coll))
	f.Add([]byte(`{"id":1,"name":"legacy plain name","publicURLs":[{"passwordEnabled":true,"nonce":"AAAAAAAAAAAAAAAAAAAAAA==","memLimit":8192,"opsLimit":1}]}`))
	f.Add([]byte(`{"id":1,"publicURLs":[{"passwordEnabled":true}]}`))
	f.Add([]byte(`null`))
	// The vectors' password-protected link params, as the server puts them
	// in a public URL (passHash stays on the server).
	for _, lp := range vectorseed.Strings(f, "linkpass.json", "linkParams") {
		var u map[string]any
		require.NoError(f, json.Unmarshal([]byte(lp), &u))
		delete(u, "passHash")
		u["passwordEnabled"] = true
		b, err := json.Marshal(map[string]any{"id": 1, "type": "album", "publicURLs": []any{u}})
		require.NoError(f, err)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		h, err := openCollection(raw, key)
		if err != nil {
			require.Nil(t, h, "openCollection error %v", err)
			require.True(t, errors.Is(err, ErrBadResponse) || errors.Is(err, ErrKeyMismatch) || errors.Is(err, ErrUndecryptable), "openCollection error %v", err)
			return
		}
		if h.password != nil && (h.password.MemLimit == 0 && h.password.OpsLimit == 0) {
			// Zero limits pass decoding; LinkPassHash must then refuse them.
			_, err := LinkPassHash(nil, *h.password)
			require.Error(t, err, "LinkPassHash accepted zero limits")
		}
	})
}

func FuzzOpenFile(f *testing.F) {
	key, coll, entries := seedAlbum(f)
	h, err := openCollection(coll, key)
	require.NoError(f, err)
	for _, e := range entries {
		f.Add([]byte(e))
	}
	// The first entry, its metadata blob or file header replaced by each
	// of the vectors' (under other keys: they exercise decoding and the
	// stream checks).
	var first map[string]any
	require.NoError(f, json.Unmarshal(entries[0], &first))
	with := func(field string, attrs map[string]string) {
		e := maps.Clone(first)
		e[field] = attrs
		b, err := json.Marshal(e)
		require.NoError(f, err)
		f.Add(b)
	}
	for _, r := range vectorseed.Rows(f, "blob.json", "ct", "header") {
		with("metadata", map[string]string{"encryptedData": r[0], "decryptionHeader": r[1]})
	}
	for _, h := range vectorseed.Strings(f, "file.json", "header") {
		with("file", map[string]string{"decryptionHeader": h})
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var w wire.File
		if json.Unmarshal(raw, &w) != nil {
			return // a whole page fails with ErrBadResponse; see Sync
		}
		o, _, err := openFile(&w, key, h.id)
		if err != nil {
			require.ErrorIs(t, err, ErrUndecryptable, "openFile")
			require.Nil(t, o, "openFile")
			return
		}
		defer o.key.Destroy()
		require.Equal(t, w.ID, o.ID, "opened entry %d inconsistent", w.ID)
		require.NotNil(t, o.key, "opened entry %d inconsistent", w.ID)
		require.True(t, json.Valid(o.Metadata), "opened entry %d inconsistent", w.ID)
	})
}

func FuzzDecodeState(f *testing.F) {
	st := newState()
	st.sinceTime = 42
	st.collection = json.RawMessage(`{"id":7}`)
	st.files[3] = json.RawMessage(`{"id":3,"collectionID":7}`)
	seed, err := encodeSnapshot(st)
	require.NoError(f, err)
	f.Add(seed)
	f.Add(append(seed, `{"sinceTime":43,"put":[{"id":4}],"del":[3]}`+"\n"...))
	f.Add(append(seed, `{"sinceTime":44,"put":[{"id":4}],"d`...))
	f.Add([]byte(`{"version":1,"sinceTime":-1}`))
	f.Add([]byte(`{"version":1,"files":[{"id":"x"}]}`))
	f.Add([]byte(`{"version":1,"sinceTime":5,"collection":{"id":7,"publicURLs":[{"url":"https://x/?t=TOKEN"}]},"files":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, size, snap, err := decodeState(b)
		if err != nil {
			require.ErrorIs(t, err, ErrCorruptCache, "decodeState")
			require.Nil(t, got, "decodeState")
			return
		}
		require.GreaterOrEqual(t, size, snap, "valid bytes %d, snapshot %d, of %d", size, snap, len(b))
		require.LessOrEqual(t, size, int64(len(b)), "valid bytes %d, snapshot %d, of %d", size, snap, len(b))
		// What decodes encodes canonically and decodes back the same.
		enc, err := encodeSnapshot(got)
		require.NoError(t, err)
		again, _, _, err := decodeState(enc)
		require.NoError(t, err, "re-decoding")
		require.Equal(t, got.sinceTime, again.sinceTime, "re-decoding")
		require.Len(t, again.files, len(got.files), "re-decoding")
		enc2, _ := encodeSnapshot(again)
		require.Equal(t, enc, enc2, "encoding is not canonical")
	})
}
