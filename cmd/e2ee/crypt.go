package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/term"

	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

var encryptCmd = &command{
	name:    "encrypt",
	args:    "[FILE]",
	maxArgs: 1,
	summary: "encrypt a file in Ente's 4 MiB chunked format",
	help: `Encrypts FILE (or standard input) in Ente's file format: XChaCha20-Poly1305
secretstream, 4 MiB chunks, the last one tagged FINAL. The output, to -o or
standard output, is self-contained: the 24-byte header, then the chunks, as
libsodium's own secretstream examples store them; 'e2ee decrypt' reads it as
it is. With --header-file the output is Ente's detached layout instead, the
chunks only, as Ente's servers store a file, and the header ("decryptionHeader")
goes to that file as base64. An existing header file is not replaced unless
--force is given: it is the only way to decrypt the file it belongs to.

Ciphertext is not written to a terminal: give -o, redirect standard output,
or force it with '-o -'. A regular file given to -o appears only once it is
complete (see 'e2ee help decrypt').

The key (base64 of 32 bytes, as Ente stores file keys) comes from --key-file,
--key-env or a prompt; never give a key on the command line. Use a key for one
file only: 'e2ee keygen' makes a new one.`,
	examples: `
e2ee keygen -o photo.key
e2ee encrypt --key-file photo.key -o photo.enc photo.jpg
e2ee encrypt --key-file photo.key --header-file photo.hdr -o photo.ente photo.jpg
tar c docs | E2EE_KEY=$(cat docs.key) e2ee encrypt --key-env E2EE_KEY > docs.tar.enc`,
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		o := new(cryptOptions)
		o.register(fs, "Ente's detached layout: write the header, base64, to `FILE` and only the chunks to the output")
		fs.BoolVar(&o.force, "force", false, "replace an existing --header-file")
		return func(e *env, args []string) error { return encrypt(e, o, arg(args, 0)) }
	},
}

var decryptCmd = &command{
	name:    "decrypt",
	args:    "[FILE]",
	maxArgs: 1,
	summary: "decrypt a file in Ente's 4 MiB chunked format",
	help: `Decrypts FILE (or standard input), written in Ente's file format, with its key.
The header comes from the input itself, as 'e2ee encrypt' writes it, or, for
Ente's detached layout (a file from Ente's servers, or 'encrypt --header-file'),
from --header or --header-file (Ente's "decryptionHeader", base64; a line
"header: B64" is read too). Every chunk is authenticated before any of it is
written, and the file must end with its FINAL chunk: a truncated file,
trailing bytes, or a modified, reordered or foreign chunk are errors.

-o FILE, a regular file or a new one: the plaintext goes to a temporary file
beside it (mode 0600, or the mode of the file it replaces), renamed over it
only after the FINAL chunk authenticated. A failed or interrupted decryption
(SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE) leaves no output file, and an
existing one as it was. A FIFO, a device or /dev/stdout is written directly
and never replaced; a symbolic link is written through (the link stays), and
a link to nothing is refused. On standard output, a FIFO or a device, a
failure (exit status 1) means the output stops short.`,
	examples: `
e2ee decrypt --key-file photo.key -o photo.jpg photo.enc
e2ee decrypt --key-file photo.key --header-file photo.hdr -o photo.jpg photo.ente
e2ee decrypt --key-env FILE_KEY --header "v7wsI+BFZsRMIjDm3rTxPhmi/CaUdkdJ" < photo.ente > photo.jpg`,
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		o := new(cryptOptions)
		o.register(fs, "Ente's detached layout: read the header, base64, from `FILE`")
		fs.StringVar(&o.header, "header", "", "Ente's detached layout: the header as base64 (`B64`; it is not secret)")
		return func(e *env, args []string) error { return decrypt(e, o, arg(args, 0)) }
	},
}

var keygenCmd = &command{
	name:    "keygen",
	summary: "write a new random 32-byte key",
	help: `Writes a new random 32-byte key as base64, the form --key-file and --key-env
read, to -o (created with mode 0600) or standard output. An existing file is
not replaced unless --force is given: the key it holds may be the only one
that decrypts something.`,
	examples: `
e2ee keygen -o photo.key`,
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		out := fs.String("o", "", "write the key to `FILE`")
		force := fs.Bool("force", false, "replace an existing key file")
		return func(e *env, _ []string) error {
			k := secret.GenerateKey()
			defer k.Destroy()
			b := encodeKey(k)
			defer clear(b)
			kind := secretOutput
			kind.noClobber = !*force
			return writeOutput(e, *out, kind, b)
		}
	},
}

// cryptOptions are the flags of encrypt and decrypt.
type cryptOptions struct {
	key        keySource
	out        string
	headerFile string
	header     string
	quiet      bool
	force      bool
}

func (o *cryptOptions) register(fs *flag.FlagSet, headerFileUsage string) {
	o.key.register(fs)
	fs.StringVar(&o.out, "o", "", "write the output to `FILE` instead of standard output")
	fs.StringVar(&o.headerFile, "header-file", "", headerFileUsage)
	fs.BoolVar(&o.quiet, "q", false, "no progress bar")
}

