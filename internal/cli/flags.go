package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
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
	err := fs.Parse(args)
	switch {
	case err == nil:
		if fs.NArg() > 0 {
			fmt.Fprintf(out.Stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
			return ExitUsage, true
		}
		return ExitOK, false
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(out.Stdout)
		fs.Usage()
		return ExitOK, true
	default:
		return ExitUsage, true
	}
}

// envOr returns the environment variable's value, or def when it is unset or empty.
func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
