package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/vectorseed"
)

// copyVectors copies vector files from testdata/vectors into a new
// directory, optionally changing one with edit.
func copyVectors(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		writeFile(t, filepath.Join(dir, n), readFile(t, filepath.Join(vectorseed.Dir(t), n)))
	}
	return dir
}

// vectorCase is the part of every vector test that failure messages name.
type vectorCase struct {
	TcID   int      `json:"tcId"`
	Flags  []string `json:"flags"`
	Result string   `json:"result"`
}

// vectorTests decodes into T the tests of every group of type typ in a
// vector file, failing unless there are at least atLeast of them.
func vectorTests[T any](t *testing.T, file, typ string, atLeast int) []T {
	t.Helper()
	var f struct {
		TestGroups []struct {
			Type  string          `json:"type"`
			Tests json.RawMessage `json:"tests"`
		} `json:"testGroups"`
	}
	require.NoError(t, json.Unmarshal(readFile(t, filepath.Join(vectorseed.Dir(t), file)), &f))
	var tests []T
	for _, g := range f.TestGroups {
		if g.Type != typ {
			continue
		}
		var ts []T
		require.NoError(t, json.Unmarshal(g.Tests, &ts), "%s %s", file, typ)
		tests = append(tests, ts...)
	}
	require.GreaterOrEqual(t, len(tests), atLeast, "%s has too few %s vectors, want all", file, typ)
	return tests
}

// TestVectorsVerify runs two quick vector files (the whole directory takes
// Argon2id at 64 MiB and 8 MiB files; "make test" covers it through the
// conformance package's own tests).
func TestVectorsVerify(t *testing.T) {
	dir := copyVectors(t, "secretbox.json", "links.json")
	r := ok(t, runOpts{}, "vectors", "verify", dir)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if assert.Len(t, lines, 3, "vectors verify:\n%s", r.stdout) {
		assert.True(t, strings.HasPrefix(lines[0], "links.json "), "vectors verify:\n%s", r.stdout)
		assert.True(t, strings.HasPrefix(lines[1], "secretbox.json "), "vectors verify:\n%s", r.stdout)
		assert.True(t, strings.HasPrefix(lines[2], "OK: "), "vectors verify:\n%s", r.stdout)
		assert.Contains(t, lines[2], " 0 fail", "vectors verify")
	}

	// -v lists every check.
	r = ok(t, runOpts{}, "vectors", "verify", "-v", dir)
	assert.GreaterOrEqual(t, strings.Count(r.stdout, "\nPASS secretbox.json #"), 17, "-v lists too few secretbox checks, want every one:\n%s", r.stdout)

	// --json is the whole report.
	r = ok(t, runOpts{}, "vectors", "verify", "--json", dir)
	var rep struct {
		Files []struct {
			File    string `json:"file"`
			Results []struct {
				Status string `json:"status"`
			} `json:"results"`
		} `json:"files"`
	}
	if assert.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), "--json") &&
		assert.Len(t, rep.Files, 2, "--json") &&
		assert.GreaterOrEqual(t, len(rep.Files[1].Results), 17, "--json: %+v", rep) {
		assert.Equal(t, "pass", rep.Files[1].Results[0].Status, "--json: %+v", rep)
	}
}

// TestVectorsVerifyFailure: a vector whose expected ciphertext is wrong (as
// a client author's buggy output would be) fails the run with exit 1 and is
// named.
func TestVectorsVerifyFailure(t *testing.T) {
	dir := copyVectors(t)
	var v map[string]any
	require.NoError(t, json.Unmarshal(readFile(t, filepath.Join(vectorseed.Dir(t), "secretbox.json")), &v))
	test := v["testGroups"].([]any)[0].(map[string]any)["tests"].([]any)[0].(map[string]any)
	require.Equal(t, "valid", test["result"], "first secretbox vector: want a valid one")
	test["msg"] = "AAAA" // the ciphertext no longer matches
	b, _ := json.Marshal(v)
	writeFile(t, filepath.Join(dir, "secretbox.json"), b)
	r := fails(t, exitFailure, "conformance checks failed", runOpts{}, "vectors", "verify", dir)
	assert.Contains(t, r.stdout, "\nFAIL secretbox.json #1 ", "report does not name the failure")
	assert.Contains(t, r.stdout, "\nFAILED: ", "report does not name the failure")

	fails(t, exitFailure, "no vector files", runOpts{}, "vectors", "verify", t.TempDir())
	fails(t, exitFailure, "no such file", runOpts{}, "vectors", "verify", filepath.Join(dir, "missing"))
	notDir := filepath.Join(dir, "secretbox.json")
	_, err := os.Stat(notDir)
	require.NoError(t, err)
	fails(t, exitFailure, "is not a directory", runOpts{}, "vectors", "verify", notDir)
}
