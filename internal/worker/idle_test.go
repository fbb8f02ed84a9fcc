package worker_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gforms "google.golang.org/api/forms/v1"
	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

// watched turns on the idle shortcut: the workbook's Drive version and a
// Watch file between cycles.
func (e *env) watched() {
	e.w.SpreadsheetID, e.w.Changes = e.ws.Sheets.ID(), e.ws.Drive
	e.w.Watch = worker.FileWatch(filepath.Join(e.t.TempDir(), "watch.json"))
}

// confirm runs the cycle that follows a cycle that wrote: the version it
// remembered was read before its own writes, so this one reads the
// workbook again, finds nothing to do and writes nothing.
func (e *env) confirm(now time.Time) {
	e.t.Helper()
	rep := e.cycle(now)
	if rep.Idle || rep.SheetWrites != 0 || rep.Events != 0 {
		e.t.Fatalf("cycle after a busy one at %s: %+v, want a read that writes nothing", now, rep)
	}
}

// An idle cycle makes one cheap call per source: the workbook's Drive
// version and one filtered responses.list per form; it reads no tab.
func TestIdleCycleIsCheap(t *testing.T) {
	e := officeEnv(t)
	e.watched()
	e.importCSV(procedure.Solicitudes, "forms/solicitudes.csv")
	e.cycle(bogota("2026-03-17 09:00"))
	e.confirm(bogota("2026-03-17 09:02"))

	e.ws.Fake.ResetCalls()
	rep := e.cycle(bogota("2026-03-17 09:05"))
	calls := e.ws.Fake.Calls()
	if !rep.Idle {
		t.Fatalf("cycle was not idle: %+v (calls %v)", rep, calls)
	}
	for k, n := range calls {
		switch {
		case k == "drive.files.get" && n == 1:
		case k == "forms.responses.list" && n <= len(procedure.Forms):
		default:
			t.Errorf("idle cycle made %d × %s", n, k)
		}
	}

	// A new response makes the next cycle busy again.
	e.answer(procedure.Respuestas, "carlos.perez@funza-cundinamarca.gov.co", bogota("2026-03-17 09:30"), map[procedure.Field]string{
		procedure.FCase: "1", procedure.FState: "Resuelto", procedure.FActivities: "Se cambió el tóner"})
	if rep := e.cycle(bogota("2026-03-17 10:00")); rep.Idle || rep.Applied != 1 {
		t.Errorf("cycle after a response: %+v", rep)
	}
	e.confirm(bogota("2026-03-17 10:01"))
	// So does an edit of the workbook by a person (the Drive version moves).
	e.sheet("Agentes", "sheets/agentes.csv")
	if rep := e.cycle(bogota("2026-03-17 10:06")); rep.Idle {
		t.Errorf("cycle after an admin edit was idle")
	}
	// (Case 4's service level passed at 10:05:59, so that cycle wrote
	// Vencido; nothing falls due until case 7's.)
	e.confirm(bogota("2026-03-17 10:08"))
	if rep := e.cycle(bogota("2026-03-17 10:10")); !rep.Idle {
		t.Errorf("cycle with nothing new was not idle: %+v", rep)
	}
	// And the clock: a service level passing makes Vencido flip.
	rep = e.cycle(bogota("2026-03-20 10:00"))
	if rep.Idle {
		t.Errorf("cycle after service levels passed was idle")
	}
	if got := e.casos()["2"].Get("Vencido"); !strings.EqualFold(got, "Sí") {
		t.Errorf("case 2 (Redes, 4 horas) Vencido = %q three days later", got)
	}
}

