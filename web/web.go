// Package web serves vetgraph's browser pages from files embedded into the
// binary: the GraphQL playground (GraphiQL) at / and the graph page at
// /explore, with their scripts, styles and fonts under /assets/.
//
// The files in dist/ are built from src/ by `npm ci && npm run build` (Vite,
// packages pinned by package-lock.json) and committed, so `go build` needs no
// Node; `npm run check-build` tells whether dist/ is what src/ builds to.
// Nothing is loaded from another host: the pages work with no internet.
package web

import (
	"embed"
	"io/fs"
	"net/http"
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

func assets(files fs.FS) http.Handler {
	fileServer := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") { // no directory listings
			http.NotFound(w, r)
			return
		}
		// Names carry a content hash, so a file never changes under its name.
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fileServer.ServeHTTP(w, r)
	})
}
