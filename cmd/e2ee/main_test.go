package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// bin is the e2ee binary under test, built once by TestMain: the tests run
// it as a user would, through its arguments, streams and exit status.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "e2ee-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Readable by all: one test runs the binary as an unprivileged user.
	os.Chmod(dir, 0o755)
	bin = filepath.Join(dir, "e2ee")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building e2ee: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runOpts are what a run gets besides its arguments.
type runOpts struct {
	stdin  io.Reader
	env    []string // added to a minimal environment
	dir    string
	stdout *os.File             // instead of a buffer; result.stdout is then empty
	attr   *syscall.SysProcAttr // instead of detach's
}

type result struct {
	stdout, stderr string
	code           int
}

// e2ee runs the binary with args, in a session of its own so that it has
// no controlling terminal to prompt on.
func e2ee(t *testing.T, o runOpts, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = o.stdin
	cmd.Dir = o.dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, o.env...)
	detach(cmd)
	if o.attr != nil {
		cmd.SysProcAttr = o.attr
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if o.stdout != nil {
		cmd.Stdout = o.stdout
	}
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running e2ee %s: %v", strings.Join(args, " "), err)
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// ok runs e2ee and fails the test unless it exits 0.
func ok(t *testing.T, o runOpts, args ...string) result {
	t.Helper()
	r := e2ee(t, o, args...)
	if r.code != 0 {
		t.Fatalf("e2ee %s: exit %d, stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

// fails runs e2ee, wants exit status code and a message on standard error
// that starts with "e2ee: " and contains want.
func fails(t *testing.T, code int, want string, o runOpts, args ...string) result {
	t.Helper()
	r := e2ee(t, o, args...)
	if r.code != code {
		t.Fatalf("e2ee %s: exit %d, want %d; stderr:\n%s", strings.Join(args, " "), r.code, code, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "e2ee: ") || !strings.Contains(r.stderr, want) {
		t.Fatalf("e2ee %s: stderr %q, want it to start with \"e2ee: \" and contain %q", strings.Join(args, " "), r.stderr, want)
	}
	return r
}

// noFilesBut fails the test if dir holds anything but the names given:
// failed commands must leave no output or temporary file behind.
func noFilesBut(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{}
	for _, n := range names {
		allowed[n] = true
	}
	for _, e := range entries {
		if !allowed[e.Name()] {
			t.Errorf("unexpected file left in %s: %s", dir, e.Name())
		}
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestHelpEverywhere walks the command tree: every command and group
// answers --help and -h with its usage on standard output and exit 0, and
// every leaf shows examples.
func TestHelpEverywhere(t *testing.T) {
	var walk func(c *command)
	n := 0
	walk = func(c *command) {
		args := strings.Fields(c.path())[1:]
		for _, h := range []string{"--help", "-h"} {
			r := ok(t, runOpts{}, append(args, h)...)
			if !strings.HasPrefix(r.stdout, "Usage: "+c.path()+" ") {
				t.Errorf("%s %s: stdout starts %q", c.path(), h, firstLine(r.stdout))
			}
			if c.setup != nil && !strings.Contains(r.stdout, "\nExamples:\n  e2ee ") {
				t.Errorf("%s %s: no examples", c.path(), h)
			}
			if r.stderr != "" {
				t.Errorf("%s %s: stderr %q", c.path(), h, r.stderr)
			}
		}
		n++
		for _, s := range c.subs {
			walk(s)
		}
	}
	walk(root)
	if n < 15 {
		t.Errorf("walked %d commands, want every one (at least 15)", n)
	}
	// "e2ee help CMD" is the same text as "e2ee CMD --help".
	a := ok(t, runOpts{}, "help", "link", "parse")
	b := ok(t, runOpts{}, "link", "parse", "--help")
	if a.stdout != b.stdout {
		t.Errorf("help link parse and link parse --help differ")
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestUsageErrors: mistakes on the command line exit 2 and say what and
// where to look.
func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "k")
	ok(t, runOpts{}, "keygen", "-o", key)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "missing command"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"encrypt", "--no-such-flag"}, "encrypt: flag provided but not defined: -no-such-flag"},
		{[]string{"decrypt", "-x"}, "decrypt: flag provided but not defined: -x"},
		{[]string{"link", "parse", "--key", "k"}, "link parse: flag provided but not defined"},
		{[]string{"link"}, "link: missing command"},
		{[]string{"link", "open"}, `link: unknown command "open"`},
		{[]string{"auth-export", "decrypt"}, "auth-export decrypt: missing argument: FILE"},
		{[]string{"encrypt", "a", "b"}, "encrypt: 2 arguments, want at most 1"},
		{[]string{"keygen", "x"}, "keygen: takes no arguments (got 1)"},
		{[]string{"encrypt", "--header-file", "x", "-o", "./x"}, "encrypt: -o and --header-file name the same file"},
		{[]string{"link", "new", "--token", "T", "--base", "ftp://x"}, `link new: --base: share: invalid album base URL: scheme "ftp", want https or http`},
		{[]string{"decrypt", "--key-file", key, "--header", "x", "--header-file", "y", "in"}, "exclude each other"},
		{[]string{"encrypt", "--key-file", key, "--key-env", "K"}, "--key-file and --key-env exclude each other"},
		{[]string{"link", "new"}, "link new: --token is required"},
		{[]string{"auth-export", "encrypt", "--password-stdin"}, "give the URIs in a FILE"},
		{[]string{"auth-export", "decrypt", "--password-stdin", "-"}, "give the export as a FILE"},
		{[]string{"auth-export", "encrypt", "--mem-limit", "64MiB", "x"}, "--mem-limit and --ops-limit go together"},
		{[]string{"auth-export", "encrypt", "--mem-limit", "lots", "x"}, "want a number of bytes"},
		{[]string{"help", "nope"}, `no help for "nope"`},
	} {
		r := fails(t, exitUsage, tc.want, runOpts{stdin: strings.NewReader("")}, tc.args...)
		if !strings.Contains(r.stderr, "--help' for usage.") {
			t.Errorf("e2ee %s: no pointer to --help in %q", strings.Join(tc.args, " "), r.stderr)
		}
	}
}

// TestVersion: "version", "--version" and "-V" print the same line, as
// people try all three.
func TestVersion(t *testing.T) {
	r := ok(t, runOpts{}, "version")
	if !strings.HasPrefix(r.stdout, "e2ee ") || !strings.Contains(r.stdout, "go1.") || !strings.Contains(r.stdout, ", crypto: ") || strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("version: %q", r.stdout)
	}
	for _, flag := range []string{"--version", "-V", "-version"} {
		if got := ok(t, runOpts{}, flag); got.stdout != r.stdout || got.stderr != "" {
			t.Errorf("e2ee %s: %q, %q; want %q", flag, got.stdout, got.stderr, r.stdout)
		}
	}
	if h := ok(t, runOpts{}, "--help"); !strings.Contains(h.stdout, "--version") {
		t.Errorf("e2ee --help does not mention --version")
	}
}
