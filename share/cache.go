package share

import (
	"bytes"
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

// The cache holds what the server sent, as it sent it, less the link: the
// collection JSON (with each publicURLs[].url removed, since that URL holds
// the access token) and the live file entries, still encrypted, and the
// sinceTime to resume from. Nothing decrypted and no key or token is
// written to disk, so the cache directory is no more sensitive than the
// server's copy; a Viewer decrypts it again with the link's key when it
// loads.
//
// Version 2 is a journal of JSON lines, so that a page costs what it
// changed rather than a rewrite of the whole album:
//
//	{"version":2,"sinceTime":…,"collection":{…},"files":[entry,…]}   snapshot
//	{"sinceTime":…,"collection":{…},"put":[entry,…],"del":[id,…]}    one per page
//
// Each line is appended and flushed to disk before the next page is
// fetched; a line cut short by a crash (no final newline) is ignored, so a
// crash loses at most the page in flight. When the journal outgrows the
// snapshot the file is rewritten as one snapshot (temporary file, fsync,
// rename), which keeps the total bytes written linear in what was synced.
// Version 1 (one JSON object, rewritten after every page, token included)
// is still read, and rewritten as version 2 at once.
const cacheVersion = 2

// snapshotLine is the first line of a version 2 file, and the whole of a
// version 1 file.
type snapshotLine struct {
	Version     int               `json:"version"`
	SinceTime   int64             `json:"sinceTime"`
	DeviceToken string            `json:"deviceToken,omitempty"`
	Collection  json.RawMessage   `json:"collection,omitempty"`
	Files       []json.RawMessage `json:"files"`
}

// deltaLine records what one page changed.
type deltaLine struct {
	SinceTime   int64             `json:"sinceTime"`
	DeviceToken string            `json:"deviceToken,omitempty"`
	Collection  json.RawMessage   `json:"collection,omitempty"`
	Put         []json.RawMessage `json:"put,omitempty"`
	Del         []int64           `json:"del,omitempty"`
}

// state is the in-memory form: entries by file ID.
type state struct {
	sinceTime   int64
	deviceToken string // the link device token (see Options.UserAgent)
	collection  json.RawMessage
	files       map[int64]json.RawMessage
}

func newState() *state { return &state{files: map[int64]json.RawMessage{}} }

// apply replays one journal line (or a snapshot's files) onto st. An entry
// without a readable ID means the file is not ours: the state is then
// discarded by the caller.
func (st *state) apply(d *deltaLine) error {
	st.sinceTime = d.SinceTime
	if d.DeviceToken != "" {
		st.deviceToken = d.DeviceToken
	}
	if d.Collection != nil {
		st.collection = d.Collection
	}
	for _, id := range d.Del {
		delete(st.files, id)
	}
	for _, raw := range d.Put {
		var id struct{ ID int64 }
		if json.Unmarshal(raw, &id) != nil {
			return fmt.Errorf("%w: bad file entry", ErrCorruptCache)
		}
		st.files[id.ID] = raw
	}
	return nil
}

// cachePath names the album's cache file after a hash of its access token,
// so one directory can hold many albums and the token is not in a name.
func cachePath(dir, token string) string {
	sum := sha256.Sum256([]byte("e2ee share cache v1\x00" + token))
	return filepath.Join(dir, "album-"+hex.EncodeToString(sum[:16])+".json")
}

// cacheFile is the journal on disk.
type cacheFile struct {
	path     string
	size     int64 // bytes of valid lines; anything after is a torn line to cut
	snapshot int64 // bytes of the snapshot line
}

// loadState reads the cache file; a missing file is an empty state. A
// version 1 file is migrated to version 2 at once.
func loadState(path string) (*state, *cacheFile, error) {
	c := &cacheFile{path: path}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return newState(), c, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("share: reading cache: %w", err)
	}
	st, size, snap, err := decodeState(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s", err, filepath.Base(path))
	}
	c.size, c.snapshot = size, snap
	if size == 0 { // version 1
		if err := c.rewrite(st); err != nil {
			return nil, nil, err
		}
	}
	return st, c, nil
}

