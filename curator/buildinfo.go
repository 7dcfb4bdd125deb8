package main

import "runtime/debug"

// version is the release version, set with -ldflags "-X main.version=v1.2.3".
var version = "dev"

// curatorVersion is the release version followed by what the Go build info
// knows: the module version and the VCS revision (with "+dirty" for a
// modified tree).
func curatorVersion() string {
	v := version
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if mv := bi.Main.Version; mv != "" && mv != "(devel)" && mv != v {
		v += " " + mv
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " (" + rev + dirty + ")"
	}
	return v
}
