//go:build unix

package main

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// terminatingSignals are the signals whose default action ends the process
// and that a person or the system sends: Ctrl-C, kill, a closed terminal,
// Ctrl-\, and a reader that went away (SIGPIPE; the write then also fails
// with EPIPE).
var terminatingSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE}

// signalExitCode is what a shell reports for a process killed by sig.
func signalExitCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 128 + int(syscall.SIGINT)
}

// brokenPipe reports a write to a reader that went away; the process then
// exits as if killed by SIGPIPE, silently, as "… | head" expects.
func brokenPipe(err error) (code int, ok bool) {
	return 128 + int(syscall.SIGPIPE), errors.Is(err, syscall.EPIPE)
}

// copyOwner gives f the owner and group of the file it replaces (fi), as
// far as the process may: a file root rewrites stays its owner's.
func copyOwner(f *os.File, fi fs.FileInfo) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		f.Chown(int(st.Uid), int(st.Gid))
	}
}

// writable reports whether this process may write the file at path, as
// the shell's '>' would (root may write any file).
func writable(path string) bool {
	const wOK = 2 // access(2)'s W_OK
	return syscall.Access(path, wOK) == nil
}
