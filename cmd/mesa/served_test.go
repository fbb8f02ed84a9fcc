package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/funza-tic/mesa/internal/workspacefake"
)

// With WORKSPACEFAKE_URL, sync runs against the local workspace served by
// another server (cmd/fakeserve in BENCHMARKS.md's measure), not one it
// opens itself: the case it makes is in the served state, the directory
// lock stays with the server, and the cycle is the local backend's (no
// lease, exclusive outbox).
func TestSyncAgainstServedWorkspace(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/ejemplo-8-dias-solicitud.csv"))...)

	s, err := workspacefake.Open(filepath.Join(data, "workspace"))
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"WORKSPACEFAKE_URL=" + s.URL()}
	if out := must(t, env, append(g, "--now", "2026-03-16T12:00:00-05:00", "sync")...); !strings.HasPrefix(out, "1 caso nuevo") {
		t.Errorf("sync against the served workspace: %q", out)
	}
	if _, err := mesa(t, env, append(g, "--dry-run", "--now", "2026-03-16T12:00:00-05:00", "sync")...); err == nil {
		t.Error("--dry-run against a served workspace: no error")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if out := must(t, nil, append(g, "export", "casos")...); !strings.Contains(out, "\n1,") {
		t.Errorf("the served state does not hold case 1:\n%s", out)
	}
}
