package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"golang.org/x/sys/unix"
)

// A terminal for the prompt tests: the child gets the pty's slave as its
// controlling terminal, the test types on the master.
type pty struct {
	master, slave *os.File
	mu            sync.Mutex
	screen        bytes.Buffer // everything the child wrote to the terminal
	done          chan struct{}
}

func openPTY(t *testing.T) *pty {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		t.Skipf("unlocking the pty: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		t.Skipf("pty number: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("opening the pty slave: %v", err)
	}
	p := &pty{master: m, slave: s, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		buf := make([]byte, 4096)
		for {
			n, err := m.Read(buf)
			p.mu.Lock()
			p.screen.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { m.Close(); s.Close() })
	return p
}

// start runs e2ee with the pty as its controlling terminal (fd 3), and
// stdin as its standard input.
func (p *pty) start(t *testing.T, stdin io.Reader, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.ExtraFiles = []*os.File{p.slave}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 3}
	require.NoError(t, cmd.Start())
	return cmd, &stdout, &stderr
}

// echo reports whether the terminal echoes input.
func (p *pty) echo(t *testing.T) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(p.master.Fd()), unix.TCGETS)
	require.NoError(t, err)
	return tio.Lflag&unix.ECHO != 0
}

// typeAtPrompt waits until the terminal shows prompt (for the count-th
// time) with echo off, then types line.
func (p *pty) typeAtPrompt(t *testing.T, prompt string, count int, line string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		p.mu.Lock()
		shown := strings.Count(p.screen.String(), prompt) >= count
		p.mu.Unlock()
		if shown && !p.echo(t) {
			break
		}
		if time.Now().After(deadline) {
			require.FailNow(t, "no prompt with echo off", "prompt %q; screen %q", prompt, p.text())
		}
		time.Sleep(10 * time.Millisecond)
	}
	_, err := p.master.WriteString(line)
	require.NoError(t, err)
}

func (p *pty) text() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.screen.String()
}

func exitCode(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return 0
}

