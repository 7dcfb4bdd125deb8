package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/curator-dev/curator/filters"
)

// cmdSteps lists the registered steps with their parameters and defaults,
// or, with --markdown, writes the recipe reference (docs/recipes.md).
func cmdSteps(args []string) error {
	fs := flag.NewFlagSet("steps", flag.ContinueOnError)
	markdown := fs.Bool("markdown", false, "write the Markdown reference (docs/recipes.md)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: curator steps [--markdown] [STEP ...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *markdown {
		if fs.NArg() > 0 {
			return fmt.Errorf("%w: --markdown lists every step", errUsage)
		}
		return filters.WriteReference(os.Stdout)
	}
	return listSteps(os.Stdout, fs.Args())
}

// listSteps writes a plain-text listing of the named steps (all when none).
func listSteps(w io.Writer, names []string) error {
	entries := filters.Entries()
	if len(names) > 0 {
		entries = entries[:0:0]
		for _, n := range names {
			e, ok := filters.Lookup(n)
			if !ok {
				return fmt.Errorf("unknown step %q", n)
			}
			entries = append(entries, e)
		}
	}
	var b strings.Builder
	for i, e := range entries {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s (%s)\n", e.Name, e.Kind)
		for _, line := range strings.Split(strings.TrimSpace(e.Doc), "\n") {
			fmt.Fprintf(&b, "    %s\n", line)
		}
		if len(e.Reads) > 0 {
			fmt.Fprintf(&b, "    reads:  %s\n", strings.Join(e.Reads, ", "))
		}
		if len(e.Writes) > 0 {
			fmt.Fprintf(&b, "    writes: %s\n", strings.Join(e.Writes, ", "))
		}
		for _, p := range e.Params() {
			def, _ := json.Marshal(p.Default)
			fmt.Fprintf(&b, "  %s: %s = %s\n      %s\n", p.Name, p.Type, def, p.Doc)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
