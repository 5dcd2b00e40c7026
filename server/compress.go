package server

import (
	"compress/gzip"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// compressible lists the content types worth compressing: the page, the
// report (mostly its inlined chart library), JSON and CSV.
var compressible = []string{"text/html", "text/css", "text/csv", "text/plain", "application/json", "text/javascript", "application/javascript", "image/svg+xml"}

// minCompress is the smallest response compressed; below it gzip's
// header and the CPU are not worth it.
const minCompress = 1 << 10

var gzipPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }}

// compress gzips responses of compressible types to clients that accept
// gzip. The embedded report is 1.3 MB uncompressed, about a quarter of it
// gzipped; JSON results shrink more.
func compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if !acceptsGzip(r.Header.Get("Accept-Encoding")) || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w}
		defer gw.close()
		next.ServeHTTP(gw, r)
	})
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip
// (not refused with q=0).
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// gzipWriter holds back the status and the first minCompress bytes, then
// decides: a successful response of a compressible type, not already
// encoded and at least minCompress bytes long, is gzipped.
type gzipWriter struct {
	http.ResponseWriter
	decided bool
	gz      *gzip.Writer
	status  int
	buf     []byte
}

func (g *gzipWriter) WriteHeader(code int) {
	if g.decided {
		g.ResponseWriter.WriteHeader(code)
		return
	}
	if g.status == 0 {
		g.status = code
	}
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if !g.decided {
		g.buf = append(g.buf, b...)
		if len(g.buf) < minCompress {
			return len(b), nil
		}
		if err := g.start(true); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	if g.gz != nil {
		return g.gz.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

// start decides, sends the header and what was held back; big says the
// response reached minCompress bytes.
func (g *gzipWriter) start(big bool) error {
	g.decided = true
	h := g.Header()
	ok := big && h.Get("Content-Encoding") == "" && (g.status == 0 || g.status == http.StatusOK)
	if ok {
		ct := h.Get("Content-Type")
		if ct == "" {
			ct = http.DetectContentType(g.buf)
			h.Set("Content-Type", ct)
		}
		ok = slices.ContainsFunc(compressible, func(t string) bool { return strings.HasPrefix(ct, t) })
	}
	if ok {
		h.Del("Content-Length")
		h.Set("Content-Encoding", "gzip")
		gz := gzipPool.Get().(*gzip.Writer)
		gz.Reset(g.ResponseWriter)
		g.gz = gz
	}
	if g.status != 0 {
		g.ResponseWriter.WriteHeader(g.status)
	}
	buf := g.buf
	g.buf = nil
	if len(buf) == 0 {
		return nil
	}
	var err error
	if g.gz != nil {
		_, err = g.gz.Write(buf)
	} else {
		_, err = g.ResponseWriter.Write(buf)
	}
	return err
}

func (g *gzipWriter) close() {
	if !g.decided {
		_ = g.start(false)
	}
	if g.gz != nil {
		_ = g.gz.Close()
		gzipPool.Put(g.gz)
		g.gz = nil
	}
}
