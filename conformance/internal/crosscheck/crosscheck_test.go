package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRoundTrip runs the Go half against itself: what the SDK produces, the
// SDK opens, with every kind present. The Node half runs in
// scripts/crosscheck.sh.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if err := produce(dir); err != nil {
		t.Fatal(err)
	}
	o, err := open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range o.problems {
		t.Error(p)
	}
	if len(o.checked) != 11 {
		t.Errorf("opened kinds %v, want all 11", o.checked)
	}
}

// TestOpenNamesMismatches proves the opener is not vacuous: each tampered
// object must be reported with its kind, name and field.
func TestOpenNamesMismatches(t *testing.T) {
	dir := t.TempDir()
	if err := produce(dir); err != nil {
		t.Fatal(err)
	}
	m, err := readManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(name string, fn func(obj map[string]any)) {
		for i, o := range m.Objects {
			if o.Name != name {
				continue
			}
			var v map[string]any
			if err := json.Unmarshal(o.raw, &v); err != nil {
				t.Fatal(err)
			}
			fn(v)
			raw, _ := json.Marshal(v)
			m.Objects[i].raw = raw
			return
		}
		t.Fatalf("no object %s", name)
	}
	expect := func(obj map[string]any) map[string]any { return obj["expect"].(map[string]any) }
	edit("go-account-1", func(o map[string]any) { expect(o)["loginKey"] = "AAAAAAAAAAAAAAAAAAAAAA==" })
	edit("go-collection-1", func(o map[string]any) { expect(o)["name"] = "Holidays" })
	edit("go-entity-2", func(o map[string]any) { expect(o)["tag"] = 0 })
	edit("go-link-1", func(o map[string]any) { expect(o)["accessToken"] = "ZZZZZZZZZZ" })
	edit("go-export-1", func(o map[string]any) { o["password"] = "wrong" })
	edit("go-srp-1", func(o map[string]any) { o["M1"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" })
	if err := writeManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "go-file-4.bin")
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 1
	if err := os.WriteFile(bin, data, 0o600); err != nil {
		t.Fatal(err)
	}

	o, err := open(dir)
	if err != nil {
		t.Fatal(err)
	}
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
		if !strings.Contains(got, want) {
			t.Errorf("no %q in:\n%s", want, got)
		}
	}
	if len(o.problems) != 8 {
		t.Errorf("%d problems, want 8:\n%s", len(o.problems), got)
	}
}
