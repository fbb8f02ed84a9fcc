package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/workspacefake"
)

// mesa run against the fake: it syncs at start-up, serves /healthz and
// /metrics, turns unhealthy when syncs stop succeeding, and exits cleanly
// on cancel (SIGTERM).
func TestRunServesHealthAndMetricsAndStops(t *testing.T) {
	env := []string{"MESA_DATA=" + t.TempDir(), "MESA_SERVER_LISTEN=127.0.0.1:0", "MESA_LEASE_SETTLE=10ms",
		"MESA_LOG_FORMAT=json", "MESA_SCHEDULE_SYNC=*/5 6-20 * * *"}
	var logs bytes.Buffer
	a := newApp(io.Discard, &syncWriter{w: &logs}, env)
	if err := a.init(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := time.Date(2026, 3, 16, 10, 0, 0, 0, time.FixedZone("COT", -5*3600))
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- a.run(ctx, &runHooks{now: clock, ready: func(addr string, _ *daemon) { ready <- addr }})
	}()
	var base string
	select {
	case addr := <-ready:
		base = "http://" + addr
	case err := <-done:
		t.Fatalf("run: %v", err)
	}
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, body := get("/metrics")
		if strings.Contains(body, `mesa_cycles_total{job="sync",outcome="ok"} 1`) {
			for _, want := range []string{`mesa_api_calls_total{service="sheets",status="200"}`, `mesa_api_calls_total{service="forms",status="200"}`,
				"mesa_last_success_timestamp_seconds 1.7736",                /* 2026-03-16, the test clock */
				"mesa_workbook_cell_limit 1e+07", "\nmesa_workbook_cells 1", /* ~1xx,000 cells: the tabs' grids */
			} {
				if !strings.Contains(body, want) {
					t.Errorf("/metrics lacks %s:\n%s", want, body)
				}
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no successful sync in /metrics:\n%s", body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, body := get("/healthz"); code != http.StatusOK || !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("/healthz = %d %s", code, body)
	}
	mu.Lock()
	now = now.Add(time.Hour) // twelve syncs due and none succeeded
	mu.Unlock()
	if code, body := get("/healthz"); code != http.StatusServiceUnavailable || !strings.Contains(body, `"missed_syncs":12`) {
		t.Errorf("/healthz an hour later = %d %s", code, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
	if !strings.Contains(logs.String(), `"msg":"mesa run stopped"`) {
		t.Errorf("logs are not JSON or lack the stop line:\n%s", logs.String())
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// Issue 14 item 5: on the local backend other commands work beside a
// running daemon (it holds the data directory only during a cycle), and a
// command that must wait says what for and stops on Ctrl-C / SIGTERM.
func TestCommandsBesideRunningDaemon(t *testing.T) {
	data := t.TempDir()
	env := []string{"MESA_DATA=" + data, "MESA_SERVER_LISTEN=", "MESA_SCHEDULE_SYNC=*/5 6-20 * * *"}
	must(t, env, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))
	a := newApp(io.Discard, io.Discard, env)
	if err := a.init(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- a.run(ctx, &runHooks{ready: func(string, *daemon) { close(ready) }})
	}()
	<-ready
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		must(t, env, "import", "responses", "--form", "solicitudes", testdata("forms/solicitudes.csv"))
		must(t, env, "--now", "2026-03-17T09:00:00-05:00", "sync")
		if n := len(casesByColumn(t, []string{"--data", data})); n != 7 {
			t.Errorf("%d cases beside the daemon, want 7", n)
		}
		must(t, env, "explain", "1")
	}()
	select {
	case <-finished:
	case <-time.After(30 * time.Second):
		t.Fatal("commands hang beside mesa run")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}

	// Another process holding the directory: the wait is announced and
	// ends when the context does (what Ctrl-C and SIGTERM cancel).
	holder, err := workspacefake.Open(filepath.Join(data, "workspace"))
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	var out, errOut bytes.Buffer
	b := newApp(&out, &errOut, env)
	wctx, stop := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer stop()
	start := time.Now()
	err = b.execute(wctx, []string{"export", "casos"})
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("export while the directory is held: %v after %s", err, time.Since(start))
	}
	if !strings.Contains(errOut.String(), "esperando: otro proceso de mesa") || !strings.Contains(errOut.String(), "Ctrl-C cancela") {
		t.Errorf("the wait was not announced: %q", errOut.String())
	}
}
