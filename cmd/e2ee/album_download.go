package main

import (
	"archive/zip"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/e2eekit/e2ee/share"
)

var albumDownloadCmd = &command{
	name:    "download",
	args:    "[DIR]",
	maxArgs: 1,
	summary: "save every file of a public album",
	help: `Syncs the album and saves every file into DIR under its original name (a name
already taken gets " (2)", " (3)", ...), with the modification time its metadata
gives. Several files download at once. A second run fetches only what is missing
or changed, and deletes nothing: DIR/.e2ee-album.json remembers what was saved.
A file is written under a temporary name and renamed once every chunk has
authenticated; one that fails is named in the summary and the exit status is 1.

--zip FILE (or "-" for standard output) writes the album as one zip instead,
streamed as the files decrypt, with no plaintext on disk but the zip. A zip is
all or nothing: at the first file that fails it stops, removes FILE, and exits 1.`,
	examples: `
e2ee album download --link-file link.txt Summer2026
E2EE_ALBUM_LINK='https://albums.ente.com/?t=...#...' e2ee album download Summer2026
e2ee album download --link-file link.txt --zip summer.zip`,
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		var src albumSource
		src.register(fs)
		jobs := fs.Int("jobs", 4, "download `N` files at once")
		zipOut := fs.String("zip", "", "write one zip to `FILE` (\"-\": standard output) instead of a directory")
		quiet := fs.Bool("q", false, "no progress bar")
		return func(e *env, args []string) error {
			if (*zipOut == "") == (len(args) == 0) {
				return usagef("give a directory or --zip, not both")
			}
			if len(args) == 1 && (strings.Contains(args[0], "://") || strings.Contains(args[0], "#")) {
				return usagef("that looks like the album link, which is never taken as an argument (it would show in ps and in shell history): use --link-file, E2EE_ALBUM_LINK or standard input")
			}
			if *jobs < 1 || *jobs > 64 {
				return usagef("--jobs must be 1 to 64")
			}
			ctx := context.Background()
			v, err := src.open(ctx, e)
			if err != nil {
				return err
			}
			defer v.Close()
			if *zipOut != "" {
				return albumZip(ctx, e, v, *zipOut)
			}
			return albumDownload(ctx, e, v, args[0], *jobs, *quiet)
		}
	},
}

// manifestName is the file in DIR that remembers what was saved.
const manifestName = ".e2ee-album.json"

type manifest struct {
	Version int                     `json:"version"`
	AlbumID int64                   `json:"albumID"`
	Files   map[string]manifestFile `json:"files"` // by file ID
}

type manifestFile struct {
	Name         string `json:"name"`
	UpdationTime int64  `json:"updationTime"`
	Size         int64  `json:"size"`
}

func loadManifest(dir string, albumID int64) (*manifest, error) {
	m := &manifest{Version: 1, AlbumID: albumID, Files: map[string]manifestFile{}}
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	var old manifest
	if err := json.Unmarshal(b, &old); err != nil || old.Version != 1 || old.Files == nil {
		return nil, fmt.Errorf("%s is not a manifest this version wrote", filepath.Join(dir, manifestName))
	}
	if old.AlbumID != albumID {
		return nil, fmt.Errorf("%s holds another album (%d, not %d): use another directory", dir, old.AlbumID, albumID)
	}
	return &old, nil
}

func (m *manifest) save(e *env, dir string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeOutput(e, filepath.Join(dir, manifestName), privateOutput, b)
}

// job is one file to save; replace is set for a file this command saved
// before (changed on the server, or removed from disk).
type job struct {
	file    share.File
	name    string
	replace bool
}

// savedOutput is how a saved file is created: as a browser's or cp's
// download, 0666 less the umask.
var savedOutput = outputKind{perm: 0o666}

func albumDownload(ctx context.Context, e *env, v *share.Viewer, dir string, jobs int, quiet bool) error {
	a := v.Album()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	m, err := loadManifest(dir, a.ID)
	if err != nil {
		return err
	}
	todo, skipped := plan(dir, a.Files, m)

	p := newAlbumProgress(e, quiet, len(todo))
	var mu sync.Mutex
	var failed []string
	queue := make(chan job)
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for j := range queue {
				n, err := saveFile(ctx, e, v, dir, j, p)
				mu.Lock()
				if err != nil {
					failed = append(failed, fmt.Sprintf("  %s (file %d): %v", j.name, j.file.ID, err))
				} else {
					m.Files[strconv.FormatInt(j.file.ID, 10)] = manifestFile{Name: j.name, UpdationTime: j.file.UpdationTime, Size: n}
					if err := m.save(e, dir); err != nil { // after each file: an interrupted run resumes
						failed = append(failed, fmt.Sprintf("  %s: %v", manifestName, err))
					}
				}
				mu.Unlock()
				p.fileDone()
			}
		})
	}
	for _, j := range todo {
		queue <- j
	}
	close(queue)
	wg.Wait()
	p.finish()
	fmt.Fprintf(e.stderr, "%s: %d saved, %d already there, %d failed\n", dir, len(todo)-len(failed), skipped, len(failed))
	if len(failed) > 0 {
		slices.Sort(failed)
		return fmt.Errorf("%d of %d files failed:\n%s", len(failed), len(todo), strings.Join(failed, "\n"))
	}
	return nil
}

