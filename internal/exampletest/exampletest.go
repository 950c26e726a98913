// Package exampletest runs an example program's run function in a test and
// checks that its output says what the example promises.
package exampletest

import (
	"io"
	"strings"
	"testing"
)

// Run calls run, fails t on an error, and fails it for every string in
// wants that the output lacks. It returns the output.
func Run(t testing.TB, run func(io.Writer) error, wants ...string) string {
	t.Helper()
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatalf("%v\noutput so far:\n%s", err, out.String())
	}
	for _, want := range wants {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	return out.String()
}
