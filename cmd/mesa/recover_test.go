package main

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// keys are the keys of tab's rows about the cases in of (all if nil).
func keys(t *testing.T, ctx context.Context, sh archive.Sheet, tab workbook.Tab, of []string) []string {
	vals, err := sh.Read(ctx, []string{tab.Name})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range workbook.NewTable(tab, vals[0]).Records() {
		if of == nil || slices.Contains(of, r.Get("Caso")) {
			out = append(out, r.Get(tab.Key))
		}
	}
	return out
}

// interruptedArchive archives 2025 of a fresh office in data and kills the
// run right after a deletion that a person's sort made take other rows (the
// open cases' Casos rows, journal rows). It returns the app, the open
// cases and the keys of their journal rows before the deletion.
func interruptedArchive(t *testing.T, data string, at time.Time) (a *app, open, journal []string) {
	t.Helper()
	archiveYear(t, []string{"--data", data})
	env := []string{"MESA_DATA=" + data, "MESA_SCHEDULE_SYNC=*/5 6-20 * * *"}
	a = newApp(io.Discard, io.Discard, env)
	if err := a.init(); err != nil {
		t.Fatal(err)
	}
	err := a.withWorker(context.Background(), func(ws *backend.Workspace, w *worker.Worker) error {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		bk, _, err := w.BookWith(ctx, at, nil)
		if err != nil {
			return err
		}
		for _, c := range bk.Cases() {
			if c.Open() {
				open = append(open, strconv.Itoa(c.Number))
			}
		}
		d := a.archiveDeps(ws, w)
		d.Step = func(name string) {
			if name != "recorded" {
				return
			}
			journal = keys(t, ctx, ws.Sheets, workbook.Historial, open)
			for _, tab := range []string{workbook.Casos.Name, workbook.Historial.Name} {
				if err := ws.Fake.EditRows(ws.Sheets.ID(), tab, func(rows [][]any) [][]any { slices.Reverse(rows); return rows }); err != nil {
					t.Error(err)
				}
			}
			var deleted atomic.Bool
			ws.Fake.SetFault(func(_ *http.Request, method string) *workspacefake.Fault {
				if deleted.Load() {
					cancel() // the process dies: nothing more reaches Google
				}
				if method == "sheets.batchUpdate" {
					deleted.Store(true)
				}
				return nil
			})
		}
		_, err = archive.Run(ctx, d, archive.Request{Year: 2025, Now: at})
		ws.Fake.SetFault(nil)
		if err == nil {
			t.Error("the archive run finished though it was cut after its deletion")
		}
		// The deletion took rows it did not mean to (else this test shows
		// nothing).
		if hist := keys(t, context.Background(), ws.Sheets, workbook.Historial, open); len(hist) == len(journal) {
			t.Fatalf("the sorted deletion took no journal row of an open case")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(open) == 0 || len(journal) == 0 {
		t.Fatalf("open cases %v, journal %d rows", open, len(journal))
	}
	return a, open, journal
}

// `mesa run` writes back, from the archive's recovery record, the rows an
// interrupted archive run took by mistake, before its first cycle.
func TestRunFinishesAnInterruptedArchive(t *testing.T) {
	at := time.Date(2026, 2, 2, 9, 0, 0, 0, time.FixedZone("COT", -5*3600))
	a, open, journal := interruptedArchive(t, t.TempDir(), at)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	synced := make(chan struct{})
	go func() {
		done <- a.run(ctx, &runHooks{now: func() time.Time { return at.Add(time.Hour) }, ready: func(_ string, d *daemon) {
			go func() {
				for d.m.LastOK().IsZero() {
					time.Sleep(10 * time.Millisecond)
				}
				close(synced)
			}()
		}})
	}()
	select {
	case <-synced:
	case err := <-done:
		t.Fatalf("run: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("no successful sync")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	mendedArchive(t, a, open, journal, "mesa run's first cycle")
}

// A deployment with no `mesa run` (cron or Cloud Run jobs of mesa sync and
// the nightly mesa reconcile) mends it at its next sync (the deletion
// changed the workbook: that cycle is not idle), or its reconcile.
func TestSyncAndReconcileFinishAnInterruptedArchive(t *testing.T) {
	at := time.Date(2026, 2, 2, 9, 0, 0, 0, time.FixedZone("COT", -5*3600))
	for _, cmd := range []string{"sync", "reconcile"} {
		data := t.TempDir()
		a, open, journal := interruptedArchive(t, data, at)
		must(t, nil, "--data", data, "--now", at.Add(time.Hour).Format(time.RFC3339), cmd)
		mendedArchive(t, a, open, journal, "mesa "+cmd)
	}
}

// mendedArchive checks that the interrupted archive's recovery record is
// gone and every open case's Casos row and journal rows are live again.
func mendedArchive(t *testing.T, a *app, open, journal []string, after string) {
	t.Helper()
	err := a.withWorker(context.Background(), func(ws *backend.Workspace, w *worker.Worker) error {
		ctx := context.Background()
		infos, err := archive.Archives(ctx, a.archiveDeps(ws, w))
		if err != nil || len(infos) != 1 || infos[0].Recovery {
			t.Errorf("archives after %s (want one, without a recovery record): %+v, %v", after, infos, err)
		}
		casos := keys(t, ctx, ws.Sheets, workbook.Casos, nil)
		for _, n := range open {
			if !slices.Contains(casos, n) {
				t.Errorf("open case %s has no live Casos row after "+after+"", n)
			}
		}
		hist := keys(t, ctx, ws.Sheets, workbook.Historial, open)
		for _, k := range journal {
			if !slices.Contains(hist, k) {
				t.Errorf("journal row %s of an open case is not live after "+after+"", k)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
