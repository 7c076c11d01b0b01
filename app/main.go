// Command app runs the digital maturity and skills assessment service.
//
//	app [serve] [flags]   run the web service (the default)
//	app migrate           apply pending database migrations and stop
//	app seed-demo         load demo data into an empty database
//	app seed-synthetic    load synthetic data of a chosen size, for performance tests
//	app create-admin      create an administrator account
//	app publish-workforce build the next workforce release, when it is due
//	app reset-password    print a password reset link for an account
//	app apply-retention   delete records older than the retention settings
//	app healthcheck       check that the running service is ready
//
// Every command takes --help.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	_ "time/tzdata" // dates are shown in UK time even on images without zoneinfo
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	command := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	}
	commands := map[string]func(context.Context, []string, io.Reader, io.Writer, io.Writer) error{
		"serve":             serve,
		"migrate":           migrate,
		"seed-demo":         seedDemo,
		"seed-synthetic":    seedSyntheticCommand,
		"create-admin":      createAdmin,
		"publish-workforce": publishWorkforceCommand,
		"healthcheck":       healthcheck,
		"reset-password":    resetPassword,
		"apply-retention":   applyRetention,
	}
	fn, ok := commands[command]
	if command == "help" || !ok {
		fmt.Fprint(stderr, usage)
		if command == "help" {
			return 0
		}
		fmt.Fprintf(stderr, "\nunknown command %q\n", command)
		return 2
	}
	err := fn(context.Background(), args, stdin, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 1
	}
	return 0
}

const usage = `Digital maturity and skills assessment service.

Usage:
  app [serve] [flags]    run the web service (the default command)
  app migrate [flags]    apply pending database migrations, then stop
  app seed-demo [flags]  load demo organisations and accounts into an empty database
  app seed-synthetic [flags]
                         load synthetic organisations, staff and assessments for performance tests
                         (tier S: --organisations 1 --staff 1000; L: --organisations 1 --staff 28000;
                         N: --organisations 250 --staff 1500000)
  app create-admin [flags]
                         create an administrator account (password read from standard input)
  app publish-workforce [flags]
                         build the next workforce release if it is due (never sooner than the interval)
  app reset-password --email E
                         print a single-use password reset link for the account (audited)
  app apply-retention [flags]
                         delete audit events, sign-in records and leavers' self-assessments past
                         the retention settings, and print how many
  app healthcheck        exit 0 if the local service answers /readyz (for container health checks)

Run "app COMMAND --help" for each command's flags. Every flag can also be
set by the environment variable named in its help.
`

func newLogger(w io.Writer, cfg config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if cfg.LogSQL {
		// Statements carry the values people typed: debug level only.
		opts.Level = slog.LevelDebug
	}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
