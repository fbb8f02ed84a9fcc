//go:build unix

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// waitDataDir waits until no other process holds the local backend's data
// directory (workspacefake locks <dir>/workspace/LOCK while it is open: a
// cycle of `mesa run`, or another command), saying once on errOut what it
// waits for, and gives up when ctx ends (Ctrl-C, SIGTERM). The fake's own
// lock then opens at once, short of a rival taking it in between, which
// only lasts that rival's cycle.
func waitDataDir(ctx context.Context, dir string, errOut io.Writer) error {
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
			fmt.Fprintf(errOut, "esperando: otro proceso de mesa (mesa run durante un ciclo, u otro comando) está usando %s; sigue en cuanto termine (Ctrl-C cancela)\n", dir)
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
