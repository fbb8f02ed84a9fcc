package notify

import (
	"bytes"
	"flag"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/notify/golden")

const goldenDir = "../../testdata/notify/golden"

func bogotaTime(t *testing.T, y int, mo time.Month, d, h, mi int) time.Time {
	t.Helper()
	return time.Date(y, mo, d, h, mi, 0, 0, bogota())
}

// sampleCase is a realistic case with hostile text in the fields people type.
func sampleCase(t *testing.T) Case {
	return Case{
		Number:      1024,
		Registered:  bogotaTime(t, 2026, 3, 18, 10, 30),
		Requester:   "José Núñez",
		Email:       "jose.nunez@funza-cundinamarca.gov.co",
		Phone:       "601 8257000 ext. 1123",
		Dependencia: "Secretaría de Hacienda",
		Building:    "Edificio Administrativo",
		Service:     "Soporte de impresoras",
		Description: "La impresora del segundo piso no imprime.\n<script>alert(1)</script>",
		State:       "Abierto",
		Agent:       "Ángela Muñoz",
		Activities:  "- Cambio de tóner\n- Limpieza de rodillos\n=SUM(A1:A9)",
		Due:         bogotaTime(t, 2026, 3, 20, 17, 0),
		Solved:      bogotaTime(t, 2026, 3, 19, 15, 5),
	}
}

func sampleOffice() Office {
	return Office{
		Name:          "Alcaldía de Funza",
		SenderName:    "Mesa de Ayuda TIC",
		SenderAddress: "mesadeayuda@funza-cundinamarca.gov.co",
		Signature:     "Mesa de Ayuda TIC\nOficina de Relacionamiento con el Ciudadano\nAlcaldía de Funza",
		SurveyURL:     "https://docs.google.com/forms/d/e/abc/viewform?usp=pp_url&entry.1={caso}",
		WorkbookURL:   "https://docs.google.com/spreadsheets/d/xyz/edit",
		AgentFormURL:  "https://docs.google.com/forms/d/resp123/viewform",
		AdminFormURL:  "https://docs.google.com/forms/d/reasig456/viewform",
	}
}

// goldenData gives each kind the data the worker would fill for it.
func goldenData(t *testing.T, k Kind) Data {
	c := sampleCase(t)
	d := Data{Office: sampleOffice(), RecipientName: "José Núñez", Case: c}
	agent := func() { d.RecipientName = "Ángela Muñoz" }
	admin := func() { d.RecipientName = "Luz Ángela Pérez" }
	other := c
	other.Number, other.Requester, other.Dependencia, other.Service = 1031, "María Gómez", "Secretaría de Educación", "Cuentas de correo"
	other.Phone = "601 0000000"
	other.Building = ""
	other.Overdue = true
	other.Due = bogotaTime(t, 2026, 3, 17, 12, 0)
	waiting := c
	waiting.Number, waiting.WaitReason, waiting.State = 1019, ReasonWarranty, "En Espera"
	waiting.Due = time.Time{}

	switch k {
	case EnEspera:
		d.Case.State = "En Espera"
		d.Case.WaitReason = ReasonUserAvailability
		d.Case.VisitDate = bogotaTime(t, 2026, 3, 25, 9, 0)
		d.Case.ResolvesAt = bogotaTime(t, 2026, 4, 1, 0, 0)
	case Resuelto:
		d.Case.State = "Resuelto"
		d.SurveyURL = d.Office.SurveyURL
	case NoResuelto:
		d.Case.State = "No Resuelto"
		d.Case.TechnicalConcept = "La tarjeta lógica está averiada; el equipo no es reparable."
	case CierreSinTramite:
		d.Case.State = StateNotApplicable
		d.Case.Activities = "La solicitud corresponde a la Secretaría de Educación: debe radicarla por su mesa de ayuda.\nAdjunte el formato GT-F-12 completo."
	case CierreAutomatico:
		d.Case.State = "Resuelto"
		d.Case.Solved = bogotaTime(t, 2026, 4, 1, 0, 0)
	case Asignacion:
		agent()
	case ReasignacionEntrante, ReasignacionSaliente:
		d.PreviousAgent, d.NewAgent = "Carlos Ruiz", "Ángela Muñoz"
		d.Criterion = "Ausencia justificada"
		d.Observations = "=SUM(A1:A9)"
		d.RecipientName = d.NewAgent
		if k == ReasignacionSaliente {
			d.RecipientName = d.PreviousAgent
		}
	case Garantia:
		d.RecipientName = "Pedro Castaño"
		d.Case.WaitReason = ReasonWarranty
	case Rechazo:
		admin()
		d.FormName = "Respuesta del agente"
		d.Reason = "El caso 1024 no está asignado a quien respondió (carlos.ruiz@funza-cundinamarca.gov.co)."
		d.SubmittedAt = bogotaTime(t, 2026, 3, 18, 16, 45)
	case SinAsignar:
		admin()
		d.Case.Agent = ""
	case Encuesta:
		d.SurveyDeadline = bogotaTime(t, 2026, 3, 24, 0, 0)
	case EncuestaRecordatorio:
		d.SurveyDeadline = bogotaTime(t, 2026, 3, 24, 0, 0)
	case Insatisfecho:
		d.RecipientName = "Coordinador de la Mesa de Ayuda"
		d.Rating = 2
		d.Comments = "=SUM(A1:A9) El equipo volvió a fallar al día siguiente."
		d.Case.Category = "Incidente"
	case Reapertura, ReaperturaUsuario, Justificacion:
		d.Case.State = "Reabierto"
		d.Case.Solved = time.Time{} // reopening clears it
		d.Case.Category = "Incidente"
		d.Rating = 2
		d.Comments = "El equipo volvió a fallar al día siguiente."
		d.Observations = "No se verificó la impresión después del cambio de tóner.\n=SUM(A1:A9)"
		switch k {
		case Reapertura:
			agent()
		case Justificacion:
			d.Case.State = "Cerrado"
			d.Case.Solved = c.Solved
			d.Observations = "El fallo del día siguiente se debió a un atasco de papel, no al tóner cambiado: la solución dada fue la correcta."
		}
	case ResumenAgente:
		agent()
		d.Digest = Digest{
			Date:    bogotaTime(t, 2026, 3, 18, 6, 0),
			Open:    []Case{c, other},
			Overdue: []Case{other},
			Waiting: []Case{waiting},
		}
	case ResumenAdmin:
		admin()
		unassigned := other
		unassigned.Agent = ""
		d.Digest = Digest{
			Date:       bogotaTime(t, 2026, 3, 18, 6, 0),
			Overdue:    []Case{other},
			Unassigned: []Case{unassigned},
			Counts:     []Count{{"Abierto", 12}, {"En Espera", 3}, {"Resuelto", 40}, {"No Resuelto", 2}, {"Sin asignar", 1}},
			Rejections: 2, MailFailures: 1,
		}
	}
	return d
}

func loadDefaults(t *testing.T) *Templates {
	t.Helper()
	tm, err := LoadTemplates("")
	if err != nil {
		t.Fatalf("LoadTemplates: %v", err)
	}
	return tm
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update and review the diff)\n--- got ---\n%s", name, got)
	}
}

