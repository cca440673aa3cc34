// Package cli dispatches the subcommands of the `contest` binary.
package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Exit codes shared by every subcommand.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = 2
)

// IO is where a command writes; tests pass buffers.
type IO struct {
	Stdout io.Writer
	Stderr io.Writer
}

// Command is one subcommand of `contest`.
type Command struct {
	Name    string
	Summary string
	// Run receives the arguments after the command's name and returns the exit code.
	Run func(ctx context.Context, args []string, out IO) int
}

// Commands lists the subcommands that exist, in the order `contest --help` shows them.
func Commands() []Command {
	cmds := []Command{
		adminCommand(),
		bankCommand(),
		localityCommand(),
		loadtestCommand(),
		unitCommand(),
		integrityCommand(),
		managerCommand(),
		webCommand(),
		rankCommand(),
		reportCommand(),
		migrateCommand(),
	}
	sort.SliceStable(cmds, func(i, j int) bool { return cmds[i].Name < cmds[j].Name })
	return cmds
}

// Run dispatches args (without the program name) to a subcommand.
func Run(ctx context.Context, args []string, out IO) int {
	return run(ctx, Commands(), args, out)
}

func run(ctx context.Context, cmds []Command, args []string, out IO) int {
	if len(args) == 0 {
		usage(out.Stderr, cmds)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(out.Stdout, cmds)
		return ExitOK
	}
	for _, c := range cmds {
		if c.Name == args[0] {
			return c.Run(ctx, args[1:], out)
		}
	}
	fmt.Fprintf(out.Stderr, "contest: unknown command %q\n\n", args[0])
	usage(out.Stderr, cmds)
	return ExitUsage
}

func usage(w io.Writer, cmds []Command) {
	var b strings.Builder
	b.WriteString("contest runs an online knowledge contest on Kubernetes.\n\n")
	b.WriteString("Usage:\n  contest <command> [flags]\n\nCommands:\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "  %-10s %s\n", c.Name, c.Summary)
	}
	b.WriteString("\nRun 'contest <command> --help' for a command's flags.\n")
	_, _ = io.WriteString(w, b.String())
}
