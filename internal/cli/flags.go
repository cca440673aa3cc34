package cli

import (
	"errors"
	"flag"
	"fmt"
)

// newFlagSet returns a flag set that reports errors instead of exiting, so every command
// handles bad flags the same way: message and usage on stderr, exit code 2.
func newFlagSet(name, summary string, out IO) *flag.FlagSet {
	fs := flag.NewFlagSet("contest "+name, flag.ContinueOnError)
	fs.SetOutput(out.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\nUsage: contest %s [flags]\n\nFlags:\n", summary, name)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and says which exit code to return when parsing ends the command.
func parseFlags(fs *flag.FlagSet, args []string, out IO) (exit int, done bool) {
	if exit, done := parseFlagsOnly(fs, args, out); done {
		return exit, done
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(out.Stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return ExitUsage, true
	}
	return ExitOK, false
}

// parseFlagsOnly is parseFlags for commands that take positional arguments: they are left
// in fs.Args().
func parseFlagsOnly(fs *flag.FlagSet, args []string, out IO) (exit int, done bool) {
	// The flag package prints the usage itself, to stderr, on -help as on errors; silence
	// that so that help is printed once, to stdout.
	usage := fs.Usage
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.Usage = usage
	switch {
	case err == nil:
		return ExitOK, false
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(out.Stdout)
		fs.Usage()
		return ExitOK, true
	default:
		fs.Usage() // after the flag package's message about the bad flag
		return ExitUsage, true
	}
}
