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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	} else {
		require.NoError(t, err, "running e2ee %s", strings.Join(args, " "))
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// ok runs e2ee and fails the test unless it exits 0.
func ok(t *testing.T, o runOpts, args ...string) result {
	t.Helper()
	r := e2ee(t, o, args...)
	require.Equal(t, 0, r.code, "e2ee %s: stderr:\n%s", strings.Join(args, " "), r.stderr)
	return r
}

// fails runs e2ee, wants exit status code and a message on standard error
// that starts with "e2ee: " and contains want.
func fails(t *testing.T, code int, want string, o runOpts, args ...string) result {
	t.Helper()
	r := e2ee(t, o, args...)
	require.Equal(t, code, r.code, "e2ee %s: stderr:\n%s", strings.Join(args, " "), r.stderr)
	require.True(t, strings.HasPrefix(r.stderr, "e2ee: "), "e2ee %s: stderr %q, want it to start with \"e2ee: \"", strings.Join(args, " "), r.stderr)
	require.Contains(t, r.stderr, want, "e2ee %s", strings.Join(args, " "))
	return r
}

// noFilesBut fails the test if dir holds anything but the names given:
// failed commands must leave no output or temporary file behind.
func noFilesBut(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	allowed := map[string]bool{}
	for _, n := range names {
		allowed[n] = true
	}
	for _, e := range entries {
		assert.True(t, allowed[e.Name()], "unexpected file left in %s: %s", dir, e.Name())
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, b, 0o600))
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
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
			assert.True(t, strings.HasPrefix(r.stdout, "Usage: "+c.path()+" "), "%s %s: stdout starts %q", c.path(), h, firstLine(r.stdout))
			if c.setup != nil {
				assert.Contains(t, r.stdout, "\nExamples:\n  e2ee ", "%s %s: no examples", c.path(), h)
			}
			assert.Empty(t, r.stderr, "%s %s: stderr", c.path(), h)
		}
		n++
		for _, s := range c.subs {
			walk(s)
		}
	}
	walk(root)
	assert.GreaterOrEqual(t, n, 15, "walked too few commands, want every one")
	// "e2ee help CMD" is the same text as "e2ee CMD --help".
	a := ok(t, runOpts{}, "help", "link", "parse")
	b := ok(t, runOpts{}, "link", "parse", "--help")
	assert.Equal(t, b.stdout, a.stdout, "help link parse and link parse --help differ")
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
		assert.Contains(t, r.stderr, "--help' for usage.", "e2ee %s: no pointer to --help", strings.Join(tc.args, " "))
	}
}

// TestVersion: "version", "--version" and "-V" print the same line, as
// people try all three.
func TestVersion(t *testing.T) {
	r := ok(t, runOpts{}, "version")
	assert.True(t, strings.HasPrefix(r.stdout, "e2ee "), "version: %q", r.stdout)
	assert.Contains(t, r.stdout, "go1.", "version")
	assert.Contains(t, r.stdout, ", crypto: ", "version")
	assert.Equal(t, 1, strings.Count(r.stdout, "\n"), "version: %q", r.stdout)
	for _, flag := range []string{"--version", "-V", "-version"} {
		got := ok(t, runOpts{}, flag)
		assert.Equal(t, r.stdout, got.stdout, "e2ee %s", flag)
		assert.Empty(t, got.stderr, "e2ee %s", flag)
	}
	h := ok(t, runOpts{}, "--help")
	assert.Contains(t, h.stdout, "--version", "e2ee --help does not mention --version")
}
