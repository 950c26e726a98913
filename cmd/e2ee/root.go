package main

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"

	sdk "github.com/e2eekit/e2ee" // (main_test.go has a func e2ee)
)

// root is the command tree.
var root = (&command{
	name: "e2ee",
	help: `e2ee works with Ente's end-to-end encrypted formats: files in 4 MiB chunks,
Ente Auth exports, public album links and recovery keys. Keys and passwords
are never taken from the command line: use key files, environment variables,
prompts or standard input. Output files appear only when complete, and keys
and headers never replace a file without --force. Exit status: 0 ok,
1 failure, 2 usage error. 'e2ee --version' (or -V) prints the version.`,
	examples: `
e2ee keygen -o photo.key
e2ee encrypt --key-file photo.key -o photo.enc photo.jpg
e2ee decrypt --key-file photo.key -o photo.jpg photo.enc
e2ee auth-export decrypt ente-auth-codes.txt
e2ee link parse < link.txt
e2ee recovery-key check < phrase.txt`,
	subs: []*command{
		encryptCmd, decryptCmd, keygenCmd, authExportCmd, linkCmd,
		recoveryKeyCmd, albumCmd, vectorsCmd, versionCmd,
	},
}).link()

var versionCmd = &command{
	name:    "version",
	summary: "print the version",
	help: `Prints the version of e2ee, the Go toolchain that built it and its
cryptographic backend (libsodium and its version, or pure Go). 'e2ee
--version' and 'e2ee -V' do the same.`,
	examples: `
e2ee version
e2ee --version`,
	setup: func(*flag.FlagSet) func(*env, []string) error {
		return func(e *env, _ []string) error {
			fmt.Fprintf(e.stdout, "e2ee %s %s %s/%s, crypto: %s\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH, sdk.Backend())
			return nil
		}
	},
}

// version is the module version the binary was built from: a tag for
// "go install ...@v1.2.3", "(devel)" for a build in a checkout.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" {
		return "(unknown)"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}
