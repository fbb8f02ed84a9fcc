package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// writeCSV writes a Forms export (the response sheet downloaded as CSV:
// testdata/forms/README.md) under dir.
func writeCSV(t *testing.T, dir, name string, rows [][]string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// A year of an office through the command line: a request on the 1st and
// the 15th of every month of 2025, answered Resuelto the same afternoon,
// except the two of December 15th, left open.
func archiveYear(t *testing.T, g []string) {
	t.Helper()
	tmp := t.TempDir()
	sol := [][]string{{"Marca temporal", "Dirección de correo electrónico", "Nombre completo", "Dependencia", "Edificio", "Tipo de servicio", "Descripción de la solicitud", "Teléfono / extensión"}}
	res := [][]string{{"Marca temporal", "Dirección de correo electrónico", "Número de caso", "Estado", "Motivo de espera", "Fecha acordada de nueva visita", "Actividades realizadas", "Concepto técnico", "¿Registrar lección aprendida?"}}
	n := 0
	for m := time.January; m <= time.December; m++ {
		for _, d := range []int{1, 15} {
			for k := 0; k < 2; k++ {
				n++
				sol = append(sol, []string{fmt.Sprintf("%d/%d/2025 8:%02d:00", d, int(m), 10+k), fmt.Sprintf("usuario%d@funza.gov.co", n%5),
					fmt.Sprintf("Usuario %d", n%5), "Secretaría de Hacienda", "Palacio Municipal", "Soporte de hardware", fmt.Sprintf("El equipo %d no enciende", n), ""})
				if m == time.December && d == 15 {
					continue
				}
				res = append(res, []string{fmt.Sprintf("%d/%d/2025 15:%02d:00", d, int(m), 10+k), "carlos.perez@funza.gov.co", fmt.Sprint(n), "Resuelto", "", "",
					"Se cambió la fuente de poder", "", "No"})
			}
		}
	}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes-min.csv"))...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", writeCSV(t, tmp, "solicitudes.csv", sol))...)
	must(t, nil, append(g, "--now", "2025-12-31T18:00:00-05:00", "sync")...)
	must(t, nil, append(g, "import", "responses", "--form", "respuestas", writeCSV(t, tmp, "respuestas.csv", res))...)
	must(t, nil, append(g, "--now", "2026-02-02T08:00:00-05:00", "sync")...)
}

