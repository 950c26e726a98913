package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
)

// openInput opens path for reading, or returns standard input for "" and
// "-". size is the input's length when it is a regular file, else -1.
func openInput(e *env, path string) (r io.Reader, size int64, closeFn func(), err error) {
	if path == "" || path == "-" {
		size = -1
		if f, ok := e.stdin.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
				size = st.Size()
			}
		}
		return e.stdin, size, func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, nil, err
	}
	if st.IsDir() {
		f.Close()
		return nil, 0, nil, fmt.Errorf("%s is a directory", path)
	}
	size = -1
	if st.Mode().IsRegular() {
		size = st.Size()
	}
	return f, size, func() { f.Close() }, nil
}

// readSmall reads all of r, failing if it holds more than limit bytes: the
// inputs read whole (key files, exports, URI lists) are small, and a cap
// keeps a wrong path (a disk image, /dev/zero) from eating memory.
func readSmall(r io.Reader, limit int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	if int64(len(b)) > limit {
		clear(b)
		return nil, fmt.Errorf("%s is larger than %d bytes", what, limit)
	}
	return b, nil
}

// output is where a command writes its result: standard output, or a file
// that appears only on commit.
type output struct {
	io.Writer
	f    *os.File // the temporary file, nil for standard output
	path string   // the final name
}

// createOutput returns an output for path: standard output for "" or "-",
// else a temporary file (mode 0600) beside path that Commit renames to it.
// Until then path is untouched, and Abort, a failure, or a signal removes
// the temporary file.
func createOutput(e *env, path string) (*output, error) {
	if path == "" || path == "-" {
		return &output{Writer: e.stdout}, nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.e2ee-tmp")
	if err != nil {
		return nil, fmt.Errorf("creating output: %w", err)
	}
	registerTemp(f.Name())
	return &output{Writer: f, f: f, path: path}, nil
}

// Commit makes the output final: it flushes the temporary file to disk and
// renames it over the target.
func (o *output) Commit() error {
	if o.f == nil {
		return nil
	}
	name := o.f.Name()
	err := o.f.Sync()
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// Under the lock, so that a signal either removes the temporary
		// file before the rename or finds it committed.
		temps.Lock()
		if err = os.Rename(name, o.path); err == nil {
			delete(temps.names, name)
		}
		temps.Unlock()
	}
	if err != nil {
		removeTemp(name)
		return fmt.Errorf("writing %s: %w", o.path, err)
	}
	return nil
}

// Abort removes the temporary file. It is a no-op after Commit and for
// standard output.
func (o *output) Abort() {
	if o.f != nil {
		o.f.Close()
		removeTemp(o.f.Name())
	}
}

// writeOutput writes b to path (or standard output) through createOutput.
func writeOutput(e *env, path string, b []byte) error {
	out, err := createOutput(e, path)
	if err != nil {
		return err
	}
	if _, err := out.Write(b); err != nil {
		out.Abort()
		return fmt.Errorf("writing output: %w", err)
	}
	return out.Commit()
}

// Temporary files not yet committed, removed on exit and on SIGINT/SIGTERM.
var temps struct {
	sync.Mutex
	names map[string]bool
}

func registerTemp(name string) {
	temps.Lock()
	defer temps.Unlock()
	if temps.names == nil {
		temps.names = make(map[string]bool)
	}
	temps.names[name] = true
}

func removeTemp(name string) {
	temps.Lock()
	defer temps.Unlock()
	if temps.names[name] {
		os.Remove(name)
		delete(temps.names, name)
	}
}

// cleanupTemps removes every temporary file not committed.
func cleanupTemps() {
	temps.Lock()
	defer temps.Unlock()
	removeAllLocked()
}

func removeAllLocked() {
	for name := range temps.names {
		os.Remove(name)
	}
	clear(temps.names)
}

// onSignal, when set, runs before the process exits on a signal: it puts
// the terminal back after an interrupted prompt.
var onSignal atomic.Pointer[func()]

func setOnSignal(f func()) {
	if f == nil {
		onSignal.Store(nil)
		return
	}
	onSignal.Store(&f)
}

// cleanupOnSignal makes SIGINT and SIGTERM remove the temporary files before
// the process exits, so an interrupted decryption leaves nothing behind. It
// returns a function that stops the handling.
func cleanupOnSignal() (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			temps.Lock() // held until exit: no Commit renames after this
			removeAllLocked()
			if f := onSignal.Load(); f != nil {
				(*f)()
			}
			code := 128 + 2
			if s, ok := sig.(syscall.Signal); ok {
				code = 128 + int(s)
			}
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
