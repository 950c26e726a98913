package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
)

var authExportCmd = &command{
	name:    "auth-export",
	summary: "decrypt or write an Ente Auth encrypted export",
	help: `Ente Auth's encrypted export (Settings → Data → Export codes) is a
JSON file holding your 2FA secrets as otpauth:// URIs, encrypted under a key
derived from the export password with Argon2id.`,
	subs: []*command{authDecryptCmd, authEncryptCmd},
}

var authDecryptCmd = &command{
	name:    "decrypt",
	args:    "FILE",
	minArgs: 1,
	maxArgs: 1,
	summary: "print the otpauth URIs of an encrypted export",
	help: `Decrypts an Ente Auth export (FILE, or "-" for standard input) and prints its
otpauth:// URIs, one per line, or writes them to -o (mode 0600). Both the current exports (tagged FINAL) and
those Ente Auth wrote before November 2025 (tagged MESSAGE) are read.

The password is prompted for without echo, or read from the first line of
standard input with --password-stdin. The file's Argon2id parameters are
checked before any work: above 1 GiB of memory or 4 GiB × passes, more than
Ente Auth ever writes, the file is refused unless --allow-expensive is given.

The output holds every 2FA secret in the clear: keep it off shared disks.`,
	examples: `
e2ee auth-export decrypt ente-auth-codes.txt
e2ee auth-export decrypt --password-stdin -o codes.txt ente-auth-codes.txt < password.txt`,
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		o := new(authDecryptOptions)
		o.password.register(fs)
		fs.StringVar(&o.out, "o", "", "write the URIs to `FILE` instead of standard output")
		fs.BoolVar(&o.allowExpensive, "allow-expensive", false, "derive the key whatever the file's Argon2id cost")
		return func(e *env, args []string) error { return authDecrypt(e, o, args[0]) }
	},
}

var authEncryptCmd = &command{
	name:    "encrypt",
	args:    "[FILE]",
	maxArgs: 1,
	summary: "write an encrypted export Ente Auth can import",
	help: `Reads otpauth:// URIs, one per line (blank lines skipped), from FILE or standard
input and writes an Ente Auth encrypted export (version 1) to -o or standard
output, for Ente Auth's Settings → Data → Import codes → Ente Encrypted export.

The password is prompted for twice without echo, or read from the first line
of standard input with --password-stdin (the URIs must then come from FILE).
The key is derived as Ente Auth does today: Argon2id with 256 MiB and 16
passes, stepping down to 128 MiB and 32 passes where memory is short.
--mem-limit and --ops-limit set one pair instead.`,
	examples: `
e2ee auth-export encrypt -o ente-auth-codes.txt codes.txt
e2ee auth-export encrypt --password-stdin --mem-limit 64MiB --ops-limit 2 codes.txt < password.txt > export.txt`,
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		o := new(authEncryptOptions)
		o.password.register(fs)
		fs.StringVar(&o.out, "o", "", "write the export to `FILE` instead of standard output")
		fs.Var(&o.mem, "mem-limit", "Argon2id memory, in `BYTES` or with a KiB, MiB or GiB suffix")
		fs.Uint64Var(&o.ops, "ops-limit", 0, "Argon2id passes (`N`)")
		return func(e *env, args []string) error { return authEncrypt(e, o, arg(args, 0)) }
	},
}

type authDecryptOptions struct {
	password       passwordSource
	out            string
	allowExpensive bool
}

type authEncryptOptions struct {
	password passwordSource
	out      string
	mem      byteSize
	ops      uint64
}

// maxExport bounds the size of an export file or URI list read whole. A
// thousand codes make about 200 KiB.
const maxExport = 16 << 20

// noLimits is what --allow-expensive derives with.
var noLimits = pwhash.Limits{MaxMemLimit: math.MaxUint64, MaxWork: math.MaxUint64}

