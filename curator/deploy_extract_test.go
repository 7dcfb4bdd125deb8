package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// The extractors of curator command lines from the files under deploy/,
// one per kind of file, and the check of one command line against the
// binary's flags.

// extractInvocations returns the curator command lines in the file named
// path, by the kind of file its name says.
func extractInvocations(path string, data []byte) ([]invocation, error) {
	base := filepath.Base(path)
	switch {
	case strings.HasSuffix(base, ".service"):
		return fromSystemd(path, data), nil
	case strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml"):
		return fromYAML(path, data)
	case base == "Dockerfile" || strings.HasSuffix(base, ".Dockerfile"):
		return fromDockerfile(path, data)
	case strings.HasSuffix(base, ".md"):
		return fromMarkdown(path, data), nil
	}
	return nil, nil
}

// fromSystemd reads Exec*= lines, joining continued lines.
func fromSystemd(path string, data []byte) []invocation {
	var out []invocation
	for _, l := range joinedLines(data) {
		key, val, ok := strings.Cut(l.text, "=")
		if !ok || !strings.HasPrefix(strings.TrimSpace(key), "Exec") {
			continue
		}
		words := shellWords(strings.TrimLeft(strings.TrimSpace(val), "-@:+!|"))
		if inv, ok := curatorArgs(words); ok {
			out = append(out, invocation{fmt.Sprintf("%s:%d", path, l.n), inv})
		}
	}
	return out
}

// fromMarkdown reads the lines of fenced code blocks.
func fromMarkdown(path string, data []byte) []invocation {
	var out []invocation
	in := false
	for _, l := range joinedLines(data) {
		if strings.HasPrefix(strings.TrimSpace(l.text), "```") {
			in = !in
			continue
		}
		if in {
			out = append(out, fromShellLine(fmt.Sprintf("%s:%d", path, l.n), l.text)...)
		}
	}
	return out
}

var shellSeparatorRE = regexp.MustCompile(`&&|\|\||;|\|`)

// fromShellLine finds the curator commands in a line of shell: those that
// start a command (after `$ `, `sudo`, `exec`, VAR=value, `&&`, `;` or
// `|`) or follow a `--` (kubectl exec POD -- curator ...).
func fromShellLine(where, line string) []invocation {
	line = strings.TrimPrefix(strings.TrimSpace(line), "$ ")
	if strings.HasPrefix(line, "#") {
		return nil
	}
	if i := strings.Index(line, " #"); i >= 0 {
		line = line[:i] // a trailing comment
	}
	var out []invocation
	for _, part := range shellSeparatorRE.Split(line, -1) {
		words := shellWords(part)
		for len(words) > 0 && (words[0] == "sudo" || words[0] == "exec" || strings.Contains(words[0], "=")) {
			words = words[1:]
		}
		for i, w := range words {
			if w == "--" {
				words = words[i+1:]
				break
			}
			// docker compose ... run [--rm] cli ARGS: compose.yaml's cli
			// service runs curator.
			if w == "cli" && i >= 2 && (words[i-1] == "run" || (words[i-1] == "--rm" && words[i-2] == "run")) {
				words = append([]string{"curator"}, words[i+1:]...)
				break
			}
		}
		if inv, ok := curatorArgs(words); ok {
			out = append(out, invocation{where, inv})
		}
	}
	return out
}

// curatorArgs returns the arguments after the curator binary when words
// runs it.
func curatorArgs(words []string) ([]string, bool) {
	if len(words) == 0 || (words[0] != "curator" && !strings.HasSuffix(words[0], "/curator")) {
		return nil, false
	}
	return words[1:], true
}

// fromDockerfile joins ENTRYPOINT and CMD (exec form).
func fromDockerfile(path string, data []byte) ([]invocation, error) {
	var entry, cmd []string
	for _, l := range joinedLines(data) {
		kw, rest, _ := strings.Cut(strings.TrimSpace(l.text), " ")
		var dst *[]string
		switch strings.ToUpper(kw) {
		case "ENTRYPOINT":
			dst = &entry
		case "CMD":
			dst = &cmd
		case "FROM": // a new stage: its ENTRYPOINT and CMD start over
			entry, cmd = nil, nil
			continue
		default:
			continue
		}
		if err := json.Unmarshal([]byte(rest), dst); err != nil {
			*dst = shellWords(rest)
		}
	}
	if inv, ok := curatorArgs(append(entry, cmd...)); ok {
		return []invocation{{path + ": ENTRYPOINT and CMD", inv}}, nil
	}
	return nil, nil
}

// fromYAML reads Kubernetes containers (command, args, exec hooks) and
// compose services (entrypoint, command) in every document of the file.
func fromYAML(path string, data []byte) ([]invocation, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []invocation
	for n := 0; ; n++ {
		var doc any
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, fmt.Errorf("%s: document %d: %w", path, n, err)
		}
		if m, ok := doc.(map[string]any); ok {
			if services, ok := m["services"].(map[string]any); ok {
				for name, s := range services {
					svc, _ := s.(map[string]any)
					out = append(out, container(path+": service "+name, svc, svc["entrypoint"], svc["command"])...)
				}
				continue
			}
		}
		walkYAML(doc, func(key string, v any) {
			switch key {
			case "containers", "initContainers":
				list, _ := v.([]any)
				for _, c := range list {
					cm, _ := c.(map[string]any)
					out = append(out, container(fmt.Sprintf("%s: container %v", path, cm["name"]), cm, cm["command"], cm["args"])...)
				}
			case "exec":
				if em, ok := v.(map[string]any); ok {
					out = append(out, container(path+": exec hook", nil, em["command"], nil)...)
				}
			}
		})
	}
}

