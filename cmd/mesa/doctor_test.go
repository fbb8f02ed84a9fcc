package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Issue 14 item 6: with backend google and the example's placeholders and
// no credentials file, doctor prints a verdict for every check, the real
// cause once, each placeholder by key, and exits 2 (configuration).
func TestDoctorGoogleWithoutCredentials(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "mesa.yaml")
	src, err := os.ReadFile(filepath.Join("..", "..", "config", "google.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, src, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "service-account.json")
	env := []string{"MESA_GOOGLE_CREDENTIALS=" + missing}
	out, _, err := run(t, env, "--config", cfg, "--data", t.TempDir(), "doctor")
	if exitCode(err) != 2 {
		t.Errorf("exit %d (%v), want 2", exitCode(err), err)
	}
	for _, want := range []string{
		"✗ FALLA  Configuración / config: 7 problemas",
		`google.spreadsheet sigue con el valor de ejemplo "REPLACE-WITH-THE-WORKBOOK-ID"`,
		`forms.solicitudes.id sigue con el valor de ejemplo "REPLACE-WITH-FORM-ID"`,
		`google.folder sigue con el valor de ejemplo`,
		"✗ FALLA  Credenciales / credentials: no se pudo leer / cannot read " + missing,
		"· NO REVISADO  Permisos / scopes: necesita credenciales válidas",
		"· NO REVISADO  Formulario / form encuestas",
		"· NO REVISADO  Libro / workbook",
		"· NO REVISADO  Gmail: necesita credenciales válidas",
		"Reloj y zona / clock and time zone",
		"Resultado / verdict: 2 revisiones fallaron",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "gmail.send") || strings.Count(out, "no such file") != 1 {
		t.Errorf("doctor blames a scope or repeats the cause:\n%s", out)
	}

	// calendar needs no credentials, even with backend google.
	if got := must(t, env, "--config", cfg, "calendar", "add", "--from", "2026-03-18", "--business-days", "8"); got != "2026-03-31\n" {
		t.Errorf("calendar add with backend google = %q", got)
	}
	// A command that needs the workspace names the missing file: exit 2.
	if _, _, err := run(t, env, "--config", cfg, "sync"); exitCode(err) != 2 || !strings.Contains(err.Error(), "google.credentials") {
		t.Errorf("sync without credentials: exit %d %v", exitCode(err), err)
	}
}

// Issue 14 item 7: the README's walkthrough (import the admin tabs, setup,
// requests, sync, report) ends with doctor passing, and doctor's Drive line
// names the folder report uploaded to.
func TestWalkthroughEndsWithDoctorPassing(t *testing.T) {
	g := []string{"--data", t.TempDir()}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "sheet", "catalogo", testdata("sheets/catalogo.csv"))...)
	must(t, nil, append(g, "setup")...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/solicitudes.csv"))...)
	must(t, nil, append(g, "--now", "2026-03-17T09:00:00-05:00", "sync")...)
	// Agents' mail links the workbook and their response form (issue 14 item 9).
	body := mailTo(t, g[1], "carlos.perez@funza-cundinamarca.gov.co")
	for _, want := range []string{"formulario de respuesta del agente: https://docs.google.com/forms/d/", "Archivo de la Mesa de Ayuda TIC: https://docs.google.com/spreadsheets/d/"} {
		if !strings.Contains(body, want) {
			t.Errorf("the assignment mail lacks %q:\n%s", want, body)
		}
	}
	rep := must(t, nil, append(g, "--now", "2026-04-06T09:00:00-05:00", "report", "--month", "2026-03")...)
	if !strings.Contains(rep, "3 archivos subidos a la carpeta de Drive root") {
		t.Errorf("report: %s", rep)
	}
	out, _, err := run(t, nil, append(g, "doctor")...)
	if err != nil || !strings.Contains(out, "todo en orden") || !strings.Contains(out, "carpeta de informes accesibles / workbook and report folder reachable: root") {
		t.Errorf("doctor after the walkthrough: %v\n%s", err, out)
	}
}

// Issue 14 item 9: the survey link is the form's long URL with the entry id
// of "Número de caso", derived through the Forms API; a forms.gle link
// cannot prefill it and doctor says so.
func TestSurveyLinkDerivedFromTheForm(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	out := must(t, nil, append(g, "setup")...)
	i := strings.Index(out, "survey link: ")
	if i < 0 {
		t.Fatalf("setup does not print the survey link:\n%s", out)
	}
	link := strings.TrimSpace(strings.SplitN(out[i+len("survey link: "):], "\n", 2)[0])
	if !strings.HasPrefix(link, "https://docs.google.com/forms/d/e/") || !strings.Contains(link, "/viewform?usp=pp_url&entry.") || !strings.HasSuffix(link, "={caso}") {
		t.Errorf("derived link %q", link)
	}
	if out, _, err := run(t, nil, append(g, "doctor")...); err != nil || !strings.Contains(out, "✓ OK     Enlace de la encuesta / survey link: office.survey_url vacío") {
		t.Errorf("doctor with the derived link: %v\n%s", err, out)
	}
	env := []string{"MESA_OFFICE_SURVEY_URL=https://forms.gle/encuesta-mesa-de-ayuda?caso={caso}"}
	if out, _, err := run(t, env, append(g, "doctor")...); exitCode(err) != 1 || !strings.Contains(out, "✗ FALLA  Enlace de la encuesta / survey link") || !strings.Contains(out, "use "+link) {
		t.Errorf("doctor with a forms.gle link: exit %d\n%s", exitCode(err), out)
	}
	good := []string{"MESA_OFFICE_SURVEY_URL=" + link}
	if out, _, err := run(t, good, append(g, "doctor")...); err != nil || !strings.Contains(out, "✓ OK     Enlace de la encuesta / survey link: "+link) {
		t.Errorf("doctor with the long link: %v\n%s", err, out)
	}
}

