package worker_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/privacy"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/report"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

const (
	joseEmail = "jose.nunez@funza-cundinamarca.gov.co"
	josePhone = "601 825 3101"
	joseDesc  = "El computador de la oficina de José no enciende desde el corte de luz"
	joseNote  = "Muy amable el técnico, gracias por arreglar mi equipo de la casa"
)

// allCells reads every worker tab and returns its cells, by tab.
func (e *env) allCells() map[string][][]string {
	e.t.Helper()
	out := map[string][][]string{}
	for _, t := range workbook.Worker {
		vals, err := e.ws.Sheets.Read(context.Background(), []string{t.Name})
		if err != nil {
			e.t.Fatal(err)
		}
		tb := workbook.NewTable(t, vals[0])
		out[t.Name] = tb.Rows
	}
	return out
}

// indicators renders the month's indicators as the report computes them.
func (e *env) indicators(now time.Time) string {
	e.t.Helper()
	b, loc, err := e.w.Book(context.Background(), now)
	if err != nil {
		e.t.Fatal(err)
	}
	m, _ := report.ParseMonth("2026-03")
	r := report.Compute(b, m, now, loc, report.DefaultOptions(), e.w.Config.Settings, "Alcaldía de Funza")
	return fmt.Sprintf("%d cases; %+v", len(b.Cases()), r.Results)
}

