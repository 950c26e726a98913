package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

// pattern returns n bytes that differ from chunk to chunk, so that a
// reordered or dropped chunk cannot decrypt to the same plaintext.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}

// newKeyFile runs e2ee keygen and returns the key file's path and key.
func newKeyFile(t *testing.T, dir string) (string, *secret.Key) {
	t.Helper()
	path := filepath.Join(dir, "file.key")
	ok(t, runOpts{}, "keygen", "-o", path)
	text := readFile(t, path)
	// The text is the key: no assert.Len, which would print it.
	require.True(t, len(text) == 45 && text[44] == '\n', "key file: want 44 base64 characters and a newline, got %d bytes", len(text))
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "key file mode")
	raw, err := base64.StdEncoding.Strict().DecodeString(string(text[:44]))
	require.NoError(t, err)
	k, err := secret.NewKey(raw)
	require.NoError(t, err)
	return path, k
}

// decryptWithSDK decrypts ct with the stream package, independently of the
// command, to check what encrypt wrote.
func decryptWithSDK(t *testing.T, ct []byte, hdrText string, k *secret.Key) []byte {
	t.Helper()
	var h stream.Header
	require.NoError(t, h.UnmarshalText([]byte(strings.TrimSpace(hdrText))), "header %q", hdrText)
	r, err := stream.NewDecryptReader(bytes.NewReader(ct), h, k)
	require.NoError(t, err)
	defer r.Close()
	pt, err := io.ReadAll(r)
	require.NoError(t, err, "SDK decryption of e2ee's output")
	return pt
}

// TestEncryptDecryptFiles encrypts files around the chunk size with -o and
// --header-file (Ente's detached layout), checks the ciphertext's size and that the SDK decrypts it,
// and decrypts it back with the command (flags after the file name too).
func TestEncryptDecryptFiles(t *testing.T) {
	dir := t.TempDir()
	keyPath, k := newKeyFile(t, dir)
	for _, n := range []int{0, 1, 1000, stream.ChunkSize + 1} {
		pt := pattern(n)
		in, enc, hdr, out := filepath.Join(dir, "in"), filepath.Join(dir, "in.enc"), filepath.Join(dir, "in.hdr"), filepath.Join(dir, "out")
		writeFile(t, in, pt)
		r := ok(t, runOpts{}, "encrypt", "--key-file", keyPath, "--header-file", hdr, "-o", enc, in)
		assert.Empty(t, r.stdout, "n=%d: encrypt with -o and --header-file printed on standard output", n)
		assert.Empty(t, r.stderr, "n=%d: encrypt with -o and --header-file printed on standard error", n)
		ct := readFile(t, enc)
		want, _ := stream.EncryptedSize(int64(n))
		assert.Len(t, ct, int(want), "n=%d: ciphertext size", n)
		// Up to 4 MiB: bytes.Equal, as a diff of them would flood the log.
		got := decryptWithSDK(t, ct, string(readFile(t, hdr)), k)
		assert.True(t, bytes.Equal(pt, got), "n=%d: SDK decryption differs from the plaintext", n)
		ok(t, runOpts{}, "decrypt", enc, "--key-file", keyPath, "--header-file", hdr, "-o", out)
		got = readFile(t, out)
		assert.True(t, bytes.Equal(pt, got), "n=%d: decrypt gave %d bytes, want the %d encrypted", n, len(got), n)
		noFilesBut(t, dir, "file.key", "in", "in.enc", "in.hdr", "out")
		os.Remove(hdr) // encrypt does not replace a header file
	}
}

// The secretstream known answer of Ente's own repository
// (cli/internal/crypto/crypto_test.go): one FINAL message is a one-chunk
// file.
const (
	kaKey        = "vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0="
	kaHeader     = "v7wsI+BFZsRMIjDm3rTxPhmi/CaUdkdJ"
	kaCiphertext = "kBXQ2PuX6y/aje5r22H0AehRPh6sQ0ULoeAO"
	kaPlaintext  = "plain_text"
)