// container returns the curator command line of a container whose
// entrypoint and command are ep and cmd; an unset entrypoint is the
// image's, which is curator for a curator image.
func container(where string, c map[string]any, ep, cmd any) []invocation {
	argv := append(yamlWords(ep), yamlWords(cmd)...)
	if yamlWords(ep) == nil {
		img, _ := c["image"].(string)
		_, built := c["build"]
		if !strings.Contains(img, "curator") && !built {
			return nil
		}
		argv = append([]string{"curator"}, argv...)
	}
	if len(argv) >= 3 && (argv[0] == "sh" || strings.HasSuffix(argv[0], "/sh") || strings.HasSuffix(argv[0], "bash")) && argv[1] == "-c" {
		var out []invocation
		for _, line := range strings.Split(argv[2], "\n") {
			out = append(out, fromShellLine(where, line)...)
		}
		return out
	}
	if inv, ok := curatorArgs(argv); ok {
		return []invocation{{where, inv}}
	}
	return nil
}

// yamlWords is a command given as a list or a string.
func yamlWords(v any) []string {
	switch v := v.(type) {
	case string:
		return shellWords(v)
	case []any:
		out := make([]string, len(v))
		for i, w := range v {
			out[i] = fmt.Sprint(w)
		}
		return out
	}
	return nil
}

// walkYAML calls f with every key and value of every mapping under v.
func walkYAML(v any, f func(key string, v any)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			f(k, x)
			walkYAML(x, f)
		}
	case []any:
		for _, x := range v {
			walkYAML(x, f)
		}
	}
}

// line is a logical line (continuations joined) and its first line number.
type line struct {
	n    int
	text string
}

// joinedLines splits data into lines, joining those that end in a backslash.
func joinedLines(data []byte) []line {
	var out []line
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	var cur *line
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if cur == nil {
			out = append(out, line{n: n})
			cur = &out[len(out)-1]
		}
		cont := strings.HasSuffix(text, `\`)
		cur.text += strings.TrimSuffix(text, `\`) + " "
		if !cont {
			cur = nil
		}
	}
	return out
}

// shellWords splits s into words the way a shell would, for the quoting
// deploy files use (single and double quotes, no expansion).
func shellWords(s string) []string {
	var out []string
	var w strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(s); i++ { // bytes: the delimiters are ASCII
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				w.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				out = append(out, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, w.String())
	}
	return out
}

// flagCache holds, per subcommand, its flags and whether each takes a
// value, as the binary's -h prints them; nil for an unknown subcommand.
type flagCache map[string]map[string]bool

var usageFlagRE = regexp.MustCompile(`(?m)^  -([^\s=]+)( [^\s]+)?`)

// subcommandFlags runs `curator SUB -h` and reads its flags from the usage.
func (fc flagCache) subcommandFlags(t *testing.T, sub string) (map[string]bool, error) {
	if f, ok := fc[sub]; ok {
		if f == nil {
			return nil, fmt.Errorf("unknown subcommand")
		}
		return f, nil
	}
	var stdout, stderr bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run([]string{sub, "-h"}, &stdout, &stderr) }()
	var code int
	select {
	case code = <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("curator %s -h did not return within 20s", sub)
	}
	if code != 0 {
		fc[sub] = nil
		return nil, fmt.Errorf("`curator %s -h` exits %d: %s", sub, code, firstLine(stderr.String()))
	}
	f := map[string]bool{}
	for _, m := range usageFlagRE.FindAllStringSubmatch(stderr.String()+stdout.String(), -1) {
		f[m[1]] = m[2] != ""
	}
	fc[sub] = f
	return f, nil
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

// checkInvocation returns what is wrong with inv: an unknown subcommand, a
// flag the subcommand does not have, a flag without its value.
func checkInvocation(t *testing.T, fc flagCache, inv invocation) []string {
	if len(inv.args) == 0 {
		return []string{inv.where + ": curator without a subcommand"}
	}
	sub := inv.args[0]
	flags, err := fc.subcommandFlags(t, sub)
	if err != nil {
		return []string{fmt.Sprintf("%s: curator %s: %v", inv.where, sub, err)}
	}
	var errs []string
	args := inv.args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if len(a) < 2 || a[0] != '-' {
			continue // a positional argument
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		takesValue, ok := flags[name]
		switch {
		case !ok:
			errs = append(errs, fmt.Sprintf("%s: curator %s has no flag -%s (its flags: %v)", inv.where, sub, name, keys(flags)))
		case takesValue && !hasValue:
			if i+1 >= len(args) {
				errs = append(errs, fmt.Sprintf("%s: curator %s -%s needs a value", inv.where, sub, name))
			}
			i++
		}
	}
	return errs
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
