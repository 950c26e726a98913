package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"golang.org/x/crypto/argon2"

	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

var testURIs = []string{
	"otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
	"otpauth://hotp/Caf%C3%A9:bob?secret=GEZDGNBVGY3TQOJQ&counter=7",
	"otpauth://totp/Ünïcode:carol?secret=MFRGGZDFMZTWQ2LK&algorithm=SHA256&digits=8",
}

// exportJSON is the export file, decoded only as far as the tests need.
type exportJSON struct {
	Version   int `json:"version"`
	KDFParams struct {
		MemLimit uint32 `json:"memLimit"`
		OpsLimit uint32 `json:"opsLimit"`
		Salt     []byte `json:"salt"`
	} `json:"kdfParams"`
	EncryptedData   []byte `json:"encryptedData"`
	EncryptionNonce string `json:"encryptionNonce"`
}

// exportKey derives an export's key with x/crypto's Argon2id, not the
// SDK's libsodium one (x/crypto takes memory in KiB).
func exportKey(t *testing.T, password string, x *exportJSON) *secret.Key {
	t.Helper()
	raw := argon2.IDKey([]byte(password), x.KDFParams.Salt, x.KDFParams.OpsLimit, x.KDFParams.MemLimit/1024, 1, 32)
	k, err := secret.NewKey(raw)
	require.NoError(t, err)
	return k
}

// TestAuthExportRoundTrip writes an export with cheap Argon2id params from
// a URI file, checks its JSON and decrypts it with x/crypto's Argon2id and
// the stream package, then decrypts it with the command to standard output
// and to a file.
func TestAuthExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	uriFile := filepath.Join(dir, "uris.txt")
	// Blank lines and CRLF line ends, as a hand-edited list has them.
	writeFile(t, uriFile, []byte("\n"+testURIs[0]+"\r\n\n"+testURIs[1]+"\n"+testURIs[2]))
	exportPath := filepath.Join(dir, "export.txt")
	pw := "correct horse ☃ battery"
	ok(t, runOpts{stdin: strings.NewReader(pw + "\n")}, "auth-export", "encrypt", "--password-stdin",
		"--mem-limit", "64KiB", "--ops-limit", "2", "-o", exportPath, uriFile)

	// A password guards the export against offline guessing only: not
	// readable by others.
	st, _ := os.Stat(exportPath)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "export file mode")
	var x exportJSON
	require.NoError(t, json.Unmarshal(readFile(t, exportPath), &x))
	require.Equal(t, 1, x.Version, "export header: version")
	require.Equal(t, uint32(64<<10), x.KDFParams.MemLimit, "export header: memLimit")
	require.Equal(t, uint32(2), x.KDFParams.OpsLimit, "export header: opsLimit")
	require.Len(t, x.KDFParams.Salt, 16, "export header: salt")
	var h stream.Header
	require.NoError(t, h.UnmarshalText([]byte(x.EncryptionNonce)))
	text, err := stream.DecryptBlob(x.EncryptedData, h, exportKey(t, pw, &x)) // strict: tagged FINAL
	require.NoError(t, err, "independent decryption")
	want := strings.Join(testURIs, "\n") + "\n"
	assert.Equal(t, want, string(text), "export data")

	r := ok(t, runOpts{stdin: strings.NewReader(pw + "\n")}, "auth-export", "decrypt", "--password-stdin", exportPath)
	assert.Equal(t, want, r.stdout, "decrypt printed")
	out := filepath.Join(dir, "codes.txt")
	ok(t, runOpts{stdin: strings.NewReader(pw)}, "auth-export", "decrypt", "--password-stdin", "-o", out, exportPath) // no newline after the password
	assert.Equal(t, want, string(readFile(t, out)), "decrypt -o wrote")
	st, _ = os.Stat(out)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "codes file mode")

	// Wrong password: exit 1, no output file.
	os.Remove(out)
	fails(t, exitFailure, "incorrect password", runOpts{stdin: strings.NewReader(pw + "!\n")}, "auth-export", "decrypt", "--password-stdin", "-o", out, exportPath)
	noFilesBut(t, dir, "uris.txt", "export.txt")
}

// TestAuthExportLegacyTag decrypts an export made here the way Ente Auth
// wrote them before November 2025: the one message tagged MESSAGE.
func TestAuthExportLegacyTag(t *testing.T) {
	dir := t.TempDir()
	pw := "legacy"
	var x exportJSON
	x.Version = 1
	x.KDFParams.MemLimit, x.KDFParams.OpsLimit = 8192, 1
	x.KDFParams.Salt = []byte("sixteen byte slt")
	k := exportKey(t, pw, &x)
	enc, h, err := stream.NewEncryptor(k)
	require.NoError(t, err)
	want := testURIs[0] + "\n" + testURIs[2] + "\n"
	x.EncryptedData, err = enc.Push(nil, []byte(want), stream.TagMessage)
	require.NoError(t, err)
	x.EncryptionNonce = h.String()
	b, _ := json.Marshal(x)
	path := filepath.Join(dir, "legacy.json")
	writeFile(t, path, b)
	r := ok(t, runOpts{stdin: strings.NewReader(pw + "\n")}, "auth-export", "decrypt", "--password-stdin", path)
	assert.Equal(t, want, r.stdout, "legacy export")
}

