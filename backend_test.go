package e2ee_test

import (
	"strings"
	"testing"

	"github.com/e2eekit/e2ee"
	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/stretchr/testify/require"
)

func TestBackend(t *testing.T) {
	b := e2ee.Backend()
	if sodium.PureGo {
		require.Equal(t, sodium.PureGoName, b, "pure-Go build reports %q", b)
		return
	}
	v, ok := strings.CutPrefix(b, "libsodium ")
	require.True(t, ok && strings.HasPrefix(v, "1.0."), "libsodium build reports %q", b)
}