// Issue 15, "done when", on the local backend through the command line.
func TestArchiveThroughTheCLI(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	archiveYear(t, g)
	at := append(g, "--now", "2026-02-02T09:00:00-05:00")
	indicators := func(month string) string {
		out := must(t, nil, append(at, "report", "--month", month, "--out", t.TempDir())...)
		var keep []string
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "meta") || strings.Contains(l, "corte") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	before := map[string]string{}
	for _, m := range []string{"2025-03", "2025-11", "2025-12"} {
		before[m] = indicators(m)
	}
	explained := must(t, nil, append(at, "explain", "5")...)
	casos := must(t, nil, append(g, "export", "casos")...)
	if got := strings.Count(casos, "\n"); got != 49 {
		t.Fatalf("export casos before archiving: %d lines, want 49", got)
	}

	// --dry-run prints the plan and writes nothing.
	plan := must(t, nil, append(at, "--dry-run", "archive", "--year", "2025")...)
	if !strings.Contains(plan, "casos que se archivarían: 46") || !strings.Contains(plan, "no se escribió nada") {
		t.Errorf("dry run plan:\n%s", plan)
	}
	if must(t, nil, append(g, "export", "casos")...) != casos {
		t.Error("--dry-run changed the live Casos")
	}

	out := must(t, nil, append(at, "archive", "--year", "2025")...)
	if !strings.Contains(out, "casos archivados en esta ejecución: 46") || !strings.Contains(out, "Mesa de Ayuda TIC — Archivo 2025") {
		t.Errorf("archive:\n%s", out)
	}
	live := must(t, nil, append(g, "export", "casos")...)
	if got := strings.Count(live, "\n"); got != 3 {
		t.Errorf("live Casos after archiving: %d lines, want the header and the 2 open cases:\n%s", got, live)
	}
	archived := must(t, nil, append(g, "export", "casos", "--year", "2025")...)
	if got := strings.Count(archived, "\n"); got != 47 {
		t.Errorf("export casos --year 2025: %d lines, want 47", got)
	}
	for m, want := range before {
		if got := indicators(m); got != want {
			t.Errorf("report %s after archiving:\n%s\nbefore:\n%s", m, got, want)
		}
	}
	// The same history, and one line more: the move, rule A-1.
	got := must(t, nil, append(at, "explain", "5")...)
	if !strings.HasPrefix(got, explained) || !strings.Contains(got[len(explained):], "2026-02-02 09:00  [A-1 · Ley 594 de 2000 y TRD de la oficina]") ||
		!strings.Contains(got[len(explained):], "trasladado al libro de archivo «Mesa de Ayuda TIC — Archivo 2025»") {
		t.Errorf("explain 5 after archiving:\n%s\nbefore:\n%s", got, explained)
	}
	again := must(t, nil, append(at, "archive", "--year", "2025")...)
	if !strings.Contains(again, "casos archivados en esta ejecución: 0") || !strings.Contains(again, "filas copiadas: ninguna") ||
		!strings.Contains(again, "filas borradas del libro vivo: ninguna") {
		t.Errorf("second run:\n%s", again)
	}

	status := must(t, nil, append(at, "archive", "status")...)
	for _, want := range []string{"2025  Mesa de Ayuda TIC — Archivo 2025  46 casos  protegido", "transferencia al archivo central: 2028-01-01",
		"disposición final (selección): 2036-01-01", "mesa nunca borra un libro de archivo"} {
		if !strings.Contains(status, want) {
			t.Errorf("archive status lacks %q:\n%s", want, status)
		}
	}

	pkg := filepath.Join(t.TempDir(), "paquete")
	must(t, nil, append(at, "archive", "package", "--year", "2025", "--out", pkg)...)
	if err := archive.Verify(pkg); err != nil {
		t.Errorf("the package's SHA256SUMS does not check out: %v", err)
	}
	for _, f := range []string{"FUID-2025.csv", "FUID-2025.xlsx", "index.html", "SHA256SUMS", "casos.csv", "historial.csv", "ficha.csv", "Archivo-2025.xlsx"} {
		if _, err := os.Stat(filepath.Join(pkg, f)); err != nil {
			t.Errorf("package lacks %s", f)
		}
	}
	fuid, err := os.ReadFile(filepath.Join(pkg, "FUID-2025.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := csv.NewReader(strings.NewReader(string(fuid))).ReadAll(); len(rows) != 47 || rows[0][0] != "Número de orden" || rows[1][3] != "2025-01-01" {
		t.Errorf("FUID: %d rows, first %v", len(rows), rows[:min(2, len(rows))])
	}
	// A file changed after packaging fails the check.
	if err := os.WriteFile(filepath.Join(pkg, "casos.csv"), []byte("alterado"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := archive.Verify(pkg); err == nil {
		t.Error("Verify passed a changed casos.csv")
	}

	// Numbering continues after the archived cases.
	req := writeCSV(t, t.TempDir(), "nueva.csv", [][]string{
		{"Marca temporal", "Dirección de correo electrónico", "Nombre completo", "Dependencia", "Edificio", "Tipo de servicio", "Descripción de la solicitud"},
		{"2/2/2026 10:00:00", "nuevo@funza.gov.co", "Nuevo", "Secretaría de Hacienda", "Palacio Municipal", "Soporte de hardware", "No hay red"},
	})
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", req)...)
	must(t, nil, append(g, "--now", "2026-02-02T10:05:00-05:00", "sync")...)
	if live := must(t, nil, append(g, "export", "casos")...); !strings.Contains(live, "\n49,") {
		t.Errorf("the next request is not case 49:\n%s", live)
	}
}

// archive.trd is validated when the configuration loads: a disposition
// outside the TRD's is exit 2 naming the key.
func TestArchiveConfig(t *testing.T) {
	cfg, err := loadConfig(filepath.Join("..", "..", "config", "funza.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Archive.TRD.OfficeYears != 2 || cfg.Archive.ProposeMonth() != time.March || cfg.Archive.TRD.FinalDisposition != "selección" {
		t.Errorf("archive config: %+v", cfg.Archive)
	}
	for _, tt := range []struct{ env, want string }{
		{"MESA_ARCHIVE_TRD_FINAL_DISPOSITION=quemar", "archive.trd.final_disposition"},
		{"MESA_ARCHIVE_TRD_MEDIUM=papiro", "archive.trd.medium"},
		{"MESA_ARCHIVE_TRD_CENTRAL_YEARS=-1", "archive.trd.central_years"},
		{"MESA_ARCHIVE_PROPOSE_FROM=13", "archive.propose_from"},
	} {
		_, err := loadConfig("", []string{tt.env})
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want a usage error naming %s", tt.env, err, tt.want)
		}
	}
	if _, err := loadConfig("", []string{"MESA_ARCHIVE_TRD_FINAL_DISPOSITION=conservacion total"}); err != nil {
		t.Errorf("a disposition typed without accents: %v", err)
	}
}

// A person deleted the Casos row of case 5, closed in 2025, and the archive
// runs before the next sync: case 5 waits (archived then, it would be in
// neither Casos), the output says why, and the run after a sync moves it.
func TestArchiveWaitsForADeletedCasosRow(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	archiveYear(t, g)
	ws, err := backend.Local(context.Background(), data, procedure.DefaultQuestions)
	if err != nil {
		t.Fatal(err)
	}
	err = ws.Fake.EditRows(ws.Sheets.ID(), workbook.Casos.Name, func(rows [][]any) [][]any {
		var out [][]any
		for _, r := range rows {
			if workbook.Cell(r[0]) != "5" {
				out = append(out, r)
			}
		}
		return out
	})
	if cerr := ws.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	out := must(t, nil, append(g, "--now", "2026-02-02T09:00:00-05:00", "archive", "--year", "2025")...)
	if !strings.Contains(out, "casos archivados en esta ejecución: 45") ||
		!strings.Contains(out, "1 caso terminado espera hasta que un ciclo reponga sus filas en el libro vivo (alguien las borró o las cambió); se archivarán en la próxima ejecución") {
		t.Errorf("archive with case 5's row deleted:\n%s", out)
	}
	must(t, nil, append(g, "--now", "2026-02-02T09:10:00-05:00", "sync")...)
	if live := must(t, nil, append(g, "export", "casos")...); !strings.Contains(live, "\n5,") {
		t.Errorf("the sync did not write case 5 back:\n%s", live)
	}
	out = must(t, nil, append(g, "--now", "2026-02-02T09:20:00-05:00", "archive", "--year", "2025")...)
	if !strings.Contains(out, "casos archivados en esta ejecución: 1; casos en el archivo: 46") || strings.Contains(out, "espera") {
		t.Errorf("archive after the sync:\n%s", out)
	}
	if got := strings.Count(must(t, nil, append(g, "export", "casos", "--year", "2025")...), "\n"); got != 47 {
		t.Errorf("export casos --year 2025: %d lines, want the header and 46 cases", got)
	}
}
