package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// mesa runs the command line as a user would and returns stdout.
func mesa(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := newApp(&out, &errOut, env)
	err := a.execute(context.Background(), args)
	if err != nil {
		t.Logf("mesa %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), err
}

func must(t *testing.T, env []string, args ...string) string {
	t.Helper()
	out, err := mesa(t, env, args...)
	if err != nil {
		t.Fatalf("mesa %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// testdata is the absolute path of a file under the repository's testdata
// (absolute, so a test may change its working directory).
func testdata(name string) string {
	p, err := filepath.Abs(filepath.Join("..", "..", "testdata", name))
	if err != nil {
		panic(err)
	}
	return p
}

// The worked example of DESIGN.md §6: En Espera for the user's availability
// on Wed 2026-03-18; the 8th business day is Tue 2026-03-31 (Mon 23 March is
// San José); the case becomes Resuelto at 2026-04-01 00:00, recorded at that
// instant whatever time the cycle ran.
func TestEightBusinessDaysWorkedExample(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/ejemplo-8-dias-solicitud.csv"))...)
	must(t, nil, append(g, "--now", "2026-03-16T12:00:00-05:00", "sync")...)
	must(t, nil, append(g, "import", "responses", "--form", "respuestas", testdata("forms/ejemplo-8-dias-respuesta.csv"))...)

	state := func(now string) (string, string) {
		must(t, nil, append(g, "--now", now, "sync")...)
		rows, err := csv.NewReader(strings.NewReader(must(t, nil, append(g, "export", "casos", "--format", "csv")...))).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("export casos: %v %v", rows, err)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		return rows[1][col["Estado"]], rows[1][col["Fecha de estado"]]
	}
	if s, at := state("2026-03-18T12:00:00-05:00"); s != "En Espera" || at != "2026-03-18T10:30:00-05:00" {
		t.Errorf("after the response: %s at %s", s, at)
	}
	if s, _ := state("2026-03-31T23:59:59-05:00"); s != "En Espera" {
		t.Errorf("on the 8th business day: %s, want En Espera", s)
	}
	if s, at := state("2026-04-02T15:47:00-05:00"); s != "Resuelto" || at != "2026-04-01T00:00:00-05:00" {
		t.Errorf("after the deadline: %s at %s, want Resuelto at 2026-04-01T00:00:00-05:00", s, at)
	}
	explain := must(t, nil, append(g, "--now", "2026-04-02T15:47:00-05:00", "explain", "1")...)
	for _, want := range []string{"F-5c", "Funza definición 7 y paso 5", "2026-04-01 00:00", "Resuelto automáticamente"} {
		if !strings.Contains(explain, want) {
			t.Errorf("explain does not mention %q:\n%s", want, explain)
		}
	}
}

func TestExitCodes(t *testing.T) {
	cases := []struct {
		name  string
		env   []string
		args  []string
		usage bool
	}{
		{"unknown flag", nil, []string{"sync", "--bogus"}, true},
		{"bad --now", nil, []string{"--now", "ayer", "sync"}, true},
		{"bad profile by environment", []string{"MESA_PROFILE=bogota"}, []string{"sync"}, true},
		{"unknown environment key", []string{"MESA_PROFIL=funza"}, []string{"sync"}, true},
		{"missing config file", nil, []string{"--config", "/nonexistent/mesa.yaml", "sync"}, true},
		{"bad month", nil, []string{"calendar", "workdays", "--month", "marzo"}, true},
		{"unknown command", nil, []string{"sincronizar"}, true},
		{"unknown subcommand", nil, []string{"import", "hojas"}, true},
		{"group without a command", nil, []string{"calendar"}, true},
		{"extra argument", nil, []string{"sync", "ahora"}, true},
		{"missing argument", nil, []string{"explain"}, true},
		{"missing required flag", nil, []string{"calendar", "add", "--from", "2026-03-18"}, true},
		{"demo without weeks", nil, []string{"demo", "--weeks", "0"}, true},
		{"unknown case", nil, []string{"explain", "99"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := mesa(t, c.env, append([]string{"--data", t.TempDir()}, c.args...)...)
			if err == nil || errors.Is(err, errUsage) != c.usage {
				t.Errorf("err = %v, want usage error %v", err, c.usage)
			}
		})
	}
}

// The mistakes an office person makes at the terminal (report, calendar,
// archive, explain are theirs) are told in Spanish; cobra's English stays
// beside it as a gloss for the operator.
func TestUsageErrorsInSpanish(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--mes", "2026-03"}, "opción desconocida: --mes"},
		{[]string{"report", "--month"}, "la opción --month necesita un valor"},
		{[]string{"report", "--month", "2026-13"}, "el mes «2026-13» no es válido: escriba AAAA-MM"},
		{[]string{"calendar", "add", "--from", "2026-03-18", "--business-days", "ocho"}, "valor no válido «ocho» para la opción --business-days"},
		{[]string{"calendar", "add", "--from", "2026-03-18"}, "falta la opción obligatoria"},
		{[]string{"calendar", "festivos"}, "orden desconocida «festivos» para «mesa calendar»"},
		{[]string{"sincronizar"}, "orden desconocida «sincronizar» para «mesa»"},
		{[]string{"explain"}, "la orden recibe 1 argumento(s) y se le dieron 0"},
		{[]string{"archive"}, "falta --year AAAA"},
		{[]string{"--now", "ayer", "sync"}, "--now «ayer» no es un instante"},
	} {
		_, err := mesa(t, nil, append([]string{"--data", t.TempDir()}, c.args...)...)
		if err == nil || !errors.Is(err, errUsage) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("mesa %s: err = %v, want a usage error saying %q", strings.Join(c.args, " "), err, c.want)
		}
	}
}

func TestVersion(t *testing.T) {
	v := must(t, nil, "version")
	if !strings.HasPrefix(v, "mesa ") || !strings.Contains(v, "go1.") {
		t.Errorf("mesa version = %q", v)
	}
	if got := must(t, nil, "--version"); got != v {
		t.Errorf("mesa --version = %q, mesa version = %q", got, v)
	}
}

func TestCalendarCommands(t *testing.T) {
	if got := must(t, nil, "calendar", "add", "--from", "2026-03-18", "--business-days", "8"); got != "2026-03-31\n" {
		t.Errorf("calendar add = %q", got)
	}
	if got := must(t, nil, "calendar", "workdays", "--month", "2026-03"); got != "21\n" {
		t.Errorf("calendar workdays 2026-03 = %q", got)
	}
	got := must(t, nil, "calendar", "holidays", "2026")
	for _, want := range []string{"2026-01-12\tReyes Magos", "2026-03-23\tSan José", "2026-04-03\tViernes Santo"} {
		if !strings.Contains(got, want+"\n") {
			t.Errorf("holidays 2026 lacks %q:\n%s", want, got)
		}
	}
}

func TestEnvironmentOverridesConfig(t *testing.T) {
	c, err := loadConfig("", []string{"MESA_PROFILE=scj-bogota", "MESA_OFFICE_SENDER_NAME=Mesa de Servicio", "MESA_MAIL_DAILY_LIMIT=100"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Profile != "scj-bogota" || c.Office.SenderName != "Mesa de Servicio" || c.Mail.DailyLimit != 100 {
		t.Errorf("config = %+v", c)
	}
}

func TestProfileDefaults(t *testing.T) {
	c, err := loadConfig("", []string{"MESA_PROFILE=scj-bogota"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Calendar.Hours != "lun-vie 07:00-19:00; sáb-dom 08:00-12:00" || c.Office.SenderAddress != "soporte.tecnico@scj.gov.co" {
		t.Errorf("scj-bogota defaults not applied: %+v %+v", c.Calendar, c.Office)
	}
	c, err = loadConfig("", []string{"MESA_PROFILE=scj-bogota", "MESA_CALENDAR_HOURS=lun-vie 08:00-16:00"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Calendar.Hours != "lun-vie 08:00-16:00" {
		t.Errorf("an explicit setting lost to the profile default: %q", c.Calendar.Hours)
	}
}

// Adopting a hand-kept workbook: its cases keep their numbers and states,
// new requests are numbered after them, nobody is e-mailed about them, and
// adopting the same export again adds nothing.
func TestAdoptHistoricCases(t *testing.T) {
	g := []string{"--data", t.TempDir()}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	if out := must(t, nil, append(g, "import", "cases", testdata("sheets/casos-historicos.csv"))...); !strings.HasPrefix(out, "3 casos adoptados") {
		t.Errorf("first import: %q", out)
	}
	if out := must(t, nil, append(g, "import", "cases", testdata("sheets/casos-historicos.csv"))...); !strings.HasPrefix(out, "0 casos adoptados") {
		t.Errorf("second import: %q", out)
	}
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/ejemplo-8-dias-solicitud.csv"))...)
	must(t, nil, append(g, "--now", "2026-03-16T12:00:00-05:00", "sync")...)

	rows, err := csv.NewReader(strings.NewReader(must(t, nil, append(g, "export", "casos")...))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	got := map[string]string{}
	for _, r := range rows[1:] {
		got[r[col["Caso"]]] = r[col["Estado"]] + " / " + r[col["Agente asignado"]]
	}
	want := map[string]string{
		"1001": "Resuelto / Carlos Pérez",
		"1002": "En Espera / Luz Dary Gómez",
		"1003": "Abierto / Ángela Muñoz",
		"1004": "Abierto / Carlos Pérez", // the new request, numbered after the adopted ones
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("case %s = %q, want %q", k, got[k], v)
		}
	}
	notif := must(t, nil, append(g, "export", "notificaciones")...)
	for _, n := range []string{",1001,", ",1002,", ",1003,"} {
		if strings.Contains(notif, n) {
			t.Errorf("an adopted case was notified:\n%s", notif)
		}
	}
	if !strings.Contains(notif, ",1004,acuse,") {
		t.Errorf("the new case was not acknowledged:\n%s", notif)
	}
}
