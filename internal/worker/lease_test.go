package worker_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/worker"
)

func leaseWorkspace(t *testing.T) *backend.Workspace {
	t.Helper()
	ws, err := backend.Local(context.Background(), t.TempDir(), procedure.DefaultQuestions)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

func TestLeaseExcludesSecondInstance(t *testing.T) {
	ctx := context.Background()
	ws := leaseWorkspace(t)
	now := time.Date(2026, 3, 16, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	noWait := func(context.Context, time.Duration) error { return nil }
	a := &worker.Lease{Sheet: ws.Sheets, Owner: "a:1", TTL: 10 * time.Minute, Now: clock, Sleep: noWait}
	b := &worker.Lease{Sheet: ws.Sheets, Owner: "b:2", TTL: 10 * time.Minute, Now: clock, Sleep: noWait}

	if err := a.Acquire(ctx); err != nil {
		t.Fatalf("a: %v", err)
	}
	var held *worker.HeldError
	if err := b.Acquire(ctx); !errors.As(err, &held) || held.Owner != "a:1" || !errors.Is(err, worker.ErrLeaseHeld) {
		t.Fatalf("b while a holds: %v", err)
	}
	if err := a.Acquire(ctx); err != nil {
		t.Errorf("a renewing its own lease: %v", err)
	}
	if err := a.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.Acquire(ctx); err != nil {
		t.Fatalf("b after a released: %v", err)
	}
	if err := a.Release(ctx); err != nil { // not a's: must leave b's alone
		t.Fatal(err)
	}
	if err := a.Acquire(ctx); err == nil {
		t.Fatal("a took b's lease after releasing nothing")
	}
	now = now.Add(11 * time.Minute) // b died without releasing
	if err := a.Acquire(ctx); err != nil {
		t.Errorf("a after b's lease expired: %v", err)
	}
}

// Two instances racing: both write, both read back after the settle
// delay; exactly one sees its own name. Their cycles never overlap.
func TestLeaseRaceHasOneWinner(t *testing.T) {
	ctx := context.Background()
	ws := leaseWorkspace(t)
	w := &worker.Worker{Log: slog.New(slog.DiscardHandler)}
	for round := range 5 {
		// The settle delay ends when both have written (the worst case), or
		// soon if the other saw this one's lease and gave up without writing.
		var wrote atomic.Int32
		both := make(chan struct{})
		settle := func(context.Context, time.Duration) error {
			if wrote.Add(1) == 2 {
				close(both)
			}
			select {
			case <-both:
			case <-time.After(200 * time.Millisecond):
			}
			return nil
		}
		var inside, wins atomic.Int32
		var overlap atomic.Bool
		var done sync.WaitGroup
		for _, owner := range []string{"a", "b"} {
			done.Add(1)
			go func() {
				defer done.Done()
				l := &worker.Lease{Sheet: ws.Sheets, Owner: owner, TTL: time.Minute, Sleep: settle}
				err := w.WithLease(ctx, l, func(context.Context) error {
					if inside.Add(1) > 1 {
						overlap.Store(true)
					}
					wins.Add(1)
					time.Sleep(5 * time.Millisecond)
					inside.Add(-1)
					return nil
				})
				if err != nil && !errors.Is(err, worker.ErrLeaseHeld) {
					t.Error(err)
				}
			}()
		}
		done.Wait()
		if wins.Load() != 1 || overlap.Load() {
			t.Fatalf("round %d: %d winners, overlap %v; want exactly one", round, wins.Load(), overlap.Load())
		}
	}
}
