// Package safefile reads and writes the files a user names on the command
// line without surprises: a read never blocks on a pipe or device nor
// loads more than a limit, and a write replaces its file in one rename,
// through a symbolic link to the file it points at, and never replaces
// something that is not a regular file (a device node, a directory).
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// ErrNotRegular is returned (wrapped) for a path that names a directory,
// device, pipe or socket where a regular file is wanted.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is returned (wrapped) for a file larger than a read's limit.
var ErrTooLarge = errors.New("file too large")

// kind names a non-regular file's type for messages.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	default:
		return "not a regular file"
	}
}

// ReadFile reads the regular file at path, refusing anything else (before
// opening it, so a named pipe cannot block) and any file over max bytes
// (before reading it, so /dev/zero or a huge file cannot exhaust memory).
func ReadFile(path string, max int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: it is %s (want a scenario file)", ErrNotRegular, kind(st.Mode()))}
	}
	if st.Size() > max {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w (got %d bytes, want at most %d)", ErrTooLarge, st.Size(), max)}
	}
	// O_NONBLOCK: should the path have become a pipe since the Stat, the
	// open returns at once instead of waiting for a writer.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: it is %s (want a scenario file)", ErrNotRegular, kind(st.Mode()))}
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w (got more than %d bytes)", ErrTooLarge, max)}
	}
	return b, nil
}

// maxLinks bounds the symbolic links followed, as the kernel does.
const maxLinks = 40

// target follows path through symbolic links (even to a file that does not
// exist yet) and returns the path to write and what is there now (nil if
// nothing).
func target(path string) (string, fs.FileInfo, error) {
	for range maxLinks {
		st, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil, nil
		}
		if err != nil {
			return "", nil, err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			return path, st, nil
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", nil, err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", nil, &fs.PathError{Op: "write", Path: path, Err: errors.New("too many symbolic links")}
}

// WriteFile writes path through a temporary file in the directory of the
// file it names, renamed into place only when write has succeeded, so a
// failure never leaves a partial file. A symbolic link is written through:
// its target is replaced and the link kept. A path naming a directory,
// device, pipe or socket is refused with ErrNotRegular and left as it is.
// A new file gets mode 0644; a replaced one keeps its permissions.
func WriteFile(path string, write func(io.Writer) error) error {
	dest, st, err := target(path)
	if err != nil {
		return err
	}
	if st != nil && !st.Mode().IsRegular() {
		what := path
		if dest != path {
			what = fmt.Sprintf("%s (→ %s)", path, dest)
		}
		return &fs.PathError{Op: "write", Path: what, Err: fmt.Errorf("%w: it is %s, which gwf will not replace (want a new or regular file path)", ErrNotRegular, kind(st.Mode()))}
	}
	perm := fs.FileMode(0o644)
	if st != nil {
		perm = st.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op after a successful rename
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, perm); err != nil {
		return err
	}
	return os.Rename(tmp, dest)
}