// arg returns args[i], or "" (standard input) if absent.
func arg(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

// errTerminal refuses ciphertext on a terminal, where it is noise that can
// also reprogram the terminal.
var errTerminal = errors.New("refusing to write ciphertext to a terminal: use -o FILE or redirect standard output (> FILE); '-o -' forces it")

func encrypt(e *env, o *cryptOptions, inPath string) error {
	if f, ok := e.stdout.(*os.File); ok && o.out == "" && term.IsTerminal(int(f.Fd())) {
		return errTerminal
	}
	if o.headerFile != "" && filepath.Clean(o.headerFile) == filepath.Clean(o.out) {
		return usagef("-o and --header-file name the same file")
	}
	// The header file is created before any work, so that a path that
	// cannot be written fails before a ciphertext exists, and committed
	// before the ciphertext, which is never left without its header.
	var hdrOut *output
	if o.headerFile != "" {
		kind := publicOutput
		kind.noClobber = !o.force
		var err error
		if hdrOut, err = createOutput(e, o.headerFile, kind); err != nil {
			return fmt.Errorf("header file: %w", err)
		}
		defer hdrOut.Abort()
	}
	return transfer(e, o, inPath, publicOutput, hdrOut, func(key *secret.Key, in io.Reader, out io.Writer) error {
		w, hdr, err := stream.NewEncryptWriter(out, key)
		if err != nil {
			return err
		}
		if hdrOut != nil {
			_, err = io.WriteString(hdrOut, hdr.String()+"\n")
		} else {
			_, err = out.Write(hdr[:]) // self-contained: the header first
		}
		if err != nil {
			w.Close()
			return fmt.Errorf("writing the header: %w", err)
		}
		if _, err := io.Copy(w, in); err != nil {
			w.Close() // writes no FINAL after an error, and wipes the state
			return fmt.Errorf("encrypt: %w", err)
		}
		if err := w.Close(); err != nil {
			return fmt.Errorf("encrypt: %w", err)
		}
		return nil
	})
}

func decrypt(e *env, o *cryptOptions, inPath string) error {
	hdr, detached, err := o.loadHeader()
	if err != nil {
		return err
	}
	return transfer(e, o, inPath, privateOutput, nil, func(key *secret.Key, in io.Reader, out io.Writer) error {
		if !detached {
			if err := readHeader(in, &hdr); err != nil {
				return err
			}
		}
		r, err := stream.NewDecryptReader(in, hdr, key)
		if err != nil {
			return err
		}
		defer r.Close()
		if _, err := io.Copy(out, r); err != nil {
			return fmt.Errorf("decrypt: %w%s", err, decryptHint(err, detached))
		}
		return nil
	})
}

// readHeader reads the header of a self-contained file: its first 24 bytes.
func readHeader(in io.Reader, hdr *stream.Header) error {
	_, err := io.ReadFull(in, hdr[:])
	switch {
	case err == io.EOF:
		return errors.New("decrypt: the input is empty (no header)")
	case err == io.ErrUnexpectedEOF:
		return fmt.Errorf("decrypt: the input is shorter than a header (%d bytes)", len(hdr))
	case err != nil:
		return fmt.Errorf("decrypt: %w", err)
	}
	return nil
}

// transfer is what encrypt and decrypt share: it opens the input and the
// output, loads the key, and runs move between them with the progress bar
// counting what is read. side (the header file, or nil) and then the output
// are committed only if move succeeds.
func transfer(e *env, o *cryptOptions, inPath string, kind outputKind, side *output, move func(key *secret.Key, in io.Reader, out io.Writer) error) (err error) {
	in, size, closeIn, err := openInput(e, inPath)
	if err != nil {
		return err
	}
	defer closeIn()
	out, err := createOutput(e, o.out, kind)
	if err != nil {
		return err
	}
	defer out.Abort()
	key, err := o.key.load(e)
	if err != nil {
		return err
	}
	defer key.Destroy()
	bar := newProgress(e, o.quiet, size)
	defer func() { bar.finish(err == nil) }()
	if err := move(key, bar.reader(in), out); err != nil {
		return err
	}
	if err := side.Commit(); err != nil {
		return fmt.Errorf("header file: %w", err)
	}
	if err := out.Commit(); err != nil {
		side.retract() // a header for no ciphertext would only mislead
		return err
	}
	return nil
}

// decryptHint says what a stream error most likely means to a person.
func decryptHint(err error, detached bool) string {
	switch {
	case errors.Is(err, stream.ErrOpen) && detached:
		return " (wrong key or header, or the file was modified)"
	case errors.Is(err, stream.ErrOpen):
		return " (wrong key, or the file was modified; a file in Ente's detached layout needs --header or --header-file)"
	case errors.Is(err, stream.ErrTruncated):
		return " (the file is incomplete: an interrupted download or copy?)"
	case errors.Is(err, stream.ErrTrailingData):
		return " (something was appended to the file)"
	}
	return ""
}

// loadHeader reads the header from --header or --header-file; detached is
// false when neither is given and the header starts the input.
func (o *cryptOptions) loadHeader() (h stream.Header, detached bool, err error) {
	var text []byte
	what := "--header"
	switch {
	case o.header != "" && o.headerFile != "":
		return h, false, usagef("--header and --header-file exclude each other")
	case o.header != "":
		text = []byte(o.header)
	case o.headerFile != "":
		what = "header file " + o.headerFile
		f, err := os.Open(o.headerFile)
		if err != nil {
			return h, false, fmt.Errorf("header file: %w", err)
		}
		defer f.Close()
		if text, err = readSmall(f, 1024, what); err != nil {
			return h, false, err
		}
	default:
		return h, false, nil
	}
	// "header: B64" is how encrypt printed headers before the
	// self-contained format; people saved that line.
	text = bytes.TrimSpace(text)
	if rest, ok := bytes.CutPrefix(text, []byte("header:")); ok {
		text = bytes.TrimSpace(rest)
	}
	if err := h.UnmarshalText(text); err != nil {
		return h, false, fmt.Errorf("%s: %w", what, err)
	}
	return h, true, nil
}
