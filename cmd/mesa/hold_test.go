package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Ley 2191 de 2022 from the command line: a request filed at 19:30 gets its
// acknowledgement at once; its agent's assignment waits, `mesa explain`
// says when it will go, and the first sync at or after 08:00 of the next
// working day sends it.
func TestExplainShowsHeldMail(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/solicitud-19-30.csv"))...)
	// The administrator who runs sync by hand is told how many mails wait
	// for working hours: as many as Notificaciones shows pending with an
	// "Envío previsto" (the assignment and the evening's digests).
	synced := must(t, nil, append(g, "--now", "2026-03-18T19:35:00-05:00", "sync")...)
	held := 0
	notif, nerr := csv.NewReader(strings.NewReader(must(t, nil, append(g, "export", "notificaciones")...))).ReadAll()
	if nerr != nil {
		t.Fatal(nerr)
	}
	for _, r := range notif[1:] {
		if r[7] == "Pendiente" && r[len(r)-1] != "" {
			held++
		}
	}
	if want := fmt.Sprintf("%d correos en espera de horario", held); held < 2 || !strings.Contains(synced, want) {
		t.Errorf("the 19:35 sync does not say %q (%d held rows in Notificaciones):\n%s", want, held, synced)
	}
	mails := func() int {
		files, _ := filepath.Glob(filepath.Join(data, "workspace", "mail", "*.eml"))
		return len(files)
	}
	if n := mails(); n != 1 {
		t.Fatalf("%d mails after the 19:35 sync, want 1 (the acknowledgement)", n)
	}
	explain := must(t, nil, append(g, "--now", "2026-03-18T19:40:00-05:00", "explain", "1")...)
	for _, want := range []string{"Correo retenido", "2026-03-19 08:00  [envío previsto · asignacion]", "decidido el 2026-03-18 19:30"} {
		if !strings.Contains(explain, want) {
			t.Errorf("explain does not say %q:\n%s", want, explain)
		}
	}
	must(t, nil, append(g, "--now", "2026-03-19T07:55:00-05:00", "sync")...)
	if n := mails(); n != 1 {
		t.Fatalf("%d mails after the 07:55 sync, want still 1", n)
	}
	must(t, nil, append(g, "--now", "2026-03-19T08:00:00-05:00", "sync")...)
	out := must(t, nil, append(g, "export", "notificaciones", "--format", "csv")...)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var assignment []string
	for _, r := range rows[1:] {
		if r[col["Tipo"]] == "asignacion" {
			assignment = r
		}
	}
	if assignment == nil || assignment[col["Estado"]] != "Enviado" || assignment[col["Enviado"]] != "2026-03-19T08:00:00-05:00" ||
		assignment[col["Envío previsto"]] != "2026-03-19T08:00:00-05:00" {
		t.Fatalf("assignment row after the 08:00 sync: %v (header %v)", assignment, rows[0])
	}
	if explain := must(t, nil, append(g, "--now", "2026-03-19T08:05:00-05:00", "explain", "1")...); strings.Contains(explain, "Correo retenido") {
		t.Errorf("explain still shows held mail after it went:\n%s", explain)
	}
}

func TestHeldKindsTypoIsUsageError(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "mesa.yaml")
	if err := os.WriteFile(cfg, []byte("mail:\n  held_kinds: [asignacion, resumen_agnete]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := mesa(t, nil, "--config", cfg, "calendar", "workdays", "--month", "2026-03")
	if exitCode(err) != 2 {
		t.Fatalf("exit code %d, want 2 for an unknown mail kind", exitCode(err))
	}
}
