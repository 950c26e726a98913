package vectorseed

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every test of every file is visited: "tcId" is unique per test, so it
// has as many values as the file's numberOfTests says.
func TestVisitsEveryTest(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(Dir(t), "*.json"))
	require.GreaterOrEqual(t, len(files), 11, "vector files")
	for _, name := range files {
		raw, err := os.ReadFile(name)
		require.NoError(t, err)
		var head struct{ NumberOfTests int }
		require.NoError(t, json.Unmarshal(raw, &head))
		ids := Strings(t, filepath.Base(name), "tcId")
		assert.Len(t, ids, head.NumberOfTests, "%s: tcIds, as numberOfTests says", filepath.Base(name))
		for i, id := range ids {
			assert.Equal(t, strconv.Itoa(i+1), id, "%s: tcId at %d", filepath.Base(name), i) // a number comes back as its JSON text
		}
	}
}

func TestLookups(t *testing.T) {
	// Known answers from Ente's repository: base58 of the key bytes 00..1f, and the
	// BIP-39 phrase of 32 zero bytes.
	// Recovery keys, phrases and auth keys are compared with bytes.Equal and
	// ==, and their lengths with Equal, never in a testify diff or Len.
	urls := Strings(t, "links.json", "url")
	assert.True(t, strings.HasSuffix(urls[0], "#1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE"), "first url %q", urls[0])
	rks := Bytes(t, "attributes.json", "RecoveryKeyEncodingTest/recoveryKey")
	assert.True(t, bytes.Equal(make([]byte, 32), rks[0]), "first recovery key %x", rks[0])
	p := Strings(t, "attributes.json", "recoveryPhrase")[0]
	assert.True(t, p == strings.Repeat("abandon ", 23)+"art", "first phrase %q", p)
	// The group type picks the groups: here recoveryKey is typed text.
	for _, s := range Strings(t, "attributes.json", "RecoveryUnlockTest/recoveryKey") {
		assert.False(t, strings.HasSuffix(s, "="), "RecoveryUnlockTest/recoveryKey gave base64 %q", s)
	}
	// A group field counts for each of its tests, and repeats collapse.
	ak := Bytes(t, "authenticator.json", "AuthEntityTest/authKey")
	if assert.Equal(t, 1, len(ak), "AuthEntityTest/authKey values") {
		assert.Equal(t, 32, len(ak[0]), "AuthEntityTest/authKey length")
	}
	// Rows keep the fields of one test together, group fields included.
	rows := Rows(t, "authenticator.json", "AuthEntityTest/encryptedData", "header", "authKey")
	assert.Equal(t, 14, len(rows), "AuthEntityTest rows")
	for _, r := range rows {
		assert.True(t, len(r) == 3 && r[0] != r[1] && r[2] == rows[0][2], "row %.20q", r)
	}
	// Nested fields, and objects as JSON.
	for _, salt := range Bytes(t, "authenticator.json", "export.kdfParams.salt") {
		assert.Len(t, salt, 16, "salt")
	}
	exports := Strings(t, "authenticator.json", "export")
	for _, x := range exports {
		assert.True(t, json.Valid([]byte(x)), "export %.40q", x)
		assert.True(t, strings.HasPrefix(x, `{"version":`), "export %.40q", x)
	}
	assert.GreaterOrEqual(t, len(exports), 6, "exports") // 7 tests; the wrong-password one reuses an export
}

// fatalTB records the first Fatalf and ends the goroutine, as testing does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = "fatal: " + format
	runtime.Goexit()
}

// fails runs fn with a fatalTB and returns what it failed with.
func fails(t *testing.T, fn func(tb testing.TB)) string {
	tb := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(tb)
	}()
	<-done
	return tb.msg
}

func TestFailsLoudly(t *testing.T) {
	for name, fn := range map[string]func(tb testing.TB){
		"missing file":    func(tb testing.TB) { Strings(tb, "nosuch.json", "url") },
		"unknown field":   func(tb testing.TB) { Strings(tb, "links.json", "urll") },
		"unknown type":    func(tb testing.TB) { Strings(tb, "links.json", "NoSuchTest/url") },
		"field too deep":  func(tb testing.TB) { Strings(tb, "links.json", "url.x") },
		"not base64":      func(tb testing.TB) { Bytes(tb, "links.json", "url") },
		"no test has all": func(tb testing.TB) { Rows(tb, "links.json", "url", "nosuch") },
		"no path":         func(tb testing.TB) { Rows(tb, "links.json") },
		// Deliberately malformed base64 in BadAttributesTest.
		"bad base64": func(tb testing.TB) { Bytes(tb, "attributes.json", "BadAttributesTest/attributes.kekSalt") },
	} {
		assert.NotEmpty(t, fails(t, fn), "%s: no failure", name)
	}
	assert.Empty(t, fails(t, func(tb testing.TB) { Strings(tb, "links.json", "url") }), "a good lookup failed")
}
