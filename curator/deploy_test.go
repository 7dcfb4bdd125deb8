package main

// The files in deploy/ are checked against the real binary: every curator
// command line they hold (systemd units, Kubernetes and compose manifests,
// the Dockerfile, the README's examples) must name a subcommand that exists
// and only flags that subcommand has; the recipes of the Kubernetes
// ConfigMaps must build; the metrics the autoscaler queries must be ones
// curator exports. The NATS configuration is checked by the tests of
// package deploy (nats-server parses it; each role may do its work and
// nothing else).

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/filters"
	"github.com/curator-dev/curator/internal/metrics"
	"github.com/curator-dev/curator/workers"
	"gopkg.in/yaml.v3"
)

const deployDir = "../deploy"

// invocation is one curator command line found in a deploy file.
type invocation struct {
	where string   // file:line or file: container
	args  []string // after "curator"
}

// TestDeployInvocations checks every curator command line under deploy/
// against the binary's subcommands and their flags.
func TestDeployInvocations(t *testing.T) {
	var invs []invocation
	err := filepath.WalkDir(deployDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		found, err := extractInvocations(path, data)
		if err != nil {
			return err
		}
		invs = append(invs, found...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The deploy files run a coordinator and workers at least; an extractor
	// that finds nothing would pass every check.
	subs := map[string]int{}
	for _, inv := range invs {
		if len(inv.args) > 0 {
			subs[inv.args[0]]++
		}
	}
	for _, want := range []string{"coordinator", "worker", "submit", "status", "wait", "cancel", "put"} {
		if subs[want] == 0 {
			t.Errorf("no `curator %s` command line found under %s (found %v)", want, deployDir, subs)
		}
	}
	flags := flagCache{}
	for _, inv := range invs {
		for _, e := range checkInvocation(t, flags, inv) {
			t.Error(e)
		}
	}
	t.Logf("%d curator command lines checked: %v", len(invs), subs)
}

// TestDeployRecipes builds every recipe a ConfigMap under deploy/k8s holds,
// with the binary's steps, and wants the same bytes as the repository's
// recipe of that name when there is one.
func TestDeployRecipes(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(deployDir, "k8s", "*.yaml"))
	n := 0
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc struct {
				Kind string            `yaml:"kind"`
				Data map[string]string `yaml:"data"`
			}
			if err := dec.Decode(&doc); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				t.Fatalf("%s: %v", path, err)
			}
			for name, text := range doc.Data {
				if doc.Kind != "ConfigMap" || !strings.HasSuffix(name, ".yaml") {
					continue
				}
				n++
				r, err := filters.ParseRecipe(filepath.Join("../recipes", name), []byte(text))
				if err != nil {
					t.Errorf("%s: recipe %s: %v", path, name, err)
					continue
				}
				_ = r.Close()
				if orig, err := os.ReadFile(filepath.Join("../recipes", name)); err == nil && string(orig) != text {
					t.Errorf("%s: recipe %s differs from recipes/%s", path, name, name)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no recipe in a ConfigMap under deploy/k8s")
	}
}

// TestDeployMetrics wants every curator metric a PromQL query under
// deploy/ names (the KEDA trigger's) to be one the coordinator or the
// workers export.
func TestDeployMetrics(t *testing.T) {
	reg := metrics.NewRegistry()
	var svc *coordinator.Service
	newCoordinatorMetrics(reg, &svc, nil)
	workers.NewMetrics(reg)
	var out bytes.Buffer
	if _, err := reg.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^# TYPE (\S+)`).FindAllStringSubmatch(out.String(), -1) {
		known[m[1]] = true
	}
	metricRE := regexp.MustCompile(`\bcurator_[a-z_]+`)
	n := 0
	paths, _ := filepath.Glob(filepath.Join(deployDir, "k8s", "*.yaml"))
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc any
			if err := dec.Decode(&doc); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				t.Fatalf("%s: %v", path, err)
			}
			walkYAML(doc, func(key string, v any) {
				q, ok := v.(string)
				if key != "query" || !ok {
					return
				}
				for _, name := range metricRE.FindAllString(q, -1) {
					n++
					base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_sum"), "_count")
					if !known[name] && !known[base] {
						t.Errorf("%s: query %q: curator exports no metric %s", path, q, name)
					}
				}
			})
		}
	}
	if n == 0 {
		t.Error("no curator metric in a query under deploy/k8s")
	}
}

