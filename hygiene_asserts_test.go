package e2ee_test

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/types"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A failing assert.Equal (and Exactly, EqualValues, EqualExportedValues,
// ElementsMatch, NotElementsMatch) prints a dump made by reflection, which
// ignores String and Format and shows unexported fields: handed a key, it
// would print the key into the test log. So no test may pass a value that
// reaches a secret leaf (see hygiene_types_test.go) to those: compare such
// values with their constant-time Equal inside assert.True. (testify's
// other checks print their arguments with fmt verbs, which the redacted
// types answer. Raw key bytes have no type that says so; the tests compare
// them with bytes.Equal by convention.)

// testifyPkgs are the packages whose calls are checked.
var testifyPkgs = []string{"github.com/stretchr/testify/assert", "github.com/stretchr/testify/require"}

// dumpsByReflection are the testify functions whose failure message holds a
// reflection dump of their arguments (testify's diff and list diff, made
// with spew's DisableMethods), read from testify v1.12's assertions.go.
var dumpsByReflection = map[string]bool{
	"Equal": true, "EqualValues": true, "EqualExportedValues": true, "Exactly": true,
	"ElementsMatch": true, "NotElementsMatch": true,
}

// secretDiffs reports each testify call in files that passes a value
// reaching a secret leaf to a function that dumps it by reflection.
func (u *universe) secretDiffs(files []*ast.File, info *types.Info) []string {
	var out []string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			fn, ok := info.Uses[sel.Sel].(*types.Func)
			if !ok || fn.Pkg() == nil || !containsString(testifyPkgs, fn.Pkg().Path()) {
				return true
			}
			if !dumpsByReflection[strings.TrimSuffix(fn.Name(), "f")] {
				return true
			}
			sig := fn.Type().(*types.Signature)
			// The values: every fixed parameter after t (the variadic
			// msgAndArgs, or msg and args, are printed with fmt verbs).
			last := sig.Params().Len()
			if sig.Variadic() {
				last--
			}
			for i := 1; i < last && i < len(call.Args); i++ {
				tv, ok := info.Types[call.Args[i]]
				if !ok || tv.Type == nil {
					continue
				}
				if path, leaf := u.leafPath(tv.Type, true, map[string]bool{}); leaf != nil {
					out = append(out, fmt.Sprintf("%s: %s.%s is given %s, which reaches secret %s (via %s): compare with its Equal method in assert.True",
						u.fset.Position(call.Pos()), fn.Pkg().Name(), fn.Name(), types.ExprString(call.Args[i]), qualifiedName(leaf), path))
				}
			}
			return true
		})
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// testPackage is one package's test files, type-checked from source against
// the export data of the test build.
type testPackage struct {
	path      string
	files     []*ast.File // the test files only
	info      *types.Info
	typeCheck []error
}

// loadTestPackages type-checks the test files of every package in the
// module: a package's own files with its in-package tests, then its
// external tests against the test build of the package.
func loadTestPackages(t *testing.T, u *universe) []testPackage {
	t.Helper()
	listed, exports := goListExport(t, "-test", "./...")
	var own []listedPackage
	for _, p := range listed {
		if p.ForTest == "" && (p.ImportPath == modulePath || strings.HasPrefix(p.ImportPath, modulePath+"/")) &&
			len(p.TestGoFiles)+len(p.XTestGoFiles) > 0 {
			own = append(own, p)
		}
	}
	parse := func(dir string, names []string) []*ast.File {
		var files []*ast.File
		for _, name := range names {
			f, err := parser.ParseFile(u.fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
			require.NoError(t, err)
			files = append(files, f)
		}
		return files
	}
	var pkgs []testPackage
	for _, p := range own {
		imp := exportImporter(u.fset, exports, " ["+p.ImportPath+".test]")
		check := func(path string, files, tests []*ast.File) {
			tp := testPackage{path: path, files: tests, info: &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}}
			conf := types.Config{Importer: imp, FakeImportC: true, Error: func(err error) { tp.typeCheck = append(tp.typeCheck, err) }}
			conf.Check(path, u.fset, files, tp.info)
			pkgs = append(pkgs, tp)
		}
		if len(p.TestGoFiles) > 0 {
			tests := parse(p.Dir, p.TestGoFiles)
			check(p.ImportPath, append(parse(p.Dir, append(p.GoFiles, p.CgoFiles...)), tests...), tests)
		}
		if len(p.XTestGoFiles) > 0 {
			tests := parse(p.Dir, p.XTestGoFiles)
			check(p.ImportPath+"_test", tests, tests)
		}
	}
	return pkgs
}

