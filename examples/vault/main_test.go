package main

import (
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/internal/exampletest"
	"github.com/stretchr/testify/assert"
)

func TestRun(t *testing.T) {
	s := exampletest.Run(t, run, "2 entities, 2 tokens")
	for _, uri := range tokens {
		assert.Equal(t, 2, strings.Count(s, uri), "%s is not listed once per format:\n%s", uri, s)
	}
	assert.Equal(t, 2, strings.Count(s, `{"pinned":true}`), "metadata not listed:\n%s", s)
}
