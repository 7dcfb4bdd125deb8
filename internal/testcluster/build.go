package testcluster

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Import paths of the two programs Build builds.
const (
	natsServerPkg = "github.com/nats-io/nats-server/v2"
	curatorPkg    = "github.com/curator-dev/curator/curator"
)

// Binaries are the paths of the built programs.
type Binaries struct {
	// Curator is the curator binary.
	Curator string
	// NATSServer is nats-server, built from the version in go.mod.
	NATSServer string
}

// BuildOptions change how the curator binary is built.
type BuildOptions struct {
	// Tags are build tags for curator (go build -tags), e.g. "faults".
	Tags []string
	// Race builds curator with the race detector (slower to build and run).
	Race bool
}

// flags are the go build flags the options ask for; the same options in
// another order give the same flags.
func (o BuildOptions) flags() []string {
	tags := slices.Clone(o.Tags)
	slices.Sort(tags)
	tags = slices.Compact(tags)
	var flags []string
	if len(tags) > 0 {
		flags = append(flags, "-tags="+strings.Join(tags, ","))
	}
	if o.Race {
		flags = append(flags, "-race")
	}
	return flags
}

// buildResult is one build, made once per test process.
type buildResult struct {
	once sync.Once
	seq  int // names the binary: curator-SEQ
	path string
	err  error
}

// builds is the registry of this test process's builds: a build is made
// once and shared by every test (and failing, fails every caller).
var builds = struct {
	mu      sync.Mutex
	dir     string
	dirErr  error
	results map[string]*buildResult
}{results: map[string]*buildResult{}}

// buildDir returns the directory the builds go to: made once per process,
// it outlives every test (t.TempDir dies with its test); Main removes it.
func buildDir() (string, error) {
	builds.mu.Lock()
	defer builds.mu.Unlock()
	if builds.dir == "" && builds.dirErr == nil {
		builds.dir, builds.dirErr = os.MkdirTemp("", "curator-testcluster-bin-")
	}
	return builds.dir, builds.dirErr
}

// result returns the registry entry of one build.
func result(key string) *buildResult {
	builds.mu.Lock()
	defer builds.mu.Unlock()
	r := builds.results[key]
	if r == nil {
		r = &buildResult{seq: len(builds.results)}
		builds.results[key] = r
	}
	return r
}

// Build builds nats-server and curator (without build tags), once per test
// process, and returns their paths. A build failure fails the test with
// the compiler's output.
func Build(t testing.TB) Binaries {
	t.Helper()
	return BuildWith(t, BuildOptions{})
}

// BuildWith is Build with options for the curator binary. Each distinct
// set of options is built once per test process.
func BuildWith(t testing.TB, opts BuildOptions) Binaries {
	t.Helper()
	nats := NATSServer(t)
	flags := opts.flags()
	curator := buildOnce(t, strings.Join(append([]string{"curator"}, flags...), " "), func(seq int) (string, error) {
		return goBuild(fmt.Sprintf("curator-%d", seq), curatorPkg, flags...)
	})
	return Binaries{Curator: curator, NATSServer: nats}
}

// NATSServer builds only nats-server (once per test process) and returns
// its path; StartServer and StartCluster call it.
func NATSServer(t testing.TB) string {
	t.Helper()
	return buildOnce(t, "nats-server", func(int) (string, error) {
		return goBuild("nats-server", natsServerPkg)
	})
}

// buildOnce makes the build named key once per test process (build gets
// a number unique to the key) and returns its path; when the build failed,
// it fails t, as it fails every caller.
func buildOnce(t testing.TB, key string, build func(seq int) (string, error)) string {
	t.Helper()
	r := result(key)
	r.once.Do(func() { r.path, r.err = build(r.seq) })
	if r.err != nil {
		t.Fatalf("testcluster: building %s: %v", key, r.err)
	}
	return r.path
}

// goBuild runs go build -o DIR/name pkg; the error holds the build output.
func goBuild(name, pkg string, args ...string) (string, error) {
	dir, err := buildDir()
	if err != nil {
		return "", fmt.Errorf("build directory: %w", err)
	}
	out := filepath.Join(dir, name)
	if runtime.GOOS == "windows" {
		out += ".exe"
	}
	goBin, err := goTool()
	if err != nil {
		return "", err
	}
	cmdArgs := append([]string{"build", "-o", out}, args...)
	cmdArgs = append(cmdArgs, pkg)
	cmd := exec.Command(goBin, cmdArgs...)
	output, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", goBin, strings.Join(cmdArgs, " "), err, output)
	}
	return out, nil
}

// goTool finds the go command: the toolchain's own (GOROOT/bin/go, from
// $GOROOT or the root this test binary was built with), else go in $PATH.
func goTool() (string, error) {
	exe := "go"
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	//lint:ignore SA1019 the build-time root is the right guess for a test binary go test just built
	for _, root := range []string{os.Getenv("GOROOT"), runtime.GOROOT()} {
		if root == "" {
			continue
		}
		p := filepath.Join(root, "bin", exe)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	p, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("no go command in GOROOT or $PATH: %w", err)
	}
	return p, nil
}

// Main runs the tests (m.Run) and then removes the binaries Build made.
// Use it from TestMain, so that the builds do not pile up in the temporary
// directory:
//
//	func TestMain(m *testing.M) { os.Exit(testcluster.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	builds.mu.Lock()
	dir := builds.dir
	builds.mu.Unlock()
	if dir != "" {
		if err := os.RemoveAll(dir); err != nil {
			fmt.Fprintf(os.Stderr, "testcluster: removing builds: %v\n", err)
		}
	}
	return code
}
