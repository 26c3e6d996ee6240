// Command image builds vetgraph's OCI image without Docker and without a
// registry, and checks an image on disk (`make image` runs both):
//
//	go run . build -binary BIN -version V -revision R -created T -data DIR -ca-certs PEM -oci DIR -tar FILE
//	go run . check -oci DIR -tar FILE -version V -revision R [-binary BIN]
//
// build writes the image as an OCI image layout directory (-oci: for
// `crane push`, `skopeo copy oci:DIR docker://…`, `podman load`) and as a
// `docker load` archive (-tar) tagged vetgraph:VERSION. check reads both
// back, holds the layout's image to ociimage.Check, requires the archive to
// hold the same config and layer, and, when the image is for this machine,
// runs the image's binary with --version. It is a module of its own so that
// go-containerregistry's dependencies never reach the server's build.
package main

import (
	"archive/tar"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/vetgraph/vetgraph/tools/image/ociimage"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: image build|check [flags] (see -h)")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "build":
		err = build(os.Args[2:])
	case "check":
		err = check(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: want build or check", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

// common are the flags both commands take.
type common struct {
	binary, arch, version, revision, oci, tar string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.binary, "binary", "", "the vetgraph binary (linux, CGO_ENABLED=0)")
	fs.StringVar(&c.arch, "arch", runtime.GOARCH, "the binary's GOARCH")
	fs.StringVar(&c.version, "version", "", "version label (git describe)")
	fs.StringVar(&c.revision, "revision", "", "revision label (the commit)")
	fs.StringVar(&c.oci, "oci", "bin/vetgraph-oci", "OCI image layout directory")
	fs.StringVar(&c.tar, "tar", "bin/vetgraph-image.tar", "docker load archive")
}

// tagRE is a registry tag (distribution's reference grammar).
var tagRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)

func (c *common) validate(needBinary bool) error {
	var p []string
	if needBinary && c.binary == "" {
		p = append(p, "-binary is required")
	}
	if !tagRE.MatchString(c.version) {
		p = append(p, fmt.Sprintf("-version %q must be a tag: letters, digits, _ . -", c.version))
	}
	if c.revision == "" {
		p = append(p, "-revision is required")
	}
	if c.oci == "" || c.tar == "" {
		p = append(p, "-oci and -tar are required")
	}
	if len(p) > 0 {
		return errors.New(strings.Join(p, "; "))
	}
	return nil
}

func (c *common) tag() (name.Tag, error) { return name.NewTag("vetgraph:" + c.version) }

func build(args []string) error {
	fs := flag.NewFlagSet("build", flag.ExitOnError)
	var c common
	c.register(fs)
	caCerts := fs.String("ca-certs", "/etc/ssl/certs/ca-certificates.crt", "PEM CA bundle to include (empty: none)")
	data := fs.String("data", "data", "data directory to include (empty: none)")
	created := fs.String("created", "", "creation time, RFC 3339 (the commit's time, for a reproducible image)")
	source := fs.String("source", "", "source repository URL label (optional)")
	_ = fs.Parse(args)
	if err := c.validate(true); err != nil {
		return err
	}
	spec := ociimage.Spec{Arch: c.arch, Version: c.version, Revision: c.revision, Source: *source}
	var err error
	if spec.Created, err = time.Parse(time.RFC3339, *created); err != nil {
		return fmt.Errorf("-created: %w", err)
	}
	if spec.Binary, err = os.ReadFile(c.binary); err != nil {
		return err
	}
	if *caCerts != "" {
		if spec.CACerts, err = os.ReadFile(*caCerts); err != nil {
			return fmt.Errorf("%w (pass -ca-certs '' to build without a CA bundle)", err)
		}
	}
	if *data != "" {
		spec.Data = os.DirFS(*data)
	}
	img, err := ociimage.Build(spec)
	if err != nil {
		return err
	}
	tag, err := c.tag()
	if err != nil {
		return err
	}

	// The layout afresh: AppendImage would add to an old index.
	if err := os.RemoveAll(c.oci); err != nil {
		return err
	}
	lp, err := layout.Write(c.oci, empty.Index)
	if err != nil {
		return fmt.Errorf("layout %s: %w", c.oci, err)
	}
	if err := lp.AppendImage(img, layout.WithAnnotations(map[string]string{
		"org.opencontainers.image.ref.name": c.version,
	})); err != nil {
		return fmt.Errorf("layout %s: %w", c.oci, err)
	}
	if err := os.MkdirAll(filepath.Dir(c.tar), 0o755); err != nil {
		return err
	}
	tmp := c.tar + ".tmp"
	if err := tarball.WriteToFile(tmp, tag, img); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("archive %s: %w", c.tar, err)
	}
	if err := os.Rename(tmp, c.tar); err != nil {
		return err
	}
	d, err := img.Digest()
	if err != nil {
		return err
	}
	fmt.Printf("image %s %s written to %s (OCI layout) and %s (docker load)\n", tag, d, c.oci, c.tar)
	return nil
}

