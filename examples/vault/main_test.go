package main

import (
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/internal/exampletest"
)

func TestRun(t *testing.T) {
	s := exampletest.Run(t, run, "2 entities, 2 tokens")
	for _, uri := range tokens {
		if strings.Count(s, uri) != 2 {
			t.Errorf("%s is not listed once per format:\n%s", uri, s)
		}
	}
	if strings.Count(s, `{"pinned":true}`) != 2 {
		t.Errorf("metadata not listed:\n%s", s)
	}
}
