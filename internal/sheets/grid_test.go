package sheets_test

import (
	"context"
	"errors"
	"testing"

	"google.golang.org/api/option"
	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/sheets"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// client opens a fake with one spreadsheet of the given tabs, each at
// rows × 26 columns (Google's default width), and a client on it that
// counts the fake's calls.
func client(t testing.TB, rows int64, tabs ...string) (*sheets.Client, *workspacefake.Server) {
	t.Helper()
	s, err := workspacefake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	ctx := context.Background()
	opts := []option.ClientOption{option.WithEndpoint(s.URL() + "/"), option.WithHTTPClient(s.HTTPClient()), option.WithoutAuthentication()}
	svc, err := gsheets.NewService(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	req := &gsheets.Spreadsheet{}
	for _, tab := range tabs {
		req.Sheets = append(req.Sheets, &gsheets.Sheet{Properties: &gsheets.SheetProperties{Title: tab, GridProperties: &gsheets.GridProperties{RowCount: rows}}})
	}
	ss, err := svc.Spreadsheets.Create(req).Do()
	if err != nil {
		t.Fatal(err)
	}
	c, err := sheets.New(ctx, ss.SpreadsheetId, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

func rowsOf(n int) [][]any {
	out := make([][]any, n)
	for i := range out {
		out[i] = []any{i, "x"}
	}
	return out
}

func grid(t *testing.T, c *sheets.Client, tab string) workbook.Grid {
	t.Helper()
	b, err := c.Budget(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range b.Tabs {
		if g.Title == tab {
			return g
		}
	}
	t.Fatalf("no tab %s", tab)
	return workbook.Grid{}
}

func TestWriteGrowsWithHeadroomInTwoCalls(t *testing.T) {
	ctx := context.Background()
	c, s := client(t, 1000, "Historial", "Casos")
	if _, err := c.Read(ctx, []string{"Historial", "Casos"}); err != nil { // learns both grids
		t.Fatal(err)
	}
	// The read's ranges gave the grids: a write inside them is one call.
	s.ResetCalls()
	if n, err := c.Write(ctx, []workbook.Update{{Range: workbook.A1("Casos", 0, 1000, 25, 1000), Values: [][]any{make([]any, 26)}}}); err != nil || n != 1 {
		t.Errorf("write of the last row of Casos: %d calls %v, err %v; want 1 call", n, s.Calls(), err)
	}
	s.ResetCalls()
	// Rows 2..1001 of Historial: one past the grid.
	n, err := c.Write(ctx, []workbook.Update{{Range: workbook.A1("Historial", 0, 2, 1, 1001), Values: rowsOf(1000)}})
	if err != nil {
		t.Fatal(err)
	}
	calls := s.Calls()
	if n != 3 || calls["sheets.get"] != 1 || calls["sheets.batchUpdate"] != 1 || calls["sheets.values.batchUpdate"] != 1 {
		t.Errorf("write past the grid: %d calls %v; want one get, one appendDimension batch, one write", n, calls)
	}
	if g := grid(t, c, "Historial"); g.Rows != 1001+1000 || g.Cols != 26 {
		t.Errorf("Historial grid = %d×%d, want 2001×26 (what it needed plus 1,000 rows of headroom)", g.Rows, g.Cols)
	}
	// A write inside the grown grid costs no more than the write.
	s.ResetCalls()
	if n, err := c.Write(ctx, []workbook.Update{{Range: workbook.A1("Historial", 0, 1002, 1, 1500), Values: rowsOf(499)}}); err != nil || n != 1 {
		t.Errorf("write inside the grid: %d calls, %v", n, err)
	}
}

func TestWriteRetriesWhenAPersonShrankTheTab(t *testing.T) {
	ctx := context.Background()
	c, _ := client(t, 1000, "Historial")
	if _, err := c.Read(ctx, []string{"Historial"}); err != nil {
		t.Fatal(err)
	}
	// A person deletes 900 rows after the read: the client still believes 1,000.
	g := grid(t, c, "Historial")
	svc := c.Service()
	if _, err := svc.Spreadsheets.BatchUpdate(c.ID(), &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
		{UpdateSheetProperties: &gsheets.UpdateSheetPropertiesRequest{Fields: "gridProperties.rowCount",
			Properties: &gsheets.SheetProperties{SheetId: g.SheetID, GridProperties: &gsheets.GridProperties{RowCount: 100}}}},
	}}).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Read(ctx, []string{"Historial"}); err != nil { // an old read would do too; this one learns 100
		t.Fatal(err)
	}
	if _, err := c.Write(ctx, []workbook.Update{{Range: workbook.A1("Historial", 0, 1, 1, 500), Values: rowsOf(500)}}); err != nil {
		t.Fatalf("write after the tab shrank: %v", err)
	}
}

func TestWriteAtTheCellLimit(t *testing.T) {
	ctx := context.Background()
	// Two tabs of 26 columns: 2 × 190,000 × 26 = 9,880,000 cells; 120,000 free.
	c, s := client(t, 190_000, "Historial", "Casos")
	if _, err := c.Read(ctx, []string{"Historial"}); err != nil {
		t.Fatal(err)
	}
	// 3,000 rows more (78,000 cells) fit, but not with 19,000 rows of headroom:
	// the client grows exactly what the write needs.
	if _, err := c.Write(ctx, []workbook.Update{{Range: workbook.A1("Historial", 0, 190_001, 1, 193_000), Values: rowsOf(3000)}}); err != nil {
		t.Fatal(err)
	}
	if g := grid(t, c, "Historial"); g.Rows != 193_000 {
		t.Errorf("Historial grew to %d rows, want exactly 193,000 near the limit", g.Rows)
	}
	// 2,000 rows more (52,000 cells) do not fit in the 42,000 left: refused
	// before anything is written.
	s.ResetCalls()
	_, err := c.Write(ctx, []workbook.Update{
		{Range: workbook.A1("Casos", 0, 2, 1, 2), Values: rowsOf(1)},
		{Range: workbook.A1("Historial", 0, 193_001, 1, 195_000), Values: rowsOf(2000)},
	})
	var lim *workbook.CellLimitError
	if !errors.As(err, &lim) || !errors.Is(err, workbook.ErrCellLimit) || lim.Cells != 9_958_000 || lim.Limit != 10_000_000 || lim.Need != 52_000 {
		t.Fatalf("write past the cell limit: %v (%+v)", err, lim)
	}
	if calls := s.Calls(); calls["sheets.values.batchUpdate"]+calls["sheets.batchUpdate"] != 0 {
		t.Errorf("a refused write still wrote: %v", calls)
	}
	if got, _ := c.Read(ctx, []string{"Casos"}); len(got[0]) != 0 {
		t.Errorf("Casos written: %v", got[0])
	}
}

// BenchmarkWriteGrow compares a one-row write at row 1,001 of a 1,000-row
// tab (the client first reads the grid sizes and appends rows) with the
// same write at row 1,000, on the fake: the difference is the cost of the
// two extra calls, without Google's round trips.
func BenchmarkWriteGrow(b *testing.B) {
	ctx := context.Background()
	for _, grows := range []bool{true, false} {
		b.Run(map[bool]string{true: "grows", false: "fits"}[grows], func(b *testing.B) {
			c, s := client(b, 1000, "Historial", "Casos", "Notificaciones")
			b0, err := c.Budget(ctx)
			if err != nil {
				b.Fatal(err)
			}
			shrink := &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
				{UpdateSheetProperties: &gsheets.UpdateSheetPropertiesRequest{Fields: "gridProperties.rowCount",
					Properties: &gsheets.SheetProperties{SheetId: b0.Tabs[0].SheetID, GridProperties: &gsheets.GridProperties{RowCount: 1000}}}},
			}}
			row := map[bool]int{true: 1001, false: 1000}[grows]
			calls := 0
			for b.Loop() {
				b.StopTimer()
				if _, err := c.Service().Spreadsheets.BatchUpdate(c.ID(), shrink).Do(); err != nil {
					b.Fatal(err)
				}
				if _, err := c.Read(ctx, []string{"Historial"}); err != nil { // learns 1,000 rows, as a cycle's read does
					b.Fatal(err)
				}
				s.ResetCalls()
				b.StartTimer()
				if _, err := c.Write(ctx, []workbook.Update{{Range: workbook.A1("Historial", 0, row, 1, row), Values: rowsOf(1)}}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				calls = 0
				for _, n := range s.Calls() {
					calls += n
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(calls), "sheets-calls/op")
		})
	}
}

// A tab title with "!" and a quote in it (people name tabs freely) is read
// and grown like any other.
func TestWriteGrowsATabWithAnOddTitle(t *testing.T) {
	ctx := context.Background()
	const title = "¡Ojo! Año '26"
	c, s := client(t, 10, title)
	if _, err := c.Read(ctx, []string{title}); err != nil {
		t.Fatal(err)
	}
	s.ResetCalls()
	if n, err := c.Write(ctx, []workbook.Update{{Range: workbook.A1(title, 0, 1, 1, 10), Values: rowsOf(10)}}); err != nil || n != 1 {
		t.Errorf("write inside the grid: %d calls, %v", n, err)
	}
	if _, err := c.Write(ctx, []workbook.Update{{Range: workbook.A1(title, 0, 11, 1, 12), Values: rowsOf(2)}}); err != nil {
		t.Errorf("write past the grid: %v", err)
	}
	if g := grid(t, c, title); g.Rows != 1012 {
		t.Errorf("grid = %d rows, want 1,012", g.Rows)
	}
}
