package keys_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
)

// TestSignUpSensitive is the one test at the real cost: sign-up with the
// default policy (Argon2id SENSITIVE, 1 GiB and 4 passes, unless the
// machine forces the back-off down), whose stored params DefaultLimits
// must admit. One derivation, a few seconds; skipped with -short.
func TestSignUpSensitive(t *testing.T) {
	if testing.Short() {
		t.Skip("Argon2id at 1 GiB takes seconds")
	}
	a, s, _, err := keys.Generate(password, pwhash.DefaultPolicy)
	require.NoError(t, err)
	require.Contains(t, pwhash.DefaultPolicy.Steps(), a.Params(), "stored params are not a step of the default policy")
	if a.Params() != pwhash.Sensitive {
		t.Logf("the back-off stepped down to %+v", a.Params())
	}
	require.NoError(t, a.Params().Check(pwhash.DefaultLimits), "DefaultLimits refuse the default policy's params")
	u, err := keys.Unlock(s.KEK(), a)
	require.NoError(t, err, "Unlock")
	require.True(t, u.MasterKey().Equal(s.MasterKey()), "Unlock")
}
