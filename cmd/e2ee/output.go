package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// What -o (and --header-file) do with each kind of target, as coreutils and
// age do:
//
//   - a path that does not exist, or a regular file this process may write
//     (a read-only one is refused, as the shell's '>' refuses it): the
//     output goes to a temporary file in the target's directory, renamed
//     over the target only on success, so that a failed or interrupted run
//     leaves no output and an existing file as it was;
//   - anything else (a FIFO, a character or block device, /dev/stdout, a
//     process substitution's /dev/fd/N): opened and written directly, never
//     replaced (a regular file reached through /dev/stdout or /dev/fd/N is
//     appended to, after what the shell's redirection left in it); a
//     failure leaves what was written, and the exit status says it failed;
//   - a symbolic link: written through, by the rules above applied to what it
//     points to; the link itself stays. A link to nothing is refused.
//   - a directory: refused.

// outputKind says how a command's output file is created.
type outputKind struct {
	// perm is the mode of a new file, before the umask: 0600 for secrets,
	// plaintext and Auth exports (a password guards those), 0666 for file
	// ciphertext and headers, as age and the shell create files.
	perm fs.FileMode
	// keepMode gives a replaced file's mode to its replacement; without it
	// the replacement has perm (a secret never widens to the old mode).
	keepMode bool
	// noClobber refuses to replace an existing regular file: a key or
	// header that is overwritten cannot be recovered. --force clears it.
	noClobber bool
}

var (
	secretOutput  = outputKind{perm: 0o600}                 // keys, decrypted 2FA codes
	privateOutput = outputKind{perm: 0o600, keepMode: true} // plaintext, Auth exports
	publicOutput  = outputKind{perm: 0o666, keepMode: true} // ciphertext, headers
)

// errOutputExists is returned for a key or header file that already
// exists.
var errOutputExists = errors.New("already exists")

// output is where a command writes its result: standard output, a target
// written directly, or a temporary file that Commit renames to the target.
type output struct {
	io.Writer
	f         *os.File // nil for standard output
	tmp       bool     // f is a temporary file for path
	path      string   // the target, through any symbolic links
	noClobber bool
	closed    bool
	placed    bool // Commit renamed the temporary file to path
}

// createOutput returns an output for path ("" or "-" is standard output).
// A target that is refused is refused here, before any work is done.
func createOutput(e *env, path string, kind outputKind) (*output, error) {
	if path == "" || path == "-" {
		return &output{Writer: e.stdout}, nil
	}
	target, fi, direct, err := resolveOutput(path)
	if err != nil {
		return nil, err
	}
	switch {
	case fi != nil && fi.IsDir():
		return nil, fmt.Errorf("output %s is a directory", path)
	case direct:
		flags := os.O_WRONLY
		if fi.Mode().IsRegular() {
			// /dev/stdout onto a file: write at its end, where the
			// shell's '>' or '>>' left it.
			flags |= os.O_APPEND
		}
		f, err := os.OpenFile(path, flags, 0)
		if err != nil {
			return nil, fmt.Errorf("opening output: %w", err)
		}
		return &output{Writer: f, f: f, path: path}, nil
	case fi != nil && kind.noClobber:
		return nil, fmt.Errorf("%s %w (--force replaces it)", path, errOutputExists)
	case fi != nil && !writable(target):
		// A rename would replace it all the same; '>' would not.
		return nil, fmt.Errorf("output %s is read-only: refusing to replace it", path)
	}
	f, err := createTemp(target, kind.perm)
	if err != nil {
		return nil, err
	}
	if fi != nil {
		if kind.keepMode {
			f.Chmod(fi.Mode().Perm()) // best effort, like the owner
		}
		copyOwner(f, fi)
	}
	return &output{Writer: f, f: f, tmp: true, path: target, noClobber: kind.noClobber}, nil
}

