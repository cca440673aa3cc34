package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// groupCommand is a command made of subcommands, such as `contest bank import`. Each
// subcommand's Name is the word after the group's name.
func groupCommand(name, summary string, subs []Command) Command {
	usage := func(w io.Writer) {
		var b strings.Builder
		fmt.Fprintf(&b, "%s\n\nUsage:\n  contest %s <subcommand> [flags]\n\nSubcommands:\n", summary, name)
		width := 8
		for _, s := range subs {
			width = max(width, len(s.Name))
		}
		for _, s := range subs {
			fmt.Fprintf(&b, "  %-*s %s\n", width, s.Name, s.Summary)
		}
		fmt.Fprintf(&b, "\nRun 'contest %s <subcommand> --help' for a subcommand's flags.\n", name)
		_, _ = io.WriteString(w, b.String())
	}
	return Command{
		Name:    name,
		Summary: summary,
		Run: func(ctx context.Context, args []string, out IO) int {
			if len(args) == 0 {
				usage(out.Stderr)
				return ExitUsage
			}
			switch args[0] {
			case "-h", "-help", "--help", "help":
				usage(out.Stdout)
				return ExitOK
			}
			for _, s := range subs {
				if s.Name == args[0] {
					return s.Run(ctx, args[1:], out)
				}
			}
			fmt.Fprintf(out.Stderr, "contest %s: unknown subcommand %q\n\n", name, args[0])
			usage(out.Stderr)
			return ExitUsage
		},
	}
}

// parseFlagsAndArgs is parseFlags for commands that also take positional arguments, which
// may come before or after the flags (`import FILE --name x` as well as `import --name x
// FILE`); "--" ends the flags.
func parseFlagsAndArgs(fs *flag.FlagSet, args []string, out IO) (positional []string, exit int, done bool) {
	for {
		if code, done := parseFlagsOnly(fs, args, out); done {
			return nil, code, true
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, ExitOK, false
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), ExitOK, false
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
