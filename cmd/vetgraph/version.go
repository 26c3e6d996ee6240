package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is the release version, set when building a release with
// -ldflags "-X main.version=v1.2.3". Empty, the version comes from the
// build information the go command records (see describeVersion).
var version string

// versionString describes this binary (see describeVersion).
func versionString() string {
	bi, _ := debug.ReadBuildInfo()
	return describeVersion(version, bi, runtime.GOOS+"/"+runtime.GOARCH)
}

// describeVersion describes a binary as
//
//	v1.2.3 (commit 3f32dfb…, 2026-01-02T03:04:05Z, modified; go1.26.8 linux/amd64)
//
// The version is release when set; else the main module's version from bi
// (go build in a Git checkout records a pseudo-version such as
// v0.0.0-20260102030405-3f32dfb1a2b3+dirty, go install m@v1.2.3 records
// v1.2.3); else "devel". The parenthesis holds what the go command recorded
// of the checkout (vcs.revision, vcs.time, vcs.modified: "modified" means
// uncommitted changes were built) and the toolchain; bi may be nil.
func describeVersion(release string, bi *debug.BuildInfo, platform string) string {
	v := release
	if v == "" && bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	if v == "" {
		v = "devel"
	}
	var rev, at, modified, goVersion string
	if bi != nil {
		goVersion = bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
	}
	var parts []string
	if rev == "" {
		parts = append(parts, "commit unknown")
	} else {
		parts = append(parts, "commit "+rev)
	}
	if at != "" {
		parts = append(parts, at)
	}
	if modified == "true" {
		parts = append(parts, "modified")
	}
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	return fmt.Sprintf("%s (%s; %s %s)", v, strings.Join(parts, ", "), goVersion, platform)
}
