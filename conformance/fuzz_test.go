package conformance_test

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/conformance"
	"github.com/e2eekit/e2ee/internal/vectorseed"
	"github.com/e2eekit/e2ee/pwhash"
)

// FuzzRunFS feeds arbitrary vector files to the runner, seeded with the
// shipped ones: it must never panic, and every failure or skip it reports
// must say why. Argon2id is capped low so that each input stays cheap.
func FuzzRunFS(f *testing.F) {
	// Seeds, from every shipped vector file: each group with its first few
	// tests, and each test alone in its group (one behaviour each), small
	// enough for the fuzzer to mutate and minimise quickly.
	files, _ := filepath.Glob(filepath.Join(vectorseed.Dir(f), "*.json"))
	require.NotEmpty(f, files, "no vector files to seed from")
	seed := func(g map[string]any, tests []any) {
		g = maps.Clone(g)
		g["tests"] = tests
		b, err := json.Marshal(map[string]any{"numberOfTests": len(tests), "testGroups": []any{g}})
		require.NoError(f, err)
		f.Add(b)
	}
	for _, name := range files {
		raw, err := os.ReadFile(name)
		require.NoError(f, err)
		var file struct{ TestGroups []map[string]any }
		require.NoError(f, json.Unmarshal(raw, &file))
		for _, g := range file.TestGroups {
			tests, _ := g["tests"].([]any)
			seed(g, tests[:min(3, len(tests))])
			for _, tc := range tests {
				seed(g, []any{tc})
			}
		}
	}
	opts := conformance.Options{Limits: pwhash.Limits{MaxMemLimit: 1 << 20, MaxWork: 2 << 20}}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			t.Skip("larger than any seed") // keeps executions cheap
		}
		rep, err := conformance.RunFS(fstest.MapFS{"v.json": {Data: data}}, opts)
		require.NoError(t, err) // there is one *.json file
		fr := rep.Files[0]
		if fr.Error != "" {
			require.Empty(t, fr.Results, "file error %q with results", fr.Error)
		}
		for _, r := range fr.Results {
			switch r.Status {
			case conformance.Pass:
			case conformance.Fail, conformance.Skip:
				require.NotEmpty(t, r.Reason, "%v without a reason: %+v", r.Status, r)
			default:
				require.FailNow(t, "unknown status", "status %v", r.Status)
			}
		}
	})
}
