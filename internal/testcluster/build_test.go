package testcluster

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// goModVersion is the version go.mod requires of module mod.
func goModVersion(t *testing.T, mod string) string {
	t.Helper()
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(mod) + `\s+(v\S+)`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("go.mod does not require %s", mod)
	}
	return string(m[1])
}

func TestBuild(t *testing.T) {
	t.Parallel()
	bin := Build(t)
	out, err := exec.Command(bin.NATSServer, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s --version: %v\n%s", bin.NATSServer, err, out)
	}
	if want := goModVersion(t, "github.com/nats-io/nats-server/v2"); !strings.Contains(string(out), want) {
		t.Errorf("nats-server --version = %q, want go.mod's %s", out, want)
	}
	out, err = exec.Command(bin.Curator, "version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "curator") {
		t.Fatalf("%s version: %v\n%s", bin.Curator, err, out)
	}
	if again := Build(t); again != bin {
		t.Errorf("second Build = %+v, want the first one's %+v", again, bin)
	}
	tagged := BuildWith(t, BuildOptions{Tags: []string{"faults"}})
	if tagged.Curator == bin.Curator || tagged.NATSServer != bin.NATSServer {
		t.Errorf("tagged build %+v shares the untagged curator or has another nats-server (%+v)", tagged, bin)
	}
	goBin, err := goTool()
	if err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(goBin, "version", "-m", tagged.Curator).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "-tags=faults") {
		t.Errorf("go version -m of the tagged curator: %v, no -tags=faults in\n%s", err, out)
	}
	if again := BuildWith(t, BuildOptions{Tags: []string{"faults", "faults"}}); again != tagged {
		t.Errorf("same tags built again: %+v, want %+v", again, tagged)
	}
}

func TestBuildFailureFailsEveryCaller(t *testing.T) {
	calls := 0
	build := func(int) (string, error) {
		calls++
		return "", errors.New("compiler says: undefined: x")
	}
	for range 2 {
		rec := &recordingTB{TB: t}
		rec.fatal(func() { buildOnce(rec, "testcluster-failing-build", build) })
		if !rec.failed || !strings.Contains(strings.Join(rec.logs, "\n"), "undefined: x") {
			t.Errorf("caller not failed with the build output: failed %t, logs %q", rec.failed, rec.logs)
		}
	}
	if calls != 1 {
		t.Errorf("the build ran %d times, want once", calls)
	}
}

func TestFreePorts(t *testing.T) {
	ports := FreePorts(t, 20)
	seen := map[int]bool{}
	for _, p := range ports {
		if seen[p] {
			t.Fatalf("port %d returned twice: %v", p, ports)
		}
		seen[p] = true
		l, err := net.Listen("tcp", net.JoinHostPort(Host, strconv.Itoa(p)))
		if err != nil {
			t.Fatalf("port %d is not free: %v", p, err)
		}
		l.Close()
	}
	if lo := ephemeralStart(); lo > lowPort+1000 {
		for _, p := range ports {
			if p < lowPort || p >= lo {
				t.Errorf("port %d outside [%d, %d)", p, lowPort, lo)
			}
		}
	}
}
