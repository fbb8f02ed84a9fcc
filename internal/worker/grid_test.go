package worker_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Google's grids (FIDELITY.md, "Sheets: grid, cells and growth"): a tab
// made without a size has 1,000 rows × 26 columns and a write past it is
// refused, so the worker grows tabs before it writes past them.

// defaultGrids resizes every tab of the workbook to Google's default grid,
// as a workbook made by hand (or by `addSheet` without a size) has.
func (e *env) defaultGrids() {
	e.t.Helper()
	svc, id := e.ws.Sheets.Service(), e.ws.Sheets.ID()
	ss, err := svc.Spreadsheets.Get(id).Do()
	if err != nil {
		e.t.Fatal(err)
	}
	var reqs []*gsheets.Request
	for _, sh := range ss.Sheets {
		reqs = append(reqs, &gsheets.Request{UpdateSheetProperties: &gsheets.UpdateSheetPropertiesRequest{
			Fields: "gridProperties.rowCount,gridProperties.columnCount",
			Properties: &gsheets.SheetProperties{SheetId: sh.Properties.SheetId,
				GridProperties: &gsheets.GridProperties{RowCount: 1000, ColumnCount: 26}},
		}})
	}
	if _, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Do(); err != nil {
		e.t.Fatal(err)
	}
}

// resize sets a tab's row count, as a person (or a tab created with a size) does.
func (e *env) resize(title string, rows int64) {
	e.t.Helper()
	svc, id := e.ws.Sheets.Service(), e.ws.Sheets.ID()
	ss, err := svc.Spreadsheets.Get(id).Do()
	if err != nil {
		e.t.Fatal(err)
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == title {
			if _, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
				{UpdateSheetProperties: &gsheets.UpdateSheetPropertiesRequest{Fields: "gridProperties.rowCount",
					Properties: &gsheets.SheetProperties{SheetId: sh.Properties.SheetId, GridProperties: &gsheets.GridProperties{RowCount: rows}}}},
			}}).Do(); err != nil {
				e.t.Fatal(err)
			}
		}
	}
}

func (e *env) grids() map[string][2]int64 {
	e.t.Helper()
	ss, err := e.ws.Sheets.Service().Spreadsheets.Get(e.ws.Sheets.ID()).Do()
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string][2]int64{}
	for _, sh := range ss.Sheets {
		g := sh.Properties.GridProperties
		out[sh.Properties.Title] = [2]int64{g.RowCount, g.ColumnCount}
	}
	return out
}

func (e *env) submitRequests(n int, start time.Time) {
	e.t.Helper()
	for i := range n {
		e.submit(procedure.Solicitudes, fmt.Sprintf("usuario%03d@funza-cundinamarca.gov.co", i), start.Add(time.Duration(i)*time.Second),
			map[string]string{"Nombre completo": fmt.Sprintf("Usuario %d", i), "Dependencia": "Secretaría de Hacienda",
				"Edificio": "Palacio Municipal", "Tipo de servicio": "Soporte de software", "Descripción de la solicitud": "No abre el programa"})
	}
}

// Issue 11: "stop the desk after about 1,000 Historial rows". 600 requests
// in one sync write well over 1,000 journal rows into tabs at Google's
// default grid; every cycle succeeds and all 600 get their number.
func TestCycleOutgrowsDefaultGrid(t *testing.T) {
	e := officeEnv(t)
	e.defaultGrids()
	e.cycle(bogota("2026-03-02 07:00"))
	start := bogota("2026-03-02 08:00")
	e.submitRequests(600, start)

	rep := e.cycle(start.Add(24 * time.Hour)) // fails the test on any error
	if rep.NewCases != 600 || rep.Full {
		t.Fatalf("the sync of 600 requests: %+v", rep)
	}

	casos := e.casos()
	for n := 1; n <= 600; n++ {
		if _, ok := casos[strconv.Itoa(n)]; !ok {
			t.Errorf("case %d missing from Casos", n)
		}
	}
	if len(casos) != 600 {
		t.Errorf("Casos has %d cases, want 600", len(casos))
	}
	hist := e.tab(workbook.Historial)
	g := e.grids()
	if len(hist) <= 1000 || g[workbook.Historial.Name][0] <= int64(len(hist)) {
		t.Errorf("Historial has %d rows in a %v grid; want over 1,000 rows, inside the grid", len(hist), g[workbook.Historial.Name])
	}
	// Headroom: the grid grew once, by more than it needed.
	if g[workbook.Historial.Name][0] < int64(len(hist))+500 {
		t.Errorf("Historial grid %v leaves no headroom over %d rows", g[workbook.Historial.Name], len(hist))
	}
	for _, tab := range workbook.Worker {
		if gr := g[tab.Name]; gr[1] < int64(len(tab.Columns)) {
			t.Errorf("%s is %d columns wide, has %d columns", tab.Name, gr[1], len(tab.Columns))
		}
	}
	// The outbox draining over the next cycles: cmd/mesa TestSixHundredRequestsInOneSync.
}

