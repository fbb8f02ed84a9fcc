//go:build unix

package workspacefake

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// WaitFree waits until no other process holds the data directory dir of
// a local workspace (Open locks <dir>/workspace/LOCK while the server is
// open: a cycle of `mesa run`, or another command), calling waiting once
// when it has to wait, and gives up when ctx ends (Ctrl-C, SIGTERM). The fake's own
// lock then opens at once, short of a rival taking it in between, which
// only lasts that rival's cycle.
func WaitFree(ctx context.Context, dir string, waiting func()) error {
	path := filepath.Join(dir, "workspace", "LOCK")
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil // a fresh data directory: nobody holds it
	}
	if err != nil {
		return err
	}
	defer f.Close()
	said := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			return fmt.Errorf("lock %s: %w", path, err)
		}
		if !said {
			waiting()
			said = true
		}
		t := time.NewTimer(200 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("stopped while waiting for %s held by another mesa process: %w", dir, ctx.Err())
		case <-t.C:
		}
	}
}
