package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strconv"
	"sync"

	"github.com/gwf-project/gwf/report"
)

// versioned is a file served under a name that carries a hash of its
// content, so a browser may keep it for a year without asking again: a new
// gwf with a new library serves it under a new name. The chart library is
// 1.1 MB; served this way it crosses the wire once (gzipped to about a
// third), not inside every report a what-if loads.
type versioned struct {
	name  string // e.g. "echarts.3f2a9c01b2d4.js"
	ctype string
	plain []byte
	gz    []byte // compressed once, at first use
	etag  string
}

// versionedFiles are the app's files with hashed names, by name.
type versionedFiles struct {
	byName map[string]*versioned
	// URL of each by role: "echarts", "charts", "app.js", "app.css".
	url map[string]string
}

var assetsOnce = sync.OnceValue(func() *versionedFiles {
	v := &versionedFiles{byName: map[string]*versioned{}, url: map[string]string{}}
	add := func(role, base, ext, ctype string, b []byte, hash string) {
		f := &versioned{name: base + "." + hash + ext, ctype: ctype, plain: b, etag: `"` + hash + `"`}
		var buf bytes.Buffer
		gz, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		gz.Write(b)
		gz.Close()
		f.gz = buf.Bytes()
		v.byName[f.name] = f
		v.url[role] = "/static/v/" + f.name
	}
	lib, h := report.ChartLibrary()
	add("echarts", "echarts", ".js", "text/javascript; charset=utf-8", lib, h)
	js, h := report.ChartScript()
	add("charts", "report-charts", ".js", "text/javascript; charset=utf-8", js, h)
	for _, f := range []struct{ role, base, ext, ctype string }{
		{"app.js", "app", ".js", "text/javascript; charset=utf-8"},
		{"app.css", "app", ".css", "text/css; charset=utf-8"},
	} {
		b, err := fs.ReadFile(staticFS(), f.role)
		if err != nil {
			panic(err) // embedded at build time
		}
		sum := sha256.Sum256(b)
		add(f.role, f.base, f.ext, f.ctype, b, hex.EncodeToString(sum[:6]))
	}
	return v
})

// serveVersioned serves GET /static/v/{file}: immutable, gzipped ahead of
// time for clients that accept it.
func serveVersioned(w http.ResponseWriter, r *http.Request) {
	f, ok := assetsOnce().byName[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", f.etag)
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.plain
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}
