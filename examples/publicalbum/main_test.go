package main

import (
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/internal/exampletest"
	"github.com/stretchr/testify/assert"
)

func TestRun(t *testing.T) {
	out := exampletest.Run(t, run,
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
	)
	t.Log("\n" + out)
	assert.Equal(t, 1, strings.Count(out, "pasteis.jpg"), "the damaged entry should be shown once, before the damage")
}
