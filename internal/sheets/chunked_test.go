package sheets_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/funza-tic/mesa/internal/workbook"
)

// A tab read in row ranges reads as the same Table as the whole tab read
// at once: the empty rows inside it stay where they are (a range answers
// without its trailing empty rows), and a date a person typed reads as a
// date. The ranges follow the grids read first (Google refuses a range past
// the grid, FIDELITY.md). Small tabs cost one values.batchGet, as Read,
// after the spreadsheets.get of the grids.
func TestReadTablesInPages(t *testing.T) {
	ctx := context.Background()
	c, s := client(t, 300, workbook.Historial.Name, workbook.Festivos.Name)
	var rows [][]any
	rows = append(rows, []any{"ID", "Fecha efectiva", "Evento"})
	for i := 1; i <= 250; i++ {
		switch {
		case i >= 114 && i <= 124: // emptied by a person: sheet rows 115-125, across the range ending at 120
			rows = append(rows, []any{"", "", ""})
		default:
			rows = append(rows, []any{fmt.Sprintf("e%d", i), "2026-03-16T10:00:00-05:00", "registrado"})
		}
	}
	if _, err := c.Write(ctx, []workbook.Update{
		{Range: workbook.A1(workbook.Historial.Name, 0, 1, 2, len(rows)), Values: rows},
		{Range: workbook.A1(workbook.Festivos.Name, 0, 1, 1, 2), Values: [][]any{{"Fecha", "Descripción"}, {46097.0, "San José"}}},
	}); err != nil {
		t.Fatal(err)
	}
	tabs := []workbook.Tab{workbook.Historial, workbook.Festivos}
	whole, err := c.Read(ctx, []string{workbook.Historial.Name, workbook.Festivos.Name})
	if err != nil {
		t.Fatal(err)
	}

	paged := c.Other(c.ID())  // a new client: it does not know the grids
	paged.PageCells = 26 * 40 // 40 rows of the 26-column grid per request
	s.ResetCalls()
	got, err := paged.ReadTables(ctx, tabs)
	if err != nil {
		t.Fatal(err)
	}
	for i, tab := range tabs {
		want := workbook.NewTable(tab, whole[i])
		if !slices.Equal(got[i].Header, want.Header) || len(got[i].Rows) != len(want.Rows) {
			t.Fatalf("%s: header %q and %d rows, want %q and %d", tab.Name, got[i].Header, len(got[i].Rows), want.Header, len(want.Rows))
		}
		for r := range want.Rows {
			if !slices.Equal(got[i].Rows[r], want.Rows[r]) && !(len(got[i].Rows[r]) == 0 && len(want.Rows[r]) == 0) {
				t.Fatalf("%s row %d = %q, want %q", tab.Name, r+2, got[i].Rows[r], want.Rows[r])
			}
		}
	}
	if d := got[1].Rows[0][0]; d != "2026-03-16" {
		t.Errorf("Festivos date read in pages = %q, want 2026-03-16", d)
	}
	// 300 rows × 26 columns in 40-row ranges: 8 per tab, one per request,
	// after the one spreadsheets.get of the grids.
	if n := s.Calls(); n["sheets.get"] != 1 || n["sheets.values.batchGet"] != 16 {
		t.Errorf("calls %v, want 1 spreadsheets.get and 16 values.batchGet", n)
	}

	s.ResetCalls()
	if _, err := c.Other(c.ID()).ReadTables(ctx, tabs); err != nil {
		t.Fatal(err)
	}
	if n := s.Calls(); n["sheets.get"] != 1 || n["sheets.values.batchGet"] != 1 {
		t.Errorf("calls of a small workbook %v, want 1 spreadsheets.get and 1 values.batchGet", n)
	}
}
