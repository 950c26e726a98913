package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// A command is a node of the command tree: a group with subcommands (link,
// auth-export, ...) or a leaf that runs. The standard flag package parses each
// leaf's flags; "--name" and "-name" are the same flag.
type command struct {
	name     string
	parent   *command
	args     string // positional arguments in the usage line, e.g. "[FILE]"
	summary  string // one line, for the parent's list
	help     string // what it does, shown by --help
	examples string // shown by --help

	minArgs, maxArgs int
	// argsNote follows the message for too many arguments: where the
	// input comes from instead.
	argsNote string
	// setup registers the leaf's flags on fs and returns the function that
	// runs it with the positional arguments once fs is parsed.
	setup func(fs *flag.FlagSet) func(e *env, args []string) error
	subs  []*command
}

// usageError is a mistake on the command line: exit status 2.
type usageError struct {
	cmd *command
	msg string
}

func (u *usageError) Error() string {
	if u.cmd == nil || u.cmd == root {
		return u.msg
	}
	return strings.TrimPrefix(u.cmd.path(), "e2ee ") + ": " + u.msg
}

func usagef(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}

// path is the command line that reaches c, e.g. "e2ee link parse".
func (c *command) path() string {
	if c.parent == nil {
		return c.name
	}
	return c.parent.path() + " " + c.name
}

func (c *command) find(name string) *command {
	for _, s := range c.subs {
		if s.name == name {
			return s
		}
	}
	return nil
}

// link sets the parent pointers of the tree under c.
func (c *command) link() *command {
	for _, s := range c.subs {
		s.parent = c
		s.link()
	}
	return c
}

// dispatch walks args down the tree from c and runs the leaf it reaches.
func dispatch(c *command, args []string, e *env) error {
	if c.setup == nil {
		return dispatchGroup(c, args, e)
	}
	fs := newFlagSet(c)
	runLeaf := c.setup(fs)
	pos, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		c.printHelp(e.stdout)
		return err
	}
	if err != nil {
		return &usageError{cmd: c, msg: err.Error()}
	}
	switch {
	case len(pos) < c.minArgs:
		return &usageError{cmd: c, msg: "missing argument: " + c.args}
	case len(pos) > c.maxArgs:
		// Counted, never quoted: a phrase or key given by mistake would
		// otherwise be printed back.
		msg := fmt.Sprintf("%d arguments, want at most %d", len(pos), c.maxArgs)
		if c.maxArgs == 0 {
			msg = fmt.Sprintf("takes no arguments (got %d)", len(pos))
		}
		if c.argsNote != "" {
			msg += ": " + c.argsNote
		}
		return &usageError{cmd: c, msg: msg}
	}
	err = runLeaf(e, pos)
	if u, ok := err.(*usageError); ok && u.cmd == nil {
		u.cmd = c
	}
	return err
}

func dispatchGroup(c *command, args []string, e *env) error {
	if len(args) == 0 {
		return &usageError{cmd: c, msg: "missing command"}
	}
	switch name := args[0]; {
	case name == "-h" || name == "-help" || name == "--help":
		c.printHelp(e.stdout)
		return flag.ErrHelp
	case c == root && (name == "-V" || name == "--version" || name == "-version"):
		return dispatch(versionCmd, args[1:], e)
	case name == "help" && c == root:
		return helpCommand(args[1:], e)
	case c.find(name) != nil:
		return dispatch(c.find(name), args[1:], e)
	default:
		return &usageError{cmd: c, msg: fmt.Sprintf("unknown command %q", name)}
	}
}

// helpCommand runs "e2ee help [COMMAND...]".
func helpCommand(args []string, e *env) error {
	c := root
	for _, name := range args {
		if c = c.find(name); c == nil {
			return &usageError{cmd: root, msg: fmt.Sprintf("no help for %q: unknown command", strings.Join(args, " "))}
		}
	}
	c.printHelp(e.stdout)
	return nil
}

func newFlagSet(c *command) *flag.FlagSet {
	fs := flag.NewFlagSet(c.path(), flag.ContinueOnError)
	fs.SetOutput(io.Discard) // dispatch reports errors and help itself
	return fs
}

// parseInterleaved parses flags wherever they appear among the positional
// arguments ("e2ee decrypt photo.enc -o photo.jpg"), which the flag package
// alone stops at. Everything after "--" is positional.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if i := len(args) - len(rest); i > 0 && args[i-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func (c *command) printHelp(w io.Writer) {
	if c.setup == nil {
		fmt.Fprintf(w, "Usage: %s COMMAND [flags]\n\n%s\n\nCommands:\n", c.path(), c.help)
		for _, s := range c.subs {
			fmt.Fprintf(w, "  %-14s %s\n", s.name, s.summary)
		}
		fmt.Fprintf(w, "\nRun '%s COMMAND --help' for a command's flags and examples.\n", c.path())
		if c.examples != "" {
			fmt.Fprintf(w, "\nExamples:\n%s\n", indent(c.examples))
		}
		return
	}
	fmt.Fprintf(w, "Usage: %s [flags] %s\n\n%s\n\nFlags:\n", c.path(), c.args, c.help)
	fs := newFlagSet(c)
	c.setup(fs)
	var rows [][2]string
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if len(f.Name) == 1 {
			name = "-" + f.Name
		}
		if kind != "" {
			name += " " + kind
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		rows = append(rows, [2]string{name, usage})
	})
	rows = append(rows, [2]string{"-h, --help", "show this help"})
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s  %s\n", width, r[0], r[1])
	}
	if c.examples != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", indent(c.examples))
	}
}

func indent(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "\n")
}
