package conformance_test

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

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
	if len(files) == 0 {
		f.Fatal("no vector files to seed from")
	}
	seed := func(g map[string]any, tests []any) {
		g = maps.Clone(g)
		g["tests"] = tests
		b, err := json.Marshal(map[string]any{"numberOfTests": len(tests), "testGroups": []any{g}})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		var file struct{ TestGroups []map[string]any }
		if err := json.Unmarshal(raw, &file); err != nil {
			f.Fatal(err)
		}
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
		if err != nil {
			t.Fatal(err) // there is one *.json file
		}
		fr := rep.Files[0]
		if fr.Error != "" && len(fr.Results) != 0 {
			t.Fatalf("file error %q with %d results", fr.Error, len(fr.Results))
		}
		for _, r := range fr.Results {
			switch r.Status {
			case conformance.Pass:
			case conformance.Fail, conformance.Skip:
				if r.Reason == "" {
					t.Fatalf("%v without a reason: %+v", r.Status, r)
				}
			default:
				t.Fatalf("status %v", r.Status)
			}
		}
	})
}
