package main

import (
	"context"
	"encoding/csv"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funza-tic/mesa/internal/backend"
)

// Issue 14 item 4: an admin tab import is checked whole; every bad row is
// listed, exit 2, and the tab stays as it was.
func TestImportSheetRefusesBadRows(t *testing.T) {
	g := []string{"--data", t.TempDir()}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "sheet", "catalogo", testdata("sheets/catalogo.csv"))...)
	before := must(t, nil, append(g, "export", "agentes")...) + must(t, nil, append(g, "export", "catalogo")...)

	for _, c := range []struct {
		tab, file string
		want      []string
	}{
		{"agentes", "agentes-ingles.csv", []string{"a la pestaña Agentes le faltan las columnas «Nombre», «Correo», «Activo», «Rol», «Edificios», «Servicios»"}},
		{"agentes", "agentes-con-errores.csv", []string{
			"6 problemas",
			"fila 4: el nombre «Carlos Perez» ya está en la fila 2",
			"fila 5: el correo luz.gomez@funza-cundinamarca.gov.co ya está en la fila 3",
			"fila 6: el correo «diana.castaneda@funza-cundinamarca» no es una dirección de correo válida",
			"fila 7: el correo «Sandra Rosas <sandra.rosas@funza-cundinamarca.gov.co>» no es una dirección de correo válida",
			"fila 7: el rol «Jefe» no existe",
			"fila 8: Activo «Quizás»: escriba Sí o No",
		}},
		{"catalogo", "catalogo-con-errores.csv", []string{
			"5 problemas",
			"fila 2: ANS «ocho horas»: escriba un número entero positivo",
			"fila 3: ANS «-2 días»: escriba un número entero positivo",
			"fila 4: ANS «99999 días»: más de 60 días",
			"fila 6: el tipo de servicio «redes» ya está en la fila 5",
			"fila 7: ANS «1 semana»",
		}},
	} {
		_, _, err := run(t, nil, append(g, "import", "sheet", c.tab, testdata("sheets/"+c.file))...)
		if exitCode(err) != 2 {
			t.Errorf("%s: exit %d (%v), want 2", c.file, exitCode(err), err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: the refusal lacks %q:\n%v", c.file, w, err)
			}
		}
	}
	if after := must(t, nil, append(g, "export", "agentes")...) + must(t, nil, append(g, "export", "catalogo")...); after != before {
		t.Errorf("a refused import changed the tabs:\n%s\nwant\n%s", after, before)
	}
}

// When a person breaks the Agentes tab in Sheets, the desk keeps running,
// doctor fails naming the row, and the Administrador's digest lists it.
func TestAdminTabEditedInSheets(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "sheet", "catalogo", testdata("sheets/catalogo.csv"))...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/ejemplo-8-dias-solicitud.csv"))...)

	// Ángela's e-mail overwritten with Luz Dary's, through the Sheets API.
	rows := readCSV(t, testdata("sheets/agentes.csv"))
	rows[3][1] = "luz.gomez@funza-cundinamarca.gov.co"
	cfg, err := loadConfig("", nil)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := backend.Local(context.Background(), data, cfg.Questions())
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Sheets.Replace(context.Background(), "Agentes", rows); err != nil {
		t.Fatal(err)
	}
	ws.Close()

	out, _, err := run(t, nil, append(g, "doctor")...)
	if exitCode(err) != 1 || !strings.Contains(out, "✗ FALLA  Pestañas de administración") ||
		!strings.Contains(out, "Agentes, fila 4: el correo luz.gomez@funza-cundinamarca.gov.co ya está en la fila 3") {
		t.Errorf("doctor: exit %d\n%s", exitCode(err), out)
	}

	// Tuesday 17 March 2026, at 08:00: after the 07:00 digest time and in
	// working hours (the digest waits for them, Ley 2191 de 2022). The cycle
	// goes on (the request is numbered and assigned) and the digest names the row.
	if out := must(t, nil, append(g, "--now", "2026-03-17T08:00:00-05:00", "sync")...); !strings.HasPrefix(out, "1 caso nuevo") {
		t.Errorf("sync with a broken Agentes tab: %s", out)
	}
	body := mailTo(t, data, "sandra.rosas@funza-cundinamarca.gov.co")
	for _, want := range []string{"PESTAÑAS DE ADMINISTRACIÓN CON PROBLEMAS (1)", "Agentes, fila 4: el correo luz.gomez@funza-cundinamarca.gov.co ya está en la fila 3"} {
		if !strings.Contains(body, want) {
			t.Errorf("the administrator's digest lacks %q:\n%s", want, body)
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// mailTo returns the plain-text bodies of the mail sent to addr on the
// local backend (<data>/workspace/mail/*.eml), decoded.
func mailTo(t *testing.T, data, addr string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(data, "workspace", "mail", "*.eml"))
	var out strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := mail.ReadMessage(strings.NewReader(string(b)))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !strings.Contains(m.Header.Get("To"), addr) {
			continue
		}
		_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
		if err != nil {
			t.Fatal(err)
		}
		mr := multipart.NewReader(m.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
				text, _ := io.ReadAll(quotedprintable.NewReader(p))
				out.Write(text)
			}
		}
	}
	return out.String()
}

// Issue 14: "agent and admin mails carry the form and workbook links". A
// rejected agent response asks the agent to "corrija el dato y envíe de
// nuevo el formulario": the mail links that form.
func TestRejectionMailLinksTheForm(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/solicitudes.csv"))...)
	must(t, nil, append(g, "--now", "2026-03-16T17:00:00-05:00", "sync")...)
	resp := filepath.Join(t.TempDir(), "respuesta-sin-actividades.csv")
	if err := os.WriteFile(resp, []byte("Marca temporal,Dirección de correo electrónico,Número de caso,Estado,Motivo de espera,Fecha acordada de nueva visita,Actividades realizadas,Concepto técnico,¿Registrar lección aprendida?\n"+
		"17/3/2026 9:00:00,carlos.perez@funza-cundinamarca.gov.co,1,Resuelto,,,,,No\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	must(t, nil, append(g, "import", "responses", "--form", "respuestas", resp)...)
	must(t, nil, append(g, "--now", "2026-03-17T10:00:00-05:00", "sync")...)
	body := mailTo(t, data, "carlos.perez@funza-cundinamarca.gov.co")
	i := strings.Index(body, "envíe de nuevo el formulario")
	if i < 0 {
		t.Fatalf("no rejection mail to the agent:\n%s", body)
	}
	if line := body[i:min(len(body), i+200)]; !strings.Contains(line, "https://docs.google.com/forms/d/") {
		t.Errorf("the rejection does not link the agents' form:\n%s", line)
	}
}
