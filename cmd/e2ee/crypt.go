package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

var encryptCmd = &command{
	name:    "encrypt",
	args:    "[FILE]",
	maxArgs: 1,
	summary: "encrypt a file in Ente's 4 MiB chunked format",
	help: `Encrypts FILE (or standard input) in Ente's file format: XChaCha20-Poly1305
secretstream, 4 MiB chunks, the last one tagged FINAL. The ciphertext goes to
-o or standard output. The 24-byte header, which decryption needs, is written
to --header-file as base64, or else printed on standard error.

The key (base64 of 32 bytes, as Ente stores file keys) comes from --key-file,
--key-env or a prompt; never give a key on the command line. Use a key for one
file only: 'e2ee keygen' makes a new one.`,
	examples: `
e2ee keygen -o photo.key
e2ee encrypt --key-file photo.key --header-file photo.hdr -o photo.enc photo.jpg
tar c docs | E2EE_KEY=$(cat docs.key) e2ee encrypt --key-env E2EE_KEY > docs.tar.enc`,
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		o := new(cryptOptions)
		o.register(fs, "write the header, base64, to `FILE` instead of standard error")
		return func(e *env, args []string) error { return encrypt(e, o, arg(args, 0)) }
	},
}

var decryptCmd = &command{
	name:    "decrypt",
	args:    "[FILE]",
	maxArgs: 1,
	summary: "decrypt a file in Ente's 4 MiB chunked format",
	help: `Decrypts FILE (or standard input), written in Ente's file format, with its key
and header (Ente's "decryptionHeader"). Every chunk is authenticated before any
of it is written, and the file must end with its FINAL chunk: a truncated file,
trailing bytes, or a modified, reordered or foreign chunk are errors.

With -o the plaintext goes to a temporary file beside the target, renamed over
it only after the FINAL chunk authenticated: a failed decryption leaves no
output file (and an existing one as it was). On standard output, a failure
(exit status 1) means the output stops short.`,
	examples: `
e2ee decrypt --key-file photo.key --header-file photo.hdr -o photo.jpg photo.enc
e2ee decrypt --key-env FILE_KEY --header "v7wsI+BFZsRMIjDm3rTxPhmi/CaUdkdJ" < photo.enc > photo.jpg`,
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		o := new(cryptOptions)
		o.register(fs, "read the header, base64, from `FILE`")
		fs.StringVar(&o.header, "header", "", "the header as base64 (`B64`; it is not secret)")
		return func(e *env, args []string) error { return decrypt(e, o, arg(args, 0)) }
	},
}

var keygenCmd = &command{
	name:    "keygen",
	summary: "write a new random 32-byte key",
	help: `Writes a new random 32-byte key as base64, the form --key-file and --key-env
read, to -o (created with mode 0600) or standard output.`,
	examples: `
e2ee keygen -o photo.key`,
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		out := fs.String("o", "", "write the key to `FILE`")
		return func(e *env, _ []string) error {
			k := secret.GenerateKey()
			defer k.Destroy()
			b := encodeKey(k)
			defer clear(b)
			return writeOutput(e, *out, b)
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

func encrypt(e *env, o *cryptOptions, inPath string) error {
	var hdr stream.Header
	err := transfer(e, o, inPath, func(key *secret.Key, in io.Reader, out io.Writer) error {
		w, h, err := stream.NewEncryptWriter(out, key)
		if err != nil {
			return err
		}
		hdr = h
		if _, err := io.Copy(w, in); err != nil {
			w.Close() // writes no FINAL after an error, and wipes the state
			return fmt.Errorf("encrypt: %w", err)
		}
		if err := w.Close(); err != nil {
			return fmt.Errorf("encrypt: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if o.headerFile != "" {
		return writeOutput(e, o.headerFile, []byte(hdr.String()+"\n"))
	}
	fmt.Fprintf(e.stderr, "header: %s\n", hdr)
	return nil
}

func decrypt(e *env, o *cryptOptions, inPath string) error {
	hdr, err := o.loadHeader()
	if err != nil {
		return err
	}
	return transfer(e, o, inPath, func(key *secret.Key, in io.Reader, out io.Writer) error {
		r, err := stream.NewDecryptReader(in, hdr, key)
		if err != nil {
			return err
		}
		defer r.Close()
		if _, err := io.Copy(out, r); err != nil {
			return fmt.Errorf("decrypt: %w%s", err, decryptHint(err))
		}
		return nil
	})
}

// transfer is what encrypt and decrypt share: it loads the key, opens the
// input and the output, and runs move between them with the progress bar
// counting what is read. The output is committed only if move succeeds.
func transfer(e *env, o *cryptOptions, inPath string, move func(key *secret.Key, in io.Reader, out io.Writer) error) (err error) {
	key, err := o.key.load(e)
	if err != nil {
		return err
	}
	defer key.Destroy()
	in, size, closeIn, err := openInput(e, inPath)
	if err != nil {
		return err
	}
	defer closeIn()
	out, err := createOutput(e, o.out)
	if err != nil {
		return err
	}
	defer out.Abort()
	bar := newProgress(e, o.quiet, size)
	defer func() { bar.finish(err == nil) }()
	if err := move(key, bar.reader(in), out); err != nil {
		return err
	}
	return out.Commit()
}

// decryptHint says what a stream error most likely means to a person.
func decryptHint(err error) string {
	switch {
	case errors.Is(err, stream.ErrOpen):
		return " (wrong key or header, or the file was modified)"
	case errors.Is(err, stream.ErrTruncated):
		return " (the file is incomplete: an interrupted download or copy?)"
	case errors.Is(err, stream.ErrTrailingData):
		return " (something was appended to the file)"
	}
	return ""
}

// loadHeader reads the header from --header or --header-file.
func (o *cryptOptions) loadHeader() (stream.Header, error) {
	var h stream.Header
	var text []byte
	what := "--header"
	switch {
	case o.header != "" && o.headerFile != "":
		return h, usagef("--header and --header-file exclude each other")
	case o.header != "":
		text = []byte(o.header)
	case o.headerFile != "":
		what = "header file " + o.headerFile
		f, err := os.Open(o.headerFile)
		if err != nil {
			return h, fmt.Errorf("header file: %w", err)
		}
		defer f.Close()
		if text, err = readSmall(f, 1024, what); err != nil {
			return h, err
		}
	default:
		return h, usagef("the header is required: --header or --header-file")
	}
	if err := h.UnmarshalText(bytes.TrimSpace(text)); err != nil {
		return h, fmt.Errorf("%s: %w", what, err)
	}
	return h, nil
}