func check(args []string) error {
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	var c common
	c.register(fs)
	_ = fs.Parse(args)
	if err := c.validate(false); err != nil {
		return err
	}
	want := ociimage.Want{Arch: c.arch, Version: c.version, Revision: c.revision}
	if c.binary != "" {
		var err error
		if want.Binary, err = os.ReadFile(c.binary); err != nil {
			return err
		}
	}
	img, err := fromLayout(c.oci, c.version)
	if err != nil {
		return err
	}
	rep, err := ociimage.Check(img, want)
	if err != nil {
		return fmt.Errorf("%s is not the expected image:\n%w", c.oci, err)
	}
	tag, err := c.tag()
	if err != nil {
		return err
	}
	if err := sameImage(img, c.tar, tag); err != nil {
		return err
	}
	ran := "not run (the image is for linux/" + c.arch + ")"
	if runtime.GOOS == "linux" && runtime.GOARCH == c.arch {
		if ran, err = runVersion(img, c.version); err != nil {
			return err
		}
	}
	fmt.Printf("image ok: %s %s\n  layer %.1f MB gzip (%.1f MB tar): %d files, binary %.1f MB static, %d data files, %d CA certificates\n"+
		"  runs %s %s as %s, exposes %s; %s and %s hold the same image\n  vetgraph --version in the image: %s\n",
		tag, rep.Digest, mb(rep.LayerSize), mb(rep.UncompressedSize), rep.Files, mb(rep.BinarySize), rep.DataFiles, rep.CACerts,
		ociimage.Entrypoint, ociimage.Cmd, ociimage.User, ociimage.Port, c.oci, c.tar, ran)
	return nil
}

func mb(n int64) float64 { return float64(n) / 1e6 }

// fromLayout reads the one image of the layout at dir, which must be
// named ref.
func fromLayout(dir, ref string) (v1.Image, error) {
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, fmt.Errorf("layout %s: %w", dir, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("layout %s: %w", dir, err)
	}
	if len(im.Manifests) != 1 {
		return nil, fmt.Errorf("layout %s holds %d manifests, want 1", dir, len(im.Manifests))
	}
	desc := im.Manifests[0]
	if got := desc.Annotations["org.opencontainers.image.ref.name"]; got != ref {
		return nil, fmt.Errorf("layout %s names its image %q, want %q", dir, got, ref)
	}
	return idx.Image(desc.Digest)
}

// sameImage requires the docker load archive at path to hold tag with
// img's config and layers (its manifest differs: the archive format has
// none of its own, and readers make a Docker one).
func sameImage(img v1.Image, path string, tag name.Tag) error {
	arch, err := tarball.ImageFromPath(path, &tag)
	if err != nil {
		return fmt.Errorf("archive %s: %w", path, err)
	}
	a, err := arch.ConfigName()
	if err != nil {
		return fmt.Errorf("archive %s: %w", path, err)
	}
	b, err := img.ConfigName()
	if err != nil {
		return err
	}
	if a != b {
		return fmt.Errorf("archive %s has config %s, the layout %s", path, a, b)
	}
	al, err := arch.Layers()
	if err != nil {
		return fmt.Errorf("archive %s: %w", path, err)
	}
	bl, err := img.Layers()
	if err != nil {
		return err
	}
	if len(al) != len(bl) {
		return fmt.Errorf("archive %s has %d layers, the layout %d", path, len(al), len(bl))
	}
	for i := range al {
		da, err := al[i].Digest()
		if err != nil {
			return fmt.Errorf("archive %s: %w", path, err)
		}
		db, err := bl[i].Digest()
		if err != nil {
			return err
		}
		if da != db {
			return fmt.Errorf("archive %s layer %d is %s, the layout's %s", path, i, da, db)
		}
	}
	return nil
}

// runVersion extracts the image's binary and runs it with --version; the
// answer must start with version.
func runVersion(img v1.Image, version string) (string, error) {
	dir, err := os.MkdirTemp("", "vetgraph-image-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "vetgraph")
	if err := extract(img, ociimage.BinaryPath, bin); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "--version").CombinedOutput()
	got := strings.TrimSpace(string(out))
	if err != nil {
		return "", fmt.Errorf("the image's %s --version: %v: %s", ociimage.BinaryPath, err, got)
	}
	if !strings.Contains(got, " "+version+" (") {
		return "", fmt.Errorf("the image's binary says %q, want version %s", got, version)
	}
	return got, nil
}

// extract writes the file at path in img's filesystem to dst (mode 0755).
func extract(img v1.Image, path, dst string) error {
	rc := mutate.Extract(img)
	defer rc.Close()
	return extractFile(rc, path, dst)
}

func extractFile(r io.Reader, path, dst string) error {
	tr := tar.NewReader(r)
	want := strings.TrimPrefix(path, "/")
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return fmt.Errorf("the image has no %s", path)
		}
		if err != nil {
			return err
		}
		if h.Name != want || h.Typeflag != tar.TypeReg {
			continue
		}
		f, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, tr); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
}