// TestDeployCheckerRejects proves the checker fails on a flag the binary
// does not have and on an unknown subcommand, in every kind of file it
// reads, and accepts the same lines without them.
func TestDeployCheckerRejects(t *testing.T) {
	for _, c := range []struct{ name, tmpl, bogus string }{
		{"x.service", "[Service]\nExecStart=/usr/local/bin/curator run --recipe r.yaml \\\n  --output out%s in\n", " --bogus"},
		{"k8s.yaml", "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - name: c\n          image: ghcr.io/curator-dev/curator:1\n          args: [run, --recipe, r.yaml, --output, out%s, in]\n", ", --bogus"},
		{"hook.yaml", "kind: Pod\nspec:\n  containers:\n    - name: c\n      image: x\n      lifecycle:\n        preStop:\n" +
			"          exec:\n            command: [\"/bin/sh\", \"-c\", \"sleep 1 && /curator run --output out%s in\"]\n", " --bogus"},
		{"compose.yaml", "services:\n  c:\n    image: curator\n    command: [\"run\", \"--recipe=r.yaml\", \"--output\", \"out\"%s, \"in\"]\n", `, "--bogus"`},
		{"Dockerfile", "FROM scratch\nENTRYPOINT [\"/curator\"]\nCMD [\"run\", \"--output\", \"out\"%s]\n", `, "--bogus"`},
		{"README.md", "text\n\n```sh\n$ curator run --recipe r.yaml \\\n    --output out%s in\nkubectl exec deploy/c -- curator run -output o%[1]s\n" +
			"docker compose -f deploy/compose.yaml run --rm cli run --output o%[1]s\nX=1 sudo curator run --output o%[1]s && ls\n```\n", " --bogus"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, extra := range []string{"", c.bogus} {
				invs, err := extractInvocations(c.name, []byte(fmt.Sprintf(c.tmpl, extra)))
				if err != nil {
					t.Fatal(err)
				}
				if len(invs) == 0 {
					t.Fatalf("found no curator command line in %q", fmt.Sprintf(c.tmpl, extra))
				}
				for _, inv := range invs {
					errs := checkInvocation(t, flagCache{}, inv)
					if extra != "" && (len(errs) == 0 || !strings.Contains(errs[0], "no flag -bogus")) {
						t.Errorf("%s: the checker misses --bogus in %q (%v)", inv.where, inv.args, errs)
					}
					if extra == "" && len(errs) != 0 {
						t.Errorf("%s: the checker rejects a good line: %v", inv.where, errs)
					}
				}
			}
		})
	}
	if errs := checkInvocation(t, flagCache{}, invocation{"synthetic", []string{"no-such-command"}}); len(errs) == 0 {
		t.Error("an unknown subcommand passes the checker")
	}
}

// FuzzDeployExtract feeds any text to the extractors of every kind of
// deploy file: they may find nothing, but must not panic, and the words of
// a plain line must come back as they were.
func FuzzDeployExtract(f *testing.F) {
	f.Add("ExecStart=/usr/local/bin/curator worker \\\n --nats x", "a b")
	f.Add("services:\n  c:\n    image: curator\n    command: [\"run\"]\n", "'q w' \"e\"")
	f.Add("```\n$ curator run --x && curator steps | kubectl exec p -- curator version\n```", "")
	f.Fuzz(func(t *testing.T, text, line string) {
		for _, name := range []string{"u.service", "m.yaml", "Dockerfile", "R.md"} {
			_, _ = extractInvocations(name, []byte(text))
		}
		_ = fromShellLine("fuzz", line)
		if strings.ContainsAny(line, "'\"") {
			return
		}
		want := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' })
		got := shellWords(line)
		if len(got) != len(want) {
			t.Fatalf("shellWords(%q) = %q, want %q", line, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("shellWords(%q) = %q, want %q", line, got, want)
			}
		}
	})
}
