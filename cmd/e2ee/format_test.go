package main

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/stream"
)

// TestSelfContained: without --header-file, encrypt writes the 24-byte
// header and then Ente's chunks, which the SDK decrypts with that header;
// decrypt reads such a file with no header flag; the detached layout still
// needs (and takes) its header.
func TestSelfContained(t *testing.T) {
	dir := t.TempDir()
	keyPath, k := newKeyFile(t, dir)
	for _, n := range []int{0, 1000, stream.ChunkSize + 1} {
		pt := pattern(n)
		in, enc, out := filepath.Join(dir, "in"), filepath.Join(dir, "in.enc"), filepath.Join(dir, "out")
		writeFile(t, in, pt)
		r := ok(t, runOpts{}, "encrypt", "--key-file", keyPath, "-o", enc, in)
		assert.Empty(t, r.stdout, "n=%d: encrypt printed on standard output", n)
		assert.Empty(t, r.stderr, "n=%d: encrypt printed on standard error", n)
		ct := readFile(t, enc)
		want, _ := stream.EncryptedSize(int64(n))
		require.Len(t, ct, int(stream.HeaderSize+want), "n=%d: want a %d-byte header and %d bytes of chunks", n, stream.HeaderSize, want)
		hdr := base64.StdEncoding.EncodeToString(ct[:stream.HeaderSize])
		// Up to 4 MiB: bytes.Equal, as a diff of them would flood the log.
		got := decryptWithSDK(t, ct[stream.HeaderSize:], hdr, k)
		assert.True(t, bytes.Equal(pt, got), "n=%d: SDK decryption with the leading header differs", n)
		ok(t, runOpts{}, "decrypt", "--key-file", keyPath, "-o", out, enc)
		assert.True(t, bytes.Equal(pt, readFile(t, out)), "n=%d: decrypt of the self-contained file differs", n)
		// The same chunks, detached, with the header as a flag.
		writeFile(t, filepath.Join(dir, "chunks"), ct[stream.HeaderSize:])
		r = ok(t, runOpts{}, "decrypt", "--key-file", keyPath, "--header", hdr, filepath.Join(dir, "chunks"))
		assert.True(t, r.stdout == string(pt), "n=%d: detached decrypt differs", n)
		// A detached file given without its header: the message says how.
		if n > 0 {
			fails(t, exitFailure, "a file in Ente's detached layout needs --header or --header-file", runOpts{}, "decrypt", "--key-file", keyPath, filepath.Join(dir, "chunks"))
		}
		os.Remove(filepath.Join(dir, "chunks"))
		noFilesBut(t, dir, "file.key", "in", "in.enc", "out")
	}
	fails(t, exitFailure, "decrypt: the input is empty (no header)", runOpts{stdin: strings.NewReader("")}, "decrypt", "--key-file", keyPath)
	fails(t, exitFailure, "decrypt: the input is shorter than a header (24 bytes)", runOpts{stdin: strings.NewReader("short")}, "decrypt", "--key-file", keyPath, "-o", filepath.Join(dir, "x"))
	noFilesBut(t, dir, "file.key", "in", "in.enc", "out")
}

// TestHeaderFileForms: a header file holds base64 with or without a final
// newline, or the line "header: B64" that encrypt used to print.
func TestHeaderFileForms(t *testing.T) {
	dir := t.TempDir()
	ct, _ := base64.StdEncoding.DecodeString(kaCiphertext)
	writeFile(t, filepath.Join(dir, "ct"), ct)
	env := []string{"FILE_KEY=" + kaKey}
	for _, text := range []string{kaHeader, kaHeader + "\n", "header: " + kaHeader + "\n", "  header:" + kaHeader + "\r\n"} {
		writeFile(t, filepath.Join(dir, "hdr"), []byte(text))
		r := ok(t, runOpts{env: env}, "decrypt", "--key-env", "FILE_KEY", "--header-file", filepath.Join(dir, "hdr"), filepath.Join(dir, "ct"))
		assert.Equal(t, kaPlaintext, r.stdout, "header file %q", text)
	}
	writeFile(t, filepath.Join(dir, "hdr"), []byte("headers: "+kaHeader))
	fails(t, exitFailure, "header file "+filepath.Join(dir, "hdr")+": stream:", runOpts{env: env}, "decrypt", "--key-env", "FILE_KEY", "--header-file", filepath.Join(dir, "hdr"), filepath.Join(dir, "ct"))
}

// TestNoClobber: keygen -o and --header-file never replace an existing
// file (as age-keygen), and refuse before any work is done, so that encrypt
// leaves no ciphertext either; --force replaces. A header file that cannot
// be created stops encrypt before a ciphertext exists.
func TestNoClobber(t *testing.T) {
	dir := t.TempDir()
	keyPath, _ := newKeyFile(t, dir)
	key := string(readFile(t, keyPath))
	writeFile(t, filepath.Join(dir, "pt"), pattern(1000))

	fails(t, exitFailure, keyPath+" already exists (--force replaces it)", runOpts{}, "keygen", "-o", keyPath)
	// Key files: compared with ==, never in a testify diff.
	require.True(t, string(readFile(t, keyPath)) == key, "keygen replaced an existing key file")
	ok(t, runOpts{}, "keygen", "--force", "-o", keyPath)
	assert.False(t, string(readFile(t, keyPath)) == key, "keygen --force did not replace the key file")
	st, _ := os.Stat(keyPath)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "replaced key file mode")

	hdr, ct := filepath.Join(dir, "hdr"), filepath.Join(dir, "ct")
	writeFile(t, hdr, []byte("the header of another file\n"))
	fails(t, exitFailure, "header file: "+hdr+" already exists (--force replaces it)", runOpts{}, "encrypt", "--key-file", keyPath, "--header-file", hdr, "-o", ct, filepath.Join(dir, "pt"))
	require.Equal(t, "the header of another file\n", string(readFile(t, hdr)), "encrypt replaced an existing header file")
	noFilesBut(t, dir, "file.key", "pt", "hdr")
	ok(t, runOpts{}, "encrypt", "--key-file", keyPath, "--header-file", hdr, "--force", "-o", ct, filepath.Join(dir, "pt"))
	r := ok(t, runOpts{}, "decrypt", "--key-file", keyPath, "--header-file", hdr, ct)
	assert.Equal(t, string(pattern(1000)), r.stdout, "decrypt with the replaced header differs")

	// A header file in a missing directory: no ciphertext, to a file or
	// to standard output.
	os.Remove(ct)
	missing := filepath.Join(dir, "missing", "hdr")
	fails(t, exitFailure, "header file: creating output in "+filepath.Join(dir, "missing")+": no such file or directory", runOpts{}, "encrypt", "--key-file", keyPath, "--header-file", missing, "-o", ct, filepath.Join(dir, "pt"))
	r = fails(t, exitFailure, "no such file or directory", runOpts{}, "encrypt", "--key-file", keyPath, "--header-file", missing, filepath.Join(dir, "pt"))
	assert.Empty(t, r.stdout, "encrypt wrote ciphertext without its header")
	noFilesBut(t, dir, "file.key", "pt", "hdr")
}