// The README's walkthrough, read from README.md and run command by command
// through the command line, ends with doctor passing (issue 14: "the
// README's walkthrough runs top to bottom with doctor passing at the end").
func TestREADMEWalkthrough(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "## Running it")
	block := text[start:]
	block = block[strings.Index(block, "```sh\n")+6:]
	block = block[:strings.Index(block, "```")]
	data := t.TempDir()
	var ran []string
	for _, line := range strings.Split(block, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "bin/mesa" {
			continue
		}
		args := []string{"--data", data}
		for _, a := range f[1:] {
			if strings.HasPrefix(a, "testdata/") {
				a = testdata(strings.TrimPrefix(a, "testdata/"))
			}
			args = append(args, a)
		}
		out, errOut, err := run(t, nil, args...)
		if err != nil {
			t.Fatalf("%s: %v\n%s%s", line, err, out, errOut)
		}
		ran = append(ran, f[1])
		if f[1] == "doctor" && !strings.Contains(out, "todo en orden") {
			t.Errorf("doctor at the end of the walkthrough:\n%s", out)
		}
	}
	if len(ran) < 8 || ran[len(ran)-1] != "doctor" || !strings.Contains(strings.Join(ran, " "), "setup") {
		t.Errorf("the walkthrough ran %v; want setup in it and doctor last", ran)
	}
}

// Issue 14 item 9: the scj-bogota profile's local workbook and forms are
// the Mesa de Servicio's, with its own request form code, not Funza's.
func TestSCJLocalWorkspaceNames(t *testing.T) {
	env := []string{"MESA_PROFILE=scj-bogota"}
	g := []string{"--data", t.TempDir()}
	must(t, env, append(g, "setup")...)
	out, _, _ := run(t, env, append(g, "doctor")...)
	for _, want := range []string{"«Mesa de Servicio - Solicitud Solución Tecnológica (F-GT-192)»", "«Mesa de Servicio - Encuesta de satisfacción»", "Libro / workbook: «Mesa de Servicio»"} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "20-FR-1") || strings.Contains(out, "Mesa de Ayuda") {
		t.Errorf("the scj-bogota workspace is named after Funza's:\n%s", out)
	}
}

// Issue 15 item 2: doctor projects the date the workbook fills at the last
// 90 days' rate, counted back from the command's instant (--now), as every
// other command's clock: a doctor run at --now on March's data projects
// from March, and one long after it has no recent rate to project from.
func TestDoctorProjectsTheFillDateAtNow(t *testing.T) {
	g := []string{"--data", t.TempDir()}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "setup")...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/solicitudes.csv"))...)
	must(t, nil, append(g, "--now", "2026-03-16T12:00:00-05:00", "sync")...)
	out := must(t, nil, append(g, "--now", "2026-03-16T12:05:00-05:00", "doctor")...)
	m := regexp.MustCompile(`Celdas / cells: ([0-9.]+) de 10\.000\.000 celdas en uso .*; al ritmo de los últimos 90 días \(unas ([0-9.]+) celdas por día\) se llenaría hacia el ([0-9-]+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("doctor at --now 2026-03-16 projects no fill date:\n%s", out)
	}
	digits := func(s string) float64 {
		n, err := strconv.Atoi(strings.ReplaceAll(s, ".", ""))
		if err != nil {
			t.Fatal(err)
		}
		return float64(n)
	}
	used, perDay := digits(m[1]), digits(m[2])
	full, err := time.Parse("2006-01-02", m[3])
	if err != nil {
		t.Fatal(err)
	}
	// The rate is printed rounded to a whole cell: the date lies between
	// the dates of the rates half a cell either side, counted from --now.
	from := time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC)
	early := from.AddDate(0, 0, int((10_000_000-used)/(perDay+0.5))-1)
	late := from.AddDate(0, 0, int((10_000_000-used)/max(perDay-0.5, 0.01))+1)
	if full.Before(early) || full.After(late) {
		t.Errorf("full on %s at about %.0f cells a day from %.0f used; want between %s and %s", m[3], perDay, used, early.Format("2006-01-02"), late.Format("2006-01-02"))
	}
	out = must(t, nil, append(g, "--now", "2027-03-16T12:00:00-05:00", "doctor")...)
	if strings.Contains(out, "se llenaría") {
		t.Errorf("doctor a year after the last case projects a fill date from its rate:\n%s", out)
	}
}
