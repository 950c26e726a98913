package main

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/e2eekit/e2ee/secret"
)

// keySource is where a command reads its 32-byte key from. There is no
// flag that takes the key itself: arguments show in ps and shell history.
type keySource struct {
	file, envName string
}

func (s *keySource) register(fs *flag.FlagSet) {
	fs.StringVar(&s.file, "key-file", "", "read the key from `FILE`: base64 of 32 bytes (as e2ee keygen writes)")
	fs.StringVar(&s.envName, "key-env", "", "read the key, base64 of 32 bytes, from the environment variable `NAME`")
}

// load reads the key from the file, the environment variable or, with
// neither flag, a prompt without echo on the terminal.
func (s *keySource) load(e *env) (*secret.Key, error) {
	switch {
	case s.file != "" && s.envName != "":
		return nil, usagef("--key-file and --key-env exclude each other")
	case s.file != "":
		f, err := os.Open(s.file)
		if err != nil {
			return nil, fmt.Errorf("key file: %w", err)
		}
		defer f.Close()
		b, err := readSmall(f, 1024, "key file "+s.file)
		if err != nil {
			return nil, err
		}
		defer clear(b)
		return decodeKey(b, "key file "+s.file)
	case s.envName != "":
		v := []byte(e.getenv(s.envName))
		if len(v) == 0 {
			return nil, fmt.Errorf("environment variable %s is not set or empty", s.envName)
		}
		defer clear(v)
		return decodeKey(v, "environment variable "+s.envName)
	default:
		b, err := promptSecret(e, "Key (base64 of 32 bytes): ")
		if err != nil {
			return nil, fmt.Errorf("%w (or use --key-file or --key-env)", err)
		}
		defer clear(b)
		return decodeKey(b, "the key typed")
	}
}

// errBadKey is wrapped by every key that does not decode.
var errBadKey = errors.New("not base64 of 32 bytes")

// decodeKey decodes a key as padded standard base64 of 32 bytes, the way
// Ente's clients write keys, allowing only surrounding whitespace (a key
// file's final newline). The message names where the key came from, never
// what it held.
func decodeKey(text []byte, what string) (*secret.Key, error) {
	text = bytes.TrimSpace(text)
	// Strict rejects non-canonical trailing bits and missing padding, but
	// skips CR and LF inside the text: refuse those here.
	if bytes.ContainsAny(text, "\r\n") || base64.StdEncoding.DecodedLen(len(text)) > 33 {
		return nil, fmt.Errorf("%s: %w", what, errBadKey)
	}
	var buf [33]byte
	defer clear(buf[:])
	n, err := base64.StdEncoding.Strict().Decode(buf[:], text)
	if err != nil || n != secret.KeySize {
		return nil, fmt.Errorf("%s: %w", what, errBadKey)
	}
	return secret.NewKey(buf[:n])
}

// encodeKey is the inverse of decodeKey, for e2ee keygen.
func encodeKey(k *secret.Key) []byte {
	b := k.Bytes()
	defer clear(b)
	out := make([]byte, base64.StdEncoding.EncodedLen(len(b))+1)
	base64.StdEncoding.Encode(out, b)
	out[len(out)-1] = '\n'
	return out
}

// errNoTerminal means a prompt was needed but there is no terminal.
var errNoTerminal = errors.New("no terminal to prompt on")

// promptSecret shows prompt on the terminal and reads one line without echo.
// It uses the process's controlling terminal (/dev/tty), so standard input
// and output stay free for data, or standard input if that is a terminal.
func promptSecret(e *env, prompt string) ([]byte, error) {
	if tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil {
		defer tty.Close()
		return readNoEcho(tty, tty, prompt)
	}
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return readNoEcho(f, e.stderr, prompt)
	}
	return nil, errNoTerminal
}

func readNoEcho(in *os.File, out io.Writer, prompt string) ([]byte, error) {
	fd := int(in.Fd())
	// Ctrl-C at the prompt exits through the signal handler, which skips
	// ReadPassword's own restore: hand it the state to put back (echo on).
	if st, err := term.GetState(fd); err == nil {
		setOnSignal(func() { term.Restore(fd, st); fmt.Fprintln(out) })
		defer setOnSignal(nil)
	}
	fmt.Fprint(out, prompt)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(out)
	if err != nil {
		return nil, fmt.Errorf("reading from the terminal: %w", err)
	}
	return b, nil
}

// passwordSource reads a password: from a prompt, or with --password-stdin
// the first line of standard input.
type passwordSource struct {
	stdin bool
}

func (p *passwordSource) register(fs *flag.FlagSet) {
	fs.BoolVar(&p.stdin, "password-stdin", false, "read the password from the first line of standard input instead of a prompt")
}

// maxPassword bounds a password read from standard input.
const maxPassword = 4096

// read returns the password as bytes (UTF-8 as typed, no normalisation,
// only the line ending removed); confirm asks twice at a prompt.
func (p *passwordSource) read(e *env, confirm bool) ([]byte, error) {
	if p.stdin {
		return readPasswordLine(e.stdin)
	}
	pw, err := promptSecret(e, "Password: ")
	if err != nil {
		return nil, fmt.Errorf("%w (or use --password-stdin)", err)
	}
	if confirm {
		again, err := promptSecret(e, "Password again: ")
		if err != nil {
			clear(pw)
			return nil, err
		}
		defer clear(again)
		if subtle.ConstantTimeCompare(pw, again) != 1 { // constant time, as for every secret
			clear(pw)
			return nil, errors.New("the passwords do not match")
		}
	}
	if len(pw) == 0 {
		return nil, errors.New("empty password")
	}
	return pw, nil
}

// readPasswordLine reads up to the first newline, one byte at a time so
// that nothing after it is consumed, into a buffer allocated once (append
// would leave copies of the password behind).
func readPasswordLine(r io.Reader) ([]byte, error) {
	pw := make([]byte, 0, maxPassword)
	var c [1]byte
	for {
		n, err := r.Read(c[:])
		if n == 1 && c[0] == '\n' {
			break
		}
		if n == 1 {
			if len(pw) == maxPassword {
				clear(pw)
				return nil, fmt.Errorf("password on standard input is longer than %d bytes", maxPassword)
			}
			pw = append(pw, c[0])
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			clear(pw)
			return nil, fmt.Errorf("reading the password: %w", err)
		}
	}
	pw = bytes.TrimSuffix(pw, []byte("\r"))
	if len(pw) == 0 {
		return nil, errors.New("empty password on standard input")
	}
	return pw, nil
}
