package main

import (
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCompilesForWindows type-checks this command's own files as they are
// selected for Windows (the signal and special-file code has Unix and
// other variants). The SDK's dependencies are read from source, their cgo
// files through the host's cgo: a full cross build would need a Windows C
// toolchain and libsodium, which this check does not.
func TestCompilesForWindows(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the SDK from source: a few seconds")
	}
	saved := build.Default
	defer func() { build.Default = saved }()
	build.Default.GOOS = "windows"
	build.Default.CgoEnabled = true
	pkg, err := build.Default.ImportDir(".", 0)
	require.NoError(t, err)
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range pkg.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(pkg.Dir, name), nil, 0)
		require.NoError(t, err)
		files = append(files, f)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	_, err = conf.Check(pkg.ImportPath, fset, files, nil)
	require.NoError(t, err, "for windows (files %v)", pkg.GoFiles)
	assert.NotContains(t, pkg.GoFiles, "sys_unix.go", "sys_unix.go selected for windows")
}