// Google refuses a workbook over 10,000,000 cells, empty grid cells
// included. A cycle that would need more does not fail nor loop: it writes
// nothing of its plan (the requests wait in the form), tells the
// administrator in Spanish at once, and the next cycle after room is made
// numbers every request.
func TestCycleAtTheCellLimit(t *testing.T) {
	e := officeEnv(t)
	e.defaultGrids()
	e.cycle(bogota("2026-03-02 07:00"))
	// Historial made 50 rows long, and a tab of people's own that leaves 500
	// cells free: the journal of 40 requests (81 rows) needs 31 rows more of
	// 26 cells, 806 cells.
	e.resize(workbook.Historial.Name, 50)
	total := int64(0)
	for _, g := range e.grids() {
		total += g[0] * g[1]
	}
	free := int64(500)
	rows := (10_000_000 - total - free) / 10
	svc, id := e.ws.Sheets.Service(), e.ws.Sheets.ID()
	add, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
		{AddSheet: &gsheets.AddSheetRequest{Properties: &gsheets.SheetProperties{Title: "Inventario",
			GridProperties: &gsheets.GridProperties{RowCount: rows, ColumnCount: 10}}}},
	}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	start := bogota("2026-03-02 08:00")
	e.submitRequests(40, start)
	mails := len(e.ws.Fake.SentMail())

	now := start.Add(24 * time.Hour)
	for i := range 3 { // the same every cycle; no error, no new case
		rep := e.cycle(now.Add(time.Duration(i) * 5 * time.Minute))
		if !rep.Full || rep.NewCases != 0 {
			t.Fatalf("cycle %d at the cell limit: %+v", i, rep)
		}
	}
	if got := len(e.casos()); got != 0 {
		t.Errorf("Casos has %d cases written past a refused plan", got)
	}
	var notice []sentMail
	for _, m := range e.sent()[mails:] {
		if m.Kind == "resumen_admin" {
			notice = append(notice, m)
		}
	}
	if len(notice) != 1 {
		t.Fatalf("administrator notices = %d, want 1 (once a day, not once a cycle)", len(notice))
	}
	if !strings.Contains(notice[0].Subject, "Archivo lleno: las solicitudes nuevas no se registran") {
		t.Errorf("notice subject %q", notice[0].Subject)
	}
	body := parts(t, notice[0].Msg)["text/plain"]
	for _, want := range []string{"llegó al límite de celdas de Google", "las solicitudes nuevas no se están registrando", "10.000.000"} {
		if !strings.Contains(body, want) {
			t.Errorf("the administrator's notice does not say %q:\n%s", want, body)
		}
	}

	// The administrator deletes the tab: the next cycle numbers all 40.
	if _, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
		{DeleteSheet: &gsheets.DeleteSheetRequest{SheetId: add.Replies[0].AddSheet.Properties.SheetId}},
	}}).Do(); err != nil {
		t.Fatal(err)
	}
	rep := e.cycle(now.Add(time.Hour))
	if rep.Full || rep.NewCases != 40 {
		t.Errorf("cycle after room was made: %+v", rep)
	}
}

