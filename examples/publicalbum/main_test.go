package main

import (
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Log("\n" + out.String())
	for _, want := range []string{
		"passHash: REDACTED",
		"?t=",
		"#xxxxx",
		"the link wants a password",
		"wrong password refused",
		"sync 1: 1 pages, 3 added",
		`album "Lisbon, spring 2026", 3 files`,
		"alfama.mp4    6000000 bytes",
		`thumbnail "tart thumbnail"`,
		"sync 2: 2 entries fetched, 1 added, 1 skipped",
		"undecryptable album entry",
		`album "Lisbon, spring 2026", 3 files`,
		"sunset.jpg",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Count(out.String(), "pasteis.jpg") != 1 {
		t.Errorf("the damaged entry should be shown once, before the damage")
	}
}