// plan picks the files to fetch and their names. A file saved before
// keeps its name and is skipped while it is unchanged on the server and
// on disk; a new or changed one gets its title, made safe and unique
// (case-insensitively, for the file systems that are) against every name
// in use: the manifest's and whatever else is in dir.
func plan(dir string, files []share.File, m *manifest) (todo []job, skipped int) {
	taken := map[string]bool{}
	for _, f := range m.Files {
		taken[strings.ToLower(f.Name)] = true
	}
	entries, _ := os.ReadDir(dir)
	for _, de := range entries {
		taken[strings.ToLower(de.Name())] = true
	}
	slices.SortFunc(files, func(x, y share.File) int {
		return cmp.Or(cmp.Compare(x.CreationTime, y.CreationTime), cmp.Compare(x.ID, y.ID))
	})
	for _, f := range files {
		if old, ok := m.Files[strconv.FormatInt(f.ID, 10)]; ok {
			fi, err := os.Stat(filepath.Join(dir, old.Name))
			intact := err == nil && fi.Mode().IsRegular() && fi.Size() == old.Size
			if intact && old.UpdationTime == f.UpdationTime {
				skipped++
				continue
			}
			if intact || err != nil {
				// Ours to replace: changed on the server, or gone from disk.
				todo = append(todo, job{f, old.Name, true})
				continue
			}
			// Changed on disk by someone else: leave it, save anew.
		}
		name := uniqueName(safeName(f.Title, f.ID), taken)
		taken[strings.ToLower(name)] = true
		todo = append(todo, job{f, name, false})
	}
	return todo, skipped
}

// safeName makes a title a plain file name: no directories, no control
// characters, not hidden, not empty, at most 200 bytes (extension kept).
func safeName(title string, id int64) string {
	name := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 || unicode.IsControl(r) || r == utf8.RuneError {
			return '_'
		}
		return r
	}, title)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	if name == "" {
		return "file-" + strconv.FormatInt(id, 10)
	}
	if len(name) > 200 {
		ext := filepath.Ext(name)
		if len(ext) > 20 {
			ext = ""
		}
		base := name[:200-len(ext)]
		for !utf8.ValidString(base) {
			base = base[:len(base)-1]
		}
		name = base + ext
	}
	return name
}

// uniqueName returns name, or "base (2).ext", "base (3).ext", ... that is
// not taken.
func uniqueName(name string, taken map[string]bool) string {
	if !taken[strings.ToLower(name)] {
		return name
	}
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 2; ; i++ {
		n := fmt.Sprintf("%s (%d)%s", base, i, ext)
		if !taken[strings.ToLower(n)] {
			return n
		}
	}
}

// saveFile downloads one file beside its final name and renames it there
// once it has authenticated, with its modification time.
func saveFile(ctx context.Context, e *env, v *share.Viewer, dir string, j job, p *albumProgress) (int64, error) {
	kind := savedOutput
	if !j.replace {
		kind.noClobber = true // a name this run chose as free: never replace what appeared there
	}
	out, err := createOutput(e, filepath.Join(dir, j.name), kind)
	if err != nil {
		return 0, err
	}
	n, err := v.DownloadFile(ctx, j.file.ID, p.writer(out))
	if err == nil && j.file.ModificationTime > 0 {
		t := time.UnixMicro(j.file.ModificationTime)
		err = os.Chtimes(out.f.Name(), t, t)
	}
	if err != nil {
		out.Abort()
		return 0, err
	}
	return n, out.Commit()
}

// albumZip writes the album as one zip to path, or standard output.
func albumZip(ctx context.Context, e *env, v *share.Viewer, path string) error {
	out, err := createOutput(e, path, privateOutput)
	if err != nil {
		return err
	}
	if err := albumZipTo(ctx, v, out); err != nil {
		out.Abort()
		return err
	}
	return out.Commit()
}

// albumZipTo writes the album to w as a zip, file after file as they
// decrypt. At a file that fails it stops without finishing the zip, which
// readers then refuse.
func albumZipTo(ctx context.Context, v *share.Viewer, w io.Writer) error {
	zw := zip.NewWriter(w)
	taken := map[string]bool{}
	files := v.Album().Files
	for _, file := range files {
		name := uniqueName(safeName(file.Title, file.ID), taken)
		taken[strings.ToLower(name)] = true
		h := &zip.FileHeader{Name: name, Method: zip.Store} // photos and videos are compressed already
		if file.ModificationTime > 0 {
			h.Modified = time.UnixMicro(file.ModificationTime)
		}
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := v.DownloadFile(ctx, file.ID, fw); err != nil {
			return fmt.Errorf("%s (file %d): %w; the zip is incomplete and was not kept", name, file.ID, err)
		}
	}
	return zw.Close()
}
