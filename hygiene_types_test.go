package e2ee_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/sodium"
)

// The redaction rules below are checked on the types themselves, loaded
// with go/types, so that a new type cannot leak by being left out of a
// table. A *secret leaf* is a type whose declaration carries the directive
// comment "//e2ee:secret" (secret.Key, every backend's secretstream state,
// and whatever a package marks). Then:
//
//  1. Every exported type of a public package that reaches a leaf through
//     its fields (by value, pointer, slice, array, map or channel) has the
//     redaction method set on its value: fmt, slog and the encoders call
//     those instead of walking the fields.
//  2. No exported type holds the bytes of a leaf inline, that is, reachable
//     without going through a pointer: fmt prints a value held in an
//     unexported field (of a caller's struct, say) by reflection, without
//     calling its methods, and only a pointer stops it. A leaf whose own
//     fields are all pointers (secret.Key) may be held inline.
//  3. Every leaf has the redaction method set too.
//
// TestRedactionFindsLeaks proves that the rules catch a new leaking type.

// redactionMethods is what a redacted type's value method set must hold.
var redactionMethods = []string{"Format", "String", "GoString", "LogValue", "MarshalJSON", "MarshalText", "MarshalBinary"}

// requiredLeaves must be marked: unmarking one would silently weaken the rules.
var requiredLeaves = []string{
	"github.com/e2eekit/e2ee/secret.Key",
	"github.com/e2eekit/e2ee/internal/sodium.SecretstreamState",
}

const modulePath = "github.com/e2eekit/e2ee"

// universe is the module's packages loaded from the compiler's export data.
type universe struct {
	imp    types.Importer
	fset   *token.FileSet
	pkgs   []*types.Package // the module's non-main packages
	leaves map[string]bool  // "path.Name" of each marked type
}

// loadedUniverse is loaded once per test binary: go list -export costs a
// second or so.
var loadedUniverse *universe

// loadUniverse loads the module's packages, once. These checks read the
// source, the same whichever backend the test binary was built with, so
// the pure-Go pass of make test skips them.
func loadUniverse(t *testing.T) *universe {
	t.Helper()
	if sodium.PuregoTag {
		t.Skip("a check of the source: it runs in the default (libsodium) pass")
	}
	if loadedUniverse != nil {
		return loadedUniverse
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	listed, exports := goListExport(t, "./...")
	var own []listedPackage
	for _, p := range listed {
		if (p.ImportPath == modulePath || strings.HasPrefix(p.ImportPath, modulePath+"/")) && p.Name != "main" && p.Export != "" {
			own = append(own, p)
		}
	}
	u := &universe{fset: token.NewFileSet(), leaves: map[string]bool{}}
	u.imp = exportImporter(u.fset, exports, "")
	for _, p := range own {
		pkg, err := u.imp.Import(p.ImportPath)
		require.NoError(t, err, "importing %s", p.ImportPath)
		u.pkgs = append(u.pkgs, pkg)
		for _, name := range append(p.GoFiles, p.CgoFiles...) {
			f, err := parser.ParseFile(u.fset, filepath.Join(p.Dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
			require.NoError(t, err)
			for _, n := range markedTypes(f) {
				u.leaves[p.ImportPath+"."+n] = true
			}
		}
	}
	loadedUniverse = u
	return u
}

// listedPackage is what the hygiene checks read from go list.
type listedPackage struct {
	ImportPath, Name, Export, Dir, ForTest       string
	GoFiles, CgoFiles, TestGoFiles, XTestGoFiles []string
}

// goListExport runs go list -export -deps with args, and returns the
// packages and their export data files by import path.
func goListExport(t *testing.T, args ...string) ([]listedPackage, map[string]string) {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list", "-export", "-deps",
		"-json=ImportPath,Name,Export,Dir,ForTest,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles"}, args...)...).Output()
	require.NoError(t, err, "go list %v", args)
	var pkgs []listedPackage
	exports := map[string]string{}
	for dec := json.NewDecoder(bytes.NewReader(out)); dec.More(); {
		var p listedPackage
		require.NoError(t, dec.Decode(&p))
		pkgs = append(pkgs, p)
		exports[p.ImportPath] = p.Export
	}
	return pkgs, exports
}