func TestRenderGolden(t *testing.T) {
	tm := loadDefaults(t)
	for _, k := range Kinds() {
		t.Run(string(k), func(t *testing.T) {
			r, err := tm.Render(k, goldenData(t, k))
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, string(k)+".subject.txt", []byte(r.Subject+"\n"))
			checkGolden(t, string(k)+".txt", []byte(r.Text))
			checkGolden(t, string(k)+".html", []byte(r.HTML))
		})
	}
}

func TestBuildGolden(t *testing.T) {
	tm := loadDefaults(t)
	for _, k := range []Kind{Acuse, ResumenAgente} {
		t.Run(string(k), func(t *testing.T) {
			d := goldenData(t, k)
			r, err := tm.Render(k, d)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := Build(messageFor(t, "n-"+string(k)+"-1024", d, r))
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, string(k)+".eml", raw)
		})
	}
}

func messageFor(t *testing.T, id string, d Data, r Rendered) Message {
	return Message{
		ID:        id,
		From:      mail.Address{Name: d.Office.SenderName, Address: d.Office.SenderAddress},
		To:        []mail.Address{{Name: d.RecipientName, Address: "destinatario@funza-cundinamarca.gov.co"}},
		Subject:   r.Subject,
		Text:      r.Text,
		HTML:      r.HTML,
		Date:      bogotaTime(t, 2026, 3, 18, 10, 31),
		MessageID: MessageIDFor(id, "funza-cundinamarca.gov.co"),
	}
}

// parsed is a built message read back the way a mail client would.
type parsed struct {
	header     mail.Header
	text, html string
}

func parseMessage(t testing.TB, raw []byte) parsed {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, raw)
	}
	p := parsed{header: msg.Header}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type: %v", err)
	}
	if mt == "text/plain" {
		p.text = readQP(t, msg.Body)
		return p
	}
	if mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %s, want multipart/alternative", mt)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for i := 0; ; i++ {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			if i != 2 {
				t.Fatalf("got %d parts, want 2", i)
			}
			return p
		}
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if enc := part.Header.Get("Content-Transfer-Encoding"); enc != "quoted-printable" {
			t.Fatalf("part %d: Content-Transfer-Encoding %q", i, enc)
		}
		body := readQP(t, part)
		switch ct := part.Header.Get("Content-Type"); ct {
		case "text/plain; charset=utf-8":
			p.text = body
		case "text/html; charset=utf-8":
			p.html = body
		default:
			t.Fatalf("part %d: unexpected Content-Type %q", i, ct)
		}
	}
}

func readQP(t testing.TB, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(quotedprintable.NewReader(r))
	if err != nil {
		t.Fatalf("decode quoted-printable: %v", err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

func decodeHeader(t testing.TB, v string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(v)
	if err != nil {
		t.Fatalf("decode header %q: %v", v, err)
	}
	return s
}

// The administrator's summary warns about the workbook's size from 80 % of
// Google's 10,000,000 cells, more urgently from 90 %, and says when it is
// full (issue 11).
func TestDigestCellWarning(t *testing.T) {
	tests := []struct {
		name  string
		d     Digest
		want  string // "" for no warning
		wantN string
	}{
		{"not counted", Digest{}, "", ""},
		{"79 %", Digest{Cells: 7_999_999, CellLimit: 10_000_000}, "", ""},
		{"80 %", Digest{Cells: 8_000_000, CellLimit: 10_000_000}, "Aviso: el libro de la mesa usa 8.000.000 de las 10.000.000 celdas", "(80 %)"},
		{"90 %", Digest{Cells: 9_250_000, CellLimit: 10_000_000}, "ATENCIÓN: el libro de la mesa usa 9.250.000", "dejarán de registrarse"},
		{"full", Digest{Cells: 9_999_000, CellLimit: 10_000_000, Full: true}, "llegó al límite de celdas de Google", "no se pierden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.d.CellWarning()
			if tt.want == "" {
				if got != "" {
					t.Errorf("warning %q, want none", got)
				}
				return
			}
			if !strings.Contains(got, tt.want) || !strings.Contains(got, tt.wantN) || !strings.Contains(got, "Libere espacio") {
				t.Errorf("warning %q, want it to contain %q and %q", got, tt.want, tt.wantN)
			}
		})
	}
}
