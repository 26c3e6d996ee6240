package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"
)

const rebuild = "run `cd web && npm ci && npm run build` and commit web/dist"

func serve(t *testing.T, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	Register(mux)
	return mux
}

// The built pages are committed: without them the binary would serve errors.
func TestBuiltFilesPresent(t *testing.T) {
	files := Files()
	for _, name := range []string{"playground.html", "explore.html"} {
		if _, err := fs.Stat(files, name); err != nil {
			t.Fatalf("web/dist/%s is missing: %s", name, rebuild)
		}
	}
	var scripts, styles int
	_ = fs.WalkDir(files, "assets", func(p string, d fs.DirEntry, err error) error {
		switch path.Ext(p) {
		case ".js":
			scripts++
		case ".css":
			styles++
		}
		return nil
	})
	if scripts == 0 || styles == 0 {
		t.Fatalf("web/dist/assets has %d scripts and %d styles: %s", scripts, styles, rebuild)
	}
}

var (
	// src="…" and href="…" in the built HTML
	htmlRef = regexp.MustCompile(`(?i)\b(?:src|href)\s*=\s*"([^"]*)"`)
	// url(…) and @import in CSS
	cssURL    = regexp.MustCompile(`(?i)url\(\s*['"]?([^'")]*)`)
	cssImport = regexp.MustCompile(`(?i)@import\s+(?:url\()?\s*['"]?([^'");\s]*)`)
	// a chunk, worker or font that a script loads: "/assets/x.js", "./x.js", "assets/x.ttf"
	jsRef = regexp.MustCompile(`["'\x60](?:/assets/|\./|assets/)([A-Za-z0-9_.-]+\.(?:js|css|ttf|woff2?))["'\x60]`)
	// any absolute http(s) or protocol-relative URL
	anyURL = regexp.MustCompile(`(?i)(?:https?:)?//[a-z0-9.\-\[\]:]+`)
	// what a script would fetch from elsewhere: imports, workers, fetches of absolute URLs
	jsLoad = regexp.MustCompile(`(?i)(?:\bimport\s*\(?|\bfrom|importScripts\s*\(|new\s+(?:Shared)?Worker\s*\(|\bfetch\s*\(|\.src\s*=)\s*["'\x60](?:https?:)?//`)
	// hosts that serve front-end code and fonts: named nowhere in what we serve
	cdnHost = regexp.MustCompile(`(?i)\b(?:unpkg\.com|cdn\.jsdelivr\.net|esm\.sh|esm\.run|cdnjs\.cloudflare\.com|cdn\.skypack\.dev|ga\.jspm\.io|fonts\.googleapis\.com|fonts\.gstatic\.com|cdn\.graphql\.org|embeddable-sandbox\.cdn\.apollographql\.com)\b`)
)

func localHost(host string) bool {
	h := host
	if u, err := url.Parse("http://" + host); err == nil {
		h = u.Hostname()
	}
	return h == "localhost" || h == "::1" || strings.HasPrefix(h, "127.")
}

// nonLocalURLs lists the absolute URLs in s that point to another host.
func nonLocalURLs(s string) []string {
	var out []string
	for _, m := range anyURL.FindAllString(s, -1) {
		host := m[strings.Index(m, "//")+2:]
		if !localHost(host) {
			out = append(out, m)
		}
	}
	return out
}

