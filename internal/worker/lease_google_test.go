//go:build google

package worker_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/worker"
)

// The lease on a real workbook, with the real settle delay: one instance
// holds it, the other is refused, and the release frees it.
func TestGoogleLease(t *testing.T) {
	id, creds := os.Getenv("MESA_TEST_SPREADSHEET"), os.Getenv("MESA_TEST_CREDENTIALS")
	if id == "" || creds == "" {
		t.Skip("MESA_TEST_SPREADSHEET and MESA_TEST_CREDENTIALS are not set (see docs/production.md)")
	}
	ctx := context.Background()
	ws, err := backend.Google{Auth: os.Getenv("MESA_TEST_AUTH"), Credentials: creds, Token: os.Getenv("MESA_TEST_TOKEN"),
		Subject: os.Getenv("MESA_TEST_SUBJECT"), Spreadsheet: id}.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := &worker.Lease{Sheet: ws.Sheets, Owner: "test-a", TTL: time.Minute, Settle: 2 * time.Second}
	b := &worker.Lease{Sheet: ws.Sheets, Owner: "test-b", TTL: time.Minute, Settle: 2 * time.Second}
	if err := a.Acquire(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.Acquire(ctx); !errors.Is(err, worker.ErrLeaseHeld) {
		t.Errorf("b while a holds: %v", err)
	}
	if err := a.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.Acquire(ctx); err != nil {
		t.Errorf("b after release: %v", err)
	}
	_ = b.Release(ctx)
}
