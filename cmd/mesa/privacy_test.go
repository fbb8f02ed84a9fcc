package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 16 items 1 and 2 through the command line, with an archive
// workbook: privacy find lists the person's cells in the live workbook and
// the archive, their sent mail and form responses; privacy anonymize
// leaves no export of any tab (live or archived) with their e-mail, name or
// text, moves no indicator, trashes the sent copies when allowed, and find
// then finds nothing but the form responses to delete by hand.
func TestPrivacyThroughTheCLI(t *testing.T) {
	data := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "mesa.yaml")
	if err := os.WriteFile(cfg, []byte("privacy:\n  trash_sent: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g := []string{"--data", data, "--config", cfg}
	archiveYear(t, g)
	at := append(g, "--now", "2026-02-02T09:00:00-05:00")
	must(t, nil, append(at, "archive", "--year", "2025")...)

	const who = "usuario2@funza.gov.co" // cases 2, 7, ..., 42 archived, case 47 still open
	found := must(t, nil, append(at, "privacy", "find", "--email", who)...)
	for _, want := range []string{"Datos personales de " + who, "Mesa de Ayuda TIC — Archivo 2025", "Casos", "Historial", "Notificaciones", "Correo",
		"2. Correos enviados por la mesa", "@funza-cundinamarca.gov.co", "3. Respuestas de formularios (10)", "solicitudes"} {
		if !strings.Contains(found, want) {
			t.Errorf("privacy find lacks %q:\n%s", want, found)
		}
	}
	byName := must(t, nil, append(at, "privacy", "find", "--name", "usuario 2")...)
	if !strings.Contains(byName, "Casos") {
		t.Errorf("privacy find --name:\n%s", byName)
	}

	report := func() string {
		var keep []string
		for _, m := range []string{"2025-03", "2025-12", "2026-01"} {
			for _, l := range strings.Split(must(t, nil, append(at, "report", "--month", m, "--out", t.TempDir())...), "\n") {
				if strings.Contains(l, "meta") {
					keep = append(keep, l)
				}
			}
		}
		return strings.Join(keep, "\n")
	}
	tabs := []string{"casos", "historial", "notificaciones", "rechazos", "encuestas", "garantias", "escalamientos", "lecciones", "looker"}
	exports := func(year string) map[string]string {
		out := map[string]string{}
		for _, tab := range tabs {
			args := append(append([]string{}, g...), "export", tab)
			if year != "" {
				args = append(args, "--year", year)
			}
			out[tab], _ = mesa(t, nil, args...)
		}
		return out
	}
	beforeReport := report()
	beforeLive := exports("")
	if !strings.Contains(beforeLive["casos"], who) || !strings.Contains(exports("2025")["casos"], who) {
		t.Fatalf("the titular is not in both workbooks to begin with:\n%s\n%s", beforeLive["casos"], exports("2025")["casos"])
	}

	out := must(t, nil, append(at, "privacy", "anonymize", "--email", who, "--reason", "Reclamo 2026-017: supresión")...)
	if !strings.Contains(out, "Decisión HD-1 registrada") || !strings.Contains(out, "movidas a la papelera") || strings.Contains(out, " 0 movidas") {
		t.Errorf("anonymize:\n%s", out)
	}
	for _, year := range []string{"", "2025"} {
		for tab, text := range exports(year) {
			for _, f := range []string{who, "Usuario 2,", "El equipo 7 no enciende", "El equipo 47 no enciende"} {
				if strings.Contains(text, f) {
					t.Errorf("export %s (year %q) still holds %q", tab, year, f)
				}
			}
		}
	}
	if got := strings.Count(must(t, nil, append(g, "export", "casos")...), "\n"); got != strings.Count(beforeLive["casos"], "\n") {
		t.Errorf("live case count moved")
	}
	if got := report(); got != beforeReport {
		t.Errorf("indicators moved:\n%s\nbefore:\n%s", got, beforeReport)
	}
	after := must(t, nil, append(at, "privacy", "find", "--email", who)...)
	if !strings.Contains(after, "1. Libros de cálculo (0 celdas)") || !strings.Contains(after, "2. Correos enviados por la mesa (0)") {
		t.Errorf("privacy find after anonymize:\n%s", after)
	}
	again := must(t, nil, append(at, "privacy", "anonymize", "--email", who, "--reason", "Reclamo 2026-017: supresión")...)
	if !strings.Contains(again, "ya estaba registrada") || !strings.Contains(again, "(0 celdas reescritas)") {
		t.Errorf("second anonymize:\n%s", again)
	}
	if _, err := mesa(t, nil, append(at, "privacy", "anonymize", "--email", who)...); exitCode(err) != 2 {
		t.Errorf("anonymize without --reason: exit %d, want 2", exitCode(err))
	}
}
