package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRoundTrip runs the Go half against itself: what the SDK produces, the
// SDK opens, with every kind present. The Node half runs in
// scripts/crosscheck.sh.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, produce(dir))
	o, err := open(dir)
	require.NoError(t, err)
	for _, p := range o.problems {
		assert.Fail(t, p)
	}
	assert.Len(t, o.checked, 11, "opened kinds: want all 11")
}

// TestOpenNamesMismatches proves the opener is not vacuous: each tampered
// object must be reported with its kind, name and field.
func TestOpenNamesMismatches(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, produce(dir))
	m, err := readManifest(dir)
	require.NoError(t, err)
	edit := func(name string, fn func(obj map[string]any)) {
		for i, o := range m.Objects {
			if o.Name != name {
				continue
			}
			var v map[string]any
			require.NoError(t, json.Unmarshal(o.raw, &v))
			fn(v)
			raw, _ := json.Marshal(v)
			m.Objects[i].raw = raw
			return
		}
		require.FailNow(t, "no object "+name)
	}
	expect := func(obj map[string]any) map[string]any { return obj["expect"].(map[string]any) }
	edit("go-account-1", func(o map[string]any) { expect(o)["loginKey"] = "AAAAAAAAAAAAAAAAAAAAAA==" })
	edit("go-collection-1", func(o map[string]any) { expect(o)["name"] = "Holidays" })
	edit("go-entity-2", func(o map[string]any) { expect(o)["tag"] = 0 })
	edit("go-link-1", func(o map[string]any) { expect(o)["accessToken"] = "ZZZZZZZZZZ" })
	edit("go-export-1", func(o map[string]any) { o["password"] = "wrong" })
	edit("go-srp-1", func(o map[string]any) { o["M1"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" })
	require.NoError(t, writeManifest(dir, m))
	bin := filepath.Join(dir, "go-file-4.bin")
	data, err := os.ReadFile(bin)
	require.NoError(t, err)
	data[len(data)/2] ^= 1
	require.NoError(t, os.WriteFile(bin, data, 0o600))

	o, err := open(dir)
	require.NoError(t, err)
	got := strings.Join(o.problems, "\n")
	for _, want := range []string{
		"account go-account-1.loginKey: differs",
		"collection go-collection-1.name: differs",
		"authEntity go-entity-2.tag:",
		"link go-link-1.accessToken:",
		"link go-link-1.url: share.AlbumURL does not rebuild it",
		"authExport go-export-1.export: keys: incorrect password",
		"file go-file-4.data: stream: message authentication failed",
		"srpExchange go-srp-1.M1: go-srp's server refuses it",
	} {
		assert.Contains(t, got, want)
	}
	assert.Len(t, o.problems, 8, "problems:\n%s", got)
}
