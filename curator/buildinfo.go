package main

import (
	"runtime/debug"

	"github.com/curator-dev/curator/curator/coordinator"
)

// version is the release version, set with -ldflags "-X main.version=v1.2.3".
var version = "dev"

// curatorVersion is the release version followed by what the Go build info
// knows: the module version and the VCS revision, shortened (with "+dirty"
// for a modified tree).
func curatorVersion() string {
	v := version
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if mv := bi.Main.Version; mv != "" && mv != "(devel)" && mv != v {
		v += " " + mv
	}
	if rev := coordinator.BuildCommit(); rev != "" {
		if r, dirty, ok := cutDirty(rev); ok {
			v += " (" + short12(r) + dirty + ")"
		}
	}
	return v
}

// cutDirty splits a revision from its "+dirty" mark.
func cutDirty(rev string) (r, dirty string, ok bool) {
	if len(rev) > 6 && rev[len(rev)-6:] == "+dirty" {
		return rev[:len(rev)-6], "+dirty", true
	}
	return rev, "", rev != ""
}

// short12 is a revision's first 12 characters.
func short12(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}
