package main

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	require.NoError(t, err)
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
	require.NoError(t, err)
	r, err := os.Open(path)
	if err != nil {
		hold.Close()
	}
	require.NoError(t, err)
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
			// run takes the subtest's t: e2ee's require must fail the test
			// whose goroutine it runs on.
			run := func(t *testing.T, target string) result {
				return e2ee(t, runOpts{stdin: strings.NewReader(w.stdin)}, w.args(target)...)
			}
			t.Run("FIFO", func(t *testing.T) {
				dir := t.TempDir()
				fifo := filepath.Join(dir, "out")
				require.NoError(t, unix.Mkfifo(fifo, 0o600))
				wait := readFIFO(t, fifo)
				r := run(t, fifo)
				got := wait()
				require.Equal(t, 0, r.code, "exit status; stderr %q", r.stderr)
				require.NotEmpty(t, got, "no bytes through the FIFO; stderr %q", r.stderr)
				if w.name == "decrypt -o" {
					// Megabytes: bytes.Equal, as a diff of them would flood the log.
					assert.True(t, bytes.Equal(f.plaintext, got), "the FIFO carried %d bytes, want the %d of the plaintext", len(got), len(f.plaintext))
				}
				m := lmode(t, fifo)
				assert.True(t, m&fs.ModeNamedPipe != 0, "the FIFO was replaced by %v", m)
				noFilesBut(t, dir, "out")
			})
			t.Run("character device", func(t *testing.T) {
				dir := t.TempDir()
				dev := filepath.Join(dir, "null")
				if err := unix.Mknod(dev, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
					t.Skipf("mknod of a null device refused: %v", err)
				}
				r := run(t, dev)
				require.Equal(t, 0, r.code, "exit status; stderr: %s", r.stderr)
				m := lmode(t, dev)
				assert.True(t, m&fs.ModeCharDevice != 0, "the device was replaced by %v", m)
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
						require.NoError(t, os.Symlink("real", target))
					}
					r := run(t, target)
					if viaLink {
						m := lmode(t, target)
						require.True(t, m&fs.ModeSymlink != 0, "the link was replaced by %v", m)
					}
					// The file may hold a key now: its text is compared with
					// == and !=, never in a testify diff.
					if w.noClobber {
						assert.Equal(t, exitFailure, r.code, "want the existing file refused; stderr %q", r.stderr)
						assert.Contains(t, r.stderr, "already exists (--force replaces it)", "want the existing file refused")
						assert.True(t, string(readFile(t, real)) == "old", "want the existing file kept")
					} else if assert.Equal(t, 0, r.code, "exit status; stderr: %s", r.stderr) &&
						assert.True(t, string(readFile(t, real)) != "old", "the file was not replaced") {
						want := fs.FileMode(0o640)
						if w.secret {
							want = 0o600
						}
						assert.Equal(t, want, lmode(t, real).Perm(), "the replacement's mode")
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
					after, _ := os.ReadDir(dir)
					assert.Len(t, after, len(before), "entries in the directory: want the %d there were", len(before))
					_, err := os.Stat(filepath.Join(dir, "nothing"))
					assert.ErrorIs(t, err, fs.ErrNotExist, "the link to nothing was written through")
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
	require.NoError(t, os.Symlink("/dev/stdout", so))
	for _, target := range []string{so, "/dev/fd/1", "/proc/self/fd/1"} {
		r := ok(t, runOpts{}, "decrypt", "--key-file", f.key, "-o", target, f.ct)
		// Megabytes: compared with == and bytes.Equal, as a diff would flood the log.
		assert.True(t, r.stdout == string(f.plaintext), "-o %s to a pipe: %d bytes on standard output, want the %d of the plaintext", target, len(r.stdout), len(f.plaintext))
		require.True(t, lmode(t, so)&fs.ModeSymlink != 0, "-o %s replaced the link to /dev/stdout", target)

		log := filepath.Join(dir, "log")
		writeFile(t, log, []byte("before\n"))
		lf, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND, 0)
		require.NoError(t, err)
		ok(t, runOpts{stdout: lf}, "decrypt", "--key-file", f.key, "-o", target, f.ct)
		lf.Close()
		got := readFile(t, log)
		assert.True(t, bytes.Equal(append([]byte("before\n"), f.plaintext...), got), "-o %s onto '>> log': log has %d bytes, want what it had and the plaintext", target, len(got))
		os.Remove(log)
		noFilesBut(t, dir, "so")
	}

	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash for a process substitution")
	}
	out := filepath.Join(dir, "sub")
	cmd := exec.Command(bash, "-c", `"$0" decrypt --key-file "$1" -o >(cat > "$3") "$2"; s=$?; wait; exit $s`, bin, f.key, f.ct, out)
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, "process substitution: %s", b)
	// The substituted cat may finish after bash: wait for its output.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b, _ := os.ReadFile(out); len(b) == len(f.plaintext) {
			break
		}
	}
	got := readFile(t, out)
	assert.True(t, bytes.Equal(f.plaintext, got), "process substitution received %d bytes, want the %d of the plaintext", len(got), len(f.plaintext))
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
	require.NoError(t, os.Mkdir(ro, 0o755))
	existing := filepath.Join(ro, "existing")
	writeFile(t, existing, []byte("old"))
	os.Chmod(existing, 0o666) // writable, but its directory is not
	require.NoError(t, os.Chmod(ro, 0o555))
	t.Cleanup(func() { os.Chmod(ro, 0o755) })
	opts := runOpts{attr: attr, dir: base}
	if r := e2ee(t, opts, "help"); r.code != 0 {
		t.Skipf("cannot run the binary as an unprivileged user: %s", r.stderr)
	}
	for _, target := range []string{filepath.Join(ro, "new"), existing} {
		fails(t, exitFailure, "creating output in "+ro+": permission denied", opts, "encrypt", "--key-file", key, "-o", target, pt)
	}
	assert.Equal(t, "old", string(readFile(t, existing)), "the existing file changed")
	noFilesBut(t, ro, "existing")

	// A read-only file in a directory the user may write: a rename would
	// replace it, the shell's '>' would not; neither does e2ee.
	rw := filepath.Join(base, "rw")
	require.NoError(t, os.Mkdir(rw, 0o777))
	os.Chmod(rw, 0o777) // whatever the umask
	locked := filepath.Join(rw, "locked")
	writeFile(t, locked, []byte("old"))
	os.Chmod(locked, 0o444)
	fails(t, exitFailure, "output "+locked+" is read-only: refusing to replace it", opts, "encrypt", "--key-file", key, "-o", locked, pt)
	assert.Equal(t, "old", string(readFile(t, locked)), "the read-only file changed")
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
	require.GreaterOrEqual(t, len(ct), stream.HeaderSize+3*stream.EncryptedChunkSize, "ciphertext: not the header and three chunks")
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, stderr := startable("decrypt", "--key-file", keyPath, "-o", filepath.Join(dir, "out"))
			stdin, err := cmd.StdinPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			// The header and every full chunk, then wait (the pipe stays
			// open) until plaintext has reached the temporary file. (The
			// reader may hold a chunk back while it reads ahead.)
			_, err = stdin.Write(ct[:stream.HeaderSize+3*stream.EncryptedChunkSize])
			require.NoError(t, err)
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				matches, _ := filepath.Glob(filepath.Join(dir, ".out.*.e2ee-tmp"))
				if len(matches) == 1 {
					if st, err := os.Stat(matches[0]); err == nil && st.Size() >= stream.ChunkSize {
						break
					}
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					require.FailNow(t, "no temporary output appeared")
				}
			}
			require.NoError(t, cmd.Process.Signal(sig))
			err = cmd.Wait()
			stdin.Close()
			assert.True(t, exitedWith(err, 128+int(sig)), "decrypt after %v: %v, want exit status %d; stderr %q", sig, err, 128+int(sig), stderr)
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
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	_, err = io.ReadFull(out, make([]byte, 1000))
	require.NoError(t, err)
	out.Close() // as "| head -c 1000" does
	err = cmd.Wait()
	assert.True(t, exitedWith(err, 128+int(syscall.SIGPIPE)), "encrypt into a closed pipe: %v; want exit status 141", err)
	assert.Empty(t, stderr.String(), "encrypt into a closed pipe: want no message")
	noFilesBut(t, dir, "file.key", "pt")

	// The same through a FIFO given to -o, whose reader goes away.
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, unix.Mkfifo(fifo, 0o600))
	cmd, stderr = startable("encrypt", "-q", "--key-file", keyPath, "-o", fifo, pt)
	require.NoError(t, cmd.Start())
	r, err := os.Open(fifo)
	require.NoError(t, err)
	_, err = io.ReadFull(r, make([]byte, 1000))
	require.NoError(t, err)
	r.Close()
	err = cmd.Wait()
	assert.True(t, exitedWith(err, 128+int(syscall.SIGPIPE)), "encrypt into a FIFO whose reader left: %v; want exit status 141", err)
	assert.Empty(t, stderr.String(), "encrypt into a FIFO whose reader left: want no message")
	assert.True(t, lmode(t, fifo)&fs.ModeNamedPipe != 0, "the FIFO was replaced")
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
