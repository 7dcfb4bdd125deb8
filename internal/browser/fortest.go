package browser

import (
	"os"
	"testing"
)

// ForTest returns the Chromium binary for a browser test (see [Find]). When
// there is none, the test fails if the environment variable CI is set to a
// non-empty value other than "false" or "0" (a CI run must not skip the
// browser tests silently), and it is skipped otherwise, with a message that
// names the Debian package to install.
func ForTest(t testing.TB) string {
	t.Helper()
	exe, err := Find()
	if err == nil {
		return exe
	}
	if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
		t.Fatalf("CI=%s and no browser for the browser tests: %v", ci, err)
	}
	t.Skipf("skipping the browser test: %v (install Debian's chromium package: apt-get install chromium)", err)
	return ""
}