// exportImporter imports packages from the export data in exports,
// preferring a package's variant built for a test (variant is then
// " [pkg.test]").
func exportImporter(fset *token.FileSet, exports map[string]string, variant string) types.Importer {
	return importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		for _, key := range []string{path + variant, path} {
			if exports[key] != "" {
				return os.Open(exports[key])
			}
		}
		return nil, fmt.Errorf("no export data for %s", path)
	})
}

// markedTypes lists the types in f declared with the //e2ee:secret directive.
func markedTypes(f *ast.File) []string {
	var names []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, s := range g.Specs {
			ts := s.(*ast.TypeSpec)
			doc := ts.Doc
			if doc == nil && len(g.Specs) == 1 {
				doc = g.Doc
			}
			if doc == nil {
				continue
			}
			for _, c := range doc.List {
				if strings.TrimSpace(c.Text) == "//e2ee:secret" {
					names = append(names, ts.Name.Name)
				}
			}
		}
	}
	return names
}

func qualifiedName(n *types.Named) string {
	if n.Obj().Pkg() == nil {
		return n.Obj().Name()
	}
	return n.Obj().Pkg().Path() + "." + n.Obj().Name()
}

// leafPath returns the field path from t to a secret leaf ("" if none),
// following pointers and channels only when deep.
func (u *universe) leafPath(t types.Type, deep bool, seen map[string]bool) (string, *types.Named) {
	t = types.Unalias(t)
	key := types.TypeString(t, nil)
	if seen[key] {
		return "", nil
	}
	seen[key] = true
	switch t := t.(type) {
	case *types.Named:
		if u.leaves[qualifiedName(t)] {
			return t.Obj().Name(), t
		}
		return u.leafPath(t.Underlying(), deep, seen)
	case *types.Pointer:
		if deep {
			return u.leafPath(t.Elem(), deep, seen)
		}
	case *types.Chan:
		if deep {
			return u.leafPath(t.Elem(), deep, seen)
		}
	case *types.Slice:
		return u.leafPath(t.Elem(), deep, seen)
	case *types.Array:
		return u.leafPath(t.Elem(), deep, seen)
	case *types.Map:
		if p, l := u.leafPath(t.Key(), deep, seen); l != nil {
			return p, l
		}
		return u.leafPath(t.Elem(), deep, seen)
	case *types.Struct:
		for f := range t.Fields() {
			if p, l := u.leafPath(f.Type(), deep, seen); l != nil {
				return f.Name() + "." + p, l
			}
		}
	}
	return "", nil
}

// redacted reports the redaction methods missing from t's value method set.
func missingRedaction(t types.Type) []string {
	ms := types.NewMethodSet(t)
	var missing []string
	for _, m := range redactionMethods {
		if ms.Lookup(nil, m) == nil {
			missing = append(missing, m)
		}
	}
	return missing
}

