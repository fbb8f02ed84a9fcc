package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The written procedures through the command line, as an office runs them:
// import the form responses (testdata/procedimientos, see its README), sync,
// then read the Casos and Rechazos tabs, mesa explain and the monthly
// report (issue 13). Each expectation quotes the procedure's sentence.

// mesaStderr runs the command line and returns stdout and stderr.
func mesaStderr(t *testing.T, env []string, args ...string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := newApp(&out, &errOut, env).rootCmd()
	cmd.SetArgs(args)
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("mesa %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), errOut.String()
}

func proc(name string) string { return filepath.Join("..", "..", "testdata", "procedimientos", name) }

// tab exports a tab and returns its rows keyed by column, and by the key
// column's value.
func tab(t *testing.T, env, g []string, name, key string) map[string]map[string]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(must(t, env, append(g, "export", name, "--format", "csv")...))).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("export %s: %v %v", name, rows, err)
	}
	out := map[string]map[string]string{}
	for i, r := range rows[1:] {
		m := map[string]string{}
		for j, h := range rows[0] {
			if j < len(r) {
				m[h] = r[j]
			}
		}
		k := m[key]
		if key == "" {
			k = string(rune('a' + i))
		}
		out[k] = m
	}
	return out
}

func rechazos(t *testing.T, env, g []string) []string {
	var out []string
	for _, r := range tab(t, env, g, "rechazos", "") {
		out = append(out, r["Caso"]+": "+r["Motivo"])
	}
	return out
}

func contains(list []string, caso, part string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, caso+": ") && strings.Contains(s, part) {
			return true
		}
	}
	return false
}

func TestFunzaProcedureThroughTheCLI(t *testing.T) {
	g := []string{"--data", t.TempDir()}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "sheet", "catalogo", testdata("sheets/catalogo.csv"))...)
	for _, f := range []string{"solicitudes", "respuestas", "reasignaciones", "encuestas"} {
		must(t, nil, append(g, "import", "responses", "--form", f, proc("funza-"+f+".csv"))...)
	}
	must(t, nil, append(g, "--now", "2026-03-25T12:00:00-05:00", "sync")...)
	must(t, nil, append(g, "--now", "2026-04-08T09:00:00-05:00", "sync")...)
	casos, rej := tab(t, nil, g, "casos", "Caso"), rechazos(t, nil, g)

	rejected := []struct{ item, quote, caso, reason string }{
		{"1", "paso 8: «mínimo a tres de los usuarios que recibieron el servicio»", "1", "solo la puede responder quien solicitó el servicio"},
		{"3", "paso 5, QUIÉN: «Agente Asignado»", "1", "solo el agente asignado puede documentarlo"},
		{"9", "paso 5: «realiza las actividades correspondientes y procede a documentar»", "1", "escriba en «Actividades realizadas»"},
		{"4", "paso 5: «se pacta nueva fecha y hora de atención»", "4", "requiere la «Fecha acordada de nueva visita»"},
		{"8", "paso 4: «reasignar el numero del caso al Agente requerido»", "5", "tiene el rol Garantías y no atiende casos"},
	}
	for _, r := range rejected {
		if !contains(rej, r.caso, r.reason) {
			t.Errorf("item %s (%s): Rechazos lacks case %s «%s»:\n%s", r.item, r.quote, r.caso, r.reason, strings.Join(rej, "\n"))
		}
	}
	want := []struct{ item, quote, caso, col, value string }{
		{"1", "paso 8", "1", "Satisfacción", "4"},
		{"3", "paso 6: «Si la gestión de garantía es positiva, se documenta en la herramienta digital y se cambio el estado a Resuelto»", "3", "Estado", "Resuelto"},
		{"4", "definición 7 and paso 5: the later of 00:00 after the 8th business day and 00:00 after the agreed visit day", "4", "Fecha de estado", "2026-04-07T00:00:00-05:00"},
		{"4", "definición 7", "4", "Estado", "Resuelto"},
		{"7", "definiciones 10 y 15: «Queja» is not a category", "2", "Categoría", "Incidente"},
		{"8", "definición 14: «1. No puede atender la solicitud por ausencia justificada»", "5", "Agente asignado", "Luz Dary Gómez"},
	}
	for _, w := range want {
		if got := casos[w.caso][w.col]; !strings.HasPrefix(got, w.value) {
			t.Errorf("item %s (%s): case %s %s = %q, want %q", w.item, w.quote, w.caso, w.col, got, w.value)
		}
	}
	if obs := casos["2"]["Observaciones del sistema"]; !strings.Contains(obs, "«Queja»") {
		t.Errorf("item 7: Observaciones del sistema does not quote the answer: %q", obs)
	}
	explain := must(t, nil, append(g, "--now", "2026-04-08T09:00:00-05:00", "explain", "4")...)
	for _, s := range []string{"Procedimiento: Alcaldía de Funza", "[F-5 · Funza paso 5]", "[F-5c · Funza definición 7 y paso 5]",
		"nueva visita el 06/04/2026", "terminado el día de la visita acordada (06/04/2026)"} {
		if !strings.Contains(explain, s) {
			t.Errorf("explain 4 lacks %q:\n%s", s, explain)
		}
	}
}

