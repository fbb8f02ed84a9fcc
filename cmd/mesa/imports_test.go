package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs the command line as a user would and returns stdout, stderr and
// the error realMain maps to an exit code.
func run(t *testing.T, env []string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := newApp(&out, &errOut, env)
	err := a.execute(context.Background(), args)
	return out.String(), errOut.String(), err
}

// exitCode is what realMain would exit with for err.
func exitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	return 1
}

// casesByColumn exports Casos and returns each row as column -> value.
func casesByColumn(t *testing.T, g []string) []map[string]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(must(t, nil, append(g, "export", "casos")...))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// Every export shape of testdata/forms/README.md reads the same four
// requests: same instants, same accents, the description with its
// semicolon and comma intact.
func TestImportRealExports(t *testing.T) {
	want := []struct{ registered, requester, description string }{
		{"2026-03-16T08:02:11-05:00", "José Núñez", "La impresora del segundo piso no imprime; muestra «error de papel»"},
		{"2026-03-16T13:40:00-05:00", "María López", "Sin internet en la sala de sistemas, desde esta mañana"},
		{"2026-04-03T09:13:27-05:00", "Andrés Vargas", "No abre el aplicativo de historias clínicas"},
		{"2026-04-03T12:05:59-05:00", "Camila Ortiz", "Solicito el correo institucional para un contratista nuevo"},
	}
	for _, c := range []struct {
		file, says  string
		noSeconds   bool
		warnsColumn string
	}{
		{file: "forms-descarga-espanol.csv", says: "UTF-8, separado por coma (,)"},
		{file: "forms-descarga-ingles.csv", says: "UTF-8, separado por coma (,)"},
		{file: "sheets-ingles-eeuu.csv", says: "UTF-8, separado por coma (,)"},
		{file: "excel-espanol-punto-y-coma.csv", says: "Windows-1252, separado por punto y coma (;)", noSeconds: true},
		{file: "excel-utf8-bom.csv", says: "UTF-8 con BOM, separado por punto y coma (;)"},
		{file: "solicitudes-con-consentimiento.csv", says: "UTF-8", warnsColumn: "Autorizo el tratamiento de mis datos personales (Ley 1581 de 2012)"},
	} {
		t.Run(c.file, func(t *testing.T) {
			g := []string{"--data", t.TempDir()}
			must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
			out, errOut, err := run(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/"+c.file))...)
			if err != nil {
				t.Fatalf("import: %v\n%s", err, errOut)
			}
			if !strings.Contains(out, c.says) || !strings.Contains(out, "4 respuestas enviadas al formulario solicitudes") {
				t.Errorf("import said %q, want the encoding and separator (%s) and 4 responses", out, c.says)
			}
			if c.warnsColumn != "" && !strings.Contains(errOut, "«"+c.warnsColumn+"»; esa columna se ignora") {
				t.Errorf("no warning about the unknown column:\n%s", errOut)
			}
			if c.warnsColumn == "" && errOut != "" {
				t.Errorf("unexpected warnings:\n%s", errOut)
			}
			must(t, nil, append(g, "--now", "2026-04-03T18:00:00-05:00", "sync")...)
			got := casesByColumn(t, g)
			if len(got) != len(want) {
				t.Fatalf("%d cases, want %d", len(got), len(want))
			}
			for i, w := range want {
				reg := w.registered
				if c.noSeconds {
					reg = reg[:17] + "00" + reg[19:] // Excel keeps H:mm only
				}
				if got[i]["Fecha de registro"] != reg || got[i]["Solicitante"] != w.requester || got[i]["Descripción"] != w.description {
					t.Errorf("case %d = %q %q %q, want %q %q %q", i+1, got[i]["Fecha de registro"], got[i]["Solicitante"], got[i]["Descripción"],
						reg, w.requester, w.description)
				}
			}
		})
	}
}

// DESIGN.md §5: "a column is required only when no response could be
// applied without it — e-mail and Descripción for solicitudes". A file
// without it is refused whole: exit 2 naming the column, no response in
// the form, no case, nobody mailed.
func TestImportRefusesMissingRequiredColumn(t *testing.T) {
	g := []string{"--data", t.TempDir()}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	_, _, err := run(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/solicitudes-sin-descripcion.csv"))...)
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "falta la columna «Descripción de la solicitud»") || !strings.Contains(err.Error(), "no se importó nada") {
		t.Fatalf("err = %v (exit %d), want exit 2 naming «Descripción de la solicitud»", err, exitCode(err))
	}
	out := must(t, nil, append(g, "--now", "2026-04-03T18:00:00-05:00", "sync")...)
	if !strings.HasPrefix(out, "0 casos nuevos") || !strings.Contains(out, "0 correos enviados") {
		t.Errorf("after the refused import, sync: %q", out)
	}
	if n := len(casesByColumn(t, g)); n != 0 {
		t.Errorf("%d cases after a refused import", n)
	}
	if mail, _ := os.ReadDir(filepath.Join(g[1], "workspace", "mail")); len(mail) != 0 {
		t.Errorf("%d mails sent after a refused import", len(mail))
	}
}

// One unreadable row refuses the whole file (no partial import), every bad
// line is named, and the same file fixed imports fully.
func TestImportAllOrNothing(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	src, err := os.ReadFile(testdata("forms/solicitudes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	lines[3] = strings.Replace(lines[3], "16/3/2026 9:13:27", "ayer a las 9", 1)
	lines[5] = strings.Replace(lines[5], "16/3/2026 11:31:04", "31/2/2026 11:31:04", 1)
	bad := filepath.Join(t.TempDir(), "solicitudes-dos-filas-malas.csv")
	if err := os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = run(t, nil, append(g, "import", "responses", "--form", "solicitudes", bad)...)
	if exitCode(err) != 2 {
		t.Fatalf("exit %d (%v), want 2", exitCode(err), err)
	}
	for _, want := range []string{"2 líneas no se pudieron leer; no se importó nada", "línea 4: la marca temporal \"ayer a las 9\"", "línea 6: la marca temporal \"31/2/2026 11:31:04\""} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if out := must(t, nil, append(g, "--now", "2026-03-17T18:00:00-05:00", "sync")...); !strings.HasPrefix(out, "0 casos nuevos") {
		t.Errorf("a refused file left responses behind: %s", out)
	}
	// The file as exported imports whole; importing it again adds nothing.
	if out := must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/solicitudes.csv"))...); !strings.Contains(out, "8 respuestas enviadas") {
		t.Errorf("first import: %q", out)
	}
	if out := must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/solicitudes.csv"))...); !strings.Contains(out, "0 respuestas enviadas") || !strings.Contains(out, "8 respuestas ya estaban") {
		t.Errorf("second import: %q", out)
	}
}

// A line with more cells than the header (a comma or semicolon typed in an
// answer and left unquoted, as a hand edit in Notepad leaves it) shifts
// every later answer into the wrong column: the description is cut and its
// tail becomes the phone. The file is refused, naming the line, instead of
// importing misplaced answers.
func TestImportRefusesShiftedRow(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	src, err := os.ReadFile(testdata("forms/solicitudes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	lines[1] = strings.Replace(lines[1], "no imprime y muestra", "no imprime, muestra", 1)
	bad := filepath.Join(t.TempDir(), "solicitudes-coma-sin-comillas.csv")
	if err := os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = run(t, nil, append(g, "import", "responses", "--form", "solicitudes", bad)...)
	if exitCode(err) != 2 || !strings.Contains(fmt.Sprint(err), "línea 2:") || !strings.Contains(fmt.Sprint(err), "no se importó nada") {
		t.Fatalf("exit %d (%v), want 2 naming line 2", exitCode(err), err)
	}
	if out := must(t, nil, append(g, "--now", "2026-03-17T18:00:00-05:00", "sync")...); !strings.HasPrefix(out, "0 casos nuevos") {
		t.Errorf("a refused file left responses behind: %s", out)
	}
}

// The required columns of each form (DESIGN.md §5): "Número de caso and
// Estado for respuestas; ... Número de caso and Calificación for encuestas
// (and the respondent's e-mail wherever it authorizes the answer)". The
// agent-response sample without one of them is refused, naming it.
func TestImportRequiredColumnsPerForm(t *testing.T) {
	rows := readCSV(t, testdata("forms/ejemplo-8-dias-respuesta.csv"))
	drop := func(col string) string {
		i := -1
		for j, h := range rows[0] {
			if h == col {
				i = j
			}
		}
		var b strings.Builder
		w := csv.NewWriter(&b)
		for _, r := range rows {
			_ = w.Write(append(append([]string{}, r[:i]...), r[i+1:]...))
		}
		w.Flush()
		p := filepath.Join(t.TempDir(), "respuestas.csv")
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, col := range []string{"Estado", "Número de caso", "Dirección de correo electrónico"} {
		_, _, err := run(t, nil, "--data", t.TempDir(), "import", "responses", "--form", "respuestas", drop(col))
		if exitCode(err) != 2 || !strings.Contains(err.Error(), "falta la columna «"+col+"»") {
			t.Errorf("respuestas without %s: exit %d %v", col, exitCode(err), err)
		}
	}
	// A column only some answers need (Concepto técnico) is optional.
	if _, _, err := run(t, nil, "--data", t.TempDir(), "import", "responses", "--form", "respuestas", drop("Concepto técnico")); err != nil {
		t.Errorf("respuestas without Concepto técnico: %v", err)
	}
}

// What an import prints agrees in number, as an office person reads it:
// one row is "1 fila escrita", not "1 fila escritas".
func TestImportMessagesAgreeInNumber(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	dir := t.TempDir()
	festivos := filepath.Join(dir, "festivos.csv")
	solicitud := filepath.Join(dir, "una-solicitud.csv")
	if err := os.WriteFile(festivos, []byte("Fecha,Nombre\n19/3/2026,Cierre por inventario\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(testdata("forms/solicitudes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	if err := os.WriteFile(solicitud, []byte(lines[0]+"\n"+lines[1]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--dry-run", "import", "sheet", "festivos", festivos}, "1 fila revisada;"},
		{[]string{"import", "sheet", "festivos", festivos}, "1 fila escrita en Festivos"},
		{[]string{"--dry-run", "import", "responses", "--form", "solicitudes", solicitud}, "se enviaría 1 respuesta al formulario solicitudes (0 respuestas ya estaban)"},
		{[]string{"import", "responses", "--form", "solicitudes", solicitud}, "1 respuesta enviada al formulario solicitudes"},
		{[]string{"import", "responses", "--form", "solicitudes", solicitud}, "0 respuestas enviadas al formulario solicitudes (1 respuesta ya estaba y no se repitió)"},
	} {
		if out := must(t, nil, append(g, c.args...)...); !strings.Contains(out, c.want) {
			t.Errorf("%s: %q, want %q", strings.Join(c.args, " "), out, c.want)
		}
	}
}

// A cycle reads each form from its latest applied response on (the
// watermark), as responses reach Google in order. An import can bring
// responses older than that (an earlier download imported after a sync):
// sync does not see them, so the import says so and names the command that
// applies them, instead of letting them wait silently for the nightly
// reconcile.
func TestImportOlderThanAppliedSaysReconcile(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/solicitud-19-30.csv"))...)
	must(t, nil, append(g, "--now", "2026-03-19T08:00:00-05:00", "sync")...)
	_, errOut, err := run(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/solicitudes.csv"))...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "8 respuestas son anteriores") || !strings.Contains(errOut, "mesa reconcile") {
		t.Errorf("the import does not say that sync will not see the older responses:\n%s", errOut)
	}
	if out := must(t, nil, append(g, "--now", "2026-03-19T08:10:00-05:00", "reconcile")...); !strings.Contains(out, "7 casos nuevos") {
		t.Errorf("reconcile: %s", out)
	}
}

// A hand-kept workbook with the same case number on two rows (a copied row,
// a typo) cannot be adopted as it is: which row is the case? The file is
// refused naming both rows, and nothing is adopted, as every import is all
// or nothing.
func TestImportCasesRefusesRepeatedNumber(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	src, err := os.ReadFile(testdata("sheets/casos-historicos.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(src), "\n"), "\n")
	dup := strings.Replace(lines[1], "El monitor parpadea", "El monitor no enciende", 1)
	bad := filepath.Join(t.TempDir(), "casos-numero-repetido.csv")
	if err := os.WriteFile(bad, []byte(strings.Join(append(lines, dup), "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = run(t, nil, append(g, "import", "cases", bad)...)
	if exitCode(err) != 2 || !strings.Contains(fmt.Sprint(err), fmt.Sprintf("fila %d: el caso 1001 ya está en la fila 2", len(lines)+1)) {
		t.Fatalf("exit %d (%v), want 2 naming both rows", exitCode(err), err)
	}
	if hist := must(t, nil, append(g, "export", "historial")...); strings.Count(hist, "\n") > 1 {
		t.Errorf("a refused file adopted cases:\n%s", hist)
	}
}

// Issue 14 item 10: what the office reads is Spanish. A refused import is
// printed as "mesa: <error>"; the refusal must not carry the English word
// "usage" that marks it for exit code 2.
func TestImportRefusalIsSpanishOnly(t *testing.T) {
	g := []string{"--data", t.TempDir()}
	_, _, err := run(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/solicitudes-sin-descripcion.csv"))...)
	if exitCode(err) != 2 || strings.Contains(err.Error(), "usage") || !strings.Contains(err.Error(), "no se importó nada") {
		t.Errorf("exit %d: %q, want exit 2 in Spanish only", exitCode(err), err)
	}
}

// An office user who types a word where a case number goes reads why in
// Spanish, and the exit code says it was their input (2).
func TestExplainRefusesANonNumberInSpanish(t *testing.T) {
	_, _, err := run(t, nil, "--data", t.TempDir(), "explain", "abc")
	if exitCode(err) != 2 || err == nil || !strings.Contains(err.Error(), "«abc» no es un número de caso") {
		t.Fatalf("explain abc: exit %d, %v", exitCode(err), err)
	}
}
