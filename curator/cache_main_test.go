package main

import (
	"os"
	"testing"

	"github.com/curator-dev/curator/internal/testcache"
)

// TestMain keeps the tests off the user's cache (see internal/testcache).
func TestMain(m *testing.M) { os.Exit(testcache.Run(m)) }