// TestPrompts types keys and passwords at the terminal prompts: they are
// read without echo while standard input carries data, a mistyped
// confirmation is refused, and Ctrl-C at a prompt puts echo back.
func TestPrompts(t *testing.T) {
	dir := t.TempDir()
	const pw = "typed at the terminal"

	t.Run("export password, twice", func(t *testing.T) {
		p := openPTY(t)
		uris := filepath.Join(dir, "uris")
		writeFile(t, uris, []byte(testURIs[0]+"\n"))
		cmd, _, stderr := p.start(t, nil, "auth-export", "encrypt", "--mem-limit", "8192", "--ops-limit", "1", "-o", filepath.Join(dir, "export"), uris)
		p.typeAtPrompt(t, "Password: ", 1, pw+"\n")
		p.typeAtPrompt(t, "Password again: ", 1, pw+"\n")
		require.Equal(t, 0, exitCode(t, cmd), "exit status; stderr: %s", stderr)

		p = openPTY(t)
		cmd, stdout, stderr := p.start(t, nil, "auth-export", "decrypt", filepath.Join(dir, "export"))
		p.typeAtPrompt(t, "Password: ", 1, pw+"\n")
		require.Equal(t, 0, exitCode(t, cmd), "exit status; stdout %q, stderr %q", stdout, stderr)
		require.Equal(t, testURIs[0]+"\n", stdout.String(), "stderr %q", stderr)
		// A password is not given to testify's Contains.
		assert.False(t, strings.Contains(p.text(), pw), "the password was echoed: %q", p.text())
	})

	t.Run("confirmation mismatch", func(t *testing.T) {
		p := openPTY(t)
		cmd, _, stderr := p.start(t, strings.NewReader(testURIs[0]), "auth-export", "encrypt", "--mem-limit", "8192", "--ops-limit", "1")
		p.typeAtPrompt(t, "Password: ", 1, pw+"\n")
		p.typeAtPrompt(t, "Password again: ", 1, pw+"!\n")
		assert.Equal(t, exitFailure, exitCode(t, cmd), "exit status; stderr %q", stderr)
		assert.Equal(t, "e2ee: the passwords do not match\n", stderr.String())
	})

	t.Run("key while stdin is data", func(t *testing.T) {
		p := openPTY(t)
		ct, _ := base64.StdEncoding.DecodeString(kaCiphertext)
		cmd, stdout, stderr := p.start(t, bytes.NewReader(ct), "decrypt", "--header", kaHeader)
		p.typeAtPrompt(t, "Key (base64 of 32 bytes): ", 1, kaKey+"\n")
		assert.Equal(t, 0, exitCode(t, cmd), "exit status; stdout %q, stderr %q", stdout, stderr)
		assert.Equal(t, kaPlaintext, stdout.String(), "stderr %q", stderr)
		// A key is not given to testify's Contains.
		assert.False(t, strings.Contains(p.text(), kaKey), "the key was echoed: %q", p.text())
	})

	t.Run("Ctrl-C restores echo", func(t *testing.T) {
		p := openPTY(t)
		cmd, _, _ := p.start(t, p.slave, "recovery-key", "check") // a terminal on stdin: prompt
		p.typeAtPrompt(t, "Recovery key", 1, "\x03")
		assert.Equal(t, 130, exitCode(t, cmd), "exit status")
		assert.True(t, p.echo(t), "echo still off after Ctrl-C at the prompt")
	})

	t.Run("progress bar on a terminal", func(t *testing.T) {
		in := filepath.Join(dir, "big")
		writeFile(t, in, pattern(9<<20))
		key := filepath.Join(dir, "key")
		ok(t, runOpts{}, "keygen", "-o", key)
		for _, quiet := range []bool{false, true} {
			p := openPTY(t)
			cmd := exec.Command(bin, "encrypt", "--key-file", key, "--header-file", filepath.Join(dir, "hdr"), "--force", "-o", filepath.Join(dir, "big.enc"), in)
			if quiet {
				cmd.Args = append(cmd.Args, "-q")
			}
			cmd.Stderr = p.slave
			require.NoError(t, cmd.Run())
			p.slave.Close() // the reader sees EOF once the child is gone too
			<-p.done
			screen := p.text()
			// With --header-file, the bar is all encrypt writes to stderr.
			if quiet {
				assert.Empty(t, screen, "-q=%v: terminal", quiet)
			} else {
				assert.Contains(t, screen, "] 100%  9.0/9.0 MiB", "-q=%v: terminal", quiet)
			}
		}

		// Without --header-file the header is in the output: the bar is
		// all there is on the terminal.
		os.Remove(filepath.Join(dir, "hdr"))
		p := openPTY(t)
		cmd := exec.Command(bin, "encrypt", "--key-file", key, "-o", filepath.Join(dir, "big.enc"), in)
		cmd.Stderr = p.slave
		require.NoError(t, cmd.Run())
		p.slave.Close()
		<-p.done
		frames := strings.Split(strings.TrimRight(p.text(), "\r\n"), "\r")
		assert.Contains(t, frames[len(frames)-1], "] 100%  9.0/9.0 MiB", "terminal shows %q, want the progress bar only", p.text())
		assert.NotContains(t, p.text(), "header", "want the progress bar only")
	})
}

// TestEncryptRefusesTerminal: ciphertext is not written to a terminal (as
// age refuses): the message says how to redirect, nothing reaches the
// screen, and '-o -' forces it.
func TestEncryptRefusesTerminal(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "key")
	ok(t, runOpts{}, "keygen", "-o", key)
	for _, force := range []bool{false, true} {
		p := openPTY(t)
		cmd := exec.Command(bin, "encrypt", "--key-file", key)
		if force {
			cmd.Args = append(cmd.Args, "-o", "-")
		}
		cmd.Stdin = strings.NewReader("secret plaintext")
		cmd.Stdout = p.slave
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		p.slave.Close()
		<-p.done
		if !force {
			// What reached the screen is looked at once the refusal is right.
			if assert.Error(t, err, "encrypt to a terminal: want a refusal") &&
				assert.Contains(t, stderr.String(), "refusing to write ciphertext to a terminal: use -o FILE or redirect standard output (> FILE)", "encrypt to a terminal: want a refusal") {
				assert.Empty(t, p.text(), "the terminal received %q", p.text())
			}
		} else {
			assert.NoError(t, err, "encrypt -o - to a terminal")
			assert.NotEmpty(t, p.text(), "encrypt -o - to a terminal: nothing shown")
		}
	}
}
