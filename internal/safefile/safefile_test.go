package safefile_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gwf-project/gwf/internal/safefile"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteFileThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.html")
	os.WriteFile(real, []byte("old"), 0o600)
	link := filepath.Join(dir, "link.html")
	if err := os.Symlink("real.html", link); err != nil {
		t.Fatal(err)
	}
	if err := safefile.WriteFile(link, writeString("new")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", st, err)
	}
	if got := read(t, real); got != "new" {
		t.Errorf("target = %q, want new", got)
	}
	if st, _ := os.Stat(real); st.Mode().Perm() != 0o600 {
		t.Errorf("target mode = %v, want 0600 kept", st.Mode().Perm())
	}
	// A link to a file not there yet creates the file.
	dangling := filepath.Join(dir, "dangling")
	os.Symlink(filepath.Join(dir, "later.csv"), dangling)
	if err := safefile.WriteFile(dangling, writeString("x")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "later.csv")); got != "x" {
		t.Errorf("dangling link target = %q", got)
	}
}

func TestWriteFileRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	linkToDev := filepath.Join(dir, "null-link")
	os.Symlink("/dev/null", linkToDev)
	for _, p := range []string{dir, "/dev/null", fifo, linkToDev} {
		err := safefile.WriteFile(p, writeString("x"))
		if !errors.Is(err, safefile.ErrNotRegular) || !strings.Contains(err.Error(), p) {
			t.Errorf("WriteFile(%s) = %v, want ErrNotRegular naming it", p, err)
		}
	}
	if st, err := os.Stat("/dev/null"); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a device: %v %v", st, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestWriteFileFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.html")
	os.WriteFile(p, []byte("keep"), 0o644)
	err := safefile.WriteFile(p, func(w io.Writer) error { io.WriteString(w, "half"); return errors.New("boom") })
	if err == nil {
		t.Fatal("no error")
	}
	if got := read(t, p); got != "keep" {
		t.Errorf("file = %q after a failed write, want it untouched", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	os.WriteFile(big, make([]byte, 2000), 0o644)
	ok := filepath.Join(dir, "ok.yaml")
	os.WriteFile(ok, []byte("name: x\n"), 0o644)
	for _, tt := range []struct {
		path string
		want error
	}{
		{"/dev/zero", safefile.ErrNotRegular},
		{fifo, safefile.ErrNotRegular},
		{dir, safefile.ErrNotRegular},
		{big, safefile.ErrTooLarge},
		{filepath.Join(dir, "none"), os.ErrNotExist},
		{ok, nil},
	} {
		done := make(chan error, 1)
		go func() { _, err := safefile.ReadFile(tt.path, 1000); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("ReadFile(%s) = %v, want %v", tt.path, err, tt.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("ReadFile(%s) blocked", tt.path)
		}
	}
}
