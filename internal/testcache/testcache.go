// Package testcache keeps tests off the user's cache directory: the lang
// step caches lingua's quadrigram and fivegram tables on disk
// (filters/langid/ngram) in $CURATOR_CACHE_DIR, else the user's cache.
package testcache

import (
	"fmt"
	"os"
	"testing"
)

// Run runs the tests with CURATOR_CACHE_DIR set: as it is when it is set
// (.ci/test.sh builds one cache for every package), else to a temporary
// directory removed afterwards. It returns m.Run's exit code, for TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(testcache.Run(m)) }
func Run(m *testing.M) int {
	if os.Getenv("CURATOR_CACHE_DIR") != "" {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "curator-test-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	os.Setenv("CURATOR_CACHE_DIR", dir)
	return m.Run()
}
