package main

import (
	"context"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"
)

// versionFlag is how a release sets the version: mcpserver.Version.
const versionFlag = "-X github.com/zoommcp/zoom-mcp/mcpserver.Version="

// TestDockerfile: the image is built with the release flags, cgo off, on
// the Go of go.mod, and runs the binary as a non-root user.
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	goMod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(goMod)
	if goVersion == nil {
		t.Fatal("go.mod has no go line")
	}
	for _, want := range []string{
		"FROM --platform=$BUILDPLATFORM golang:" + string(goVersion[1]) + " AS build",
		"CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH",
		"go build -trimpath -ldflags \"-s -w " + versionFlag + "${VERSION}\"",
		"FROM gcr.io/distroless/static-debian12:nonroot",
		"COPY --from=build /out/zoom-mcp /zoom-mcp",
		"USER nonroot:nonroot",
		`ENTRYPOINT ["/zoom-mcp"]`,
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %s", want)
		}
	}
	if ig, err := os.ReadFile(".dockerignore"); err != nil || !strings.Contains(string(ig), "\n.git\n") {
		t.Errorf(".dockerignore does not leave out .git: %v", err)
	}
}

// goreleaser is the part of .goreleaser.yaml the tests check.
type goreleaser struct {
	Version int `yaml:"version"`
	Builds  []struct {
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
	} `yaml:"builds"`
	Archives []struct {
		Files []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
	} `yaml:"checksum"`
}

func readGoreleaser(t *testing.T) goreleaser {
	t.Helper()
	b, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var g goreleaser
	if err := yaml.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// TestGoreleaser: releases build every platform we support, cgo off,
// with the Dockerfile's flags, and ship checksums and the README.
func TestGoreleaser(t *testing.T) {
	g := readGoreleaser(t)
	if g.Version != 2 || len(g.Builds) != 1 || len(g.Archives) != 1 || g.Checksum.NameTemplate == "" {
		t.Fatalf(".goreleaser.yaml: version %d, %d builds, %d archives, checksum %q; want version 2, one of each, checksums",
			g.Version, len(g.Builds), len(g.Archives), g.Checksum.NameTemplate)
	}
	b := g.Builds[0]
	if b.Main != "." || b.Binary != "zoom-mcp" || !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Equal(b.Flags, []string{"-trimpath"}) {
		t.Errorf("build: main %q, binary %q, env %q, flags %q", b.Main, b.Binary, b.Env, b.Flags)
	}
	if want := []string{"-s -w " + versionFlag + "{{ .Version }}"}; !slices.Equal(b.Ldflags, want) {
		t.Errorf("ldflags %q, want %q", b.Ldflags, want)
	}
	slices.Sort(b.Goos)
	slices.Sort(b.Goarch)
	if !slices.Equal(b.Goos, []string{"darwin", "linux", "windows"}) || !slices.Equal(b.Goarch, []string{"amd64", "arm64"}) {
		t.Errorf("platforms %q × %q", b.Goos, b.Goarch)
	}
	if !slices.Contains(g.Archives[0].Files, "README.md") {
		t.Errorf("archives hold %q, not README.md", g.Archives[0].Files)
	}
}

// TestReleaseFlags: the release's -ldflags set the version zoom-mcp
// reports and strip the binary, and go build accepts the whole release
// command line. The real build leaves out -trimpath and CGO_ENABLED=0,
// which would recompile every package (a minute or more cold); a dry run
// (go build -n) checks the line with them.
func TestReleaseFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	const version = "v9.8.7-test"
	ldflags := "-s -w " + versionFlag + version
	bin := filepath.Join(t.TempDir(), "zoom-mcp")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	build := exec.CommandContext(ctx, gobin, "build", "-ldflags", ldflags, "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -ldflags %q: %v\n%s", ldflags, err, out)
	}
	out, err := exec.CommandContext(ctx, bin, "version").Output()
	if err != nil || strings.TrimSpace(string(out)) != "zoom-mcp "+version {
		t.Errorf("zoom-mcp version: %q, %v; want zoom-mcp %s", out, err, version)
	}
	if runtime.GOOS == "linux" {
		f, err := elf.Open(bin)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if f.Section(".symtab") != nil {
			t.Error("-s -w left the symbol table in")
		}
	}
	dry := exec.CommandContext(ctx, gobin, "build", "-n", "-trimpath", "-ldflags", ldflags, "-o", bin, ".")
	dry.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64")
	if out, err := dry.CombinedOutput(); err != nil {
		t.Errorf("go build -n -trimpath (linux/arm64, cgo off): %v\n%.2000s", err, out)
	}
}
