package worker_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

func officeEnv(t testing.TB) *env {
	e := newEnv(t)
	e.sheet("Agentes", "sheets/agentes.csv")
	e.sheet("Catálogo", "sheets/catalogo.csv")
	return e
}

// A Forms CSV export imported and synced gives numbered, assigned cases and
// one acknowledgement per case, through the real clients and the fake.
func TestSyncFromFormsExport(t *testing.T) {
	e := officeEnv(t)
	if n := e.importCSV(procedure.Solicitudes, "forms/solicitudes.csv"); n != 8 {
		t.Fatalf("imported %d rows, want 8", n)
	}
	rep := e.cycle(bogota("2026-03-17 12:00"))
	if rep.NewCases != 7 || rep.Rejected != 1 {
		t.Errorf("report = %+v, want 7 new cases and 1 rejection", rep)
	}
	want := []struct{ caso, requester, agent, state string }{
		{"1", "José Núñez", "Carlos Pérez", "Abierto"},      // building; tie broken by name
		{"2", "María López", "Ángela Muñoz", "Abierto"},     // Redes goes by service
		{"3", "Andrés Vargas", "Luz Dary Gómez", "Abierto"}, // tie broken by fewer open cases
		{"4", "Camila Ortiz", "Diana Castañeda", "Abierto"}, // inactive Jhon skipped
		{"5", "Luis Méndez", "Sin asignar", "Abierto"},      // nobody covers Comisaría de Familia
		{"6", "Inés Rojas", "Ángela Muñoz", "Abierto"},
		{"7", "Sofía Herrera", "Diana Castañeda", "Abierto"}, // the rejected request took no number
	}
	casos := e.casos()
	if len(casos) != len(want) {
		t.Fatalf("Casos has %d rows, want %d", len(casos), len(want))
	}
	for _, w := range want {
		r := casos[w.caso]
		if r.Get("Solicitante") != w.requester || r.Get("Agente asignado") != w.agent || r.Get("Estado") != w.state {
			t.Errorf("case %s = %s / %s / %s, want %s / %s / %s", w.caso, r.Get("Solicitante"), r.Get("Agente asignado"),
				r.Get("Estado"), w.requester, w.agent, w.state)
		}
	}
	if got := casos["6"].Get("Descripción"); !strings.HasPrefix(got, `=HYPERLINK("http://x")`) {
		t.Errorf("formula-looking text must be stored as text, got %q", got)
	}
	if got := casos["1"].Get("Fecha de registro"); got != "2026-03-16 08:02:11" {
		t.Errorf("Fecha de registro = %q", got)
	}
	rech := e.tab(workbook.Rechazos)
	if len(rech) != 1 || !strings.Contains(rech[0].Get("Motivo"), "Descripción de la solicitud") {
		t.Errorf("Rechazos = %+v", rech)
	}

	acks := map[string]int{}
	kinds := map[string]int{}
	for _, m := range e.sent() {
		kinds[m.Kind]++
		if m.Kind == "acuse" {
			acks[m.To]++
			if !strings.Contains(m.Subject, "Caso ") {
				t.Errorf("acknowledgement subject %q has no case number", m.Subject)
			}
		}
	}
	if len(acks) != 7 {
		t.Errorf("acknowledged %d requesters, want 7: %v", len(acks), acks)
	}
	for to, n := range acks {
		if n != 1 {
			t.Errorf("%s got %d acknowledgements", to, n)
		}
	}
	wantKinds := map[string]int{"acuse": 7, "asignacion": 6, "sin_asignar": 1, "rechazo": 2}
	for k, n := range wantKinds {
		if kinds[k] != n {
			t.Errorf("sent %d %q mails, want %d (all: %v)", kinds[k], k, n, kinds)
		}
	}
}

// Running a cycle twice at the same instant changes nothing the second time.
func TestCycleIsIdempotent(t *testing.T) {
	e := officeEnv(t)
	e.importCSV(procedure.Solicitudes, "forms/solicitudes.csv")
	now := bogota("2026-03-17 12:00")
	e.cycle(now)
	mails := len(e.ws.Fake.SentMail())
	e.ws.Fake.ResetCalls()
	rep := e.cycle(now)
	if rep.Events != 0 || rep.SheetWrites != 0 || rep.Mail.Sent != 0 {
		t.Errorf("second cycle did something: %+v", rep)
	}
	if calls := e.ws.Fake.Calls(); calls["sheets.values.batchUpdate"] != 0 {
		t.Errorf("second cycle wrote: %v", calls)
	}
	if got := len(e.ws.Fake.SentMail()); got != mails {
		t.Errorf("second cycle sent %d more mails", got-mails)
	}
}

