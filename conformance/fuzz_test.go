package conformance_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/e2eekit/e2ee/conformance"
	"github.com/e2eekit/e2ee/pwhash"
)

// FuzzRunFS feeds arbitrary vector files to the runner, seeded with the
// shipped ones: it must never panic, and every failure or skip it reports
// must say why. Argon2id is capped low so that each input stays cheap.
func FuzzRunFS(f *testing.F) {
	// Seeds: each group of each shipped file with its first few tests, small
	// enough for the fuzzer to mutate and minimise quickly.
	files, _ := filepath.Glob(filepath.Join(vectorDir, "*.json"))
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		var file map[string]any
		if err := json.Unmarshal(raw, &file); err != nil {
			f.Fatal(err)
		}
		for _, g := range file["testGroups"].([]any) {
			tests := g.(map[string]any)["tests"].([]any)
			g.(map[string]any)["tests"] = tests[:min(3, len(tests))]
			seed, err := json.Marshal(map[string]any{"numberOfTests": 3, "testGroups": []any{g}})
			if err != nil {
				f.Fatal(err)
			}
			f.Add(seed)
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
