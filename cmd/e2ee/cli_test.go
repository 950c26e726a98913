package main

import (
	"flag"
	"slices"
	"testing"
)

func TestParseInterleaved(t *testing.T) {
	for _, tc := range []struct {
		args, pos []string
		out       string
		q         bool
	}{
		{[]string{"in", "-o", "out"}, []string{"in"}, "out", false},
		{[]string{"-q", "in", "--o=out", "more"}, []string{"in", "more"}, "out", true},
		{[]string{"-", "-q"}, []string{"-"}, "", true},
		{[]string{"-o", "out", "--", "-q", "-o"}, []string{"-q", "-o"}, "out", false},
		{[]string{"a", "--", "-q"}, []string{"a", "-q"}, "", false},
		{nil, nil, "", false},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		out := fs.String("o", "", "")
		q := fs.Bool("q", false, "")
		pos, err := parseInterleaved(fs, tc.args)
		if err != nil || !slices.Equal(pos, tc.pos) || *out != tc.out || *q != tc.q {
			t.Errorf("parseInterleaved(%q) = %q, -o %q, -q %v, %v; want %q, %q, %v", tc.args, pos, *out, *q, err, tc.pos, tc.out, tc.q)
		}
	}
}
