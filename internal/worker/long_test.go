package worker_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// The shapes of long answers people really send: an error log pasted into
// the description (a print spooler's, here), and a page's HTML source pasted
// whole, which is mostly '<' and '>' (encoding/json writes each as \u003c,
// six characters, so 9,000 of them used to overflow a Historial cell).
var (
	spoolerLine = `16/03/2026 08:02:11 ERROR spoolsv.exe: <Job id="412" printer="HP-LaserJet-2piso"> estado=atascado & reintento=3` + "\n"
	pastedLog   = strings.Repeat(spoolerLine, 60_000/len(spoolerLine)+1)[:60_000]
	angles      = strings.Repeat("<", 20_000)
)

// DESIGN.md §5: "import never refuses an answer for its length: the worker
// truncates or rejects it when it applies it", and "Bad input never stops
// a cycle". A 60,000-character description, a 20,000 '<' one, a 60,000
// character agent answer and a 60,000 character case number all go through
// cycles that succeed; the normal request after them is numbered; the long
// texts are cut with a note naming the form response that keeps them whole.
func TestLongAnswersDoNotStopTheDesk(t *testing.T) {
	e := officeEnv(t)
	request := func(at, email, desc string) string {
		id, err := e.ws.Fake.SubmitResponse(e.ws.FormIDs[procedure.Solicitudes], email, bogota(at), map[string]string{
			"Nombre completo": "Persona de prueba",
			"Dependencia":     "Secretaría de Hacienda", "Edificio": "Palacio Municipal",
			"Tipo de servicio": "Impresoras y escáneres", "Descripción de la solicitud": desc,
		})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	logID := request("2026-03-16 08:00", "jose.nunez@funza-cundinamarca.gov.co", pastedLog)
	request("2026-03-16 08:10", "maria.lopez@funza-cundinamarca.gov.co", angles)
	request("2026-03-16 08:20", "andres.vargas@funza-cundinamarca.gov.co", "La impresora del segundo piso no imprime")
	e.cycle(bogota("2026-03-16 09:00"))

	casos := e.casos()
	if got := casos["3"].Get("Descripción"); got != "La impresora del segundo piso no imprime" {
		t.Fatalf("the request after the long ones is not case 3: %q", got)
	}
	d1 := casos["1"].Get("Descripción")
	note := "la respuesta completa está en el formulario, respuesta " + logID + "]"
	if !strings.HasPrefix(d1, spoolerLine[:40]) || !strings.Contains(d1, "[Texto recortado a ") || !strings.HasSuffix(d1, note) {
		t.Errorf("case 1 description is not the cut log with its note: ...%q", d1[max(0, len(d1)-200):])
	}
	if got := casos["2"].Get("Descripción"); got != angles {
		t.Errorf("20,000 '<' fit a cell as they are, but case 2 holds %d characters", len(got))
	}
	for _, r := range e.tab(workbook.Historial) {
		var d procedure.Data
		if err := json.Unmarshal([]byte(r.Get("Datos")), &d); err != nil {
			t.Errorf("Historial row %d does not read back: %v", r.Line, err)
		}
	}
	acks := map[string]int{}
	for _, m := range e.sent() {
		if m.Kind == "acuse" {
			acks[m.To]++
		}
	}
	if len(acks) != 3 {
		t.Errorf("acknowledgements: %v, want one to each of the three requesters", acks)
	}

	// An agent's 60,000-character answer flagged as a lesson, and a
	// reassignment whose case number is 60,000 characters long.
	e.answer(procedure.Respuestas, "carlos.perez@funza-cundinamarca.gov.co", bogota("2026-03-16 10:00"), map[procedure.Field]string{
		procedure.FCase: "1", procedure.FState: "Resuelto", procedure.FActivities: pastedLog, procedure.FLesson: "Sí",
	})
	e.answer(procedure.Reasignaciones, "andrea.rojas@funza-cundinamarca.gov.co", bogota("2026-03-16 10:05"), map[procedure.Field]string{
		procedure.FCase: strings.Repeat("9", 60_000), procedure.FNewAgent: "Carlos Pérez", procedure.FCriterion: "Orden directa del Jefe de la Oficina",
	})
	request("2026-03-16 10:10", "camila.ortiz@funza-cundinamarca.gov.co", "El escáner no enciende")
	e.cycle(bogota("2026-03-16 11:00"))
	e.cycle(bogota("2026-03-16 11:05"))

	casos = e.casos()
	if casos["1"].Get("Estado") != "Resuelto" || casos["4"].Get("Descripción") != "El escáner no enciende" {
		t.Errorf("case 1 = %s, case 4 = %q: the answer or the next request was lost", casos["1"].Get("Estado"), casos["4"].Get("Descripción"))
	}
	lessons := e.tab(workbook.Lecciones)
	if len(lessons) != 1 || !strings.Contains(lessons[0].Get("Actividades realizadas"), "[Texto recortado a ") {
		t.Errorf("Lecciones does not hold the cut activities: %d rows", len(lessons))
	}
	rech := e.tab(workbook.Rechazos)
	if len(rech) != 1 || !strings.HasPrefix(rech[0].Get("Motivo"), "El número de caso «999") || !strings.Contains(rech[0].Get("Motivo"), "[Texto recortado a ") {
		t.Errorf("the reassignment with a 60,000-digit case number is not in Rechazos with a cut reason: %d rows", len(rech))
	}
}

// A cycle's write split in several requests can fail between two of them.
// Whichever request fails, the next cycle repairs the workbook and every
// notification is sent exactly once: none is lost because its event was
// journaled by the failed cycle (issue 11), none is sent twice.
func TestSplitWriteFailingAfterTheOutboxLosesNoMail(t *testing.T) {
	run := func(k int) (map[string]int, error) {
		e := officeEnv(t)
		e.ws.Sheets.MaxPayload = 1500 // one request per tab or so
		e.importCSV(procedure.Solicitudes, "forms/solicitudes.csv")
		e.ws.Fake.SetFault(failNth("sheets.values.batchUpdate", k, workspacefake.Fault{Status: http.StatusBadRequest}))
		_, err := e.w.Cycle(context.Background(), bogota("2026-03-17 12:00"), false)
		e.ws.Fake.SetFault(nil)
		e.cycle(bogota("2026-03-17 12:05"))
		// A claim the failed cycle left on rows it could not send is
		// looked up in Gmail once stale (outbox.go, claimStale).
		e.cycle(bogota("2026-03-17 12:30"))
		if n := len(e.casos()); n != 7 {
			t.Errorf("fault on write %d: Casos has %d cases, want 7", k, n)
		}
		kinds := map[string]int{}
		byID := map[string]int{}
		for _, m := range e.sent() {
			byID[m.ID]++
			kinds[m.Kind]++
		}
		for id, n := range byID {
			if n != 1 {
				t.Errorf("fault on write %d: notification %s sent %d times", k, id, n)
			}
		}
		return kinds, err
	}
	want, _ := run(0)
	if want["acuse"] != 7 || want["asignacion"] != 6 {
		t.Fatalf("without faults the office sends %v", want)
	}
	for k := 1; ; k++ {
		got, err := run(k)
		if err == nil {
			if k < 4 {
				t.Fatalf("the cycle's writes took %d requests; the test needs them split", k-1)
			}
			return // k is past the cycle's last write
		}
		if !maps.Equal(got, want) {
			t.Errorf("fault on write %d: sent %v, want %v", k, got, want)
		}
	}
}

// failNth fails only the n-th call of method.
func failNth(method string, n int, f workspacefake.Fault) workspacefake.FaultFunc {
	var mu sync.Mutex
	seen := 0
	return func(_ *http.Request, m string) *workspacefake.Fault {
		if m != method {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		seen++
		if seen == n {
			return &f
		}
		return nil
	}
}
