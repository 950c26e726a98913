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
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range pkg.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(pkg.Dir, name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	if _, err := conf.Check(pkg.ImportPath, fset, files, nil); err != nil {
		t.Fatalf("for windows (files %v): %v", pkg.GoFiles, err)
	}
	for _, name := range pkg.GoFiles {
		if name == "sys_unix.go" {
			t.Errorf("sys_unix.go selected for windows")
		}
	}
}