func authDecrypt(e *env, o *authDecryptOptions, path string) error {
	if path == "-" && o.password.stdin {
		return usagef("with --password-stdin, give the export as a FILE")
	}
	in, _, closeIn, err := openInput(e, path)
	if err != nil {
		return err
	}
	defer closeIn()
	file, err := readSmall(in, maxExport, "export "+path)
	if err != nil {
		return err
	}
	// Decode and check the cost before asking for the password, so that a
	// file that cannot work fails at once.
	x, err := keys.ParseExport(file)
	if err != nil {
		return err
	}
	limits := pwhash.DefaultLimits
	if o.allowExpensive {
		limits = noLimits
	}
	p := pwhash.Params{OpsLimit: x.KDFParams.OpsLimit, MemLimit: x.KDFParams.MemLimit}
	if err := p.Check(limits); err != nil {
		if errors.Is(err, pwhash.ErrTooExpensive) {
			return fmt.Errorf("%w: the export asks for %s of memory and %d passes, more than Ente Auth writes; if you trust the file, use --allow-expensive",
				err, formatBytes(p.MemLimit), p.OpsLimit)
		}
		return err
	}
	pw, err := o.password.read(e, false)
	if err != nil {
		return err
	}
	defer clear(pw)
	uris, err := keys.DecryptExport(file, pw, limits)
	if errors.Is(err, keys.ErrIncorrectPassword) {
		return errors.New("incorrect password (or the export was modified)")
	}
	if err != nil {
		return err
	}
	var text []byte
	for _, u := range uris {
		text = append(text, u...)
		text = append(text, '\n')
	}
	defer clear(text)
	return writeOutput(e, o.out, secretOutput, text)
}

func authEncrypt(e *env, o *authEncryptOptions, path string) error {
	if o.password.stdin && (path == "" || path == "-") {
		return usagef("with --password-stdin, give the URIs in a FILE")
	}
	policy := pwhash.EntePolicy
	if o.mem != 0 || o.ops != 0 {
		if o.mem == 0 || o.ops == 0 {
			return usagef("--mem-limit and --ops-limit go together")
		}
		p := pwhash.Params{OpsLimit: o.ops, MemLimit: uint64(o.mem)}
		// The default limits, so that the export opens without
		// --allow-expensive.
		if err := p.Check(pwhash.DefaultLimits); err != nil {
			return err
		}
		policy = pwhash.Policy{Start: p, FloorMemLimit: p.MemLimit}
	}
	in, _, closeIn, err := openInput(e, path)
	if err != nil {
		return err
	}
	defer closeIn()
	text, err := readSmall(in, maxExport, "URI list")
	if err != nil {
		return err
	}
	defer clear(text)
	uris, err := parseURIList(text)
	if err != nil {
		return err
	}
	pw, err := o.password.read(e, true)
	if err != nil {
		return err
	}
	defer clear(pw)
	b, err := keys.EncryptExport(uris, pw, policy)
	if err != nil {
		return err
	}
	return writeOutput(e, o.out, privateOutput, append(b, '\n'))
}

// parseURIList splits text into otpauth URIs, one per line. Errors name the
// line, never its content: it holds a 2FA secret.
func parseURIList(text []byte) ([]string, error) {
	var uris []string
	for i, line := range strings.Split(string(text), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !strings.HasPrefix(strings.ToLower(line), "otpauth://") {
			return nil, fmt.Errorf("line %d is not an otpauth:// URI", i+1)
		}
		// A control character (a lone CR, a NUL) has no place in a URI
		// and would break the export's line format.
		if strings.ContainsFunc(line, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return nil, fmt.Errorf("line %d holds a control character", i+1)
		}
		uris = append(uris, line)
	}
	if len(uris) == 0 {
		return nil, errors.New("no otpauth:// URIs in the input")
	}
	return uris, nil
}

// byteSize is a flag of bytes that takes a KiB, MiB or GiB suffix.
type byteSize uint64

var sizeUnits = []struct {
	suffix string
	shift  uint
}{{"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}, {"", 0}}

func (b *byteSize) Set(s string) error {
	for _, u := range sizeUnits {
		num, ok := strings.CutSuffix(s, u.suffix)
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(strings.TrimSpace(num), 10, 64)
		if err != nil || n > math.MaxUint64>>u.shift {
			break
		}
		*b = byteSize(n << u.shift)
		return nil
	}
	return errors.New("want a number of bytes, e.g. 67108864 or 64MiB")
}

func (b *byteSize) String() string { return strconv.FormatUint(uint64(*b), 10) }

// formatBytes writes n in the largest binary unit that divides it.
func formatBytes(n uint64) string {
	for _, u := range sizeUnits[:3] {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return strconv.FormatUint(n>>u.shift, 10) + " " + u.suffix
		}
	}
	return strconv.FormatUint(n, 10) + " bytes"
}