// Fetch / and /explore and everything they load, as a browser would, and fail
// on any reference to another host: the pages must work with no internet.
func TestPagesAndAssetsAreLocal(t *testing.T) {
	h := newMux()
	seen := map[string]bool{}
	var queue []string

	for _, p := range []struct{ path, mustLink string }{{"/", "/explore"}, {"/explore", "/"}} {
		rec := serve(t, h, http.MethodGet, p.path)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d: %s", p.path, rec.Code, rebuild)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q", p.path, ct)
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q", p.path, csp)
		}
		body := rec.Body.String()
		if !strings.Contains(body, "/graphql") {
			t.Errorf("GET %s does not name the /graphql endpoint", p.path)
		}
		// The HTML is ours: no absolute URL to another host at all.
		for _, u := range nonLocalURLs(body) {
			t.Errorf("GET %s: URL to another host in the HTML: %s", p.path, u)
		}
		linked := false
		for _, m := range htmlRef.FindAllStringSubmatch(body, -1) {
			ref := m[1]
			switch {
			case ref == p.mustLink:
				linked = true
			case strings.HasPrefix(ref, "/assets/"):
				queue = append(queue, ref)
			}
		}
		if !linked && p.path == "/explore" {
			t.Errorf("GET /explore has no link to the playground (/)")
		}
		if p.path == "/" && !strings.Contains(body, `href="/explore"`) {
			t.Errorf("GET / has no link to the graph page (/explore)")
		}
	}
	if len(queue) == 0 {
		t.Fatalf("the pages load no /assets/ files")
	}

	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		if seen[ref] {
			continue
		}
		seen[ref] = true
		rec := serve(t, h, http.MethodGet, ref)
		if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			t.Errorf("GET %s = %d (%d bytes)", ref, rec.Code, rec.Body.Len())
			continue
		}
		body := rec.Body.String()
		if m := cdnHost.FindString(body); m != "" {
			t.Errorf("%s names a CDN host: %s", ref, m)
		}
		switch path.Ext(ref) {
		case ".css":
			for _, re := range []*regexp.Regexp{cssURL, cssImport} {
				for _, m := range re.FindAllStringSubmatch(body, -1) {
					u := m[1]
					if strings.HasPrefix(u, "data:") || u == "" {
						continue
					}
					if len(nonLocalURLs(u)) > 0 {
						t.Errorf("%s loads from another host: %s", ref, u)
						continue
					}
					queue = append(queue, "/assets/"+path.Base(u))
				}
			}
		case ".js":
			if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, "javascript") {
				t.Errorf("GET %s: Content-Type %q, browsers refuse such a module", ref, ct)
			}
			if m := jsLoad.FindString(body); m != "" {
				t.Errorf("%s loads code from another host: %s", ref, m)
			}
			for _, m := range jsRef.FindAllStringSubmatch(body, -1) {
				queue = append(queue, "/assets/"+m[1])
			}
		}
	}

	// Every built asset is reachable from the two pages (nothing dead
	// is shipped, and the reference walk above covered everything); a
	// compressed form is served in place of its file.
	_ = fs.WalkDir(Files(), "assets", func(p string, d fs.DirEntry, err error) error {
		if strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			return nil
		}
		if err == nil && !d.IsDir() && !seen["/"+p] {
			t.Errorf("/%s is built but not reached from / or /explore", p)
		}
		return nil
	})
}

func TestAssetRoutes(t *testing.T) {
	h := newMux()
	if r := serve(t, h, http.MethodGet, "/assets/"); r.Code != http.StatusNotFound {
		t.Errorf("GET /assets/ = %d, want 404 (no listing)", r.Code)
	}
	if r := serve(t, h, http.MethodGet, "/assets/nope.js"); r.Code != http.StatusNotFound {
		t.Errorf("GET /assets/nope.js = %d, want 404", r.Code)
	}
	if r := serve(t, h, http.MethodGet, "/explore.html"); r.Code != http.StatusNotFound {
		t.Errorf("GET /explore.html = %d, want 404 (only /explore)", r.Code)
	}
	if r := serve(t, h, http.MethodHead, "/explore"); r.Code != http.StatusOK {
		t.Errorf("HEAD /explore = %d", r.Code)
	}
	if r := serve(t, h, http.MethodPost, "/explore"); r.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /explore = %d, want 405", r.Code)
	}
}

func TestNonLocalURLs(t *testing.T) {
	for s, want := range map[string]int{
		`<script src="https://unpkg.com/graphiql"></script>`: 1,
		`<link href="//cdn.example/x.css">`:                  1,
		`<a href="http://127.0.0.1:8080/">`:                  0,
		`<a href="http://localhost/graphql">`:                0,
		`<a href="http://[::1]:8080/">`:                      0,
		`<a href="/explore">`:                                0,
	} {
		if got := len(nonLocalURLs(s)); got != want {
			t.Errorf("nonLocalURLs(%s) = %d, want %d", s, got, want)
		}
	}
	if jsLoad.FindString(`import("https://esm.sh/react")`) == "" || jsLoad.FindString(`new Worker("//cdn.x/w.js")`) == "" {
		t.Errorf("jsLoad misses a remote import or worker")
	}
	if jsLoad.FindString(`e="http://www.w3.org/2000/svg"`) != "" {
		t.Errorf("jsLoad flags an XML namespace string")
	}
}

