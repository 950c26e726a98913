// Package vectorseed hands the conformance vectors in testdata/vectors to
// tests, so that a fuzz target can f.Add every input the independent
// generator wrote for its decoder.
//
// A vector file is Wycheproof-shaped: testGroups[].tests[], where a group's
// own fields are parameters shared by its tests. A path names one field:
//
//	[GroupType/]name[.name...]
//
// e.g. "url", "export.kdfParams.salt", "RecoveryUnlockTest/recoveryKey".
// Strings and Bytes give a field's distinct values; Rows gives several
// fields test by test, for values that belong together.
// It is looked up in each test first, then in the test's group; with a
// GroupType prefix only groups of that type are searched. String values are
// returned as they stand; any other value (object, array, number, null) as
// its compact JSON text, so that "attributes" gives the attributes JSON a
// decoder reads.
//
// Every failure fails the test at once: a missing vector file, a path that
// no test has (a typo, or a renamed field), or with Bytes a value that is
// not canonical padded standard base64. A seed corpus never goes empty
// without anyone noticing.
//
// The vectors are found by walking up from the working directory (a test
// runs in its package's directory) to the module's go.mod.
//
// This package is for tests only. It decodes base64 with encoding/base64,
// not internal/b64, so that b64's own tests can use it.
package vectorseed

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Dir returns the directory holding the vector files, testdata/vectors at
// the module root. It fails tb if there is none.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("vectorseed: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatalf("vectorseed: no go.mod above the working directory")
		}
		dir = parent
	}
	vectors := filepath.Join(dir, "testdata", "vectors")
	if st, err := os.Stat(vectors); err != nil || !st.IsDir() {
		tb.Fatalf("vectorseed: no vector directory %s", vectors)
	}
	return vectors
}

// Strings returns the value at path of every test in the vector file
// (e.g. "links.json") that has it, in file order, each distinct value once.
func Strings(tb testing.TB, file, path string) []string {
	tb.Helper()
	var out []string
	seen := map[string]bool{}
	for _, row := range Rows(tb, file, path) {
		if !seen[row[0]] {
			seen[row[0]] = true
			out = append(out, row[0])
		}
	}
	return out
}

// Rows returns, for every test in the vector file that has all the paths,
// its values at them in the order given: the fields that belong together,
// such as a ciphertext and its header. A GroupType prefix on the first path
// applies to all of them.
func Rows(tb testing.TB, file string, paths ...string) [][]string {
	tb.Helper()
	if len(paths) == 0 {
		tb.Fatalf("vectorseed: %s: no path", file)
	}
	rows, err := lookup(filepath.Join(Dir(tb), file), paths)
	if err != nil {
		tb.Fatalf("vectorseed: %s: %v", file, err)
	}
	return rows
}

// Bytes is Strings with every value decoded from canonical padded standard
// base64, the encoding of bytes in the vectors.
func Bytes(tb testing.TB, file, path string) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, s := range Strings(tb, file, path) {
		b, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil || base64.StdEncoding.EncodeToString(b) != s {
			tb.Fatalf("vectorseed: %s: %s: %.40q is not canonical base64", file, path, s)
		}
		out = append(out, b)
	}
	return out
}

type vectorFile struct {
	TestGroups []map[string]json.RawMessage `json:"testGroups"`
}

// lookup reads name and collects the values at paths, test by test.
func lookup(name string, paths []string) ([][]string, error) {
	raw, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var f vectorFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, err
	}
	if len(f.TestGroups) == 0 {
		return nil, errors.New("no testGroups")
	}
	groupType, first, typed := strings.Cut(paths[0], "/")
	if !typed {
		groupType, first = "", paths[0]
	}
	keys := [][]string{strings.Split(first, ".")}
	for _, p := range paths[1:] {
		keys = append(keys, strings.Split(p, "."))
	}
	var rows [][]string
	for _, g := range f.TestGroups {
		if groupType != "" && string(g["type"]) != `"`+groupType+`"` {
			continue
		}
		var tests []map[string]json.RawMessage
		if err := json.Unmarshal(g["tests"], &tests); err != nil {
			return nil, errors.New("a group without a tests array")
		}
	tests:
		for _, t := range tests {
			row := make([]string, len(keys))
			for i, k := range keys {
				v, ok := field(t, k)
				if !ok {
					v, ok = field(g, k)
				}
				if !ok {
					continue tests
				}
				if row[i], err = text(v); err != nil {
					return nil, err
				}
			}
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no test has %s", strings.Join(paths, " and "))
	}
	return rows, nil
}

// field follows keys down from obj.
func field(obj map[string]json.RawMessage, keys []string) (json.RawMessage, bool) {
	v, ok := obj[keys[0]]
	if !ok || len(keys) == 1 {
		return v, ok
	}
	var next map[string]json.RawMessage
	if json.Unmarshal(v, &next) != nil {
		return nil, false
	}
	return field(next, keys[1:])
}

// text is a JSON string's value, or any other value's compact JSON text.
func text(v json.RawMessage) (string, error) {
	var s string
	if len(v) > 0 && v[0] == '"' {
		err := json.Unmarshal(v, &s)
		return s, err
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, v); err != nil {
		return "", err
	}
	return buf.String(), nil
}
