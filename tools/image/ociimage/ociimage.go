// Package ociimage provides vetgraph's container image: an OCI image built
// from nothing (go-containerregistry's empty image; no base image, no
// registry, no Docker) whose one layer holds the static vetgraph binary, the
// data files, a CA bundle and a non-root user; and Check, which reads an
// image back and says what in it is not that image.
//
// The image runs `vetgraph serve` as user 65532 listening on :8080 and reads
// its configuration from the environment like any vetgraph (NEO4J_URI, …).
// The same inputs build the same image, digest included: every time in it is
// Spec.Created and the layer's entries are written in a fixed order.
package ociimage

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Where things are in the image, and how it runs. Check holds an image to
// these.
const (
	// BinaryPath is the vetgraph binary (owned by root, mode 0755: the
	// user it runs as cannot change it).
	BinaryPath = "/usr/local/bin/vetgraph"
	// DataPath holds the data files (`vetgraph serve --load`, `load`,
	// `validate`); VETGRAPH_DATA_DIR points here.
	DataPath = "/usr/share/vetgraph/data"
	// CACertsPath is where Go's crypto/x509 looks first on Linux: the CA
	// bundle that neo4j+s:// (Aura) and JWKS over https need.
	CACertsPath = "/etc/ssl/certs/ca-certificates.crt"
	// UID and GID are the user the image runs as: not root, and the
	// number distroless images use for "nonroot".
	UID, GID = 65532, 65532
	// UserName names UID in /etc/passwd.
	UserName = "vetgraph"
	// Port is the HTTP port the image listens on and exposes.
	Port = "8080/tcp"
)

// User is the image's config User: numeric, so that a runtime can tell it
// is not root without reading /etc/passwd (Kubernetes' runAsNonRoot).
var User = fmt.Sprintf("%d:%d", UID, GID)

// Entrypoint and Cmd: the image runs `vetgraph serve`; arguments given to
// `docker run IMAGE …` replace Cmd, so `docker run IMAGE load` or
// `IMAGE serve --load` run those commands of the same binary.
var (
	Entrypoint = []string{BinaryPath}
	Cmd        = []string{"serve"}
)

// Env is the image's environment: listen on every interface (vetgraph's
// default, 127.0.0.1, is unreachable from outside a container) and read
// the data files from DataPath.
var Env = []string{
	"PATH=/usr/local/bin",
	"VETGRAPH_ADDR=:8080",
	"VETGRAPH_DATA_DIR=" + DataPath,
}

// OCI annotation keys (image-spec annotations.md), used as config labels
// and as manifest annotations.
const (
	LabelTitle       = "org.opencontainers.image.title"
	LabelDescription = "org.opencontainers.image.description"
	LabelVersion     = "org.opencontainers.image.version"
	LabelRevision    = "org.opencontainers.image.revision"
	LabelCreated     = "org.opencontainers.image.created"
	LabelSource      = "org.opencontainers.image.source"
)

// Spec is what goes into the image.
type Spec struct {
	// Binary is a vetgraph binary built for linux/Arch with CGO_ENABLED=0
	// (statically linked: the image has no libc). Required.
	Binary []byte
	// Arch is Binary's GOARCH ("amd64", "arm64"). Required.
	Arch string
	// CACerts is a PEM CA bundle for CACertsPath; nil leaves it out (then
	// TLS to Neo4j Aura cannot verify the server).
	CACerts []byte
	// Data holds the data files (data/ of the repository) copied under
	// DataPath; nil leaves them out.
	Data fs.FS
	// Version and Revision (the commit) are labelled on the image. Required.
	Version, Revision string
	// Source is the repository's URL, labelled when set.
	Source string
	// Created is the image's creation time and every file's modification
	// time (for a reproducible image: the commit's time). Required.
	Created time.Time
}

