// Command e2ee works with Ente's end-to-end encrypted formats outside the
// apps: it encrypts and decrypts files in Ente's 4 MiB chunked format,
// decrypts and writes Ente Auth exports, parses and makes album links,
// checks recovery keys, and runs the conformance vectors. Run "e2ee help"
// for the commands and "e2ee COMMAND --help" for each one's flags and
// examples.
//
// It is built on the SDK's public packages only (secret, stream, pwhash,
// keys, share, conformance), so it can do nothing a program using the SDK
// could not.
//
// # Secrets
//
// Keys and passwords never come from command-line arguments, which other
// users can read in ps and which shells keep in their history: keys come
// from a file (--key-file), an environment variable (--key-env) or a prompt
// without echo on the terminal; passwords from that prompt or, with
// --password-stdin, the first line of standard input. Error messages never
// quote keys, passwords, recovery phrases or otpauth URIs, nor an argument
// that looks like one (a key or phrase given on the command line by
// mistake), nor a mistyped recovery word.
//
// # Output files
//
// A file written with -o (or --header-file) that is a regular file or does
// not exist yet is written to a temporary file in the same directory and
// renamed over the target only once the command has succeeded: for decrypt
// that is after the FINAL chunk authenticated and the input ended. A failed,
// truncated or interrupted run (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE)
// leaves no output file, and an existing one as it was, with its mode and
// owner kept. A FIFO, a device, /dev/stdout or a process substitution is
// opened and written directly, never replaced; a symbolic link is written
// through. Keys and headers never replace an existing file without
// --force. Plaintext written to standard output cannot be taken back: it
// holds only authenticated chunks, but a later failure (exit status 1)
// means it is incomplete.
//
// # Exit status
//
// 0 on success, 1 on failure (the message, on standard error, starts with
// "e2ee: "), 2 on a usage error, 128+N when ended by signal N.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	code := run(os.Args[1:], newEnv())
	cleanupTemps() // commands abort their outputs; this is the backstop
	os.Exit(code)
}

// run executes the command line args and returns the exit status.
func run(args []string, e *env) int {
	stopSignals := cleanupOnSignal()
	defer stopSignals()
	err := dispatch(root, args, e)
	var u *usageError
	if code, broken := brokenPipe(err); broken {
		return code
	}
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &u):
		fmt.Fprintf(e.stderr, "e2ee: %s\n", redactArgs(err.Error(), args))
		if u.cmd != nil {
			fmt.Fprintf(e.stderr, "Run '%s --help' for usage.\n", u.cmd.path())
		}
		return exitUsage
	default:
		fmt.Fprintf(e.stderr, "e2ee: %s\n", redactArgs(err.Error(), args))
		return exitFailure
	}
}

// env is what a command touches of the process: its standard streams and
// environment. Commands go through it rather than through os so that the
// streams are named in one place.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

func newEnv() *env {
	return &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
}