// A busy cycle costs a constant number of Sheets calls whatever the number
// of new responses (one batchGet, a few batchUpdates), plus one Gmail call
// per mail.
func TestSheetsCallsAreConstant(t *testing.T) {
	for _, tc := range []struct {
		name         string
		exclusive    bool
		reads, write int
	}{
		// One read; three writes: the cycle's diff, the outbox claim, the outcomes.
		{"local backend (directory lock)", true, 1, 3},
		// Google mode, with or without the lease: also the key check before
		// the diff, the outbox's read before its claim, the read-back after
		// the settle wait, and the reads before and after the outcomes.
		{"Google mode, lease or not", false, 6, 3},
	} {
		t.Run(tc.name, func(t *testing.T) { sheetsCallsAreConstant(t, tc.exclusive, tc.reads, tc.write) })
	}
}

func sheetsCallsAreConstant(t *testing.T, exclusive bool, reads, writes int) {
	calls := func(n int) map[string]int {
		e := officeEnv(t)
		// A claim of 500 rows must land within the settle time even on a
		// loaded machine (race detector, two cores): a minute, not waited,
		// since no rival cycle runs here.
		e.w.Config.Exclusive, e.w.Config.ClaimSettle = exclusive, time.Minute
		e.w.Config.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
		e.cycle(bogota("2026-03-02 07:00")) // creates headers; not counted
		start := bogota("2026-03-02 08:00")
		for i := range n {
			e.submit(procedure.Solicitudes, fmt.Sprintf("usuario%03d@funza-cundinamarca.gov.co", i), start.Add(time.Duration(i)*time.Minute),
				map[string]string{"Nombre completo": fmt.Sprintf("Usuario %d", i), "Dependencia": "Secretaría de Hacienda",
					"Edificio": "Palacio Municipal", "Tipo de servicio": "Soporte de software", "Descripción de la solicitud": "No abre el programa"})
		}
		e.ws.Fake.ResetCalls()
		e.cycle(start.Add(24 * time.Hour))
		return e.ws.Fake.Calls()
	}
	small, big := calls(10), calls(500)
	for _, k := range []string{"sheets.values.batchGet", "sheets.values.batchUpdate"} {
		if small[k] != big[k] {
			t.Errorf("%s: %d calls for 10 responses, %d for 500", k, small[k], big[k])
		}
	}
	if big["sheets.values.batchGet"] != reads || big["sheets.values.batchUpdate"] != writes {
		t.Errorf("busy cycle made %v, want %d batchGet and %d batchUpdate", big, reads, writes)
	}
	// 1,000 mails are queued (acknowledgement + assignment each); one cycle
	// claims at most 500, the rest go out with the next cycle.
	if big["gmail.messages.send"] != 500 {
		t.Errorf("sent %d mails in the cycle, want 500 (one call per mail, up to the claim cap)", big["gmail.messages.send"])
	}
	// Without the directory lock, the new rows of Casos and Notificaciones
	// are inserted, never written by position (sheets/insert.go): one read
	// of the sheet ids and grid sizes, one spreadsheets.batchUpdate.
	inserts := map[bool]int{true: 0, false: 1}[exclusive]
	// 500 requests take Historial past Google's default 1,000 rows: that
	// cycle, and only that one, grows the tab first, with one read of the
	// grid sizes and one appendDimension batch (sheets/grid.go).
	if small["sheets.get"] != inserts || small["sheets.batchUpdate"] != inserts {
		t.Errorf("a cycle that fits its grids: %v, want %d sheets.get and %d sheets.batchUpdate", small, inserts, inserts)
	}
	if big["sheets.get"] != 1+inserts || big["sheets.batchUpdate"] != 1+inserts {
		t.Errorf("the cycle that outgrows Historial: %v, want %d sheets.get and %d sheets.batchUpdate", big, 1+inserts, 1+inserts)
	}
	// Without the directory lock each send is preceded by a Message-ID search.
	if wantList := map[bool]int{true: 0, false: 500}[exclusive]; big["gmail.messages.list"] != wantList {
		t.Errorf("searched Gmail %d times, want %d", big["gmail.messages.list"], wantList)
	}
	for k, n := range big {
		if strings.HasPrefix(k, "sheets.") && !strings.HasPrefix(k, "sheets.values.batch") && k != "sheets.get" && k != "sheets.batchUpdate" {
			t.Errorf("unexpected Sheets call %s ×%d", k, n)
		}
	}
}

// A workbook missing some tabs (an older one, or a tab deleted by hand) gets
// them back, and the cycle goes on in the same run.
func TestCycleAddsMissingTabs(t *testing.T) {
	e := officeEnv(t)
	svc, id := e.ws.Sheets.Service(), e.ws.Sheets.ID()
	ss, err := svc.Spreadsheets.Get(id).Do()
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == workbook.Lecciones.Name {
			_, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
				{DeleteSheet: &gsheets.DeleteSheetRequest{SheetId: sh.Properties.SheetId}}}}).Do()
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	e.importCSV(procedure.Solicitudes, "forms/solicitudes.csv")
	if rep := e.cycle(bogota("2026-03-17 12:00")); rep.NewCases != 7 {
		t.Errorf("cycle after a deleted tab: %+v", rep)
	}
	if got := e.tab(workbook.Lecciones); got != nil {
		t.Errorf("Lecciones should be back and empty, got %v", got)
	}
}
