package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/gwf-project/gwf/export"
)

// tableOutputs are the machine forms of a result's tables a command
// writes besides its text: --parquet DIR and --xlsx FILE.
type tableOutputs struct {
	parquetDir string
	xlsxPath   string
}

func (o *tableOutputs) addFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.parquetDir, "parquet", "", "write the result's tables as Parquet files into `DIR` (created if missing; see docs/outputs.md)")
	cmd.Flags().StringVar(&o.xlsxPath, "xlsx", "", "write the result as an Excel workbook to `FILE`: a summary sheet, a sheet per table and a chart")
}

// any reports whether any table output was asked for.
func (o *tableOutputs) any() bool { return o.parquetDir != "" || o.xlsxPath != "" }

// check refuses output paths that cannot be written before any work is
// done: a --parquet that is a file, an --xlsx that is a directory or in
// a directory that does not exist (exit code 2).
func (o *tableOutputs) check() error {
	if d := o.parquetDir; d != "" {
		if st, err := os.Stat(d); err == nil && !st.IsDir() {
			return usageError{fmt.Errorf("--parquet %s: not a directory", d)}
		}
	}
	if p := o.xlsxPath; p != "" {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return usageError{fmt.Errorf("--xlsx %s: is a directory (want a file path)", p)}
		}
		if st, err := os.Stat(filepath.Dir(p)); err != nil || !st.IsDir() {
			return usageError{fmt.Errorf("--xlsx %s: no directory %s to write it in", p, filepath.Dir(p))}
		}
	}
	return nil
}

// write writes the tables as Parquet files and the workbook, each file
// atomically. workbook is called only when --xlsx is set.
func (o *tableOutputs) write(tables []*export.Table, workbook func() *export.Workbook) error {
	if d := o.parquetDir; d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return usageError{fmt.Errorf("--parquet %s: cannot create the directory: %w", d, errors.Unwrap(err))}
		}
		for _, t := range tables {
			path := filepath.Join(d, t.Name+export.ParquetExt)
			if err := writeFileAtomic(path, func(w io.Writer) error { return export.WriteParquet(w, t) }); err != nil {
				return err
			}
		}
	}
	if p := o.xlsxPath; p != "" {
		wb := workbook()
		if err := writeFileAtomic(p, func(w io.Writer) error { return export.WriteXLSX(w, wb) }); err != nil {
			return err
		}
	}
	return nil
}
