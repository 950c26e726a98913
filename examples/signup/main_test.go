package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/keys"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("signs up at the real Argon2id cost")
	}
	var out strings.Builder
	require.NoError(t, run(&out))
	s := out.String()
	start, end := strings.Index(s, "{"), strings.Index(s, "\n}")
	require.True(t, start >= 0 && end >= 0, "no attributes JSON in:\n%s", s)
	var a keys.Attributes
	require.NoError(t, json.Unmarshal([]byte(s[start:end+2]), &a), "printed attributes do not decode")
	_, ok := a.Recovery()
	assert.True(t, ok, "printed attributes lack the recovery fields")
	phrase := s[strings.Index(s, "recovery phrase: ")+len("recovery phrase: "):]
	phrase = phrase[:strings.IndexByte(phrase, '\n')]
	rk, err := keys.ParseRecoveryKey(phrase)
	require.NoError(t, err, "printed phrase does not parse")
	_, err = keys.UnlockWithRecoveryKey(rk, &a)
	require.NoError(t, err, "printed phrase does not unlock the printed attributes")
	for _, want := range []string{"SRP login key: 16 bytes", "keys.Secrets(REDACTED)", "Argon2id: "} {
		assert.Contains(t, s, want, "output lacks %q", want)
	}
}
