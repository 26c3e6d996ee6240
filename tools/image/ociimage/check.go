package ociimage

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

// Want is what Check holds an image to beyond the fixed layout and config
// (the constants and variables of this package).
type Want struct {
	// Arch is the GOARCH the config and the binary must be for.
	Arch string
	// Version and Revision are the labels (and annotations) the image must
	// carry.
	Version, Revision string
	// Binary, when set, is the binary the layer must hold byte for byte.
	Binary []byte
}

// Report describes an image that passed Check.
type Report struct {
	Digest                      v1.Hash
	LayerSize, UncompressedSize int64 // the layer, gzip and tar
	Files                       int   // regular files in the layer
	BinarySize                  int64
	DataFiles                   int // regular files under DataPath
	CACerts                     int // certificates in the CA bundle
}

// Check reads img through (every blob: digests, sizes and diff ids must
// agree, as go-containerregistry's validate checks them) and returns a
// Report, or an error listing every way img is not the image Build makes
// for want: OCI media types and one gzip layer; config for linux/want.Arch
// that runs Entrypoint with Cmd as User (not root) with Env, exposing Port,
// labelled with want's version and revision; a layer of root-owned entries
// with relative clean paths holding at BinaryPath a statically linked ELF
// executable for want.Arch (want.Binary when set), a CA bundle at
// CACertsPath, /etc/passwd naming UID, and the data files under DataPath.
func Check(img v1.Image, want Want) (Report, error) {
	var rep Report
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	done := func() (Report, error) {
		if len(problems) > 0 {
			return rep, errors.New(strings.Join(problems, "\n"))
		}
		return rep, nil
	}

	if err := validate.Image(img); err != nil {
		bad("the image's blobs do not agree with its manifest and config: %v", err)
		return done()
	}
	var err error
	if rep.Digest, err = img.Digest(); err != nil {
		bad("digest: %v", err)
		return done()
	}
	m, err := img.Manifest()
	if err != nil {
		bad("manifest: %v", err)
		return done()
	}
	if m.MediaType != types.OCIManifestSchema1 {
		bad("manifest media type %q, want %q", m.MediaType, types.OCIManifestSchema1)
	}
	if m.Config.MediaType != types.OCIConfigJSON {
		bad("config media type %q, want %q", m.Config.MediaType, types.OCIConfigJSON)
	}
	if len(m.Layers) != 1 {
		bad("%d layers, want 1", len(m.Layers))
		return done()
	}
	if m.Layers[0].MediaType != types.OCILayer {
		bad("layer media type %q, want %q", m.Layers[0].MediaType, types.OCILayer)
	}
	rep.LayerSize = m.Layers[0].Size
	checkLabels("manifest annotation", m.Annotations, want, bad)

	cf, err := img.ConfigFile()
	if err != nil {
		bad("config: %v", err)
		return done()
	}
	if cf.OS != "linux" || cf.Architecture != want.Arch {
		bad("platform %s/%s, want linux/%s", cf.OS, cf.Architecture, want.Arch)
	}
	c := cf.Config
	if !slices.Equal(c.Entrypoint, Entrypoint) || !slices.Equal(c.Cmd, Cmd) {
		bad("runs %q %q, want entrypoint %q and cmd %q", c.Entrypoint, c.Cmd, Entrypoint, Cmd)
	}
	if c.User != User {
		bad("user %q, want %q (not root)", c.User, User)
	}
	for _, e := range Env {
		if !slices.Contains(c.Env, e) {
			bad("environment %q lacks %s", c.Env, e)
		}
	}
	if _, ok := c.ExposedPorts[Port]; !ok || len(c.ExposedPorts) != 1 {
		bad("exposed ports %v, want %s alone", slices.Sorted(maps.Keys(c.ExposedPorts)), Port)
	}
	checkLabels("config label", c.Labels, want, bad)

	layers, err := img.Layers()
	if err != nil {
		bad("layers: %v", err)
		return done()
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		bad("layer: %v", err)
		return done()
	}
	defer rc.Close()
	checkLayer(rc, want, &rep, bad)
	return done()
}

func checkLabels(what string, got map[string]string, want Want, bad func(string, ...any)) {
	for k, v := range map[string]string{LabelTitle: "vetgraph", LabelVersion: want.Version, LabelRevision: want.Revision} {
		if got[k] != v {
			bad("%s %s = %q, want %q", what, k, got[k], v)
		}
	}
	if got[LabelCreated] == "" {
		bad("%s %s is missing", what, LabelCreated)
	}
}

