package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/e2eekit/e2ee/stream"
)

// writer is a subcommand that writes a file, run with its output at target.
type writer struct {
	name  string
	args  func(target string) []string
	stdin string
	// noClobber: refuses to replace an existing file (keys, headers).
	// secret: the output has mode 0600 whatever it replaces.
	noClobber, secret bool
}

// fixture holds the inputs every writer needs, made once.
type fixture struct {
	dir, key, pt, ct, export, uris string
	plaintext                      []byte
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{dir: dir, plaintext: pattern(stream.ChunkSize + 1000)}
	f.key, _ = newKeyFile(t, dir)
	f.pt, f.ct, f.uris, f.export = filepath.Join(dir, "pt"), filepath.Join(dir, "ct"), filepath.Join(dir, "uris"), filepath.Join(dir, "export")
	writeFile(t, f.pt, f.plaintext)
	writeFile(t, f.uris, []byte(testURIs[0]+"\n"))
	ok(t, runOpts{}, "encrypt", "--key-file", f.key, "-o", f.ct, f.pt)
	ok(t, runOpts{stdin: strings.NewReader("pw\n")}, "auth-export", "encrypt", "--password-stdin", "--mem-limit", "8192", "--ops-limit", "1", "-o", f.export, f.uris)
	return f
}

// writers are every subcommand that writes a file, and how.
func (f *fixture) writers() []writer {
	return []writer{
		{name: "keygen -o", args: func(o string) []string { return []string{"keygen", "-o", o} }, noClobber: true, secret: true},
		{name: "encrypt -o", args: func(o string) []string { return []string{"encrypt", "--key-file", f.key, "-o", o, f.pt} }},
		// The ciphertext to standard output (a pipe): no system file is
		// named, so that the test cannot harm one even against a binary
		// that replaces what it writes to.
		{name: "encrypt --header-file", args: func(o string) []string {
			return []string{"encrypt", "--key-file", f.key, "--header-file", o, "-o", "-", f.pt}
		}, noClobber: true},
		{name: "decrypt -o", args: func(o string) []string { return []string{"decrypt", "--key-file", f.key, "-o", o, f.ct} }},
		{name: "auth-export decrypt -o", args: func(o string) []string {
			return []string{"auth-export", "decrypt", "--password-stdin", "-o", o, f.export}
		}, stdin: "pw\n", secret: true},
		{name: "auth-export encrypt -o", args: func(o string) []string {
			return []string{"auth-export", "encrypt", "--password-stdin", "--mem-limit", "8192", "--ops-limit", "1", "-o", o, f.uris}
		}, stdin: "pw\n"},
	}
}

func lmode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	st, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode()
}

// readFIFO reads everything written to the FIFO at path; the returned
// function waits for the writer to finish. The test holds the FIFO open
// for writing too, so that the reader never blocks in open and sees the
// end only when the test lets go: a command that never opens the FIFO (or
// replaces it) cannot hang the test.
func readFIFO(t *testing.T, path string) func() []byte {
	t.Helper()
	hold, err := os.OpenFile(path, os.O_RDWR, 0) // Linux opens a FIFO read-write at once
	if err != nil {
		t.Fatal(err)
	}
	r, err := os.Open(path)
	if err != nil {
		hold.Close()
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		defer r.Close()
		b, _ := io.ReadAll(r)
		got <- b
	}()
	return func() []byte {
		hold.Close()
		return <-got
	}
}

