package conformance_test

// The vector files are checked against their JSON Schemas (draft 2020-12)
// with github.com/santhosh-tekuri/jsonschema/v6, a complete implementation
// that passes the official JSON-Schema-Test-Suite. The schemas use if/then,
// oneOf, dependentRequired, $ref and patterns: a hand-written subset checker
// would be a second thing to test. The dependency is for tests only.

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const schemaDir = "../testdata/schema"

// compileSchemas compiles every schema file, by file name.
func compileSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(schemaDir, "*.schema.json"))
	require.NoError(t, err, "no schemas in %s", schemaDir)
	require.NotEmpty(t, paths, "no schemas in %s", schemaDir)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	out := map[string]*jsonschema.Schema{}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		require.NoError(t, err)
		s, err := c.Compile(abs)
		require.NoError(t, err, p)
		out[filepath.Base(p)] = s
	}
	return out
}

func loadJSON(t *testing.T, path string) any {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err, path)
	return v
}

// TestSchemas validates every vector file against the schema its "schema"
// field names, checks what a schema cannot (numberOfTests, tcIds 1..n
// unique, every flag used explained in notes), and that every schema has
// its vector file.
func TestSchemas(t *testing.T) {
	schemas := compileSchemas(t)
	files, _ := filepath.Glob(filepath.Join(vectorDir, "*.json"))
	used := map[string]bool{}
	for _, path := range files {
		name := filepath.Base(path)
		doc := loadJSON(t, path)
		top, _ := doc.(map[string]any)
		schemaName, _ := top["schema"].(string)
		s := schemas[schemaName]
		if !assert.NotNil(t, s, "%s: names schema %q, which does not exist", name, schemaName) {
			continue
		}
		used[schemaName] = true
		assert.Equal(t, strings.TrimSuffix(name, ".json")+".schema.json", schemaName, "%s: schema", name)
		assert.NoError(t, s.Validate(doc), name)
		checkTestIDs(t, name, path)
	}
	for s := range schemas {
		assert.True(t, used[s], "schema %s has no vector file", s)
	}
}

// checkTestIDs checks the invariants testdata/README.md promises beyond
// the schema.
func checkTestIDs(t *testing.T, name, path string) {
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var f struct {
		NumberOfTests int               `json:"numberOfTests"`
		Notes         map[string]string `json:"notes"`
		TestGroups    []struct {
			Tests []struct {
				TcID  int      `json:"tcId"`
				Flags []string `json:"flags"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	require.NoError(t, json.Unmarshal(raw, &f), name)
	seen := map[int]bool{}
	for _, g := range f.TestGroups {
		for _, tc := range g.Tests {
			assert.True(t, tc.TcID >= 1 && tc.TcID <= f.NumberOfTests && !seen[tc.TcID], "%s: tcId %d out of 1..%d or repeated", name, tc.TcID, f.NumberOfTests)
			seen[tc.TcID] = true
			for _, fl := range tc.Flags {
				assert.NotEmpty(t, f.Notes[fl], "%s: tcId %d: flag %q is not explained in notes", name, tc.TcID, fl)
			}
		}
	}
	assert.Len(t, seen, f.NumberOfTests, "%s: tests, as numberOfTests says", name)
}

// TestSchemasReject proves the validation is not vacuous: a vector with a
// field missing, a flag unknown to its file, or bytes in the wrong alphabet
// fails its schema.
func TestSchemasReject(t *testing.T) {
	schemas := compileSchemas(t)
	edits := map[string]func(test map[string]any){
		"missing ct":        func(tc map[string]any) { delete(tc, "ct") },
		"unknown flag":      func(tc map[string]any) { tc["flags"] = []any{"Bogus"} },
		"url-safe base64":   func(tc map[string]any) { tc["nonce"] = "jgfPDOsQh2VdIHWJVSBicMPF2sQW3HI_" },
		"bad result":        func(tc map[string]any) { tc["result"] = "acceptable" },
		"invalid, no error": func(tc map[string]any) { tc["result"] = "invalid" },
	}
	for name, edit := range edits {
		doc := loadJSON(t, filepath.Join(vectorDir, "secretbox.json"))
		g := doc.(map[string]any)["testGroups"].([]any)[0].(map[string]any)
		edit(g["tests"].([]any)[0].(map[string]any))
		assert.Error(t, schemas["secretbox.schema.json"].Validate(doc), "%s: the schema accepts it", name)
	}
}
