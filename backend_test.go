package e2ee_test

import (
	"strings"
	"testing"

	"github.com/e2eekit/e2ee"
	"github.com/e2eekit/e2ee/internal/sodium"
)

func TestBackend(t *testing.T) {
	b := e2ee.Backend()
	if sodium.PureGo {
		if b != sodium.PureGoName {
			t.Fatalf("pure-Go build reports %q", b)
		}
		return
	}
	if v, ok := strings.CutPrefix(b, "libsodium "); !ok || !strings.HasPrefix(v, "1.0.") {
		t.Fatalf("libsodium build reports %q", b)
	}
}