// TestOutputTargets walks every subcommand that writes a file through the
// targets that are not a plain new file: a FIFO and a character device
// (written to, never replaced), a symbolic link to a file (written through,
// the link kept), an existing file (replaced atomically with its mode, or
// refused for keys and headers), a link to nothing, a directory and a
// missing directory (refused). Nothing else may be left in the directory.
func TestOutputTargets(t *testing.T) {
	f := newFixture(t)
	for _, w := range f.writers() {
		t.Run(w.name, func(t *testing.T) {
			run := func(target string) result {
				return e2ee(t, runOpts{stdin: strings.NewReader(w.stdin)}, w.args(target)...)
			}
			t.Run("FIFO", func(t *testing.T) {
				dir := t.TempDir()
				fifo := filepath.Join(dir, "out")
				if err := unix.Mkfifo(fifo, 0o600); err != nil {
					t.Fatal(err)
				}
				wait := readFIFO(t, fifo)
				r := run(fifo)
				got := wait()
				if r.code != 0 || len(got) == 0 {
					t.Fatalf("exit %d, %d bytes through the FIFO; stderr %q", r.code, len(got), r.stderr)
				}
				if w.name == "decrypt -o" && !bytes.Equal(got, f.plaintext) {
					t.Errorf("the FIFO carried %d bytes, want the %d of the plaintext", len(got), len(f.plaintext))
				}
				if lmode(t, fifo)&fs.ModeNamedPipe == 0 {
					t.Errorf("the FIFO was replaced by %v", lmode(t, fifo))
				}
				noFilesBut(t, dir, "out")
			})
			t.Run("character device", func(t *testing.T) {
				dir := t.TempDir()
				dev := filepath.Join(dir, "null")
				if err := unix.Mknod(dev, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
					t.Skipf("mknod of a null device refused: %v", err)
				}
				if r := run(dev); r.code != 0 {
					t.Fatalf("exit %d: %s", r.code, r.stderr)
				}
				if m := lmode(t, dev); m&fs.ModeCharDevice == 0 {
					t.Errorf("the device was replaced by %v", m)
				}
				noFilesBut(t, dir, "null")
			})
			// An existing file, named or behind a link: replaced with its
			// mode (0600 for secrets), or refused and kept for keys and
			// headers; a link stays a link.
			for _, viaLink := range []bool{false, true} {
				t.Run(map[bool]string{false: "existing file", true: "symbolic link"}[viaLink], func(t *testing.T) {
					dir := t.TempDir()
					real, target := filepath.Join(dir, "real"), filepath.Join(dir, "real")
					writeFile(t, real, []byte("old"))
					os.Chmod(real, 0o640)
					if viaLink {
						target = filepath.Join(dir, "link")
						if err := os.Symlink("real", target); err != nil {
							t.Fatal(err)
						}
					}
					r := run(target)
					if viaLink && lmode(t, target)&fs.ModeSymlink == 0 {
						t.Fatalf("the link was replaced by %v", lmode(t, target))
					}
					switch {
					case w.noClobber:
						if r.code != exitFailure || !strings.Contains(r.stderr, "already exists (--force replaces it)") || string(readFile(t, real)) != "old" {
							t.Errorf("exit %d, %q, file %q: want the existing file refused and kept", r.code, r.stderr, readFile(t, real))
						}
					case r.code != 0:
						t.Errorf("exit %d: %s", r.code, r.stderr)
					case string(readFile(t, real)) == "old":
						t.Error("the file was not replaced")
					case w.secret && lmode(t, real).Perm() != 0o600, !w.secret && lmode(t, real).Perm() != 0o640:
						t.Errorf("the replacement has mode %v", lmode(t, real).Perm())
					}
					noFilesBut(t, dir, "real", filepath.Base(target))
				})
			}
			for _, tc := range []struct {
				name, want string
				setup      func(dir string) string
			}{
				{"link to nothing", "is a symbolic link to nothing", func(dir string) string {
					os.Symlink("nothing", filepath.Join(dir, "link"))
					return filepath.Join(dir, "link")
				}},
				{"directory", "is a directory", func(dir string) string {
					os.Mkdir(filepath.Join(dir, "d"), 0o755)
					return filepath.Join(dir, "d")
				}},
				{"missing directory", "no such file or directory", func(dir string) string { return filepath.Join(dir, "missing", "out") }},
			} {
				t.Run(tc.name, func(t *testing.T) {
					dir := t.TempDir()
					target := tc.setup(dir)
					before, _ := os.ReadDir(dir)
					fails(t, exitFailure, tc.want, runOpts{stdin: strings.NewReader(w.stdin)}, w.args(target)...)
					if after, _ := os.ReadDir(dir); len(after) != len(before) {
						t.Errorf("%d entries in the directory, want the %d there were", len(after), len(before))
					}
					if _, err := os.Stat(filepath.Join(dir, "nothing")); !errors.Is(err, fs.ErrNotExist) {
						t.Error("the link to nothing was written through")
					}
				})
			}
		})
	}
}

