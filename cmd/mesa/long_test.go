package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 11, "done when": a 60,000-character description followed by a
// normal request, through `mesa import responses` and `mesa sync` on the
// local backend: every cycle exits 0, the normal request is numbered, the
// long one is stored cut with a note, nothing is lost; the same for a
// description of 20,000 '<'. The shapes are what people paste into the
// description: an error log (a print spooler's) and a page's HTML source.
func TestLongDescriptionThroughTheCLI(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	line := `16/03/2026 08:02:11 ERROR spoolsv.exe: <Job id="412" printer="HP-LaserJet-2piso"> estado=atascado & reintento=3` + "\n"
	pasted := strings.Repeat(line, 60_000/len(line)+1)[:60_000]
	angles := strings.Repeat("<", 20_000)
	file := filepath.Join(t.TempDir(), "solicitudes.csv")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	_ = w.WriteAll([][]string{
		{"Marca temporal", "Dirección de correo electrónico", "Nombre completo", "Dependencia", "Edificio", "Tipo de servicio", "Descripción de la solicitud", "Teléfono / extensión"},
		{"16/3/2026 8:02:11", "jose.nunez@funza-cundinamarca.gov.co", "José Núñez", "Secretaría de Hacienda", "Palacio Municipal", "Impresoras y escáneres", pasted, "3101"},
		{"16/3/2026 8:10:00", "maria.lopez@funza-cundinamarca.gov.co", "María López", "Casa de la Cultura", "Casa de la Cultura", "Redes", angles, ""},
		{"16/3/2026 8:20:00", "andres.vargas@funza-cundinamarca.gov.co", "Andrés Vargas", "Secretaría de Salud", "Palacio Municipal", "Impresoras y escáneres", "La impresora no imprime", ""},
	})
	if err := f.Close(); err != nil || w.Error() != nil {
		t.Fatal(err, w.Error())
	}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", file)...)
	for _, now := range []string{"2026-03-16T09:00:00-05:00", "2026-03-16T09:05:00-05:00", "2026-03-17T09:00:00-05:00"} {
		must(t, nil, append(g, "--now", now, "sync")...) // exit 0 every cycle
	}
	rows, err := csv.NewReader(strings.NewReader(must(t, nil, append(g, "export", "casos", "--format", "csv")...))).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("export casos: %d rows, %v", len(rows), err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	desc := func(n int) string { return rows[n][col["Descripción"]] }
	if rows[3][col["Caso"]] != "3" || desc(3) != "La impresora no imprime" {
		t.Errorf("the normal request is not case 3: %q %q", rows[3][col["Caso"]], desc(3))
	}
	if d := desc(1); !strings.HasPrefix(d, line[:40]) || !strings.Contains(d, "[Texto recortado a ") ||
		!strings.Contains(d, "la respuesta completa está en el formulario, respuesta ") || len([]rune(d)) > 50_000 {
		t.Errorf("case 1 is not the cut log with its note: ...%q", d[max(0, len(d)-200):])
	}
	if desc(2) != angles {
		t.Errorf("case 2 does not hold the 20,000 '<' whole (%d characters)", len(desc(2)))
	}
	notif := must(t, nil, append(g, "export", "notificaciones", "--format", "csv")...)
	if n := strings.Count(notif, ",acuse,"); n != 3 {
		t.Errorf("%d acknowledgements queued, want 3", n)
	}
}