// checkLayer reads the layer's tar.
func checkLayer(r io.Reader, want Want, rep *Report, bad func(string, ...any)) {
	cr := &countingReader{r: r}
	tr := tar.NewReader(cr)
	seen := map[string]bool{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			bad("layer: %v", err)
			return
		}
		name := strings.TrimSuffix(h.Name, "/")
		if name == "" || path.IsAbs(name) || path.Clean(name) != name || strings.HasPrefix(name, "../") {
			bad("layer entry %q is not a clean relative path", h.Name)
			continue
		}
		p := "/" + name
		if seen[p] {
			bad("layer entry %s appears twice", p)
		}
		seen[p] = true
		if h.Uid != 0 || h.Gid != 0 {
			bad("%s is owned by %d:%d, want root (the user the image runs as must not be able to change it)", p, h.Uid, h.Gid)
		}
		if h.Mode&0o022 != 0 {
			bad("%s is writable by group or others (mode %o)", p, h.Mode)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if h.Mode&0o777 != 0o755 {
				bad("directory %s has mode %o, want 755", p, h.Mode&0o777)
			}
			continue
		case tar.TypeReg:
		default:
			bad("%s is neither a file nor a directory (type %q)", p, h.Typeflag)
			continue
		}
		rep.Files++
		b, err := io.ReadAll(tr)
		if err != nil {
			bad("%s: %v", p, err)
			return
		}
		switch {
		case p == BinaryPath:
			rep.BinarySize = int64(len(b))
			if h.Mode&0o777 != 0o755 {
				bad("%s has mode %o, want 755", p, h.Mode&0o777)
			}
			if want.Binary != nil && sha256.Sum256(b) != sha256.Sum256(want.Binary) {
				bad("%s is not the binary given (%d bytes, want %d)", p, len(b), len(want.Binary))
			}
			if err := checkStatic(b, want.Arch); err != nil {
				bad("%s: %v", p, err)
			}
		case p == CACertsPath:
			rep.CACerts = countCerts(b)
			if rep.CACerts == 0 {
				bad("%s holds no PEM certificate", p)
			}
		case p == "/etc/passwd":
			if !strings.Contains(string(b), fmt.Sprintf("%s:x:%d:%d:", UserName, UID, GID)) {
				bad("/etc/passwd does not name user %d", UID)
			}
		case strings.HasPrefix(p, DataPath+"/"):
			rep.DataFiles++
		}
		if h.Mode&0o777 != 0o644 && p != BinaryPath {
			bad("%s has mode %o, want 644", p, h.Mode&0o777)
		}
	}
	if _, err := io.Copy(io.Discard, cr); err != nil { // the end-of-archive blocks
		bad("layer: %v", err)
	}
	rep.UncompressedSize = cr.n
	for _, p := range []string{BinaryPath, CACertsPath, "/etc/passwd", "/etc/group"} {
		if !seen[p] {
			bad("the layer has no %s", p)
		}
	}
	if rep.DataFiles == 0 {
		bad("the layer has no data files under %s", DataPath)
	}
}

// elfMachines maps GOARCH to the ELF machine of its binaries.
var elfMachines = map[string]elf.Machine{
	"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "386": elf.EM_386, "arm": elf.EM_ARM,
	"ppc64le": elf.EM_PPC64, "s390x": elf.EM_S390, "riscv64": elf.EM_RISCV,
}

// checkStatic reports whether b is a statically linked ELF executable for
// arch: the image has no dynamic loader and no libc to load.
func checkStatic(b []byte, arch string) error {
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("not an ELF file: %v", err)
	}
	defer f.Close()
	if f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
		return fmt.Errorf("ELF type %v, want an executable", f.Type)
	}
	if m, ok := elfMachines[arch]; !ok || f.Machine != m {
		return fmt.Errorf("built for %v, want %s", f.Machine, arch)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("dynamically linked (needs an ELF interpreter); build it with CGO_ENABLED=0")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		return fmt.Errorf("needs shared libraries %v; build it with CGO_ENABLED=0", libs)
	}
	return nil
}

func countCerts(pem []byte) int {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return 0
	}
	return strings.Count(string(pem), "-----BEGIN CERTIFICATE-----")
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
