// Package e2ee_test holds repository-wide checks.
package e2ee_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	require.NoError(t, err, "go list")
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
			CgoFiles   []string
		}
		require.NoError(t, dec.Decode(&p))
		seen++
		isBoundary := p.ImportPath == mod+"/internal/sodium" || p.ImportPath == mod+"/internal/sodiumref"
		assert.False(t, len(p.CgoFiles) > 0 && !isBoundary, "%s has cgo files %v; only internal/sodium may", p.ImportPath, p.CgoFiles)
		from, fromRoot := classify(p.ImportPath)
		for _, imp := range p.Imports {
			assert.False(t, (imp == "C" || strings.HasPrefix(imp, "github.com/jamesruan/sodium")) && !isBoundary,
				"%s imports %s; only internal/sodium may", p.ImportPath, imp)
			assert.NotEqual(t, mod+"/internal/sodiumref", imp, "%s imports %s; only tests may", p.ImportPath, imp)
			if !strings.HasPrefix(imp, mod+"/") {
				continue
			}
			// A package may import within its own tree (share/internal/wire).
			to, toRoot := classify(imp)
			sameTree := from != "primitive" && fromRoot == toRoot
			switch {
			case sameTree:
			case to == "top" && !strings.HasPrefix(p.ImportPath, mod+"/cmd"):
				assert.Failf(t, "nothing but cmd imports the top layer", "%s imports %s", p.ImportPath, imp)
			case to == "compose" && from == "primitive":
				assert.Failf(t, "arrows must point down", "%s imports %s", p.ImportPath, imp)
			case to == "compose" && from == "compose":
				assert.Failf(t, "keys and share stay independent", "%s imports %s", p.ImportPath, imp)
			}
		}
	}
	require.GreaterOrEqual(t, seen, 5, "go list saw only %d packages", seen)
}