func serveWith(t *testing.T, h http.Handler, target, acceptEncoding string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// The build writes compressed forms beside the assets; each is served, with
// its Content-Encoding, to a client that accepts it, and the file itself to
// one that does not.
func TestCompressedAssets(t *testing.T) {
	h := newMux()
	files := Files()
	var compressed []string
	_ = fs.WalkDir(files, "assets", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (path.Ext(p) == ".br" || path.Ext(p) == ".gz") {
			compressed = append(compressed, p)
		}
		return err
	})
	var br, gz int
	for _, p := range compressed {
		ext := path.Ext(p)
		base := strings.TrimSuffix(p, ext)
		plain, err := fs.ReadFile(files, base)
		if err != nil {
			t.Errorf("%s has no %s beside it: %s", p, base, rebuild)
			continue
		}
		encoded, _ := fs.ReadFile(files, p)
		if ext == ".br" {
			br++
			rec := serveWith(t, h, "/"+base, "gzip, deflate, br, zstd")
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "br" || !bytes.Equal(rec.Body.Bytes(), encoded) {
				t.Errorf("GET /%s (accepting br) = %d, Content-Encoding %q, %d bytes; want 200, br, the %d bytes of %s",
					base, rec.Code, rec.Header().Get("Content-Encoding"), rec.Body.Len(), len(encoded), p)
			}
		} else {
			gz++
			rec := serveWith(t, h, "/"+base, "gzip")
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
				t.Errorf("GET /%s (accepting gzip) = %d, Content-Encoding %q; want 200, gzip", base, rec.Code, rec.Header().Get("Content-Encoding"))
				continue
			}
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Errorf("GET /%s: not gzip: %v", base, err)
				continue
			}
			got, err := io.ReadAll(zr)
			if err != nil || !bytes.Equal(got, plain) {
				t.Errorf("GET /%s: gunzipped body is not the file (%v)", base, err)
			}
		}
		rec := serveWith(t, h, "/"+base, "")
		if rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), plain) {
			t.Errorf("GET /%s (no Accept-Encoding): Content-Encoding %q, want the file as is", base, rec.Header().Get("Content-Encoding"))
		}
		if v := rec.Header().Get("Vary"); v != "Accept-Encoding" {
			t.Errorf("GET /%s: Vary %q, want Accept-Encoding (caches must keep the forms apart)", base, v)
		}
		if ct := rec.Header().Get("Content-Type"); ct != serveWith(t, h, "/"+base, "br, gzip").Header().Get("Content-Type") {
			t.Errorf("GET /%s: Content-Type differs between the plain (%s) and the compressed form", base, ct)
		}
		if r := serveWith(t, h, "/"+p, "br, gzip"); r.Code != http.StatusNotFound {
			t.Errorf("GET /%s = %d, want 404 (compressed forms are served only in place of their file)", p, r.Code)
		}
	}
	if br == 0 || gz == 0 {
		t.Fatalf("web/dist/assets has %d .br and %d .gz files: %s", br, gz, rebuild)
	}

	// The graph page's script, for Accept-Encoding values as clients send
	// them: the best form accepted, none when nothing is.
	page := serve(t, h, http.MethodGet, "/explore").Body.String()
	script := regexp.MustCompile(`/assets/explore-[A-Za-z0-9_-]+\.js`).FindString(page)
	for ae, want := range map[string]string{
		"gzip, deflate":             "gzip",
		"gzip, deflate, br, zstd":   "br",
		"br;q=0, gzip":              "gzip",
		"*;q=0":                     "",
		"identity":                  "",
		"deflate, *;q=0.5":          "br",
		"GZIP;q=0.8, br;q=0.000001": "br",
	} {
		if got := serveWith(t, h, script, ae).Header().Get("Content-Encoding"); got != want {
			t.Errorf("GET %s with Accept-Encoding %q: Content-Encoding %q, want %q", script, ae, got, want)
		}
	}
}

func TestAccepts(t *testing.T) {
	for _, c := range []struct {
		header, coding string
		want           bool
	}{
		{"", "gzip", false},
		{"gzip", "gzip", true},
		{"gzip, deflate, br", "br", true},
		{"gzip;q=0", "gzip", false},
		{"gzip; q=0.0", "gzip", false},
		{"gzip;q=0.5", "gzip", true},
		{"*", "br", true},
		{"*;q=0", "br", false},
		{"br;q=0, *", "br", false},
		{"*, br;q=0", "br", false},
		{"Br", "br", true},
		{"x-gzip", "gzip", false},
		{"identity", "gzip", false},
	} {
		if got := accepts(c.header, c.coding); got != c.want {
			t.Errorf("accepts(%q, %q) = %v, want %v", c.header, c.coding, got, c.want)
		}
	}
}
