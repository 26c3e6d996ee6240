package ociimage

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
)

var (
	staticOnce sync.Once
	staticBin  []byte
	staticErr  error
)

// staticBinary builds (once) a small Go program with CGO_ENABLED=0, the
// way vetgraph's binary is built for the image.
func staticBinary(t *testing.T) []byte {
	t.Helper()
	staticOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ociimage-test-")
		if err != nil {
			staticErr = err
			return
		}
		defer os.RemoveAll(dir)
		src := filepath.Join(dir, "main.go")
		if staticErr = os.WriteFile(src, []byte("package main\n\nfunc main() { println(\"hi\") }\n"), 0o644); staticErr != nil {
			return
		}
		out := filepath.Join(dir, "hi")
		cmd := exec.Command("go", "build", "-o", out, src)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH, "GOFLAGS=-buildvcs=false")
		if b, err := cmd.CombinedOutput(); err != nil {
			staticErr = err
			staticBin = b
			return
		}
		staticBin, staticErr = os.ReadFile(out)
	})
	if staticErr != nil {
		t.Fatalf("building a static test binary: %v %s", staticErr, staticBin)
	}
	return staticBin
}

// testCA is a PEM certificate made for the test.
func testCA(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(0, 0).Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func testSpec(t *testing.T) Spec {
	return Spec{
		Binary: staticBinary(t), Arch: runtime.GOARCH, CACerts: testCA(t),
		Data: fstest.MapFS{
			"entities/school.yaml":              {Data: []byte("- id: a\n")},
			"sources/doc/document.yaml":         {Data: []byte("id: doc\n")},
			"sources/doc/text.txt":              {Data: []byte("文本")},
			"sources/doc/relations.yaml":        {Data: []byte("[]\n")},
			"sources/doc/facts.yaml":            {Data: []byte("[]\n")},
			"entities/organization.yaml":        {Data: []byte("[]\n")},
			"sources/doc/.keep-nothing-special": {Data: nil},
		},
		Version: "v1.2.3-4-gabcdef0", Revision: "abcdef0123456789abcdef0123456789abcdef01",
		Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

func wantOf(s Spec) Want {
	return Want{Arch: s.Arch, Version: s.Version, Revision: s.Revision, Binary: s.Binary}
}

func TestBuildThenCheck(t *testing.T) {
	spec := testSpec(t)
	img, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Check(onDisk(t, img), wantOf(spec))
	if err != nil {
		t.Fatalf("Check(Build(spec)):\n%v", err)
	}
	if rep.BinarySize != int64(len(spec.Binary)) || rep.DataFiles != 7 || rep.CACerts != 1 || rep.Files != 7+4 {
		t.Errorf("report = %+v; want the binary's size, 7 data files, 1 certificate, 11 files", rep)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cf.Config.User == "" || strings.HasPrefix(cf.Config.User, "0") || cf.Config.Labels[LabelCreated] != "2026-01-02T03:04:05Z" ||
		!cf.Created.Time.Equal(spec.Created) || len(cf.History) != 1 {
		t.Errorf("config = %+v", cf)
	}

	// The same inputs give the same image; another time another one.
	again, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := digest(t, img), digest(t, again); a != b {
		t.Errorf("two builds of one spec: %s and %s; want one digest", a, b)
	}
	spec.Created = spec.Created.Add(time.Second)
	later, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	if digest(t, later) == digest(t, img) {
		t.Errorf("another creation time, the same digest")
	}
}

// onDisk writes img as an OCI layout and reads it back, as the image tool
// checks it (an image built in memory has empty layer annotations where
// its serialized manifest has none, which validate reports).
func onDisk(t *testing.T, img v1.Image) v1.Image {
	t.Helper()
	dir := t.TempDir()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	back, err := lp.Image(digest(t, img))
	if err != nil {
		t.Fatal(err)
	}
	return back
}

func digest(t *testing.T, img v1.Image) v1.Hash {
	t.Helper()
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestBuildRefuses(t *testing.T) {
	for name, f := range map[string]func(*Spec){
		"no binary":   func(s *Spec) { s.Binary = nil },
		"no arch":     func(s *Spec) { s.Arch = "" },
		"no version":  func(s *Spec) { s.Version = "" },
		"no revision": func(s *Spec) { s.Revision = "" },
		"no time":     func(s *Spec) { s.Created = time.Time{} },
	} {
		spec := testSpec(t)
		f(&spec)
		if _, err := Build(spec); err == nil {
			t.Errorf("%s: built", name)
		}
	}
}

// Check finds what is wrong with an image, each thing by name.
func TestCheckRefuses(t *testing.T) {
	spec := testSpec(t)
	good, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	withConfig := func(f func(*v1.Config)) func(*testing.T) (v1.Image, Want) {
		return func(t *testing.T) (v1.Image, Want) {
			cf, err := good.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			c := *cf.Config.DeepCopy()
			f(&c)
			img, err := mutate.Config(good, c)
			if err != nil {
				t.Fatal(err)
			}
			return img, wantOf(spec)
		}
	}
	withSpec := func(f func(*Spec)) func(*testing.T) (v1.Image, Want) {
		return func(t *testing.T) (v1.Image, Want) {
			s := testSpec(t)
			f(&s)
			img, err := Build(s)
			if err != nil {
				t.Fatal(err)
			}
			return img, wantOf(spec)
		}
	}
	cases := []struct {
		name, want string
		image      func(*testing.T) (v1.Image, Want)
	}{
		{"root user", "user", withConfig(func(c *v1.Config) { c.User = "0:0" })},
		{"no user", "user", withConfig(func(c *v1.Config) { c.User = "" })},
		{"other entrypoint", "entrypoint", withConfig(func(c *v1.Config) { c.Entrypoint = []string{"/bin/sh"} })},
		{"loopback address", "VETGRAPH_ADDR", withConfig(func(c *v1.Config) { c.Env = []string{"VETGRAPH_ADDR=127.0.0.1:8080"} })},
		{"no port", "exposed ports", withConfig(func(c *v1.Config) { c.ExposedPorts = nil })},
		{"other version", "org.opencontainers.image.version", withConfig(func(c *v1.Config) { c.Labels[LabelVersion] = "v0" })},
		{"other binary", "not the binary given", withSpec(func(s *Spec) { s.Binary = append([]byte(nil), append(s.Binary, 0)...) })},
		{"not an ELF", "not an ELF", withSpec(func(s *Spec) { s.Binary = []byte("#!/bin/sh\n") })},
		{"no CA bundle", "/etc/ssl/certs/ca-certificates.crt", withSpec(func(s *Spec) { s.CACerts = nil })},
		{"no data", "no data files", withSpec(func(s *Spec) { s.Data = nil })},
		{"another arch", "want linux/", func(t *testing.T) (v1.Image, Want) {
			w := wantOf(spec)
			w.Arch = map[string]string{"amd64": "arm64"}[runtime.GOARCH]
			if w.Arch == "" {
				w.Arch = "amd64"
			}
			return good, w
		}},
		{"two layers", "2 layers", func(t *testing.T) (v1.Image, Want) {
			l, err := random.Layer(64, "application/vnd.oci.image.layer.v1.tar+gzip")
			if err != nil {
				t.Fatal(err)
			}
			img, err := mutate.AppendLayers(good, l)
			if err != nil {
				t.Fatal(err)
			}
			return img, wantOf(spec)
		}},
	}
	if dyn, err := os.ReadFile("/bin/true"); err == nil && checkStatic(dyn, runtime.GOARCH) != nil {
		cases = append(cases, struct {
			name, want string
			image      func(*testing.T) (v1.Image, Want)
		}{"dynamically linked", "CGO_ENABLED=0", withSpec(func(s *Spec) { s.Binary = dyn })})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			img, want := tc.image(t)
			_, err := Check(onDisk(t, img), want)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Check = %v; want a problem naming %q", err, tc.want)
			}
		})
	}
}
