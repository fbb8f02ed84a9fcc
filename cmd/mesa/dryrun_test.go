package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// snapshot is every file under dir with a hash of its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		out[p] = fmt.Sprintf("%x", sha256.Sum256(b))
		return nil
	})
	return out
}

// Issue 14: "--dry-run must mean 'write and send nothing' for every
// command, or the command must refuse it with exit 2." Each command runs
// with --dry-run on a help desk with pending work; the data directory must
// be byte for byte the same afterwards.
func TestDryRunWritesNothing(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data, "--now", "2026-04-06T09:00:00-05:00"}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/solicitudes.csv"))...)
	must(t, nil, append(g, "--now", "2026-03-17T09:00:00-05:00", "sync")...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/forms-descarga-espanol.csv"))...)
	before := snapshot(t, data)
	commands := [][]string{
		{"import", "responses", "--form", "solicitudes", testdata("forms/excel-espanol-punto-y-coma.csv")},
		{"import", "sheet", "agentes", testdata("sheets/agentes.csv")},
		{"import", "cases", testdata("sheets/casos-historicos.csv")},
		{"sync"},
		{"reconcile"},
		{"report", "--month", "2026-03"},
		{"setup"},
		{"export", "casos", "--format", "xlsx"},
		{"explain", "1"},
		{"doctor"},
		{"survey", "poster", "--agent", "Carlos Pérez", "--out", "cartel.html"},
	}
	t.Chdir(t.TempDir()) // export --format xlsx writes into the working directory
	for _, args := range commands {
		t.Run(strings.Join(args[:min(2, len(args))], " "), func(t *testing.T) {
			out, errOut, err := run(t, nil, append(append(g, "--dry-run"), args...)...)
			if err != nil && args[0] != "doctor" {
				t.Fatalf("%v\n%s", err, errOut)
			}
			if args[0] != "explain" && args[0] != "doctor" && !strings.Contains(strings.ToLower(out), "dry") {
				t.Errorf("output does not say it is a dry run:\n%s", out)
			}
			if after := snapshot(t, data); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("the data directory changed")
			}
			if files, _ := os.ReadDir("."); len(files) != 0 {
				t.Errorf("%d files written in the working directory", len(files))
			}
		})
	}
	for _, args := range [][]string{
		{"demo"},
		{"run"},
		{"doctor", "--send-test", "jose.nunez@funza-cundinamarca.gov.co"},
		{"setup", "--login"},
	} {
		_, _, err := run(t, nil, append([]string{"--data", data, "--dry-run"}, args...)...)
		if exitCode(err) != 2 || !strings.Contains(fmt.Sprint(err), "--dry-run") {
			t.Errorf("%s --dry-run: exit %d (%v), want 2 naming --dry-run", strings.Join(args, " "), exitCode(err), err)
		}
	}
	if after := snapshot(t, data); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a refused --dry-run changed the data directory")
	}

	// A fresh data directory stays absent.
	fresh := filepath.Join(t.TempDir(), "var")
	if _, errOut, err := run(t, nil, "--data", fresh, "--dry-run", "sync"); err != nil {
		t.Fatalf("sync --dry-run on a fresh directory: %v\n%s", err, errOut)
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("sync --dry-run created %s", fresh)
	}
}
