package conformance_test

import (
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
	seeds, _ := filepath.Glob(filepath.Join(vectorDir, "*.json"))
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	opts := conformance.Options{Limits: pwhash.Limits{MaxMemLimit: 1 << 20, MaxWork: 2 << 20}}
	f.Fuzz(func(t *testing.T, data []byte) {
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
