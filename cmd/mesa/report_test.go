package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// mesa report end to end on the local backend: the second run writes
// nothing; export reads the report tabs back as csv and xlsx.
func TestReportCommand(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "sheet", "catalogo", testdata("sheets/catalogo.csv"))...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/solicitudes.csv"))...)
	must(t, nil, append(g, "--now", "2026-03-16T12:00:00-05:00", "sync")...)

	at := []string{"--now", "2026-04-01T06:00:00-05:00"}
	out := must(t, nil, append(append(g, at...), "report", "--month", "2026-03")...)
	for _, want := range []string{"marzo de 2026 (corte 2026-03-31 23:59)", "Eficacia", "kawak-2026-03.xlsx", "informe-2026-03.html", "subidos a la carpeta de Drive"} {
		if !strings.Contains(out, want) {
			t.Errorf("report output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"kawak-2026-03.csv", "kawak-2026-03.xlsx", "informe-2026-03.html"} {
		if _, err := os.Stat(filepath.Join(data, "informes", "2026-03", f)); err != nil {
			t.Error(err)
		}
	}
	if out := must(t, nil, append(append(g, at...), "report", "--month", "2026-03")...); !strings.Contains(out, "0 rangos escritos") {
		t.Errorf("second report run wrote something:\n%s", out)
	}

	rows, err := csv.NewReader(strings.NewReader(must(t, nil, append(g, "export", "looker")...))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 || rows[0][0] != "caso" || rows[0][2] != "instante_registro" {
		t.Fatalf("export looker: %d rows, header %v", len(rows), rows[0])
	}
	if got := rows[1][2]; !strings.HasSuffix(got, "-05:00") {
		t.Errorf("instante_registro exported as %q, want RFC 3339 with offset", got)
	}
	t.Chdir(t.TempDir())
	if out := must(t, nil, append(g, "export", "indicadores", "--format", "xlsx")...); strings.TrimSpace(out) != "indicadores.xlsx" {
		t.Fatalf("export indicadores --format xlsx printed %q", out)
	}
	f, err := excelize.OpenFile("indicadores.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Indicadores", "C2"); v != "Oportunidad" {
		t.Errorf("indicadores.xlsx C2 = %q", v)
	}
}

func TestReportUsageErrors(t *testing.T) {
	data := t.TempDir()
	for _, args := range [][]string{
		{"report", "--month", "2026-13"},
		{"--now", "2026-03-10T08:00:00-05:00", "report", "--month", "2026-04"},
	} {
		_, err := mesa(t, nil, append([]string{"--data", data}, args...)...)
		if exitCode(err) != 2 {
			t.Errorf("mesa %v: %v, want a usage error", args, err)
		}
	}
	env := []string{"MESA_REPORT_TIMELINESS_TARGET=150"}
	if _, err := mesa(t, env, "--data", data, "--now", "2026-04-01T06:00:00-05:00", "report", "--month", "2026-03"); err == nil || !strings.Contains(err.Error(), "timeliness.target") {
		t.Errorf("report with target 150: %v, want a usage error naming timeliness.target", err)
	}
}