func TestSCJProcedureThroughTheCLI(t *testing.T) {
	env := []string{"MESA_PROFILE=scj-bogota"}
	g := []string{"--data", t.TempDir()}
	must(t, env, append(g, "import", "sheet", "agentes", proc("scj-agentes.csv"))...)
	must(t, env, append(g, "import", "sheet", "catalogo", proc("scj-catalogo.csv"))...)
	for _, f := range []string{"solicitudes", "respuestas", "encuestas"} {
		must(t, env, append(g, "import", "responses", "--form", f, proc("scj-"+f+".csv"))...)
	}
	must(t, env, append(g, "--now", "2026-03-31T23:00:00-05:00", "sync")...)
	casos, rej := tab(t, env, g, "casos", "Caso"), rechazos(t, env, g)

	// Item 2: PD-GT-1 has no eight-business-day rule.
	if c := casos["1"]; c["Estado"] != "En Espera" || c["Motivo de espera"] != "Disponibilidad del usuario" {
		t.Errorf("item 2: case 1 %s (%s) four weeks later, want En Espera: F-5c is Funza's", c["Estado"], c["Motivo de espera"])
	}
	// Item 5: actividad 13, «La solicitud queda en espera hasta que se reciba el correo».
	if c := casos["2"]; c["Estado"] != "En Espera" || c["Motivo de espera"] != "Respuesta de la Dirección Técnica" || c["Vence ANS"] != "En pausa" || c["Agente asignado"] != "Luis Vega" {
		t.Errorf("item 5: case 2 %+v, want En Espera for the Dirección Técnica, the ANS «En pausa», Luis Vega", c)
	}
	// Item 1: actividad 7, «El usuario tiene la opción de diligenciar la encuesta»; the agent's answer changes nothing,
	// and the survey closes by silence (políticas de operación).
	if !contains(rej, "3", "solo la puede responder quien solicitó el servicio") {
		t.Errorf("item 1: the agent's survey was not rejected:\n%s", strings.Join(rej, "\n"))
	}
	if c := casos["3"]; c["Estado"] != "Cerrado" || c["Satisfacción"] == "5" {
		t.Errorf("item 1: case 3 %s, Satisfacción %q; want Cerrado by silence, not the agent's 5", c["Estado"], c["Satisfacción"])
	}
	// Item 7: actividad 14, «Queja» is none of the three categories: the Catálogo's.
	if c := casos["3"]; c["Categoría"] != "Incidente" {
		t.Errorf("item 7: case 3 category %q, want the Catálogo's Incidente", c["Categoría"])
	}
	if e := must(t, env, append(g, "--now", "2026-03-31T23:00:00-05:00", "explain", "3")...); !strings.Contains(e, "La categoría respondida «Queja» no es una de las del procedimiento") {
		t.Errorf("item 7: explain 3 does not quote the answer:\n%s", e)
	}
	// Item 11: the Problema's window is explained as a design choice.
	explain := must(t, env, append(g, "--now", "2026-03-31T23:00:00-05:00", "explain", "4")...)
	for _, s := range []string{"Procedimiento: Secretaría Distrital de Seguridad, Convivencia y Justicia — PD-GT-1",
		"[S-1 · PD-GT-1 actividades 10 y 11]", "[S-P · PD-GT-1 definición de Problema]", "reportado como mínimo 20 veces", "decisión de diseño"} {
		if !strings.Contains(explain, s) {
			t.Errorf("item 11: explain 4 lacks %q:\n%s", s, explain)
		}
	}
	if e := must(t, env, append(g, "--now", "2026-03-31T23:00:00-05:00", "explain", "1")...); strings.Contains(e, "Funza") || strings.Contains(e, "F-5c") {
		t.Errorf("item 2: an scj-bogota case cites Funza:\n%s", e)
	}
	// Item 6: actividad 26, «las estadísticas sobre las categorías, incidentes y requerimientos generados en el mes»;
	// actividad 7, «En caso del que el usuario no conteste la encuesta, esta se dará por satisfactoria».
	out := t.TempDir()
	must(t, env, append(g, "--now", "2026-04-02T08:00:00-05:00", "report", "--month", "2026-03", "--out", out)...)
	kawak, err := os.ReadFile(filepath.Join(out, "kawak-2026-03.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Eficacia — Categoría: Incidente;2026-03;", "Eficacia — Categoría: Requerimiento;2026-03;0;1;", "Satisfacción;2026-03;1;1;100"} {
		if !strings.Contains(string(kawak), s) {
			t.Errorf("item 6: the KAWAK file lacks %q:\n%s", s, kawak)
		}
	}
}

// Item 10: the calendar command uses the office's Festivos tab, like the
// rules, and says so on stderr when it cannot read it (DESIGN.md §10c).
func TestCalendarUsesFestivos(t *testing.T) {
	g := []string{"--data", t.TempDir()}
	out, errOut := mesaStderr(t, nil, append(g, "calendar", "add", "--from", "2026-03-18", "--business-days", "8")...)
	if out != "2026-03-31\n" || !strings.Contains(errOut, "no se pudo leer la pestaña Festivos") {
		t.Errorf("without a workbook: %q, stderr %q; want the national calendar and a note", out, errOut)
	}
	if _, err := os.Stat(filepath.Join(g[1], "workspace")); err == nil {
		t.Error("calendar created a local workbook just to read Festivos")
	}
	must(t, nil, append(g, "import", "sheet", "festivos", proc("funza-festivos.csv"))...)
	tests := []struct {
		args []string
		want string
	}{
		// 19 and 20 March closed, 23 San José, 2 and 3 April Semana Santa.
		{[]string{"calendar", "add", "--from", "2026-03-18", "--business-days", "8"}, "2026-04-06\n"},
		{[]string{"calendar", "workdays", "--month", "2026-03"}, "19\n"},
	}
	for _, tc := range tests {
		got, errOut := mesaStderr(t, nil, append(g, tc.args...)...)
		if got != tc.want || errOut != "" {
			t.Errorf("%s = %q (stderr %q), want %q", strings.Join(tc.args, " "), got, errOut, tc.want)
		}
	}
	if got, _ := mesaStderr(t, nil, append(g, "calendar", "holidays", "2026")...); !strings.Contains(got, "2026-03-19\tCierre por inventario\n") {
		t.Errorf("holidays 2026 lacks the Festivos tab:\n%s", got)
	}
	// The rules agree: the eight business days of an En Espera on 18 March
	// end on the day calendar add prints, and the case is Resuelto at 00:00
	// after it.
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/ejemplo-8-dias-solicitud.csv"))...)
	must(t, nil, append(g, "import", "responses", "--form", "respuestas", testdata("forms/ejemplo-8-dias-respuesta.csv"))...)
	must(t, nil, append(g, "--now", "2026-04-08T09:00:00-05:00", "sync")...)
	if c := tab(t, nil, g, "casos", "Caso")["1"]; c["Estado"] != "Resuelto" || c["Fecha de estado"] != "2026-04-07T00:00:00-05:00" {
		t.Errorf("the rules disagree with calendar add: %s at %s, want Resuelto at 2026-04-07T00:00:00-05:00", c["Estado"], c["Fecha de estado"])
	}
}
