// Package e2ee_test holds repository-wide checks.
package e2ee_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// TestCgoBoundary fails if any package other than internal/sodium imports
// "C" or github.com/jamesruan/sodium directly, and if the packages' imports
// point anywhere but down (keys and share compose the primitives; nothing
// in the library imports keys or share).
func TestCgoBoundary(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "github.com/e2eekit/e2ee"
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
			CgoFiles   []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		seen++
		isBoundary := p.ImportPath == mod+"/internal/sodium"
		if len(p.CgoFiles) > 0 && !isBoundary {
			t.Errorf("%s has cgo files %v; only internal/sodium may", p.ImportPath, p.CgoFiles)
		}
		for _, imp := range p.Imports {
			if (imp == "C" || strings.HasPrefix(imp, "github.com/jamesruan/sodium")) && !isBoundary {
				t.Errorf("%s imports %s; only internal/sodium may", p.ImportPath, imp)
			}
			lib := !strings.HasPrefix(p.ImportPath, mod+"/cmd") && !strings.HasPrefix(p.ImportPath, mod+"/examples")
			if lib && (imp == mod+"/keys" || imp == mod+"/share") {
				t.Errorf("%s imports %s: arrows must point down", p.ImportPath, imp)
			}
		}
	}
	if seen < 5 {
		t.Fatalf("go list saw only %d packages", seen)
	}
}
