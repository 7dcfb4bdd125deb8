package main

import (
	"fmt"
	"os"
	"testing"
)

// TestMain keeps the tests off the user's cache: the lang step caches
// lingua's quadrigram and fivegram tables on disk (filters/langid/ngram), in
// $CURATOR_CACHE_DIR when it is set (.ci/test.sh builds one cache for every
// package) and here, otherwise, in a temporary directory.
func TestMain(m *testing.M) {
	if os.Getenv("CURATOR_CACHE_DIR") != "" {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "curator-test-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("CURATOR_CACHE_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