func TestNoSecretInTestifyDiffs(t *testing.T) {
	u := loadUniverse(t)
	calls := 0
	for _, p := range loadTestPackages(t, u) {
		// A package's own cgo files do not type-check from source (C.x is
		// opaque here), which is harmless; an error in a test file would
		// leave it checked incompletely.
		for _, err := range p.typeCheck {
			var te types.Error
			if errors.As(err, &te) && !strings.HasSuffix(te.Fset.Position(te.Pos).Filename, "_test.go") {
				continue
			}
			assert.Fail(t, "type-checking the tests", "%s: %v", p.path, err)
		}
		for _, v := range u.secretDiffs(p.files, p.info) {
			assert.Fail(t, "secret in a testify diff", v)
		}
		for _, obj := range p.info.Uses {
			if fn, ok := obj.(*types.Func); ok && fn.Pkg() != nil && containsString(testifyPkgs, fn.Pkg().Path()) {
				calls++
			}
		}
	}
	assert.Greater(t, calls, 1000, "the check saw too few testify calls: is it looking at the tests?")
	t.Logf("%d testify calls checked", calls)
}

// TestSecretDiffsFound type-checks a probe test against the real packages
// and requires exactly the calls that would print a secret to be flagged.
func TestSecretDiffsFound(t *testing.T) {
	u := loadUniverse(t)
	const src = `package probe

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

type holder struct{ k *secret.Key }

func TestProbe(t *testing.T) {
	a, b := secret.GenerateKey(), secret.GenerateKey()
	var e *stream.Encryptor
	assert.Equal(t, a, b)                              // flagged twice
	require.Equalf(t, a, b, "%v", a)                   // flagged twice (the values, not the message)
	assert.ElementsMatch(t, []*secret.Key{a}, []*secret.Key{b}) // flagged twice
	require.Exactly(t, e, e)                           // flagged twice
	assert.EqualValues(t, holder{a}, 3)                // flagged once
	assert.True(t, a.Equal(b))                         // fine
	assert.Nil(t, e)                                   // fine: printed with %#v, redacted
	assert.NotEqual(t, a, b)                           // fine: the same
	assert.Equal(t, 32, len(a.Bytes()))                // fine: an int
	assert.Equal(t, "x", "y", a)                       // fine: a is a message argument
}
`
	f, err := parser.ParseFile(u.fset, "probe_test.go", src, 0)
	require.NoError(t, err)
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}
	_, exports := goListExport(t, "testing", testifyPkgs[0], testifyPkgs[1], "./secret", "./stream")
	_, err = (&types.Config{Importer: exportImporter(u.fset, exports, "")}).Check("example.com/probe", u.fset, []*ast.File{f}, info)
	require.NoError(t, err)
	got := u.secretDiffs([]*ast.File{f}, info)
	lines := map[int]int{}
	for _, v := range got {
		var line int
		_, err := fmt.Sscanf(strings.SplitN(v, ":", 3)[1], "%d", &line)
		require.NoError(t, err, v)
		lines[line]++
	}
	want := map[int]int{18: 2, 19: 2, 20: 2, 21: 2, 22: 1}
	assert.Equal(t, want, lines, "findings:\n%s", strings.Join(got, "\n"))
}