// Forms writes lastSubmittedTime with 0, 3, 6 or 9 fractional digits. The
// watermark keeps them all: "timestamp > mark" then lists nothing, and the
// cycle after the responses are in is idle. (Cut to the second, the mark
// would list the newest response again and no cycle would ever be idle.)
func TestIdleWithFractionalTimestamps(t *testing.T) {
	for _, frac := range []time.Duration{0, 394 * time.Millisecond, 394652 * time.Microsecond, 394652123} {
		t.Run(strings.TrimPrefix(procedureStamp(frac), "2026-03-16T13:02:11"), func(t *testing.T) {
			e := officeEnv(t)
			e.watched()
			at := bogota("2026-03-16 08:02").Add(11*time.Second + frac)
			e.answer(procedure.Solicitudes, "jose.nunez@funza-cundinamarca.gov.co", at, map[procedure.Field]string{
				procedure.FName: "José Núñez", procedure.FDependencia: "Secretaría de Hacienda", procedure.FBuilding: "Palacio Municipal",
				procedure.FService: "Impresoras y escáneres", procedure.FDescription: "La impresora del tercer piso no imprime"})
			if rep := e.cycle(bogota("2026-03-16 08:05")); rep.NewCases != 1 {
				t.Fatalf("first cycle: %+v", rep)
			}
			e.confirm(bogota("2026-03-16 08:06"))
			if rep := e.cycle(bogota("2026-03-16 08:07")); !rep.Idle {
				t.Errorf("cycle with nothing new after a response at %s was not idle: %+v", procedureStamp(frac), rep)
			}
			if got := e.casos()["1"].Get("Fecha de registro"); got != "2026-03-16 08:02:11" {
				t.Errorf("Fecha de registro = %q, want the second the request was sent", got)
			}
		})
	}
}

func procedureStamp(frac time.Duration) string {
	return time.Date(2026, 3, 16, 13, 2, 11, int(frac), time.UTC).Format(time.RFC3339Nano)
}

// A respondent may edit a response through the form's "edit response"
// link; Forms then moves its lastSubmittedTime and keeps its responseId.
// The procedure's inputs are immutable events keyed by responseId (DESIGN
// §1), so the version applied first stands: the edit changes no case. The
// cycle after the edit reads, writes nothing, and moves the watermark past
// the edit, so the one after it is idle again.
func TestEditedResponseIsNotReapplied(t *testing.T) {
	e := officeEnv(t)
	e.watched()
	rid, err := e.ws.Fake.SubmitResponse(e.ws.FormIDs[procedure.Solicitudes], "jose.nunez@funza-cundinamarca.gov.co", bogota("2026-03-16 08:02"), solicitud("La impresora del tercer piso no imprime"))
	if err != nil {
		t.Fatal(err)
	}
	e.cycle(bogota("2026-03-16 08:05"))
	e.confirm(bogota("2026-03-16 08:06"))

	if err := e.ws.Fake.EditResponse(e.ws.FormIDs[procedure.Solicitudes], rid, bogota("2026-03-16 08:10"), solicitud("Ya imprime, pero mancha las hojas")); err != nil {
		t.Fatal(err)
	}
	rep := e.cycle(bogota("2026-03-16 08:15"))
	if rep.Idle || rep.Events != 0 || rep.SheetWrites != 0 {
		t.Errorf("cycle after an edit: %+v, want a read that changes nothing", rep)
	}
	if got := e.casos()["1"].Get("Descripción"); got != "La impresora del tercer piso no imprime" {
		t.Errorf("Descripción = %q after the response was edited; the first version stands", got)
	}
	if rep := e.cycle(bogota("2026-03-16 08:20")); !rep.Idle {
		t.Errorf("cycle after the edit was read was not idle: %+v", rep)
	}
}

func solicitud(desc string) map[string]string {
	q := procedure.DefaultQuestions[procedure.Solicitudes]
	return map[string]string{q[procedure.FName]: "José Núñez", q[procedure.FDependencia]: "Secretaría de Hacienda",
		q[procedure.FBuilding]: "Palacio Municipal", q[procedure.FService]: "Impresoras y escáneres", q[procedure.FDescription]: desc}
}

// editsMidCycle is the workbook with a person at it: right after the cycle
// has read the tabs, somebody edits a cell.
type editsMidCycle struct {
	worker.Sheet
	edit func()
}

func (s *editsMidCycle) Read(ctx context.Context, tabs []string) ([][][]any, error) {
	v, err := s.Sheet.Read(ctx, tabs)
	if s.edit != nil {
		s.edit()
		s.edit = nil
	}
	return v, err
}

