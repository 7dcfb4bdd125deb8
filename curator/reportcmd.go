package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/curator-dev/curator/curator/report"
)

// cmdReport is `curator report RUN_DIR`: it writes the run's report again
// (report.html, report.md, report.json) from what the run left in RUN_DIR.
func cmdReport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: curator report RUN_DIR\n\nWrites RUN_DIR/report.html (one self-contained page), report.md and report.json\nfrom run.json, the recipes' stats.json, observations.json and eval.json.")
		fs.PrintDefaults()
	}
	pos, err := parseMixed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: report needs one RUN_DIR", errUsage)
	}
	return writeReport(stdout, pos[0])
}

// writeReport writes the report of the run in dir and says where it is.
func writeReport(w io.Writer, dir string) error {
	if _, err := report.Write(dir); err != nil {
		return err
	}
	fmt.Fprintf(w, "  report: %s\n", filepath.Join(dir, report.HTMLFile))
	return nil
}
