package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	if err := json.Unmarshal(readFile(t, filepath.Join(vectorseed.Dir(t), file)), &f); err != nil {
		t.Fatal(err)
	}
	var tests []T
	for _, g := range f.TestGroups {
		if g.Type != typ {
			continue
		}
		var ts []T
		if err := json.Unmarshal(g.Tests, &ts); err != nil {
			t.Fatalf("%s %s: %v", file, typ, err)
		}
		tests = append(tests, ts...)
	}
	if len(tests) < atLeast {
		t.Fatalf("%s has %d %s vectors, want all (at least %d)", file, len(tests), typ, atLeast)
	}
	return tests
}

// TestVectorsVerify runs two quick vector files (the whole directory takes
// Argon2id at 64 MiB and 8 MiB files; "make test" covers it through the
// conformance package's own tests).
func TestVectorsVerify(t *testing.T) {
	dir := copyVectors(t, "secretbox.json", "links.json")
	r := ok(t, runOpts{}, "vectors", "verify", dir)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "links.json ") || !strings.HasPrefix(lines[1], "secretbox.json ") ||
		!strings.HasPrefix(lines[2], "OK: ") || !strings.Contains(lines[2], " 0 fail") {
		t.Errorf("vectors verify:\n%s", r.stdout)
	}

	// -v lists every check.
	r = ok(t, runOpts{}, "vectors", "verify", "-v", dir)
	if n := strings.Count(r.stdout, "\nPASS secretbox.json #"); n < 17 {
		t.Errorf("-v lists %d secretbox checks, want every one:\n%s", n, r.stdout)
	}

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
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || len(rep.Files) != 2 || len(rep.Files[1].Results) < 17 || rep.Files[1].Results[0].Status != "pass" {
		t.Errorf("--json: %v, %+v", err, rep)
	}
}

// TestVectorsVerifyFailure: a vector whose expected ciphertext is wrong (as
// a client author's buggy output would be) fails the run with exit 1 and is
// named.
func TestVectorsVerifyFailure(t *testing.T) {
	dir := copyVectors(t)
	var v map[string]any
	if err := json.Unmarshal(readFile(t, filepath.Join(vectorseed.Dir(t), "secretbox.json")), &v); err != nil {
		t.Fatal(err)
	}
	test := v["testGroups"].([]any)[0].(map[string]any)["tests"].([]any)[0].(map[string]any)
	if test["result"] != "valid" {
		t.Fatalf("first secretbox vector is %v, want a valid one", test["result"])
	}
	test["msg"] = "AAAA" // the ciphertext no longer matches
	b, _ := json.Marshal(v)
	writeFile(t, filepath.Join(dir, "secretbox.json"), b)
	r := fails(t, exitFailure, "conformance checks failed", runOpts{}, "vectors", "verify", dir)
	if !strings.Contains(r.stdout, "\nFAIL secretbox.json #1 ") || !strings.Contains(r.stdout, "\nFAILED: ") {
		t.Errorf("report does not name the failure:\n%s", r.stdout)
	}

	fails(t, exitFailure, "no vector files", runOpts{}, "vectors", "verify", t.TempDir())
	fails(t, exitFailure, "no such file", runOpts{}, "vectors", "verify", filepath.Join(dir, "missing"))
	notDir := filepath.Join(dir, "secretbox.json")
	if _, err := os.Stat(notDir); err != nil {
		t.Fatal(err)
	}
	fails(t, exitFailure, "is not a directory", runOpts{}, "vectors", "verify", notDir)
}
