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
)

// Every test of every file is visited: "tcId" is unique per test, so it
// has as many values as the file's numberOfTests says.
func TestVisitsEveryTest(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(Dir(t), "*.json"))
	if len(files) < 11 {
		t.Fatalf("%d vector files, want at least 11", len(files))
	}
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var head struct{ NumberOfTests int }
		if err := json.Unmarshal(raw, &head); err != nil {
			t.Fatal(err)
		}
		ids := Strings(t, filepath.Base(name), "tcId")
		if len(ids) != head.NumberOfTests {
			t.Errorf("%s: %d tcIds, numberOfTests %d", filepath.Base(name), len(ids), head.NumberOfTests)
		}
		for i, id := range ids {
			if id != strconv.Itoa(i+1) { // a number comes back as its JSON text
				t.Errorf("%s: tcId %q at %d", filepath.Base(name), id, i)
			}
		}
	}
}

func TestLookups(t *testing.T) {
	// Known answers from Ente's repository: base58 of the key bytes 00..1f, and the
	// BIP-39 phrase of 32 zero bytes.
	if urls := Strings(t, "links.json", "url"); !strings.HasSuffix(urls[0], "#1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE") {
		t.Errorf("first url %q", urls[0])
	}
	rks := Bytes(t, "attributes.json", "RecoveryKeyEncodingTest/recoveryKey")
	if !bytes.Equal(rks[0], make([]byte, 32)) {
		t.Errorf("first recovery key %x", rks[0])
	}
	if p := Strings(t, "attributes.json", "recoveryPhrase")[0]; p != strings.Repeat("abandon ", 23)+"art" {
		t.Errorf("first phrase %q", p)
	}
	// The group type picks the groups: here recoveryKey is typed text.
	for _, s := range Strings(t, "attributes.json", "RecoveryUnlockTest/recoveryKey") {
		if strings.HasSuffix(s, "=") {
			t.Errorf("RecoveryUnlockTest/recoveryKey gave base64 %q", s)
		}
	}
	// A group field counts for each of its tests, and repeats collapse.
	if ak := Bytes(t, "authenticator.json", "AuthEntityTest/authKey"); len(ak) != 1 || len(ak[0]) != 32 {
		t.Errorf("AuthEntityTest/authKey: %d values", len(ak))
	}
	// Rows keep the fields of one test together, group fields included.
	rows := Rows(t, "authenticator.json", "AuthEntityTest/encryptedData", "header", "authKey")
	if len(rows) != 14 {
		t.Errorf("%d AuthEntityTest rows, want 14", len(rows))
	}
	for _, r := range rows {
		if len(r) != 3 || r[0] == r[1] || r[2] != rows[0][2] {
			t.Errorf("row %.20q", r)
		}
	}
	// Nested fields, and objects as JSON.
	for _, salt := range Bytes(t, "authenticator.json", "export.kdfParams.salt") {
		if len(salt) != 16 {
			t.Errorf("salt of %d bytes", len(salt))
		}
	}
	exports := Strings(t, "authenticator.json", "export")
	for _, x := range exports {
		if !json.Valid([]byte(x)) || !strings.HasPrefix(x, `{"version":`) {
			t.Errorf("export %.40q", x)
		}
	}
	if len(exports) < 6 { // 7 tests; the wrong-password one reuses an export
		t.Errorf("%d exports", len(exports))
	}
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
		if msg := fails(t, fn); msg == "" {
			t.Errorf("%s: no failure", name)
		}
	}
	if msg := fails(t, func(tb testing.TB) { Strings(tb, "links.json", "url") }); msg != "" {
		t.Errorf("a good lookup failed: %s", msg)
	}
}
