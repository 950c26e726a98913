//go:build linux

package pwhash_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/stretchr/testify/require"
)

// The back-off is proven under a real memory limit in a child process: the
// test binary re-executes itself with childEnv set, and TestMain then lowers
// the child's RLIMIT_AS to its current address-space size plus a margin, so
// that Argon2's mmap of more than the margin fails with ENOMEM, and runs one
// DeriveSensitiveKey. This works under -race too: the race runtime has
// reserved its shadow memory before TestMain runs, and Argon2's memory is
// mapped by C, which the race runtime does not shadow.
const childEnv = "E2EE_PWHASH_RLIMIT_CHILD"

var childPassword = []byte("correct horse battery staple")

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(rlimitChild(spec))
	}
	os.Exit(m.Run())
}

type childResult struct {
	Key    string        `json:"key,omitempty"`
	Used   pwhash.Params `json:"used"`
	Err    string        `json:"err,omitempty"`
	OOM    bool          `json:"oom"`
	VmSize uint64        `json:"vmSize"`
	Limit  uint64        `json:"limit"`
	Skip   string        `json:"skip,omitempty"`
}

// rlimitChild runs in the child: spec is "policy:marginMiB".
func rlimitChild(spec string) int {
	name, margin, _ := strings.Cut(spec, ":")
	marginMiB, err := strconv.ParseUint(margin, 10, 64)
	policy, ok := map[string]pwhash.Policy{"seed": pwhash.SeedPolicy, "ente": pwhash.EntePolicy}[name]
	if err != nil || !ok {
		fmt.Fprintln(os.Stderr, "bad child spec", spec)
		return 2
	}
	var res childResult
	if res.VmSize, err = vmSize(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	res.Limit = res.VmSize + marginMiB<<20
	var cur syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &cur); err == nil && cur.Max < res.Limit {
		res.Skip = fmt.Sprintf("RLIMIT_AS hard limit %d is already below %d", cur.Max, res.Limit)
		return encodeResult(res)
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: res.Limit, Max: res.Limit}); err != nil {
		fmt.Fprintln(os.Stderr, "setrlimit:", err)
		return 2
	}
	k, used, err := pwhash.DeriveSensitiveKey(childPassword, new(pwhash.Salt), policy)
	if err != nil {
		res.Err, res.OOM = err.Error(), errors.Is(err, pwhash.ErrOutOfMemory)
	} else {
		res.Key, res.Used = base64.StdEncoding.EncodeToString(k.Bytes()), used
	}
	return encodeResult(res)
}

func encodeResult(res childResult) int {
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		return 2
	}
	return 0
}

// vmSize returns the process's address-space size from /proc/self/status.
func vmSize() (uint64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmSize:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmSize in /proc/self/status")
}

func runChild(t *testing.T, policy string, marginMiB int) childResult {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s:%d", childEnv, policy, marginMiB), "GOMAXPROCS=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	require.NoError(t, err, "child %s:%d MiB\nstdout: %s\nstderr: %s", policy, marginMiB, stdout.Bytes(), stderr.Bytes())
	var res childResult
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &res), "child output %q", stdout.Bytes())
	if res.Skip != "" {
		t.Skip(res.Skip)
	}
	t.Logf("child %s: VmSize %d MiB, RLIMIT_AS %d MiB: used %+v, err %q",
		policy, res.VmSize>>20, res.Limit>>20, res.Used, res.Err)
	return res
}

func directKey(t *testing.T, p pwhash.Params) string {
	k, err := pwhash.DeriveKey(childPassword, new(pwhash.Salt), p, pwhash.DefaultLimits)
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(k.Bytes())
}

func TestBackoffUnderRlimit(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc/self/status and RLIMIT_AS")
	}
	if testing.Short() {
		t.Skip("derives at 4 GiB of work several times")
	}
	if sodium.Backend() == sodium.PureGoName {
		// x/crypto's Argon2 allocates on the Go heap; the pure-Go backend's
		// probe is tested in internal/sodium (TestPwhashProbeFailure).
		t.Skip("the RLIMIT child test runs on the libsodium backend only")
	}
	// Each case runs its child and, to compare, the same params directly
	// in this process; the children are separate processes, so the cases
	// run in parallel.
	t.Run("seed", func(t *testing.T) {
		t.Parallel()
		// 768 MiB of headroom: 1 GiB cannot be mapped, 512 MiB can.
		res := runChild(t, "seed", 768)
		want := pwhash.Params{OpsLimit: 8, MemLimit: 512 << 20}
		require.Empty(t, res.Err, "child used %+v", res.Used)
		require.Equal(t, want, res.Used, "child err %q", res.Err)
		// Keys: compared, never printed.
		require.True(t, res.Key == directKey(t, want), "child's key differs from deriving directly with the params it used")
	})
	t.Run("ente", func(t *testing.T) {
		t.Parallel()
		// 224 MiB of headroom: 256 MiB cannot be mapped, 128 MiB can.
		res := runChild(t, "ente", 224)
		want := pwhash.Params{OpsLimit: 32, MemLimit: 128 << 20}
		require.Empty(t, res.Err, "child used %+v", res.Used)
		require.Equal(t, want, res.Used, "child err %q", res.Err)
		// Keys: compared, never printed.
		require.True(t, res.Key == directKey(t, want), "child's key differs from deriving directly with the params it used")
	})
	t.Run("ente floor", func(t *testing.T) {
		t.Parallel()
		// 96 MiB of headroom: not even Ente's 128 MiB floor can be mapped.
		res := runChild(t, "ente", 96)
		require.True(t, res.OOM, "child: used %+v, err %q; want ErrOutOfMemory", res.Used, res.Err)
		require.True(t, res.Key == "", "child: derived a key with %+v; want ErrOutOfMemory", res.Used)
	})
}