// A person who edits the workbook while a cycle runs (after the cycle read
// it) is seen by the next cycle: the version the cycle remembers was read
// before its reads. Here an agent types over the worker's Estado of case 1
// during a cycle that itself writes nothing; the next cycle is not idle
// and puts the worker's value back (Casos worker columns belong to mesa).
func TestEditDuringCycleIsSeenNext(t *testing.T) {
	e := officeEnv(t)
	e.watched()
	e.importCSV(procedure.Solicitudes, "forms/solicitudes.csv")
	e.cycle(bogota("2026-03-17 09:00"))

	col := string(rune('A' + workbook.Casos.Index("Estado")))
	inner := e.w.Sheet
	e.w.Sheet = &editsMidCycle{Sheet: inner, edit: func() {
		_, err := e.ws.Sheets.Service().Spreadsheets.Values.Update(e.ws.Sheets.ID(), "Casos!"+col+"2",
			&gsheets.ValueRange{Values: [][]any{{"Cerrado"}}}).ValueInputOption("USER_ENTERED").Do()
		if err != nil {
			t.Errorf("person's edit: %v", err)
		}
	}}
	e.confirm(bogota("2026-03-17 09:02")) // reads, the person edits, writes nothing
	e.w.Sheet = inner
	if got := e.casos()["1"].Get("Estado"); got != "Cerrado" {
		t.Fatalf("the person's edit did not land: Estado = %q", got)
	}

	rep := e.cycle(bogota("2026-03-17 09:05"))
	if rep.Idle {
		t.Fatalf("the cycle after a mid-cycle edit was idle: the edit would wait until something else happens")
	}
	if got := e.casos()["1"].Get("Estado"); got != "Abierto" {
		t.Errorf("Estado of case 1 = %q after the next cycle, want the worker's Abierto back", got)
	}
}

// A question deleted and created again in the form gets a new questionId.
// A long-lived worker (mesa run) keeps the question titles between cycles;
// it reads them again when a response answers a question it does not
// know, so the answers to the new question are applied, not rejected.
func TestRecreatedQuestionIsRead(t *testing.T) {
	e := officeEnv(t)
	e.importCSV(procedure.Solicitudes, "forms/solicitudes.csv")
	e.cycle(bogota("2026-03-17 09:00"))

	// The administrator deletes "Descripción de la solicitud" and adds it
	// again (say, to make it a paragraph question), through the Forms API.
	svc := e.ws.Forms.Service()
	id := e.ws.FormIDs[procedure.Solicitudes]
	title := procedure.DefaultQuestions[procedure.Solicitudes][procedure.FDescription]
	f, err := svc.Forms.Get(id).Do()
	if err != nil {
		t.Fatal(err)
	}
	at, oldID := -1, ""
	for i, it := range f.Items {
		if it.Title == title {
			at, oldID = i, it.QuestionItem.Question.QuestionId
		}
	}
	if at < 0 {
		t.Fatalf("form has no question %q", title)
	}
	loc := &gforms.Location{Index: int64(at), ForceSendFields: []string{"Index"}}
	res, err := svc.Forms.BatchUpdate(id, &gforms.BatchUpdateFormRequest{Requests: []*gforms.Request{
		{DeleteItem: &gforms.DeleteItemRequest{Location: loc}},
		{CreateItem: &gforms.CreateItemRequest{Location: loc, Item: &gforms.Item{Title: title,
			QuestionItem: &gforms.QuestionItem{Question: &gforms.Question{TextQuestion: &gforms.TextQuestion{Paragraph: true}}}}}},
	}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if newID := res.Replies[1].CreateItem.QuestionId[0]; newID == oldID {
		t.Fatalf("recreated question kept its id %s", oldID)
	}

	e.submit(procedure.Solicitudes, "ines.rojas@funza-cundinamarca.gov.co", bogota("2026-03-17 09:30"), solicitud("El computador no enciende desde esta mañana"))
	rep := e.cycle(bogota("2026-03-17 09:35"))
	if rep.NewCases != 1 || rep.Rejected != 0 {
		t.Fatalf("cycle after the question was recreated: %+v, want the request registered", rep)
	}
	var got string
	for _, c := range e.casos() {
		if strings.HasPrefix(c.Get("Descripción"), "El computador no enciende") {
			got = c.Get("Descripción")
		}
	}
	if got == "" {
		t.Errorf("no case has the description answered to the recreated question")
	}
}