// TestAuthExportVectors runs the AuthExportTest vectors of the independent
// generator (testdata/vectors/authenticator.json) through the command.
func TestAuthExportVectors(t *testing.T) {
	type exportTest struct {
		vectorCase
		Error    string          `json:"error"`
		Password string          `json:"password"`
		Export   json.RawMessage `json:"export"`
		URIs     []string        `json:"uris"`
	}
	// What the command says for each sentinel a vector names.
	messages := map[string]string{
		"keys.ErrIncorrectPassword":  "incorrect password",
		"keys.ErrUnsupportedVersion": "unsupported export version",
		"pwhash.ErrTooExpensive":     "use --allow-expensive",
		"pwhash.ErrInvalidParams":    "below the Argon2id minimum",
		"keys.ErrInvalidExport":      "invalid Ente Auth export",
	}
	dir := t.TempDir()
	for _, tc := range vectorTests[exportTest](t, "authenticator.json", "AuthExportTest", 7) {
		path := filepath.Join(dir, "export.json")
		writeFile(t, path, tc.Export)
		stdin := strings.NewReader(tc.Password + "\n")
		if tc.Result == "valid" {
			r := ok(t, runOpts{stdin: stdin}, "auth-export", "decrypt", "--password-stdin", path)
			assert.Equal(t, strings.Join(tc.URIs, "\n")+"\n", r.stdout, "tcId %d %v", tc.TcID, tc.Flags)
			continue
		}
		msg, known := messages[tc.Error]
		require.True(t, known, "tcId %d: no message known for %s", tc.TcID, tc.Error)
		fails(t, exitFailure, msg, runOpts{stdin: stdin}, "auth-export", "decrypt", "--password-stdin", path)
	}
}

// TestAuthExportCostCap: params above the default limits are refused before
// the password is read; --allow-expensive derives anyway.
func TestAuthExportCostCap(t *testing.T) {
	dir := t.TempDir()
	var x exportJSON
	x.Version = 1
	x.KDFParams.Salt = make([]byte, 16)
	x.EncryptedData = make([]byte, 40)
	x.EncryptionNonce = base64.StdEncoding.EncodeToString(make([]byte, 24))
	write := func(mem, ops uint32) string {
		x.KDFParams.MemLimit, x.KDFParams.OpsLimit = mem, ops
		b, _ := json.Marshal(x)
		path := filepath.Join(dir, "x.json")
		writeFile(t, path, b)
		return path
	}
	// No standard input at all: the refusal comes before the password.
	fails(t, exitFailure, "the export asks for 2 GiB of memory and 1 passes", runOpts{}, "auth-export", "decrypt", "--password-stdin", write(2<<30, 1))
	fails(t, exitFailure, "use --allow-expensive", runOpts{}, "auth-export", "decrypt", "--password-stdin", write(1<<30, 5))
	fails(t, exitFailure, "below the Argon2id minimum", runOpts{}, "auth-export", "decrypt", "--password-stdin", "--allow-expensive", write(4096, 1))

	// Over the work cap but cheap in memory (8 KiB × 524 289 passes, a
	// second or so): with --allow-expensive the key is derived, and the
	// made-up data then does not authenticate.
	if testing.Short() {
		t.Skip("skipping a 4 GiB-work Argon2id derivation in -short mode")
	}
	fails(t, exitFailure, "incorrect password", runOpts{stdin: strings.NewReader("pw\n")}, "auth-export", "decrypt", "--password-stdin", "--allow-expensive", write(8192, 524289))
}

// TestAuthExportInputErrors: bad input files and URI lists fail with exit 1,
// and no message quotes a line (it may hold a 2FA secret).
func TestAuthExportInputErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "in")
	writeFile(t, path, []byte("not json"))
	fails(t, exitFailure, "invalid Ente Auth export: jsonstrict: not valid JSON", runOpts{}, "auth-export", "decrypt", "--password-stdin", path)
	writeFile(t, path, []byte(`{"version":1,"kdfParams":{"memLimit":8192,"opsLimit":1,"salt":"AAAAAAAAAAAAAAAAAAAAAA"},"encryptedData":"AAAA","encryptionNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`))
	fails(t, exitFailure, "salt", runOpts{}, "auth-export", "decrypt", "--password-stdin", path)
	fails(t, exitFailure, "no such file", runOpts{}, "auth-export", "decrypt", "--password-stdin", filepath.Join(dir, "missing"))

	secretLine := "totp://not-otpauth?secret=SHOULDNOTPRINT"
	writeFile(t, path, []byte(testURIs[0]+"\n"+secretLine+"\n"))
	r := fails(t, exitFailure, "line 2 is not an otpauth:// URI", runOpts{stdin: strings.NewReader("pw\n")}, "auth-export", "encrypt", "--password-stdin", "--mem-limit", "8192", "--ops-limit", "1", path)
	assert.NotContains(t, r.stderr, "SHOULDNOTPRINT", "message quotes the line")
	fails(t, exitFailure, "no otpauth:// URIs", runOpts{stdin: strings.NewReader("\n\n")}, "auth-export", "encrypt", "--mem-limit", "8192", "--ops-limit", "1")
	writeFile(t, path, []byte(testURIs[0]+"\n"))
	fails(t, exitFailure, "empty password", runOpts{stdin: strings.NewReader("\n")}, "auth-export", "encrypt", "--password-stdin", "--mem-limit", "8192", "--ops-limit", "1", path)
	// Params the default limits would refuse are not written.
	fails(t, exitFailure, "exceed the allowed cost", runOpts{}, "auth-export", "encrypt", "--password-stdin", "--mem-limit", "2GiB", "--ops-limit", "1", path)
	// Without --password-stdin it prompts, and without a terminal it says so.
	fails(t, exitFailure, "no terminal to prompt on (or use --password-stdin)", runOpts{}, "auth-export", "encrypt", "--mem-limit", "8192", "--ops-limit", "1", path)
}
