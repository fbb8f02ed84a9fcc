package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Funza paso 8 ("a traves del código QR o el link del formulario de la
// encuesta"): mesa survey poster writes an agent's printable page.
func TestSurveyPoster(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	out := filepath.Join(t.TempDir(), "cartel.html")
	msg := must(t, nil, append(g, "survey", "poster", "--agent", "carlos perez", "--out", out)...)
	if !strings.Contains(msg, "Cartel de la encuesta para Carlos Pérez") {
		t.Errorf("output: %s", msg)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Lo atendió: <strong>Carlos Pérez</strong>", "data:image/png;base64,", "/viewform?usp=pp_url"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("poster lacks %q", want)
		}
	}
	if strings.Contains(string(page), "{caso}") || strings.Contains(string(page), "entry.") {
		t.Error("the poster's link carries a case number placeholder")
	}
	if _, err := mesa(t, nil, append(g, "survey", "poster", "--agent", "Nadie", "--out", out)...); exitCode(err) != 2 {
		t.Errorf("unknown agent: exit %d, want 2", exitCode(err))
	}
}
