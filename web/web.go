// Package web serves vetgraph's browser pages from files embedded into the
// binary: the GraphQL playground (GraphiQL) at / and the graph page at
// /explore, with their scripts, styles and fonts under /assets/.
//
// The files in dist/ are built from src/ by `npm ci && npm run build` (Vite,
// packages pinned by package-lock.json) and committed, so `go build` needs no
// Node; `npm run check-build` tells whether dist/ is what src/ builds to.
// Nothing is loaded from another host: the pages work with no internet.
//
// The build also writes each compressible asset compressed beside it
// (name.br, brotli; name.gz, gzip): a client that accepts either gets that
// file's bytes with Content-Encoding, so nothing is compressed per request.
package web

import (
	"bytes"
	"embed"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// Files returns the built files, rooted at dist/.
func Files() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // cannot happen: dist is embedded
	}
	return sub
}

// ContentSecurityPolicy is sent with both pages. The browser itself refuses
// anything from another host; Monaco (GraphiQL's editor) sets inline styles
// and loads its workers and fonts from /assets/.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Register adds the pages and their assets to mux:
//
//	GET /          the GraphQL playground, with example queries
//	GET /explore   the graph page
//	GET /assets/   hashed scripts, styles, fonts (cached for a year)
func Register(mux *http.ServeMux) {
	files := Files()
	mux.Handle("GET /{$}", page(files, "playground.html"))
	mux.Handle("GET /explore", page(files, "explore.html"))
	mux.Handle("GET /assets/", assets(files))
}

func page(files fs.FS, name string) http.Handler {
	body, err := fs.ReadFile(files, name)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err != nil {
			http.Error(w, "page not built: run `cd web && npm ci && npm run build`", http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		_, _ = w.Write(body)
	})
}

// encodings are the precompressed forms the build writes, best first:
// the suffix of the file and the Content-Encoding it is sent with.
var encodings = []struct{ suffix, name string }{{".br", "br"}, {".gz", "gzip"}}

func assets(files fs.FS) http.Handler {
	fileServer := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		// No directory listings, and the compressed forms only as such.
		if strings.HasSuffix(p, "/") || strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		// Names carry a content hash, so a file never changes under its name.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("X-Content-Type-Options", "nosniff")
		name := strings.TrimPrefix(path.Clean(p), "/")
		var compressed bool
		for _, e := range encodings {
			if _, err := fs.Stat(files, name+e.suffix); err == nil {
				compressed = true
				if accepts(r.Header.Get("Accept-Encoding"), e.name) {
					serveEncoded(w, r, files, name, e.suffix, e.name)
					return
				}
			}
		}
		if compressed {
			h.Add("Vary", "Accept-Encoding")
		}
		fileServer.ServeHTTP(w, r)
	})
}

// serveEncoded sends name+suffix as name's content, encoded.
func serveEncoded(w http.ResponseWriter, r *http.Request, files fs.FS, name, suffix, encoding string) {
	f, err := files.Open(name + suffix)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, "cannot read "+name, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	h.Set("Content-Type", ctype)
	h.Set("Content-Encoding", encoding)
	h.Add("Vary", "Accept-Encoding")
	rs, ok := f.(io.ReadSeeker) // embed.FS files are
	if !ok {
		b, err := io.ReadAll(f)
		if err != nil {
			http.Error(w, "cannot read "+name, http.StatusInternalServerError)
			return
		}
		rs = bytes.NewReader(b)
	}
	http.ServeContent(w, r, name, st.ModTime(), rs)
}

// accepts tells whether an Accept-Encoding header value accepts coding:
// named (or "*") with a quality above 0 (RFC 9110, section 12.5.3).
func accepts(header, coding string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != coding && name != "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		if name == coding {
			return q > 0
		}
		star = q > 0
	}
	return star
}