// TestOutputStandardStreams: -o naming the process's own standard output
// (a link to /dev/stdout, /dev/fd/1) writes to it and replaces nothing;
// onto a file that is appended to, as after the shell's '>>'. A process
// substitution gets the plaintext too.
func TestOutputStandardStreams(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	// A link of our own to /dev/stdout: were it replaced, only the link
	// would be lost, not the system's /dev/stdout.
	so := filepath.Join(dir, "so")
	if err := os.Symlink("/dev/stdout", so); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{so, "/dev/fd/1", "/proc/self/fd/1"} {
		r := ok(t, runOpts{}, "decrypt", "--key-file", f.key, "-o", target, f.ct)
		if r.stdout != string(f.plaintext) {
			t.Errorf("-o %s to a pipe: %d bytes on standard output, want the %d of the plaintext", target, len(r.stdout), len(f.plaintext))
		}
		if lmode(t, so)&fs.ModeSymlink == 0 {
			t.Fatalf("-o %s replaced the link to /dev/stdout", target)
		}

		log := filepath.Join(dir, "log")
		writeFile(t, log, []byte("before\n"))
		lf, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		ok(t, runOpts{stdout: lf}, "decrypt", "--key-file", f.key, "-o", target, f.ct)
		lf.Close()
		if got := readFile(t, log); !bytes.Equal(got, append([]byte("before\n"), f.plaintext...)) {
			t.Errorf("-o %s onto '>> log': log has %d bytes, want what it had and the plaintext", target, len(got))
		}
		os.Remove(log)
		noFilesBut(t, dir, "so")
	}

	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash for a process substitution")
	}
	out := filepath.Join(dir, "sub")
	cmd := exec.Command(bash, "-c", `"$0" decrypt --key-file "$1" -o >(cat > "$3") "$2"; s=$?; wait; exit $s`, bin, f.key, f.ct, out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("process substitution: %v: %s", err, b)
	}
	// The substituted cat may finish after bash: wait for its output.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b, _ := os.ReadFile(out); len(b) == len(f.plaintext) {
			break
		}
	}
	if got := readFile(t, out); !bytes.Equal(got, f.plaintext) {
		t.Errorf("process substitution received %d bytes, want the %d of the plaintext", len(got), len(f.plaintext))
	}
}

