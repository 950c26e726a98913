package main

import (
	"fmt"
	"io"
	"os"
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
