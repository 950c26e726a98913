package share

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The cache holds what the server sent, as it sent it: the collection JSON
// and the live file entries, still encrypted, and the sinceTime to resume
// from. Nothing decrypted and no key is written to disk, so the cache
// directory is no more sensitive than the server's copy; a Viewer decrypts
// it again with the link's key when it loads.
const cacheVersion = 1

type cacheState struct {
	Version    int               `json:"version"`
	SinceTime  int64             `json:"sinceTime"`
	Collection json.RawMessage   `json:"collection,omitempty"`
	Files      []json.RawMessage `json:"files"`
}

// state is the in-memory form: entries by file ID.
type state struct {
	sinceTime  int64
	collection json.RawMessage
	files      map[int64]json.RawMessage
}

func newState() *state { return &state{files: map[int64]json.RawMessage{}} }

// cachePath names the album's cache file after a hash of its access token,
// so one directory can hold many albums and the token is not in a name.
func cachePath(dir, token string) string {
	sum := sha256.Sum256([]byte("e2ee share cache v1\x00" + token))
	return filepath.Join(dir, "album-"+hex.EncodeToString(sum[:16])+".json")
}

// loadState reads the cache file; a missing file is an empty state.
func loadState(path string) (*state, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return newState(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("share: reading cache: %w", err)
	}
	st, err := decodeState(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", err, filepath.Base(path))
	}
	return st, nil
}

func decodeState(b []byte) (*state, error) {
	var c cacheState
	if err := json.Unmarshal(b, &c); err != nil || c.Version != cacheVersion || c.SinceTime < 0 {
		return nil, ErrCorruptCache
	}
	st := newState()
	st.sinceTime, st.collection = c.SinceTime, c.Collection
	for _, raw := range c.Files {
		var id struct{ ID int64 }
		if json.Unmarshal(raw, &id) != nil {
			return nil, fmt.Errorf("%w: bad file entry", ErrCorruptCache)
		}
		st.files[id.ID] = raw
	}
	return st, nil
}

// encodeState lists the files by ID, so equal states encode equally.
func encodeState(st *state) ([]byte, error) {
	c := cacheState{Version: cacheVersion, SinceTime: st.sinceTime, Collection: st.collection, Files: make([]json.RawMessage, 0, len(st.files))}
	ids := make([]int64, 0, len(st.files))
	for id := range st.files {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, cmp.Compare)
	for _, id := range ids {
		c.Files = append(c.Files, st.files[id])
	}
	return json.Marshal(c)
}

// saveState replaces the cache file atomically: write a temporary file in
// the same directory, flush it to disk, rename it over the old one, and
// flush the directory. A crash leaves either the old or the new state,
// never a mix; a stray temporary file is removed by the next Viewer.
func saveState(path string, st *state) error {
	b, err := encodeState(st)
	if err != nil {
		return fmt.Errorf("share: encoding cache: %w", err)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempPrefix(path)+"*")
	if err != nil {
		return fmt.Errorf("share: writing cache: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("share: writing cache: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: not every system can sync a directory
		d.Close()
	}
	return nil
}

func tempPrefix(path string) string { return "." + filepath.Base(path) + ".tmp-" }

// removeStrayTemps deletes temporary files left by a crash mid-save.
func removeStrayTemps(path string) {
	prefix := tempPrefix(path)
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			os.Remove(filepath.Join(filepath.Dir(path), e.Name()))
		}
	}
}
