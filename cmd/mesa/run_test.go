package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
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