// decodeState parses a cache file. It returns the bytes of valid lines and
// of the snapshot line (both 0 for a version 1 file, which must be
// rewritten).
func decodeState(b []byte) (st *state, size, snap int64, err error) {
	first, rest, complete := bytes.Cut(b, []byte("\n"))
	var s snapshotLine
	if err := json.Unmarshal(first, &s); err != nil || s.SinceTime < 0 || (s.DeviceToken != "" && !validHeaderValue(s.DeviceToken)) {
		return nil, 0, 0, ErrCorruptCache
	}
	switch {
	case s.Version == 1 && !complete:
	case s.Version == cacheVersion && complete:
		size, snap = int64(len(first)+1), int64(len(first)+1)
	default:
		return nil, 0, 0, ErrCorruptCache
	}
	st = newState()
	st.sinceTime, st.collection, st.deviceToken = s.SinceTime, s.Collection, s.DeviceToken
	if s.Version == 1 {
		if st.collection, err = stripLinks(st.collection); err != nil {
			return nil, 0, 0, fmt.Errorf("%w: collection", ErrCorruptCache)
		}
	}
	if err := st.apply(&deltaLine{SinceTime: st.sinceTime, Put: s.Files}); err != nil {
		return nil, 0, 0, err
	}
	for len(rest) > 0 {
		line, after, complete := bytes.Cut(rest, []byte("\n"))
		var d deltaLine
		if !complete {
			break // torn by a crash mid-append: the page is fetched again
		}
		if err := json.Unmarshal(line, &d); err != nil || d.SinceTime < st.sinceTime || (d.DeviceToken != "" && !validHeaderValue(d.DeviceToken)) {
			if len(after) == 0 {
				break // a torn last line can end in a newline on some file systems
			}
			return nil, 0, 0, fmt.Errorf("%w: journal line", ErrCorruptCache)
		}
		if err := st.apply(&d); err != nil {
			return nil, 0, 0, err
		}
		size += int64(len(line) + 1)
		rest = after
	}
	return st, size, snap, nil
}

// encodeSnapshot lists the files by ID, so equal states encode equally.
func encodeSnapshot(st *state) ([]byte, error) {
	s := snapshotLine{Version: cacheVersion, SinceTime: st.sinceTime, DeviceToken: st.deviceToken, Collection: st.collection, Files: make([]json.RawMessage, 0, len(st.files))}
	ids := make([]int64, 0, len(st.files))
	for id := range st.files {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, cmp.Compare)
	for _, id := range ids {
		s.Files = append(s.Files, st.files[id])
	}
	b, err := json.Marshal(s)
	return append(b, '\n'), err
}

// minCompact is the journal size below which the file is never rewritten.
const minCompact = 1 << 20

// append records d, which st already reflects, and rewrites the file as a
// snapshot once the journal outgrows the snapshot.
func (c *cacheFile) append(d *deltaLine, st *state) error {
	if c.size == 0 || c.size-c.snapshot > max(c.snapshot, minCompact) {
		return c.rewrite(st)
	}
	line, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("share: encoding cache: %w", err)
	}
	line = append(line, '\n')
	f, err := os.OpenFile(c.path, os.O_WRONLY, 0)
	if err != nil {
		return c.rewrite(st) // the file went away: start again
	}
	// Cut a torn line left by a crash before appending after it.
	err = f.Truncate(c.size)
	if err == nil {
		_, err = f.WriteAt(line, c.size)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("share: writing cache: %w", err)
	}
	c.size += int64(len(line))
	return nil
}

// rewrite replaces the cache file atomically with a snapshot of st: write a
// temporary file in the same directory, flush it to disk, rename it over
// the old one, and flush the directory. A crash leaves either the old or
// the new file, never a mix; a stray temporary file is removed by the next
// Viewer.
func (c *cacheFile) rewrite(st *state) error {
	b, err := encodeSnapshot(st)
	if err != nil {
		return fmt.Errorf("share: encoding cache: %w", err)
	}
	dir := filepath.Dir(c.path)
	f, err := os.CreateTemp(dir, tempPrefix(c.path)+"*")
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
		err = os.Rename(tmp, c.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("share: writing cache: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: not every system can sync a directory
		d.Close()
	}
	c.size, c.snapshot = int64(len(b)), int64(len(b))
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

// stripLinks removes the url of every publicURLs entry of a collection:
// it holds the access token, which must not be readable from the cache.
// Everything else is kept as sent.
func stripLinks(collection json.RawMessage) (json.RawMessage, error) {
	if collection == nil {
		return nil, nil
	}
	var c map[string]json.RawMessage
	if err := json.Unmarshal(collection, &c); err != nil {
		return nil, err
	}
	urls, ok := c["publicURLs"]
	if !ok || bytes.Equal(urls, []byte("null")) {
		return collection, nil
	}
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(urls, &list); err != nil {
		return nil, err
	}
	for _, u := range list {
		delete(u, "url")
	}
	b, err := json.Marshal(list)
	if err != nil {
		return nil, err
	}
	c["publicURLs"] = b
	return json.Marshal(c)
}
