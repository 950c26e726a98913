//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// detach starts cmd in a new session: without a controlling terminal,
// /dev/tty cannot be opened, so a command that would prompt fails instead of
// waiting for a person.
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }
