package notify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSpanishDates(t *testing.T) {
	tests := []struct {
		name             string
		in               time.Time
		fecha, fechaHora string
		cuando           string
	}{
		{"morning", bogotaTime(t, 2026, 3, 18, 10, 30), "miércoles 18 de marzo de 2026", "18/03/2026 10:30 a. m.", "miércoles 18 de marzo de 2026 a las 10:30 a. m."},
		{"noon", bogotaTime(t, 2026, 1, 4, 12, 0), "domingo 4 de enero de 2026", "04/01/2026 12:00 p. m.", "domingo 4 de enero de 2026 a las 12:00 p. m."},
		{"afternoon", bogotaTime(t, 2026, 12, 31, 23, 59), "jueves 31 de diciembre de 2026", "31/12/2026 11:59 p. m.", "jueves 31 de diciembre de 2026 a las 11:59 p. m."},
		{"midnight is a date", bogotaTime(t, 2026, 4, 1, 0, 0), "miércoles 1 de abril de 2026", "01/04/2026 12:00 a. m.", "miércoles 1 de abril de 2026"},
		{"UTC shown in Bogotá", time.Date(2026, 3, 19, 2, 0, 0, 0, time.UTC), "miércoles 18 de marzo de 2026", "18/03/2026 9:00 p. m.", "miércoles 18 de marzo de 2026 a las 9:00 p. m."},
		{"zero", time.Time{}, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fecha(tt.in); got != tt.fecha {
				t.Errorf("fecha = %q, want %q", got, tt.fecha)
			}
			if got := fechaHora(tt.in); got != tt.fechaHora {
				t.Errorf("fechaHora = %q, want %q", got, tt.fechaHora)
			}
			if got := cuando(tt.in); got != tt.cuando {
				t.Errorf("cuando = %q, want %q", got, tt.cuando)
			}
		})
	}
	if got := caso(1024); got != "Caso 1024" {
		t.Errorf("caso(1024) = %q", got)
	}
}

func TestMotivo(t *testing.T) {
	for in, want := range map[string]string{
		"Garantía": "garantia", "garantia": "garantia", " ESCALAMIENTO ": "escalamiento",
		"Disponibilidad del usuario": "disponibilidad", "Disponibilidad del Usuario": "disponibilidad",
		"Respuesta de la Dirección Técnica": "direccion_tecnica",
		"":                                  "otro", "Otra cosa": "otro",
	} {
		if got := motivo(in); got != want {
			t.Errorf("motivo(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEnEsperaByReason(t *testing.T) {
	tm := loadDefaults(t)
	const eightDays = "ocho (8) días hábiles"
	tests := []struct {
		reason   string
		want     string
		wantRule bool
	}{
		{ReasonWarranty, "trámite de garantía", false},
		{ReasonEscalation, "proveedor de servicios", false},
		{ReasonUserAvailability, "por su disponibilidad", true},
		{"Respuesta de la Dirección Técnica", "la escalamos por correo electrónico a la Dirección Técnica", false},
		// scj-bogota: PD-GT-1 has no eight-day rule, the case has no F-5c
		// deadline and the user is not told of one (issue 13 item 2).
		{"sin regla de ocho días", "por su disponibilidad", false},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			d := goldenData(t, EnEspera)
			d.Case.WaitReason = tt.reason
			if !tt.wantRule {
				d.Case.ResolvesAt = time.Time{}
			}
			if tt.reason == "sin regla de ocho días" {
				d.Case.WaitReason = ReasonUserAvailability
			}
			d.Case.VisitDate = time.Time{}
			r, err := tm.Render(EnEspera, d)
			if err != nil {
				t.Fatal(err)
			}
			for _, body := range []string{r.Text, r.HTML} {
				if !strings.Contains(body, tt.want) {
					t.Errorf("body lacks %q:\n%s", tt.want, body)
				}
				if strings.Contains(body, eightDays) != tt.wantRule {
					t.Errorf("mentions the 8-business-day rule = %v, want %v", !tt.wantRule, tt.wantRule)
				}
				if strings.Contains(body, "nueva visita") {
					t.Errorf("mentions a visit date that was not agreed:\n%s", body)
				}
			}
		})
	}
}

// PD-GT-1 actividades 8, 9 and 15: the requester hears which of the two
// closures it was, the agent's reason, and what to do next; never "No
// Resuelto".
func TestCierreSinTramiteByState(t *testing.T) {
	tm := loadDefaults(t)
	tests := []struct {
		state, subject string
		want           []string
	}{
		{StateInsufficientInfo, "cerrado por información insuficiente", []string{"Información insuficiente", "información completa", "adjuntos"}},
		{"informacion insuficiente", "cerrado por información insuficiente", []string{"Información insuficiente"}},
		{StateNotApplicable, "solicitud no procedente", []string{"No procedente", "no es procedente", "nueva solicitud"}},
		{"", "[Mesa de Ayuda TIC] Caso 1024 cerrado", []string{"se cerró sin trámite", "nueva solicitud"}},
	}
	for _, tt := range tests {
		t.Run(tt.state, func(t *testing.T) {
			d := goldenData(t, CierreSinTramite)
			d.Case.State = tt.state
			d.Case.Activities = "Falta la placa del equipo"
			r, err := tm.Render(CierreSinTramite, d)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(r.Subject, tt.subject) {
				t.Errorf("subject %q, want it to end in %q", r.Subject, tt.subject)
			}
			for _, body := range []string{r.Text, r.HTML} {
				for _, w := range append(tt.want, "Falta la placa del equipo") {
					if !strings.Contains(body, w) {
						t.Errorf("body lacks %q:\n%s", w, body)
					}
				}
				if strings.Contains(body, "No Resuelto") || strings.Contains(body, "no fue posible resolverlo") {
					t.Errorf("body speaks of No Resuelto:\n%s", body)
				}
			}
		})
	}
	if got := cierre("NO PROCEDENTE "); got != "no_procedente" {
		t.Errorf("cierre = %q", got)
	}
	if got, want := calificacion(0)+"|"+calificacion(3), "|3 de 5"; got != want {
		t.Errorf("calificacion = %q, want %q", got, want)
	}
}

func TestRenderEscapesHTMLAndKeepsTextLiteral(t *testing.T) {
	tm := loadDefaults(t)
	d := goldenData(t, ReasignacionEntrante) // Description has <script>, Observations and Activities have =SUM
	d.Case.Requester = "=HYPERLINK(\"http://x\") <b>Ana</b>"
	r, err := tm.Render(ReasignacionEntrante, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"<script>alert(1)</script>", "=SUM(A1:A9)", `=HYPERLINK("http://x") <b>Ana</b>`} {
		if !strings.Contains(r.Text, s) {
			t.Errorf("text lacks the literal %q", s)
		}
	}
	if strings.Contains(r.HTML, "<script>") || strings.Contains(r.HTML, "<b>Ana") {
		t.Errorf("HTML contains unescaped input:\n%s", r.HTML)
	}
	for _, s := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "=SUM(A1:A9)", "&lt;b&gt;Ana&lt;/b&gt;"} {
		if !strings.Contains(r.HTML, s) {
			t.Errorf("HTML lacks %q", s)
		}
	}
}

func TestRenderSubjectIsOneLine(t *testing.T) {
	tm := loadDefaults(t)
	d := goldenData(t, Rechazo)
	d.FormName = "Respuesta\r\nBcc: x@y.z"
	r, err := tm.Render(Rechazo, d)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[Mesa de Ayuda TIC] Respuesta no aplicada: Respuesta Bcc: x@y.z (Caso 1024)"; r.Subject != want {
		t.Errorf("Subject = %q, want %q", r.Subject, want)
	}
}

func TestDigestsOmitPhones(t *testing.T) {
	tm := loadDefaults(t)
	for _, k := range []Kind{ResumenAgente, ResumenAdmin} {
		d := goldenData(t, k)
		r, err := tm.Render(k, d)
		if err != nil {
			t.Fatal(err)
		}
		var all []Case
		all = append(all, d.Digest.Open...)
		all = append(all, d.Digest.Overdue...)
		all = append(all, d.Digest.Waiting...)
		all = append(all, d.Digest.Unassigned...)
		for _, c := range all {
			for _, body := range []string{r.Text, r.HTML} {
				if strings.Contains(body, c.Phone) || strings.Contains(body, c.Email) {
					t.Errorf("%s shows the phone or e-mail of %s", k, c.Requester)
				}
				if !strings.Contains(body, c.Requester) {
					t.Errorf("%s lacks the requester %s", k, c.Requester)
				}
			}
		}
	}
}

func TestRenderZeroData(t *testing.T) {
	tm := loadDefaults(t)
	for _, k := range Kinds() {
		r, err := tm.Render(k, Data{})
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		if r.Subject == "" || r.Text == "" || r.HTML == "" {
			t.Errorf("%s: empty part in %+v", k, r)
		}
	}
	if _, err := tm.Render("no_existe", Data{}); err == nil || !strings.Contains(err.Error(), "no_existe") {
		t.Errorf("unknown kind: err = %v", err)
	}
}

func TestSurveyLink(t *testing.T) {
	d := Data{Office: Office{SurveyURL: "https://f/{caso}?x={caso}"}, Case: Case{Number: 7}}
	if got := d.SurveyLink(); got != "https://f/7?x=7" {
		t.Errorf("office link = %q", got)
	}
	d.SurveyURL = "https://g/{caso}"
	if got := d.SurveyLink(); got != "https://g/7" {
		t.Errorf("data link = %q", got)
	}
}

func TestLoadTemplatesOverride(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("acuse.subject.txt", "{{template \"prefijo\"}} Recibimos su solicitud ({{caso .Case.Number}})\n")
	write("_comun.txt", strings.Replace(mustReadEmbedded(t, "_comun.txt"), "[{{if .}}{{.Office.Desk}}{{else}}Mesa de Ayuda TIC{{end}}]", "[TIC Funza]", 1))
	write("LEAME.md", "not a template")

	tm, err := LoadTemplates(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := goldenData(t, Acuse)
	r, err := tm.Render(Acuse, d)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[TIC Funza] Recibimos su solicitud (Caso 1024)"; r.Subject != want {
		t.Errorf("overridden subject = %q, want %q", r.Subject, want)
	}
	want, err := loadDefaults(t).Render(Acuse, d)
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != want.Text || strings.Replace(r.HTML, r.Subject, want.Subject, 1) != want.HTML {
		t.Error("bodies without an override differ from the defaults")
	}
	r, err = tm.Render(Resuelto, goldenData(t, Resuelto))
	if err != nil {
		t.Fatal(err)
	}
	if want := "[TIC Funza] Caso 1024 resuelto"; r.Subject != want {
		t.Errorf("subject with overridden prefix = %q, want %q", r.Subject, want)
	}
}

func TestLoadTemplatesBrokenOverride(t *testing.T) {
	tests := []struct {
		name, file, content string
		want                []string
	}{
		{"syntax error", "resuelto.txt", "Cordial saludo {{.RecipientName", []string{"resuelto.txt", "parse"}},
		{"unknown field", "resuelto.html", "{{template \"inicio\" .}}{{.Case.Numero}}{{template \"fin\" .}}", []string{"resuelto.html", "Numero"}},
		{"unknown template", "acuse.txt", "{{template \"saludos\" .}}", []string{"acuse.txt", "saludos"}},
		{"misspelt file name", "acuse.asunto.txt", "x", []string{"acuse.asunto.txt", "unknown template file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, tt.file), []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadTemplates(dir)
			if err == nil {
				t.Fatal("LoadTemplates succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	if _, err := LoadTemplates(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("LoadTemplates of a missing directory succeeded")
	}
}

func mustReadEmbedded(t *testing.T, name string) string {
	t.Helper()
	b, err := defaults.ReadFile("templates/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// PD-GT-1 calls the SCJ's desk "Mesa de Servicio": with that sender name no
// message of any kind says Funza's "Mesa de Ayuda".
func TestDeskNameFollowsTheOffice(t *testing.T) {
	tm := loadDefaults(t)
	for _, k := range Kinds() {
		d := goldenData(t, k)
		d.Office = Office{Name: "Secretaría Distrital de Seguridad, Convivencia y Justicia", SenderName: "Mesa de Servicio",
			SenderAddress: "soporte.tecnico@scj.gov.co", WorkbookURL: "https://docs.google.com/spreadsheets/d/xyz/edit"}
		d.RecipientName = "Nombre Apellido" // the sample's recipient names Funza's desk itself
		r, err := tm.Render(k, d)
		if err != nil {
			t.Fatal(err)
		}
		for part, text := range map[string]string{"subject": r.Subject, "text": r.Text, "html": r.HTML} {
			if strings.Contains(text, "Mesa de Ayuda") {
				t.Errorf("%s %s says Mesa de Ayuda:\n%s", k, part, text)
			}
		}
		if !strings.HasPrefix(r.Subject, "[Mesa de Servicio]") {
			t.Errorf("%s subject = %q", k, r.Subject)
		}
	}
}

// Issue 14 item 9: "agent and admin mails carry the form and workbook
// links". The daily summaries list what is pending; each links the form
// its reader answers with (the agents' response form, the reassignment
// form) next to the workbook.
func TestDigestsLinkTheirForm(t *testing.T) {
	tm := loadDefaults(t)
	for k, form := range map[Kind]func(Office) string{
		ResumenAgente: func(o Office) string { return o.AgentFormURL },
		ResumenAdmin:  func(o Office) string { return o.AdminFormURL },
	} {
		d := goldenData(t, k)
		r, err := tm.Render(k, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, body := range []string{r.Text, r.HTML} {
			if url := form(d.Office); !strings.Contains(body, url) || !strings.Contains(body, d.Office.WorkbookURL) {
				t.Errorf("%s lacks the form %s or the workbook", k, url)
			}
		}
	}
}