// inlineSafe reports whether a leaf's own value holds only pointers (and
// zero-size fields), so that printing it by reflection shows addresses.
func inlineSafe(leaf *types.Named) bool {
	s, ok := leaf.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range s.Fields() {
		switch ft := f.Type().Underlying().(type) {
		case *types.Pointer, *types.Chan, *types.Signature:
		case *types.Basic:
			if ft.Kind() != types.UnsafePointer {
				return false
			}
		case *types.Struct:
			if ft.NumFields() != 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// violations applies rules 1 and 2 to the exported types of pkg.
func (u *universe) violations(pkg *types.Package) []string {
	var out []string
	if strings.Contains(pkg.Path(), "/internal/") || strings.HasSuffix(pkg.Path(), "/internal") {
		return nil
	}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || !tn.Exported() || tn.IsAlias() {
			continue
		}
		named := tn.Type().(*types.Named)
		if named.TypeParams().Len() > 0 {
			continue // checked where instantiated
		}
		id := pkg.Name() + "." + name
		if path, leaf := u.leafPath(named.Underlying(), true, map[string]bool{}); leaf != nil && !u.leaves[qualifiedName(named)] {
			if missing := missingRedaction(named); len(missing) > 0 {
				out = append(out, fmt.Sprintf("%s reaches secret %s (via %s) but lacks %s", id, qualifiedName(leaf), path, strings.Join(missing, ", ")))
			}
		}
		if path, leaf := u.leafPath(named.Underlying(), false, map[string]bool{}); leaf != nil && !inlineSafe(leaf) {
			out = append(out, fmt.Sprintf("%s holds the bytes of %s inline (via %s): put it behind a pointer", id, qualifiedName(leaf), path))
		}
	}
	return out
}

func TestRedactionOfEveryType(t *testing.T) {
	u := loadUniverse(t)
	for _, l := range requiredLeaves {
		assert.True(t, u.leaves[l], "%s is not marked //e2ee:secret", l)
	}
	checked := 0
	for _, pkg := range u.pkgs {
		for _, v := range u.violations(pkg) {
			assert.Fail(t, "redaction", v)
		}
		checked += len(pkg.Scope().Names())
		// Every backend's stream state is a leaf: a State type in the
		// crypto boundary that is not marked fails here.
		if strings.HasSuffix(pkg.Path(), "/internal/sodium") {
			for _, name := range pkg.Scope().Names() {
				if tn, ok := pkg.Scope().Lookup(name).(*types.TypeName); ok && strings.Contains(name, "State") {
					if _, isStruct := tn.Type().Underlying().(*types.Struct); isStruct {
						assert.True(t, u.leaves[pkg.Path()+"."+name], "%s.%s looks like a stream state but is not marked //e2ee:secret", pkg.Name(), name)
					}
				}
			}
		}
	}
	var leaves []string
	for l := range u.leaves {
		leaves = append(leaves, l)
		pkgPath, name := l[:strings.LastIndex(l, ".")], l[strings.LastIndex(l, ".")+1:]
		for _, pkg := range u.pkgs {
			if pkg.Path() == pkgPath {
				assert.Empty(t, missingRedaction(pkg.Scope().Lookup(name).Type()), "secret leaf %s lacks these methods", l)
			}
		}
	}
	slices.Sort(leaves)
	t.Logf("%d packages, %d top-level names checked; leaves: %s", len(u.pkgs), checked, strings.Join(leaves, ", "))
}

// TestRedactionFindsLeaks type-checks new types against the real packages
// and requires the rules to flag exactly the leaking ones.
func TestRedactionFindsLeaks(t *testing.T) {
	u := loadUniverse(t)
	const src = `package probe

import (
	"fmt"

	"github.com/e2eekit/e2ee/internal/redaction"
	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

type EmbedsState struct{ st sodium.SecretstreamState }       // rules 1 and 2
type PointsAtState struct{ st *sodium.SecretstreamState }    // rule 1
type HoldsKey struct{ K *secret.Key }                        // rule 1
type HoldsEncryptor struct{ e *stream.Encryptor }            // rule 1
type SliceOfStates struct{ s []*sodium.SecretstreamState }    // rule 1
type RedactedInline struct { // rule 2 only
	redaction.Of[RedactedInline]
	st sodium.SecretstreamState
}
type Fine struct {
	redaction.Of[Fine]
	st *sodium.SecretstreamState
	k  secret.Key
}
type Public struct{ Name string; N int }

var _ = fmt.Sprint
`
	f, err := parser.ParseFile(u.fset, "probe.go", src, 0)
	require.NoError(t, err)
	conf := types.Config{Importer: u.imp}
	pkg, err := conf.Check("example.com/probe", u.fset, []*ast.File{f}, nil)
	require.NoError(t, err)
	got := u.violations(pkg)
	want := map[string]int{"EmbedsState": 2, "PointsAtState": 1, "HoldsKey": 1, "HoldsEncryptor": 1, "SliceOfStates": 1, "RedactedInline": 1}
	count := map[string]int{}
	for _, v := range got {
		count[strings.TrimPrefix(strings.Fields(v)[0], "probe.")]++
	}
	assert.Equal(t, want, count, "findings:\n%s", strings.Join(got, "\n"))
}
