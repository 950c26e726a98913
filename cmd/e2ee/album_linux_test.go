package main

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// runMeasured runs the binary and returns its result and peak resident
// memory in bytes: VmHWM, read from /proc while it runs. (getrusage's
// ru_maxrss would not do: a child forked from this large test process
// counts the parent's pages until it execs.)
func runMeasured(t *testing.T, args ...string) (result, int64) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var peak int64
	status := "/proc/" + strconv.Itoa(cmd.Process.Pid) + "/status"
	var err error
	for running := true; running; {
		select {
		case err = <-done:
			running = false
		case <-time.After(2 * time.Millisecond):
			peak = max(peak, vmHWM(status))
		}
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}, peak
}

// vmHWM reads the peak resident set size of a live process, or 0.
func vmHWM(status string) int64 {
	b, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