func TestDecryptKnownAnswer(t *testing.T) {
	dir := t.TempDir()
	ct, _ := base64.StdEncoding.DecodeString(kaCiphertext)
	writeFile(t, filepath.Join(dir, "ct"), ct)
	r := ok(t, runOpts{env: []string{"FILE_KEY=" + kaKey}}, "decrypt", "--key-env", "FILE_KEY", "--header", kaHeader, filepath.Join(dir, "ct"))
	assert.Equal(t, kaPlaintext, r.stdout, "decrypt")
}

// TestPipeLargerThanAChunk pipes 9 MiB (three chunks) through encrypt and
// decrypt on standard input and output: the output is self-contained, the
// 24-byte header first, and nothing else is printed.
func TestPipeLargerThanAChunk(t *testing.T) {
	dir := t.TempDir()
	_, k := newKeyFile(t, dir)
	env := []string{"E2EE_KEY=" + base64.StdEncoding.EncodeToString(k.Bytes())}
	pt := pattern(9 << 20)
	enc := ok(t, runOpts{stdin: bytes.NewReader(pt), env: env}, "encrypt", "--key-env", "E2EE_KEY")
	assert.Empty(t, enc.stderr, "encrypt printed on standard error")
	want, _ := stream.EncryptedSize(9 << 20)
	assert.Equal(t, stream.HeaderSize+want, int64(len(enc.stdout)), "ciphertext size: want the header and %d", want)
	hdr := base64.StdEncoding.EncodeToString([]byte(enc.stdout[:stream.HeaderSize]))
	// 9 MiB: bytes.Equal and digests, as a diff of them would flood the log.
	got := decryptWithSDK(t, []byte(enc.stdout[stream.HeaderSize:]), hdr, k)
	assert.True(t, bytes.Equal(pt, got), "SDK decryption of piped output differs from the plaintext")
	dec := ok(t, runOpts{stdin: strings.NewReader(enc.stdout), env: env}, "decrypt", "-q", "--key-env", "E2EE_KEY", "-")
	assert.True(t, sha256.Sum256([]byte(dec.stdout)) == sha256.Sum256(pt), "piped decrypt: %d bytes; want the 9 MiB back", len(dec.stdout))
	assert.Empty(t, dec.stderr, "piped decrypt: want nothing on stderr")
	// The detached layout from a pipe: the header given with --header.
	dec = ok(t, runOpts{stdin: strings.NewReader(enc.stdout[stream.HeaderSize:]), env: env}, "decrypt", "--key-env", "E2EE_KEY", "--header", hdr)
	assert.True(t, sha256.Sum256([]byte(dec.stdout)) == sha256.Sum256(pt), "detached decrypt from a pipe: %d bytes", len(dec.stdout))
}

// TestDecryptFailureLeavesNoOutput: a truncated, extended, modified or
// misdecrypted file fails with exit 1 and the matching message, leaves no
// output or temporary file, and leaves an existing output file untouched.
func TestDecryptFailureLeavesNoOutput(t *testing.T) {
	dir := t.TempDir()
	keyPath, _ := newKeyFile(t, dir)
	otherKey := filepath.Join(dir, "other.key")
	ok(t, runOpts{}, "keygen", "-o", otherKey)
	pt := pattern(2*stream.ChunkSize + 1000)
	writeFile(t, filepath.Join(dir, "pt"), pt)
	hdrPath := filepath.Join(dir, "hdr")
	ok(t, runOpts{}, "encrypt", "--key-file", keyPath, "--header-file", hdrPath, "-o", filepath.Join(dir, "ct"), filepath.Join(dir, "pt"))
	ct := readFile(t, filepath.Join(dir, "ct"))
	otherHdr := filepath.Join(dir, "other.hdr")
	ok(t, runOpts{stdin: strings.NewReader("")}, "encrypt", "--key-file", keyPath, "--header-file", otherHdr)

	flipped := bytes.Clone(ct)
	flipped[stream.EncryptedChunkSize+100] ^= 1
	for _, tc := range []struct {
		name, want string
		ct         []byte
		key, hdr   string
	}{
		{"truncated at a chunk boundary", "stream: truncated", ct[:2*stream.EncryptedChunkSize], keyPath, hdrPath},
		{"truncated inside the last chunk", "wrong key or header, or the file was modified", ct[:len(ct)-1], keyPath, hdrPath},
		{"truncated to nothing", "stream: truncated", nil, keyPath, hdrPath},
		{"extended", "authentication failed", append(bytes.Clone(ct), 0), keyPath, hdrPath},
		{"modified second chunk", "authentication failed", flipped, keyPath, hdrPath},
		{"wrong key", "authentication failed", ct, otherKey, hdrPath},
		{"wrong header", "authentication failed", ct, keyPath, otherHdr},
	} {
		t.Run(tc.name, func(t *testing.T) {
			writeFile(t, filepath.Join(dir, "bad"), tc.ct)
			fails(t, exitFailure, tc.want, runOpts{}, "decrypt", "--key-file", tc.key, "--header-file", tc.hdr, "-o", filepath.Join(dir, "out"), filepath.Join(dir, "bad"))
			noFilesBut(t, dir, "file.key", "other.key", "pt", "hdr", "other.hdr", "ct", "bad")

			// An existing output file survives a failed decryption.
			writeFile(t, filepath.Join(dir, "out"), []byte("keep me"))
			fails(t, exitFailure, tc.want, runOpts{}, "decrypt", "--key-file", tc.key, "--header-file", tc.hdr, "-o", filepath.Join(dir, "out"), filepath.Join(dir, "bad"))
			// Not assert.Equal: a diff of megabytes of plaintext would flood the log.
			got := readFile(t, filepath.Join(dir, "out"))
			assert.True(t, string(got) == "keep me", "existing output changed to %d bytes", len(got))
			noFilesBut(t, dir, "file.key", "other.key", "pt", "hdr", "other.hdr", "ct", "bad", "out")
			os.Remove(filepath.Join(dir, "out"))
		})
	}
}

// TestBadKeys: keys that are not base64 of exactly 32 bytes are refused
// with exit 1, and the message names the source, never the content.
func TestBadKeys(t *testing.T) {
	dir := t.TempDir()
	good := make([]byte, 32)
	for i := range good {
		good[i] = byte(0xa0 + i)
	}
	goodB64 := base64.StdEncoding.EncodeToString(good)
	for _, tc := range []struct{ name, content string }{
		{"empty", ""},
		{"16 bytes", base64.StdEncoding.EncodeToString(good[:16])},
		{"33 bytes", base64.StdEncoding.EncodeToString(append(bytes.Clone(good), 1))},
		{"unpadded", strings.TrimRight(goodB64, "=")},
		{"URL-safe alphabet", base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, 32))},
		{"newline inside", goodB64[:20] + "\n" + goodB64[20:]},
		{"hex", strings.Repeat("ab", 32)},
		{"non-canonical last character", goodB64[:42] + "x="},
		{"binary", string(good)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "bad.key")
			writeFile(t, path, []byte(tc.content))
			r := fails(t, exitFailure, "key file "+path+": not base64 of 32 bytes", runOpts{stdin: strings.NewReader("x")}, "encrypt", "--key-file", path)
			if tc.content != "" {
				assert.False(t, strings.Contains(r.stderr, tc.content), "message quotes the key: %q", r.stderr)
			}
			fails(t, exitFailure, "environment variable K: not base64 of 32 bytes",
				runOpts{stdin: strings.NewReader("x"), env: []string{"K=" + tc.content + "x"}}, "encrypt", "--key-env", "K")
		})
	}
	// The same key, well formed, with a trailing newline, is accepted.
	writeFile(t, filepath.Join(dir, "good.key"), []byte(goodB64+"\n"))
	ok(t, runOpts{stdin: strings.NewReader("x")}, "encrypt", "-q", "--key-file", filepath.Join(dir, "good.key"))

	fails(t, exitFailure, "no such file", runOpts{}, "encrypt", "--key-file", filepath.Join(dir, "missing"))
	fails(t, exitFailure, "environment variable NOPE is not set", runOpts{}, "encrypt", "--key-env", "NOPE")
	// Without a key flag it prompts, and without a terminal it says so.
	fails(t, exitFailure, "no terminal to prompt on (or use --key-file or --key-env)", runOpts{stdin: strings.NewReader("x")}, "encrypt")
	fails(t, exitFailure, "--header: stream:", runOpts{env: []string{"K=" + goodB64}}, "decrypt", "--key-env", "K", "--header", "AAAA")
}
