//go:build !unix

package main

import (
	"io/fs"
	"os"
)

// terminatingSignals: outside Unix only Ctrl-C (and Ctrl-Break) reach a
// Go program as a signal.
var terminatingSignals = []os.Signal{os.Interrupt}

// signalExitCode is 130, what a shell reports for Ctrl-C.
func signalExitCode(os.Signal) int { return 130 }

// brokenPipe: Windows has no SIGPIPE; a write to a closed pipe is an
// ordinary error.
func brokenPipe(error) (code int, ok bool) { return 0, false }

// copyOwner: a replacement file keeps the creator's ownership.
func copyOwner(*os.File, fs.FileInfo) {}

// writable reports whether the file at path is not read-only.
func writable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().Perm()&0o200 != 0
}