// Build returns the image of spec: OCI media types, one gzip layer, config
// for linux/spec.Arch.
func Build(spec Spec) (v1.Image, error) {
	switch {
	case len(spec.Binary) == 0:
		return nil, fmt.Errorf("no binary")
	case spec.Arch == "":
		return nil, fmt.Errorf("no architecture")
	case spec.Version == "" || spec.Revision == "":
		return nil, fmt.Errorf("version and revision are required (labels)")
	case spec.Created.IsZero():
		return nil, fmt.Errorf("no creation time")
	}
	created := spec.Created.UTC().Truncate(time.Second)
	layerTar, err := layerTar(spec, created)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, fmt.Errorf("layer: %w", err)
	}

	img := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	img, err = mutate.Append(img, mutate.Addendum{Layer: layer, History: v1.History{
		Created: v1.Time{Time: created}, CreatedBy: "vetgraph tools/image (go-containerregistry, no base image)",
		Comment: "vetgraph binary, data files, CA certificates, user " + UserName,
	}})
	if err != nil {
		return nil, fmt.Errorf("append layer: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", spec.Arch
	cf.Created = v1.Time{Time: created}
	labels := Labels(spec)
	cf.Config = v1.Config{
		Entrypoint:   Entrypoint,
		Cmd:          Cmd,
		Env:          Env,
		User:         User,
		WorkingDir:   "/",
		ExposedPorts: map[string]struct{}{Port: {}},
		Labels:       labels,
		StopSignal:   "SIGTERM",
	}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	annotated, ok := mutate.Annotations(img, labels).(v1.Image)
	if !ok {
		return nil, fmt.Errorf("annotations: not an image")
	}
	return annotated, nil
}

// Labels are the OCI labels (and manifest annotations) of spec's image.
func Labels(spec Spec) map[string]string {
	l := map[string]string{
		LabelTitle:       "vetgraph",
		LabelDescription: "GraphQL API over a Neo4j knowledge graph of VET cooperation",
		LabelVersion:     spec.Version,
		LabelRevision:    spec.Revision,
		LabelCreated:     spec.Created.UTC().Truncate(time.Second).Format(time.RFC3339),
	}
	if spec.Source != "" {
		l[LabelSource] = spec.Source
	}
	return l
}

// passwd and group give UID a name (some tools and libraries look it up)
// and root its usual entry; there is no shell in the image.
var (
	passwd = fmt.Sprintf("root:x:0:0:root:/root:/sbin/nologin\n%s:x:%d:%d:%s:/nonexistent:/sbin/nologin\n", UserName, UID, GID, UserName)
	group  = fmt.Sprintf("root:x:0:\n%s:x:%d:\n", UserName, GID)
)

// layerTar writes the layer: directories first, each entry once, in path
// order, owned by root, times at created.
func layerTar(spec Spec, created time.Time) ([]byte, error) {
	files := map[string]entry{
		BinaryPath:    {data: spec.Binary, mode: 0o755},
		"/etc/passwd": {data: []byte(passwd), mode: 0o644},
		"/etc/group":  {data: []byte(group), mode: 0o644},
	}
	if spec.CACerts != nil {
		files[CACertsPath] = entry{data: spec.CACerts, mode: 0o644}
	}
	if spec.Data != nil {
		err := fs.WalkDir(spec.Data, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				files[path.Join(DataPath, p)] = entry{dir: true}
				return nil
			}
			if !d.Type().IsRegular() {
				return fmt.Errorf("data: %s is not a regular file", p)
			}
			b, err := fs.ReadFile(spec.Data, p)
			if err != nil {
				return err
			}
			files[path.Join(DataPath, p)] = entry{data: b, mode: 0o644}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("data files: %w", err)
		}
	}
	// Every parent directory, explicitly (0755, root), so that the
	// image does not depend on how a runtime creates missing ones.
	for p := range files {
		for d := path.Dir(p); d != "/"; d = path.Dir(d) {
			if e, ok := files[d]; !ok || !e.dir {
				files[d] = entry{dir: true}
			}
		}
	}
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)

	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, p := range names {
		e := files[p]
		h := &tar.Header{Name: strings.TrimPrefix(p, "/"), ModTime: created, Uname: "root", Gname: "root"}
		if e.dir {
			h.Typeflag, h.Name, h.Mode = tar.TypeDir, h.Name+"/", 0o755
		} else {
			h.Typeflag, h.Mode, h.Size = tar.TypeReg, e.mode, int64(len(e.data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("layer %s: %w", p, err)
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, fmt.Errorf("layer %s: %w", p, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("layer: %w", err)
	}
	return buf.Bytes(), nil
}

type entry struct {
	data []byte
	mode int64
	dir  bool
}