// TestOutputReadOnlyDirectory: -o into a directory the user cannot write,
// or onto a read-only file, fails, says why, and leaves an existing file as
// it was. Root ignores permissions, so as root the binary runs as nobody.
func TestOutputReadOnlyDirectory(t *testing.T) {
	base := t.TempDir()
	var attr *syscall.SysProcAttr
	if os.Geteuid() == 0 {
		// The test's directories are 0700: open them to nobody.
		os.Chmod(filepath.Dir(base), 0o755)
		os.Chmod(base, 0o755)
		attr = &syscall.SysProcAttr{Setsid: true, Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	key := filepath.Join(base, "k")
	ok(t, runOpts{}, "keygen", "-o", key)
	pt := filepath.Join(base, "pt")
	writeFile(t, pt, pattern(1000))
	os.Chmod(key, 0o644)
	os.Chmod(pt, 0o644)
	ro := filepath.Join(base, "ro")
	if err := os.Mkdir(ro, 0o755); err != nil {
		t.Fatal(err)
	}
	existing := filepath.Join(ro, "existing")
	writeFile(t, existing, []byte("old"))
	os.Chmod(existing, 0o666) // writable, but its directory is not
	if err := os.Chmod(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(ro, 0o755) })
	opts := runOpts{attr: attr, dir: base}
	if r := e2ee(t, opts, "help"); r.code != 0 {
		t.Skipf("cannot run the binary as an unprivileged user: %s", r.stderr)
	}
	for _, target := range []string{filepath.Join(ro, "new"), existing} {
		fails(t, exitFailure, "creating output in "+ro+": permission denied", opts, "encrypt", "--key-file", key, "-o", target, pt)
	}
	if string(readFile(t, existing)) != "old" {
		t.Error("the existing file changed")
	}
	noFilesBut(t, ro, "existing")

	// A read-only file in a directory the user may write: a rename would
	// replace it, the shell's '>' would not; neither does e2ee.
	rw := filepath.Join(base, "rw")
	if err := os.Mkdir(rw, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(rw, 0o777) // whatever the umask
	locked := filepath.Join(rw, "locked")
	writeFile(t, locked, []byte("old"))
	os.Chmod(locked, 0o444)
	fails(t, exitFailure, "output "+locked+" is read-only: refusing to replace it", opts, "encrypt", "--key-file", key, "-o", locked, pt)
	if string(readFile(t, locked)) != "old" {
		t.Error("the read-only file changed")
	}
	noFilesBut(t, rw, "locked")
}

// TestSignalsCleanUp: each terminating signal during a decryption to -o
// removes the temporary file (which holds authenticated plaintext) and
// exits 128+N, as a shell reports a process it killed.
func TestSignalsCleanUp(t *testing.T) {
	dir := t.TempDir()
	keyPath, _ := newKeyFile(t, dir)
	ok(t, runOpts{stdin: bytes.NewReader(pattern(3 * stream.ChunkSize))}, "encrypt", "--key-file", keyPath, "-o", filepath.Join(dir, "ct"))
	ct := readFile(t, filepath.Join(dir, "ct"))
	if len(ct) < stream.HeaderSize+3*stream.EncryptedChunkSize {
		t.Fatalf("ciphertext of %d bytes: not the header and three chunks", len(ct))
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, stderr := startable("decrypt", "--key-file", keyPath, "-o", filepath.Join(dir, "out"))
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// The header and every full chunk, then wait (the pipe stays
			// open) until plaintext has reached the temporary file. (The
			// reader may hold a chunk back while it reads ahead.)
			if _, err := stdin.Write(ct[:stream.HeaderSize+3*stream.EncryptedChunkSize]); err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				matches, _ := filepath.Glob(filepath.Join(dir, ".out.*.e2ee-tmp"))
				if len(matches) == 1 {
					if st, err := os.Stat(matches[0]); err == nil && st.Size() >= stream.ChunkSize {
						break
					}
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatal("no temporary output appeared")
				}
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err = cmd.Wait()
			stdin.Close()
			if !exitedWith(err, 128+int(sig)) {
				t.Errorf("decrypt after %v: %v, want exit status %d; stderr %q", sig, err, 128+int(sig), stderr)
			}
			noFilesBut(t, dir, "file.key", "ct")
		})
	}
}

// TestBrokenPipe: when the reader of standard output or of a FIFO goes
// away (SIGPIPE), encrypt exits 141 without a message, as "… | head" wants,
// and leaves no header file or temporary file behind.
func TestBrokenPipe(t *testing.T) {
	dir := t.TempDir()
	keyPath, _ := newKeyFile(t, dir)
	pt := filepath.Join(dir, "pt")
	writeFile(t, pt, pattern(3*stream.ChunkSize))
	cmd, stderr := startable("encrypt", "-q", "--key-file", keyPath, "--header-file", filepath.Join(dir, "hdr"), pt)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(out, make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	out.Close() // as "| head -c 1000" does
	err = cmd.Wait()
	if !exitedWith(err, 128+int(syscall.SIGPIPE)) || stderr.Len() != 0 {
		t.Errorf("encrypt into a closed pipe: %v, stderr %q; want exit status 141 and no message", err, stderr)
	}
	noFilesBut(t, dir, "file.key", "pt")

	// The same through a FIFO given to -o, whose reader goes away.
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd, stderr = startable("encrypt", "-q", "--key-file", keyPath, "-o", fifo, pt)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r, err := os.Open(fifo)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(r, make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if err := cmd.Wait(); !exitedWith(err, 128+int(syscall.SIGPIPE)) || stderr.Len() != 0 {
		t.Errorf("encrypt into a FIFO whose reader left: %v, stderr %q; want exit status 141 and no message", err, stderr)
	}
	if lmode(t, fifo)&fs.ModeNamedPipe == 0 {
		t.Error("the FIFO was replaced")
	}
	noFilesBut(t, dir, "file.key", "pt", "fifo")
}

// startable is the binary with args, detached from the terminal, its
// standard error collected; the caller connects the rest and starts it.
func startable(args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(bin, args...)
	detach(cmd)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	return cmd, &stderr
}

// exitedWith reports whether err, from Wait, is an exit with status code.
func exitedWith(err error, code int) bool {
	ee, ok := err.(*exec.ExitError)
	return ok && ee.ExitCode() == code
}
