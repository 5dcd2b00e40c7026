package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gwf-project/gwf/export"
)

// A stored run or Monte Carlo job downloads as the same tables the CLI
// writes (export.RunTables, export.MCTables), built from its stored JSON:
//
//	GET /api/runs/{id}/export             the tables and their links
//	GET /api/runs/{id}/export/{table}.csv one table as CSV
//	GET /api/runs/{id}/export/{table}.parquet
//	GET /api/runs/{id}/export.xlsx        every table in one workbook
//
// and the same under /api/mc/{id}.

// download is one table's links, as GET …/export lists them.
type download struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Rows    int    `json:"rows"`
	CSV     string `json:"csv"`
	Parquet string `json:"parquet"`
}

// errNoResult is returned for a job that has no result (yet).
var errNoResult = badInput("this job has no result to download yet")

// runTables loads a stored run's tables and workbook.
func (s *Server) runTables(w http.ResponseWriter, r *http.Request) (string, []*export.Table, func() *export.Workbook, bool) {
	run := s.loadRun(w, r)
	if run == nil {
		return "", nil, nil, false
	}
	var doc export.Run
	if err := json.Unmarshal(run.Result, &doc); err != nil {
		s.fail(w, r, fmt.Errorf("run %d: stored result: %w", run.ID, err))
		return "", nil, nil, false
	}
	base := "/api/runs/" + strconv.FormatInt(run.ID, 10)
	return base, export.RunTables(&doc), func() *export.Workbook { return export.RunWorkbook(&doc, "") }, true
}

// jobTables loads a stored Monte Carlo job's tables and workbook.
func (s *Server) jobTables(w http.ResponseWriter, r *http.Request) (string, []*export.Table, func() *export.Workbook, bool) {
	rec := s.loadJob(w, r)
	if rec == nil {
		return "", nil, nil, false
	}
	var doc export.MC
	if len(rec.Result) == 0 {
		s.fail(w, r, errNoResult)
		return "", nil, nil, false
	}
	if err := json.Unmarshal(rec.Result, &doc); err != nil || doc.Weekly == nil {
		s.fail(w, r, badInput("this job's result was stored by an older gwf and has no tables; run the study again"))
		return "", nil, nil, false
	}
	base := "/api/mc/" + strconv.FormatInt(rec.ID, 10)
	return base, export.MCTables(&doc), func() *export.Workbook { return export.MCWorkbook(&doc, "") }, true
}

type tablesFunc func(http.ResponseWriter, *http.Request) (string, []*export.Table, func() *export.Workbook, bool)

// listDownloads answers GET …/export.
func (s *Server) listDownloads(load tablesFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		base, tables, _, ok := load(w, r)
		if !ok {
			return
		}
		out := struct {
			Tables []download `json:"tables"`
			XLSX   string     `json:"xlsx"`
		}{Tables: []download{}, XLSX: base + "/export.xlsx"}
		for _, t := range tables {
			out.Tables = append(out.Tables, download{Name: t.Name, Title: t.Title, Rows: len(t.Rows),
				CSV: base + "/export/" + t.Name + ".csv", Parquet: base + "/export/" + t.Name + export.ParquetExt})
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// downloadTable answers GET …/export/{file}: a table as CSV or Parquet.
func (s *Server) downloadTable(load tablesFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		file := r.PathValue("file")
		name, ext, _ := strings.Cut(file, ".")
		var write func(io.Writer, *export.Table) error
		var ctype string
		switch ext {
		case "csv":
			write, ctype = export.WriteTableCSV, "text/csv; charset=utf-8"
		case "parquet":
			write, ctype = export.WriteParquet, "application/vnd.apache.parquet"
		default:
			s.fail(w, r, badInput("%s: want TABLE.csv or TABLE.parquet", file))
			return
		}
		base, tables, _, ok := load(w, r)
		if !ok {
			return
		}
		for _, t := range tables {
			if t.Name == name {
				s.sendFile(w, r, downloadName(base, file), ctype, func(b io.Writer) error { return write(b, t) })
				return
			}
		}
		s.fail(w, r, fmt.Errorf("table %q: %w", name, errNoRoute))
	}
}

// downloadXLSX answers GET …/export.xlsx.
func (s *Server) downloadXLSX(load tablesFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		base, _, wb, ok := load(w, r)
		if !ok {
			return
		}
		s.sendFile(w, r, downloadName(base, "tables.xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			func(b io.Writer) error { return export.WriteXLSX(b, wb()) })
	}
}

// downloadName is the file a browser saves: "gwf-run-7-weekly.csv".
func downloadName(base, file string) string {
	parts := strings.Split(strings.TrimPrefix(base, "/api/"), "/")
	kind := strings.TrimSuffix(parts[0], "s")
	return "gwf-" + kind + "-" + parts[len(parts)-1] + "-" + file
}

// sendFile renders a download completely before answering, so a failure
// is an error response rather than half a file.
func (s *Server) sendFile(w http.ResponseWriter, r *http.Request, name, ctype string, write func(io.Writer) error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.Write(b.Bytes())
}
