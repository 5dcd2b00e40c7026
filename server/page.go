package server

import (
	"bytes"
	"embed"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"sync"

	"github.com/gwf-project/gwf/internal/version"
	"github.com/gwf-project/gwf/report"
	"github.com/gwf-project/gwf/scenario"
)

//go:embed web
var webFS embed.FS

var pageTemplate = template.Must(template.ParseFS(webFS, "web/index.html"))

func staticFS() fs.FS {
	sub, err := fs.Sub(webFS, "web/static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

func reportHTML(w io.Writer, out *outcome) error {
	return report.HTML(w, out.sc, out.res, out.sum)
}

// referencePage is what the page shows of the embedded reference.
type referencePage struct {
	keys     []keyNumber
	targetBy string
}

// referenceOnce loads the embedded reference for the page once: it is the
// same for the life of the binary, and loading it (decoding and validating
// it, once scenario has parsed its YAML) costs more than the rest of the
// page.
var referenceOnce = sync.OnceValues(func() (referencePage, error) {
	ref, err := scenario.Reference()
	if err != nil {
		return referencePage{}, err
	}
	return referencePage{keys: keysOf(ref), targetBy: ref.Target.By.String()}, nil
})

// page serves the app: the scenarios and runs known when it loads are
// rendered on the server; the script then keeps them current through the
// JSON API.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	scenarios, err := s.store.Scenarios(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	runs, err := s.runsPage(r.Context(), 0, min(defaultListed, s.cfg.MaxListed))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ref, err := referenceOnce()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	err = pageTemplate.Execute(&buf, map[string]any{
		"Version":   version.Version,
		"Scenarios": scenarios,
		"Runs":      runs,
		"Keys":      ref.keys,
		"TargetBy":  ref.targetBy,
		"Assets":    assetsOnce().url,
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}
