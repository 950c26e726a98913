package main

import (
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "2 entities, 2 tokens") {
		t.Errorf("output lacks the store summary:\n%s", s)
	}
	for _, uri := range tokens {
		if strings.Count(s, uri) != 2 {
			t.Errorf("%s is not listed once per format:\n%s", uri, s)
		}
	}
	if strings.Count(s, `{"pinned":true}`) != 2 {
		t.Errorf("metadata not listed:\n%s", s)
	}
}
