package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/e2eekit/e2ee/conformance"
)

var vectorsCmd = &command{
	name:    "vectors",
	summary: "run conformance vectors",
	help: `The conformance vectors (testdata/vectors in the SDK's repository) pin every
wire format byte for byte, in Wycheproof's JSON shape.`,
	subs: []*command{vectorsVerifyCmd},
}

var vectorsVerifyCmd = &command{
	name:    "verify",
	args:    "DIR",
	minArgs: 1,
	maxArgs: 1,
	summary: "check every vector file in DIR against this SDK",
	help: `Runs every vector file (*.json, with the .bin files they name) in DIR through
this SDK and reports each file, every failed check and a total. A client
author can put vectors made by another implementation, in the same format, in
DIR to check them against this one. Exit status 1 if any check failed or a
file could not be read; skipped checks (say, Argon2id costs above the default
limits) do not fail the run.`,
	examples: `
e2ee vectors verify testdata/vectors
e2ee vectors verify -v testdata/vectors
e2ee vectors verify --json testdata/vectors > report.json`,
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		verbose := fs.Bool("v", false, "list every check, passed and skipped ones too")
		asJSON := fs.Bool("json", false, "print the whole report as JSON")
		return func(e *env, args []string) error { return vectorsVerify(e, args[0], *verbose, *asJSON) }
	},
}

// errChecksFailed is returned when the report holds a failure; the report
// itself already says which.
var errChecksFailed = fmt.Errorf("conformance checks failed")

func vectorsVerify(e *env, dir string, verbose, asJSON bool) error {
	if st, err := os.Stat(dir); err != nil {
		return err
	} else if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	rep, err := conformance.RunFS(os.DirFS(dir), conformance.Options{})
	if err != nil {
		return err
	}
	switch {
	case asJSON:
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	case verbose:
		for _, f := range rep.Files {
			for _, r := range f.Results {
				fmt.Fprintln(e.stdout, r)
			}
		}
		fallthrough
	default:
		if err := rep.WriteText(e.stdout, false); err != nil {
			return err
		}
	}
	if !rep.OK() {
		return errChecksFailed
	}
	return nil
}