// HD-1 done-when (issue 16): after anonymizing one requester, no tab holds
// their e-mail, name, phone or free text, while the other cases, the case
// count and every indicator are unchanged; their pending mail is
// cancelled; a later survey of theirs is still accepted (who may act is
// decided on the original identity); a second run changes nothing; and
// privacy find finds nothing in the workbook or the sent mail.
func TestAnonymizeRequester(t *testing.T) {
	e := officeEnv(t)
	ctx := context.Background()
	e.answer(procedure.Solicitudes, joseEmail, bogota("2026-03-16 09:00"), map[procedure.Field]string{
		procedure.FName: "José Núñez", procedure.FDependencia: "Secretaría de Hacienda", procedure.FBuilding: "Palacio Municipal",
		procedure.FService: "Soporte de hardware", procedure.FDescription: joseDesc, procedure.FPhone: josePhone})
	e.request("maria.lopez@funza-cundinamarca.gov.co", "María López", "No abre el correo", bogota("2026-03-16 09:10"))
	e.request("ines.rojas@funza-cundinamarca.gov.co", "Inés Rojas", "La impresora no imprime", bogota("2026-03-16 09:20"))
	e.cycle(bogota("2026-03-16 09:30"))
	for n := 1; n <= 3; n++ {
		e.answer(procedure.Respuestas, "carlos.perez@funza-cundinamarca.gov.co", bogota("2026-03-16 11:00").Add(time.Duration(n)*time.Minute), map[procedure.Field]string{
			procedure.FCase: fmt.Sprint(n), procedure.FState: "Resuelto", procedure.FActivities: "Se revisó el equipo de José Núñez y quedó funcionando"})
	}
	e.cycle(bogota("2026-03-16 11:30"))
	// José answers the survey of María's case: rejected, with his address
	// in the reason.
	e.answer(procedure.Encuestas, joseEmail, bogota("2026-03-16 12:00"), map[procedure.Field]string{
		procedure.FCase: "2", procedure.FRating: "5", procedure.FComments: joseNote})
	e.cycle(bogota("2026-03-16 12:05"))
	// A new request of his whose mail cannot go yet (daily limit reached).
	e.answer(procedure.Solicitudes, joseEmail, bogota("2026-03-16 14:00"), map[procedure.Field]string{
		procedure.FName: "José Núñez", procedure.FDependencia: "Secretaría de Hacienda", procedure.FBuilding: "Palacio Municipal",
		procedure.FService: "Soporte de software", procedure.FDescription: "Necesito instalar el programa de José"})
	limit := e.w.Config.DailyLimit
	e.w.Config.DailyLimit = 1
	e.cycle(bogota("2026-03-16 14:05"))
	e.w.Config.DailyLimit = limit

	now := bogota("2026-03-16 15:00")
	before := e.allCells()
	ind := e.indicators(now)
	var joseCases []string
	for k, r := range e.casos() {
		if r.Get("Correo") == joseEmail {
			joseCases = append(joseCases, k)
		}
	}
	if len(joseCases) != 2 {
		t.Fatalf("José has cases %v, want 2", joseCases)
	}

	got, err := e.w.Anonymize(ctx, now, joseEmail, "Reclamo de supresión radicado 2026-00123")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Journaled || got.Pseudonym != privacy.Pseudonym(privacy.Subject(joseEmail)) || len(got.Sent) == 0 {
		t.Fatalf("anonymize: %+v", got)
	}
	after := e.allCells()
	forbidden := []string{joseEmail, "José Núñez", "jose nunez", josePhone, joseDesc, joseNote, "instalar el programa de José"}
	for tab, rows := range after {
		for i, row := range rows {
			for j, c := range row {
				for _, f := range forbidden {
					if strings.Contains(procedure.Norm(c), procedure.Norm(f)) {
						t.Errorf("%s row %d column %d still holds %q: %q", tab, i+2, j+1, f, c)
					}
				}
			}
		}
	}
	// The other cases' rows are unchanged, cell for cell.
	casos := e.casos()
	for _, k := range []string{"2", "3"} {
		want := map[string]string{}
		for _, row := range before[workbook.Casos.Name] {
			if row[0] == k {
				for j, c := range workbook.Casos.Columns {
					want[c.Name] = row[j]
				}
			}
		}
		for col, v := range want {
			if col == "Observaciones del sistema" {
				continue
			}
			if casos[k].Get(col) != v {
				t.Errorf("case %s %s: %q, was %q", k, col, casos[k].Get(col), v)
			}
		}
	}
	for _, k := range joseCases {
		if c := casos[k]; c.Get("Solicitante") != got.Pseudonym || c.Get("Descripción") != privacy.Redacted || c.Get("Estado") == "" {
			t.Errorf("José's case %s after HD-1: %v", k, c.Values)
		}
	}
	if got := e.indicators(now); got != ind {
		t.Errorf("indicators moved:\n%s\nwant\n%s", got, ind)
	}
	// His pending mail is cancelled; what went keeps its Gmail id.
	for _, r := range e.tab(workbook.Notificaciones) {
		if !privacy.IsPseudonymous(r.Get("Para")) {
			continue
		}
		if st := r.Get("Estado"); st != worker.Cancelled && st != worker.Sent {
			t.Errorf("mail %s to the titular is %s, want Cancelado or Enviado", r.Get("ID"), st)
		}
	}
	if st := e.outboxStates(); st[worker.Cancelled] == 0 {
		t.Errorf("no mail cancelled: %v", st)
	}

	// privacy find: nothing in the workbook nor in the sent mail; the form
	// responses stay listed, for deletion by hand.
	find := func(q privacy.Query) privacy.Findings {
		ids := map[procedure.Form]string{}
		for f, fc := range e.w.Config.Forms {
			ids[f] = fc.ID
		}
		f, err := privacy.Find(ctx, []privacy.Book{{Title: "Libro vivo", Sheet: e.ws.Sheets}}, e.ws.Forms, ids, q, "funza-cundinamarca.gov.co", calendar.Bogota())
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	if f := find(privacy.Query{Email: joseEmail}); !f.Empty() || len(f.Responses) != 3 {
		t.Errorf("find by e-mail after HD-1: %d places, %d mails, %d responses; want 0, 0, 3: %+v", len(f.Places), len(f.Mail), len(f.Responses), f.Places)
	}
	if f := find(privacy.Query{Name: "Jose Nunez"}); len(f.Places) != 0 {
		t.Errorf("find by name after HD-1: %+v", f.Places)
	}
	if f := find(privacy.Query{Email: "maria.lopez@funza-cundinamarca.gov.co"}); len(f.Places) == 0 || len(f.Mail) == 0 {
		t.Errorf("find for María finds nothing: %+v", f)
	}

	// Idempotent: a second run journals nothing and writes nothing.
	again, err := e.w.Anonymize(ctx, now.Add(time.Minute), joseEmail, "otra vez")
	if err != nil || again.Journaled || again.Report.SheetWrites != 0 {
		t.Errorf("second run: %+v, %v", again, err)
	}

	// Who may act is decided on the original identity: his survey of his
	// own case, after HD-1, is accepted, and lands anonymized.
	e.answer(procedure.Encuestas, joseEmail, bogota("2026-03-16 16:00"), map[procedure.Field]string{
		procedure.FCase: "1", procedure.FRating: "4", procedure.FComments: joseNote})
	rep := e.cycle(bogota("2026-03-16 16:05"))
	if rep.Rejected != 0 || e.casos()["1"].Get("Satisfacción") == "" {
		t.Errorf("his survey after HD-1: %+v; Satisfacción %q", rep, e.casos()["1"].Get("Satisfacción"))
	}
	for tab, rows := range e.allCells() {
		for _, row := range rows {
			for _, c := range row {
				if strings.Contains(c, joseEmail) || strings.Contains(c, joseNote) {
					t.Errorf("%s holds his data after a later survey: %q", tab, c)
				}
			}
		}
	}
	if n := len(e.ws.Fake.SentMail()); n != len(e.sent()) {
		t.Fatal("mail count mismatch")
	}
	for _, m := range e.sent() {
		if privacy.IsPseudonymous(m.To) {
			t.Errorf("mail sent to a pseudonym: %+v", m)
		}
	}
}

// HD-1 is crash-safe: a run killed right after journaling the decision
// (before its reconcile) leaves a workbook that the next ordinary cycle
// already anonymizes in every tab it renders (Casos, Encuestas, Rechazos,
// Notificaciones), and running anonymize again finishes the Historial.
func TestAnonymizeKilledAfterJournaling(t *testing.T) {
	e := officeEnv(t)
	ctx := context.Background()
	e.answer(procedure.Solicitudes, joseEmail, bogota("2026-03-16 09:00"), map[procedure.Field]string{
		procedure.FName: "José Núñez", procedure.FDependencia: "Secretaría de Hacienda", procedure.FBuilding: "Palacio Municipal",
		procedure.FService: "Soporte de hardware", procedure.FDescription: joseDesc, procedure.FPhone: josePhone})
	e.request("maria.lopez@funza-cundinamarca.gov.co", "María López", "No abre el correo", bogota("2026-03-16 09:10"))
	e.cycle(bogota("2026-03-16 09:30"))

	// The first step of Anonymize only: the HD-1 row appended to Historial.
	vals, err := e.ws.Sheets.Read(ctx, []string{workbook.Historial.Name})
	if err != nil {
		t.Fatal(err)
	}
	ev := privacy.Decision(joseEmail, "Reclamo 2026-001", bogota("2026-03-16 10:00"))
	ups, _ := workbook.Plan(workbook.NewTable(workbook.Historial, vals[0]), workbook.Formatter{Loc: calendar.Bogota()}.JournalRows(procedure.JournalOf(ev)))
	if _, err := e.ws.Sheets.Write(ctx, ups); err != nil {
		t.Fatal(err)
	}
	e.cycle(bogota("2026-03-16 10:05"))
	holds := func(tabs ...workbook.Tab) []string {
		var out []string
		cells := e.allCells()
		for _, tb := range tabs {
			for _, row := range cells[tb.Name] {
				for _, c := range row {
					if strings.Contains(c, joseEmail) || strings.Contains(c, joseDesc) || strings.Contains(c, "José Núñez") {
						out = append(out, tb.Name+": "+c)
					}
				}
			}
		}
		return out
	}
	if got := holds(workbook.Casos, workbook.Encuestas, workbook.Rechazos, workbook.Notificaciones); len(got) > 0 {
		t.Errorf("after the crash, the next cycle left: %v", got)
	}
	if len(holds(workbook.Historial)) == 0 {
		t.Fatal("the Historial was rewritten by an ordinary cycle: the test does not simulate the crash")
	}
	again, err := e.w.Anonymize(ctx, bogota("2026-03-16 10:10"), joseEmail, "Reclamo 2026-001")
	if err != nil || again.Journaled {
		t.Fatalf("second run: %+v, %v", again, err)
	}
	if got := holds(workbook.Worker...); len(got) > 0 {
		t.Errorf("after running anonymize again: %v", got)
	}
	if n := len(e.casos()); n != 2 {
		t.Errorf("%d cases, want 2", n)
	}
}
