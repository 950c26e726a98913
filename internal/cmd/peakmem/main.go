// Command peakmem measures the peak resident memory of decrypting a large
// stream (default 1 GiB of plaintext) with stream.NewDecryptReader.
//
// The parent encrypts a deterministic plaintext on the fly into the stdin
// of a child copy of itself, which decrypts to io.Discard and reports its
// own peak RSS (VmHWM from /proc/self/status, Linux). The ciphertext is
// never stored, and the encrypting side's memory is not counted.
//
// With -readers N the child instead reads the whole ciphertext into memory
// and decrypts it with N concurrent stream.NewDecryptReaderBytes (many
// files in flight at once, sharing the package's memory budget); its peak
// then includes that one shared ciphertext.
package main

import (
	"bufio"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

var readers int

func main() {
	size := flag.Int64("size", 1<<30, "plaintext bytes to stream")
	child := flag.Bool("child", false, "internal: decrypt stdin and report")
	flag.IntVar(&readers, "readers", 0, "decrypt with this many concurrent readers from memory (0: one reader from stdin)")
	flag.Parse()
	var err error
	if *child {
		err = decryptChild(*size)
	} else {
		err = parent(*size)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "peakmem:", err)
		os.Exit(1)
	}
}

// pattern is an endless deterministic plaintext (byte i = i mod 251).
type pattern struct{ i int64 }

func (p *pattern) Read(b []byte) (int, error) {
	for j := range b {
		b[j] = byte(p.i % 251)
		p.i++
	}
	return len(b), nil
}

func parent(size int64) error {
	key := secret.GenerateKey()
	raw := key.Bytes()
	defer clear(raw)
	pr, pw := io.Pipe()
	cmd := exec.Command(os.Args[0], "-child", "-size", strconv.FormatInt(size, 10), "-readers", strconv.Itoa(readers))
	cmd.Stdin = pr
	cmd.Stderr = os.Stderr
	var out strings.Builder
	cmd.Stdout = &out

	w, hdr, err := stream.NewEncryptWriter(pw, key)
	if err != nil {
		return err
	}
	// A throwaway random key for a measurement, handed to our own child.
	cmd.Env = append(os.Environ(),
		"PEAKMEM_KEY="+base64.StdEncoding.EncodeToString(raw),
		"PEAKMEM_HEADER="+base64.StdEncoding.EncodeToString(hdr[:]))
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() {
		_, err := io.Copy(w, io.LimitReader(&pattern{}, size))
		if err == nil {
			err = w.Close()
		}
		pw.CloseWithError(err)
	}()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("child: %w", err)
	}
	fmt.Print(out.String())
	return nil
}

func decryptChild(size int64) error {
	raw, err := base64.StdEncoding.DecodeString(os.Getenv("PEAKMEM_KEY"))
	if err != nil {
		return err
	}
	key, err := secret.NewKey(raw)
	clear(raw)
	if err != nil {
		return err
	}
	var hdr stream.Header
	if err := hdr.UnmarshalText([]byte(os.Getenv("PEAKMEM_HEADER"))); err != nil {
		return err
	}
	if readers > 0 {
		return concurrentChild(size, hdr, key)
	}
	r, err := stream.NewDecryptReader(bufio.NewReaderSize(os.Stdin, 1<<16), hdr, key)
	if err != nil {
		return err
	}
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		return err
	}
	if n != size {
		return fmt.Errorf("decrypted %d bytes, want %d", n, size)
	}
	hwm, err := vmHWM()
	if err != nil {
		return err
	}
	backend := "libsodium"
	if sodium.PureGo {
		backend = "go"
	}
	fmt.Printf("peak_rss_bytes %d plaintext_bytes %d backend %s\n", hwm, n, backend)
	return nil
}

// concurrentChild decrypts the ciphertext on stdin with readers concurrent
// readers from memory.
func concurrentChild(size int64, hdr stream.Header, key *secret.Key) error {
	ct, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	errs := make(chan error, readers)
	for range readers {
		go func() {
			r, err := stream.NewDecryptReaderBytes(ct, hdr, key)
			if err == nil {
				var n int64
				if n, err = io.Copy(io.Discard, r); err == nil && n != size {
					err = fmt.Errorf("decrypted %d bytes, want %d", n, size)
				}
			}
			errs <- err
		}()
	}
	for range readers {
		if err := <-errs; err != nil {
			return err
		}
	}
	hwm, err := vmHWM()
	if err != nil {
		return err
	}
	fmt.Printf("peak_rss_concurrent_bytes %d readers %d\n", hwm, readers)
	return nil
}

// vmHWM returns this process's peak resident set size in bytes.
func vmHWM() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" && f[2] == "kB" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("no VmHWM in /proc/self/status")
}