// The administrator's daily summary warns from 80 % of the cell limit and
// again, more urgently, from 90 % (issue 11); below 80 % it says nothing.
func TestDigestWarnsOfTheCellBudget(t *testing.T) {
	for _, tt := range []struct {
		name string
		pct  int64
		want string
	}{
		{"79 %", 79, ""},
		{"85 %", 85, "Aviso: el libro de la mesa usa"},
		{"93 %", 93, "ATENCIÓN: el libro de la mesa usa"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := officeEnv(t)
			e.w.Config.Digest = "07:00"
			e.cycle(bogota("2026-03-02 06:00"))
			e.submitRequests(3, bogota("2026-03-02 06:10")) // something to summarize
			total := int64(0)
			for _, g := range e.grids() {
				total += g[0] * g[1]
			}
			svc, id := e.ws.Sheets.Service(), e.ws.Sheets.ID()
			if _, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
				{AddSheet: &gsheets.AddSheetRequest{Properties: &gsheets.SheetProperties{Title: "Inventario",
					GridProperties: &gsheets.GridProperties{RowCount: (tt.pct*100_000 - total) / 10, ColumnCount: 10}}}},
			}}).Do(); err != nil {
				t.Fatal(err)
			}
			e.cycle(bogota("2026-03-02 07:05")) // Monday, a business day, after the digest time
			var text string
			for _, m := range e.sent() {
				if m.Kind == "resumen_admin" {
					text = parts(t, m.Msg)["text/plain"]
				}
			}
			if text == "" {
				t.Fatal("no administrator summary sent")
			}
			if tt.want == "" && strings.Contains(text, "celdas") || tt.want != "" && !strings.Contains(text, tt.want) {
				t.Errorf("summary at %s, want %q:\n%s", tt.name, tt.want, text)
			}
		})
	}
}

// BenchmarkCycleGrowth measures the cycle that takes Historial past Google's
// default 1,000 rows (it grows the tab first) against the same cycle on a
// tab already large enough. Each iteration starts a fresh office at
// Google's default grids with 450 requests applied (901 journal rows, 900
// outbox rows, all sent) and times one cycle of 60 new ones (120 more rows
// in each, 120 mails).
func BenchmarkCycleGrowth(b *testing.B) {
	for _, grows := range []bool{true, false} {
		b.Run(map[bool]string{true: "grows", false: "fits"}[grows], func(b *testing.B) {
			var calls map[string]int
			for b.Loop() {
				b.StopTimer()
				e := officeEnv(b)
				e.defaultGrids()
				if !grows {
					svc, id := e.ws.Sheets.Service(), e.ws.Sheets.ID()
					ss, err := svc.Spreadsheets.Get(id).Do()
					if err != nil {
						b.Fatal(err)
					}
					var reqs []*gsheets.Request
					for _, sh := range ss.Sheets {
						reqs = append(reqs, &gsheets.Request{AppendDimension: &gsheets.AppendDimensionRequest{SheetId: sh.Properties.SheetId, Dimension: "ROWS", Length: 1000}})
					}
					if _, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Do(); err != nil {
						b.Fatal(err)
					}
				}
				e.cycle(bogota("2026-03-02 07:00"))
				e.submitRequests(450, bogota("2026-03-02 08:00"))
				for _, at := range []string{"2026-03-02 17:00", "2026-03-02 17:05", "2026-03-02 17:10"} {
					e.cycle(bogota(at)) // apply, then drain the outbox
				}
				e.submitRequests(60, bogota("2026-03-03 08:00"))
				e.ws.Fake.ResetCalls()
				b.StartTimer()
				e.cycle(bogota("2026-03-03 09:00"))
				b.StopTimer()
				calls = e.ws.Fake.Calls()
				b.StartTimer()
			}
			n := 0
			for k, v := range calls {
				if strings.HasPrefix(k, "sheets.") {
					n += v
				}
			}
			b.Logf("Sheets calls of the timed cycle: %v", calls)
			b.ReportMetric(float64(n), "sheets-calls/cycle")
			b.ReportMetric(float64(calls["sheets.get"]+calls["sheets.batchUpdate"]), "growth-calls/cycle")
		})
	}
}
