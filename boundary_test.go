// Package e2ee_test holds repository-wide checks.
package e2ee_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/e2eekit/e2ee"

// classify says where a package sits, and the root of its tree: "top" packages (conformance, cmd,
// examples) exercise everything and nothing but cmd imports them; "compose"
// packages (keys, share) build on the primitives and nothing in the library
// imports them; everything else is a primitive.
func classify(path string) (layer, root string) {
	for _, top := range []string{"/conformance", "/cmd", "/examples"} {
		if strings.HasPrefix(path, mod+top) {
			return "top", mod + top
		}
	}
	for _, c := range []string{"/keys", "/share"} {
		if path == mod+c || strings.HasPrefix(path, mod+c+"/") {
			return "compose", mod + c
		}
	}
	return "primitive", path
}

// TestCgoBoundary fails if any package other than internal/sodium imports
// "C" or github.com/jamesruan/sodium, or if an import points up a layer.
// internal/sodiumref, the benchmarks' C reference programs, may use cgo too,
// but no package may import it outside its tests, so it never reaches the
// SDK.
func TestCgoBoundary(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
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
		isBoundary := p.ImportPath == mod+"/internal/sodium" || p.ImportPath == mod+"/internal/sodiumref"
		if len(p.CgoFiles) > 0 && !isBoundary {
			t.Errorf("%s has cgo files %v; only internal/sodium may", p.ImportPath, p.CgoFiles)
		}
		from, fromRoot := classify(p.ImportPath)
		for _, imp := range p.Imports {
			if (imp == "C" || strings.HasPrefix(imp, "github.com/jamesruan/sodium")) && !isBoundary {
				t.Errorf("%s imports %s; only internal/sodium may", p.ImportPath, imp)
			}
			if imp == mod+"/internal/sodiumref" {
				t.Errorf("%s imports %s; only tests may", p.ImportPath, imp)
			}
			if !strings.HasPrefix(imp, mod+"/") {
				continue
			}
			// A package may import within its own tree (share/internal/wire).
			to, toRoot := classify(imp)
			sameTree := from != "primitive" && fromRoot == toRoot
			switch {
			case sameTree:
			case to == "top" && !strings.HasPrefix(p.ImportPath, mod+"/cmd"):
				t.Errorf("%s imports %s: nothing but cmd imports the top layer", p.ImportPath, imp)
			case to == "compose" && from == "primitive":
				t.Errorf("%s imports %s: arrows must point down", p.ImportPath, imp)
			case to == "compose" && from == "compose":
				t.Errorf("%s imports %s: keys and share stay independent", p.ImportPath, imp)
			}
		}
	}
	if seen < 5 {
		t.Fatalf("go list saw only %d packages", seen)
	}
}
