package server

import (
	"errors"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// A page on another site must not drive this server from a visitor's
// browser. Three checks stop it, before any handler runs:
//
//   - Host: the name the browser asked for must be one the server answers
//     to (loopback names, plus Config.AllowedHosts). A rebound DNS name
//     pointing at 127.0.0.1 arrives with the attacker's name and is refused.
//   - Origin: a request that changes state and says where it comes from
//     must come from this server's own origin (or an allowed host); one that
//     says nothing must not be marked cross-site by Sec-Fetch-Site.
//   - Content-Type: a body must be declared JSON. Browsers send text/plain,
//     form and multipart bodies across sites without asking first; JSON
//     needs a CORS preflight, which this server never grants.

// loopbackHosts are the names a server on loopback always answers to.
var loopbackHosts = []string{"localhost", "127.0.0.1", "::1"}

// hostAllowed reports whether hostport (a Host header, or an Origin's host)
// names this server.
func (s *Server) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(strings.ToLower(host), "[]"), ".")
	if host == "" {
		return false
	}
	for _, a := range s.cfg.AllowedHosts {
		if a == "*" || strings.EqualFold(a, host) {
			return true
		}
	}
	for _, a := range loopbackHosts {
		if host == a {
			return true
		}
	}
	return strings.HasSuffix(host, ".localhost")
}

// safeMethod reports whether m only reads.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// guard refuses requests a hostile page could make (see above) and sets
// the security headers of every answer.
func (s *Server) guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("X-Frame-Options", "SAMEORIGIN")
		hdr.Set("Referrer-Policy", "no-referrer")
		hdr.Set("Cross-Origin-Opener-Policy", "same-origin")
		hdr.Set("Cross-Origin-Resource-Policy", "same-origin")
		hdr.Set("Content-Security-Policy", appCSP)
		if !s.hostAllowed(r.Host) {
			writeJSON(w, http.StatusMisdirectedRequest, apiError{Error: "host " + quoteShort(r.Host) + " is not one this server answers to (want localhost, 127.0.0.1 or a name given to gwf serve --allow-host)"})
			return
		}
		if !safeMethod(r.Method) {
			if err := s.checkOrigin(r); err != nil {
				writeJSON(w, http.StatusForbidden, apiError{Error: err.Error()})
				return
			}
			if err := checkContentType(r); err != nil {
				writeJSON(w, http.StatusUnsupportedMediaType, apiError{Error: err.Error()})
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// appCSP allows the app's own files only; inline styles are allowed for
// the report's charts, inline scripts are not.
const appCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"

// reportCSP is the report's: it is one self-contained file whose scripts
// and styles are inline, and it may fetch nothing.
const reportCSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

func (s *Server) checkOrigin(r *http.Request) error {
	origin := r.Header.Get("Origin")
	if origin == "" {
		if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
			return errors.New("cross-site request refused: use the app's own page or a client such as curl")
		}
		return nil
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return errors.New("origin " + quoteShort(origin) + " refused: state-changing requests must come from this server's own page")
	}
	if strings.EqualFold(u.Host, r.Host) {
		return nil
	}
	// Another port on this machine is another site; only hosts named
	// explicitly in Config.AllowedHosts may send from elsewhere.
	origHost := strings.ToLower(u.Hostname())
	for _, a := range s.cfg.AllowedHosts {
		if a != "*" && strings.EqualFold(a, origHost) {
			return nil
		}
	}
	return errors.New("origin " + quoteShort(origin) + " refused: state-changing requests must come from this server's own page")
}

func checkContentType(r *http.Request) error {
	if r.ContentLength == 0 && r.Header.Get("Content-Type") == "" {
		return nil // no body (DELETE, or POST {} sent empty is refused by decode)
	}
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json")) {
		return nil
	}
	if ct == "" {
		ct = "none"
	}
	return errors.New("content type " + quoteShort(ct) + " refused: send the body as application/json")
}

// quoteShort quotes s, cut to a short excerpt: a hostile header must not
// fill the log or the answer.
func quoteShort(s string) string {
	const max = 80
	if len(s) > max {
		s = s[:max] + "…"
	}
	return `"` + strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return '?'
		}
		return r
	}, s) + `"`
}

// staticFiles serves the embedded static files, with no directory listings:
// a directory (or a path ending in "/") is a 404.
func staticFiles(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if p == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		if st, err := fs.Stat(fsys, p); err != nil || st.IsDir() {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
