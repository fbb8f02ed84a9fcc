//go:build !unix

package workspacefake

import (
	"os"
	"path/filepath"
)

// lockDir on systems without flock only opens the file: mesa runs on Linux,
// and there two servers on one directory are prevented.
func lockDir(dir string) (*os.File, error) {
	return os.OpenFile(filepath.Join(dir, "LOCK"), os.O_CREATE|os.O_RDWR, 0o644)
}

func unlockDir(f *os.File) error { return f.Close() }
