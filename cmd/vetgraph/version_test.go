package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/internal/neo4jtest"
)

func TestDescribeVersion(t *testing.T) {
	vcs := func(rev, at, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: at},
			{Key: "vcs.modified", Value: modified},
		}
	}
	const rev = "3f32dfba285c401919bcc72544ef6f5abc9f97a4"
	for _, tc := range []struct {
		name    string
		release string
		bi      *debug.BuildInfo
		want    string
	}{
		{
			"go build in a checkout with changes", "", &debug.BuildInfo{
				GoVersion: "go1.26.8",
				Main:      debug.Module{Version: "v0.0.0-20261205134339-3f32dfba285c+dirty"}, Settings: vcs(rev, "2026-12-05T13:43:39Z", "true"),
			},
			"v0.0.0-20261205134339-3f32dfba285c+dirty (commit " + rev + ", 2026-12-05T13:43:39Z, modified; go1.26.8 linux/amd64)",
		},
		{
			"a release: -ldflags -X main.version", "v1.2.0", &debug.BuildInfo{
				GoVersion: "go1.26.8",
				Main:      debug.Module{Version: "(devel)"}, Settings: vcs(rev, "2026-12-05T13:43:39Z", "false"),
			},
			"v1.2.0 (commit " + rev + ", 2026-12-05T13:43:39Z; go1.26.8 linux/amd64)",
		},
		{
			"go install m@v1.3.0 (no VCS)", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.3.0"}},
			"v1.3.0 (commit unknown; go1.26.8 linux/amd64)",
		},
		{
			"-buildvcs=false", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			"devel (commit unknown; go1.26.8 linux/amd64)",
		},
		{"no build info", "", nil, "devel (commit unknown; " + runtime.Version() + " linux/amd64)"},
	} {
		if got := describeVersion(tc.release, tc.bi, "linux/amd64"); got != tc.want {
			t.Errorf("%s: describeVersion = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// --version, -v and the version command print the same line.
func TestVersionCommand(t *testing.T) {
	want := "vetgraph version " + versionString() + "\n"
	for _, args := range [][]string{{"--version"}, {"-v"}, {"version"}} {
		var out bytes.Buffer
		app := newApp()
		app.Writer = &out
		if err := app.Run(t.Context(), append([]string{"vetgraph"}, args...)); err != nil {
			t.Errorf("vetgraph %v: %v", args, err)
		}
		if out.String() != want {
			t.Errorf("vetgraph %v printed %q, want %q", args, out.String(), want)
		}
	}
}

// The binary as built: -ldflags -X main.version sets the version, and the
// commit comes from the go command's build information.
func TestVersionOfTheBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary: skipped by -short")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build vetgraph: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "vetgraph")
	// -buildvcs=true: the go command's default (auto) stamps a Git
	// checkout too, but GOFLAGS may turn it off.
	build := exec.Command(goCmd, "build", "-buildvcs=true", "-ldflags", "-X main.version=v0.0.0-test", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("vetgraph --version: %v\n%s", err, out)
	}
	pattern := `^vetgraph version v0\.0\.0-test \(commit ([0-9a-f]{40}|unknown)(, [0-9TZ:-]+)?(, modified)?; ` +
		regexp.QuoteMeta(runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH) + `\)\n$`
	if !regexp.MustCompile(pattern).Match(out) {
		t.Fatalf("vetgraph --version printed %q, want it to match %s", out, pattern)
	}
	// The go command finds a checkout by its .git directory; in a `git
	// worktree` .git is a file, which it does not take for a checkout: it
	// records no commit, or an enclosing checkout's (golang/go#58218).
	root := neo4jtest.RepoRoot()
	if fi, err := os.Stat(filepath.Join(root, ".git")); err != nil || !fi.IsDir() {
		t.Logf("%s is not a Git checkout with a .git directory: the commit is not checked", root)
		return
	}
	head, err := exec.Command("git", "-C", root, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatalf("git rev-parse HEAD: %v", err)
	}
	if !strings.Contains(string(out), "commit "+strings.TrimSpace(string(head))) {
		t.Errorf("vetgraph --version printed %q, want HEAD's commit %s", out, head)
	}
}
