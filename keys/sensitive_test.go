package keys_test

import (
	"slices"
	"testing"

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
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(pwhash.DefaultPolicy.Steps(), a.Params()) {
		t.Fatalf("stored params %+v are not a step of the default policy", a.Params())
	}
	if a.Params() != pwhash.Sensitive {
		t.Logf("the back-off stepped down to %+v", a.Params())
	}
	if err := a.Params().Check(pwhash.DefaultLimits); err != nil {
		t.Fatalf("DefaultLimits refuse the default policy's params: %v", err)
	}
	u, err := keys.Unlock(s.KEK(), a)
	if err != nil || !u.MasterKey().Equal(s.MasterKey()) {
		t.Fatalf("Unlock: %v", err)
	}
}
