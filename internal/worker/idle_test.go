package worker_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/worker"
)

// An idle cycle makes one cheap call per source: the workbook's Drive
// version and one filtered responses.list per form; it reads no tab.
func TestIdleCycleIsCheap(t *testing.T) {
	e := officeEnv(t)
	e.w.SpreadsheetID, e.w.Changes = e.ws.Sheets.ID(), e.ws.Drive
	e.w.Watch = worker.FileWatch(filepath.Join(t.TempDir(), "watch.json"))
	e.importCSV(procedure.Solicitudes, "forms/solicitudes.csv")
	e.cycle(bogota("2026-03-17 09:00"))

	e.ws.Fake.ResetCalls()
	rep := e.cycle(bogota("2026-03-17 09:05"))
	calls := e.ws.Fake.Calls()
	if !rep.Idle {
		t.Fatalf("second cycle was not idle: %+v (calls %v)", rep, calls)
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
	// So does an edit of the workbook by a person (the Drive version moves).
	e.sheet("Agentes", "sheets/agentes.csv")
	if rep := e.cycle(bogota("2026-03-17 10:06")); rep.Idle {
		t.Errorf("cycle after an admin edit was idle")
	}
	// (Case 4's service level passed at 10:05:59; nothing falls due until case 7's.)
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