// resolveOutput looks at path without following it, then through any
// symbolic links. fi is nil when nothing exists there (a new file); direct
// means the target is to be opened and written as it is.
func resolveOutput(path string) (target string, fi fs.FileInfo, direct bool, err error) {
	lfi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path, nil, false, nil // a missing directory fails in createTemp
	}
	if err != nil {
		return "", nil, false, fmt.Errorf("output: %w", err)
	}
	if lfi.Mode()&fs.ModeSymlink == 0 {
		return path, lfi, !lfi.Mode().IsRegular() && !lfi.IsDir(), nil
	}
	fi, err = os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, false, fmt.Errorf("output %s is a symbolic link to nothing: refusing to write through it", path)
	}
	if err != nil {
		return "", nil, false, fmt.Errorf("output: %w", err)
	}
	// /dev/stdout and /dev/fd/N name an open file of this process: write
	// to it, even when it is a regular file (a '>>' redirection must not
	// be replaced by a new file).
	if !fi.Mode().IsRegular() || isDescriptorAlias(path) {
		return path, fi, !fi.IsDir(), nil
	}
	target, err = filepath.EvalSymlinks(path)
	if err != nil {
		return "", nil, false, fmt.Errorf("output: %w", err)
	}
	return target, fi, false, nil
}

// isDescriptorAlias reports whether path leads, through symbolic links, to
// /proc/…/fd/N or /dev/fd/N: /dev/stdout, /dev/stderr, and what a shell
// passes for a process substitution.
func isDescriptorAlias(path string) bool {
	for range 40 { // the kernel's own limit on links followed
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		if strings.HasPrefix(path, "/proc/") || strings.HasPrefix(path, "/dev/fd/") {
			return true
		}
		link, err := os.Readlink(path)
		if err != nil {
			return false
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return false
}

// createTemp creates a new file beside target, with mode perm less the
// umask, registered for removal on failure and on signals.
func createTemp(target string, perm fs.FileMode) (*os.File, error) {
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	var rnd [6]byte
	for {
		rand.Read(rnd[:])
		name := filepath.Join(dir, "."+base+"."+hex.EncodeToString(rnd[:])+".e2ee-tmp")
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the temporary name means nothing to the user
			}
			return nil, fmt.Errorf("creating output in %s: %w", filepath.Clean(dir), err)
		}
		registerTemp(name)
		return f, nil
	}
}

// Commit makes the output final. A temporary file is flushed to disk and
// renamed over the target (with noClobber, linked to it, which fails if
// the target appeared meanwhile); a direct target is closed.
func (o *output) Commit() error {
	if o == nil || o.f == nil || o.closed {
		return nil
	}
	o.closed = true
	if !o.tmp {
		if err := o.f.Close(); err != nil {
			return fmt.Errorf("writing %s: %w", o.path, err)
		}
		return nil
	}
	name := o.f.Name()
	err := o.f.Sync()
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// Under the lock, so that a signal either removes the temporary
		// file before the rename or finds it committed.
		temps.Lock()
		if err = place(name, o.path, o.noClobber); err == nil {
			delete(temps.names, name)
			o.placed = true
		}
		temps.Unlock()
	}
	if err != nil {
		removeTemp(name)
		return fmt.Errorf("writing %s: %w", o.path, err)
	}
	syncDir(filepath.Dir(o.path))
	return nil
}

// place moves the finished temporary file to target.
func place(tmp, target string, noClobber bool) error {
	if !noClobber {
		return os.Rename(tmp, target)
	}
	err := os.Link(tmp, target)
	if errors.Is(err, fs.ErrExist) {
		return errOutputExists
	}
	if err != nil { // a file system without hard links: check, then rename
		if _, serr := os.Lstat(target); serr == nil {
			return errOutputExists
		}
		return os.Rename(tmp, target)
	}
	return os.Remove(tmp)
}

// retract removes a file Commit put in place, when what it belongs with
// failed. Only a file this process created is removed.
func (o *output) retract() {
	if o != nil && o.placed {
		os.Remove(o.path)
	}
}

// Abort closes the output and removes a temporary file. It is a no-op
// after Commit and for standard output.
func (o *output) Abort() {
	if o == nil || o.f == nil || o.closed {
		return
	}
	o.closed = true
	o.f.Close()
	if o.tmp {
		removeTemp(o.f.Name())
	}
}

// writeOutput writes b to path (or standard output) through createOutput.
func writeOutput(e *env, path string, kind outputKind, b []byte) error {
	out, err := createOutput(e, path, kind)
	if err != nil {
		return err
	}
	defer out.Abort()
	if _, err := out.Write(b); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	return out.Commit()
}

// syncDir flushes a directory's entries, so that a rename survives a
// crash. Best effort: not every system can open a directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
