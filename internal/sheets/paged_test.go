package sheets_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/funza-tic/mesa/internal/workbook"
)

// A paged read gives the tables a whole read gives: every row where it is
// (data row i is sheet row i+2), also past runs of blank rows longer than
// a page, for tabs of different lengths read side by side.
func TestReadPagedEqualsRead(t *testing.T) {
	c, _ := client(t, 40, "Casos", "Rechazos")
	ctx := context.Background()
	casos := [][]any{{"Caso", "Estado"}, {1.0, "Abierto"}, {2.0, "Cerrado"}}
	for range 9 { // a run of blank rows longer than a page of 4
		casos = append(casos, []any{})
	}
	casos = append(casos, []any{12.0, "Abierto"}, []any{}, []any{14.0, "En Espera"})
	ups := []workbook.Update{
		{Range: "'Casos'!A1:B15", Values: casos},
		{Range: "'Rechazos'!A1:A2", Values: [][]any{{"Respuesta"}, {"r1"}}},
	}
	if _, err := c.Write(ctx, ups); err != nil {
		t.Fatal(err)
	}
	tabs := []workbook.Tab{workbook.Casos, workbook.Rechazos}
	whole, err := c.Read(ctx, []string{"Casos", "Rechazos"})
	if err != nil {
		t.Fatal(err)
	}
	paged := make([]workbook.Table, len(tabs))
	for i := range tabs {
		paged[i].Tab = tabs[i]
	}
	pages := 0
	if err := c.ReadPaged(ctx, []string{"Casos", "Rechazos"}, 4, func(i, first int, v [][]any) {
		pages++
		paged[i].AppendPage(first, v)
	}); err != nil {
		t.Fatal(err)
	}
	if pages != 20 { // each tab's grid of 40 rows in pages of 4
		t.Fatalf("%d pages, want 20", pages)
	}
	for i, tab := range tabs {
		want := workbook.NewTable(tab, whole[i])
		got := paged[i]
		if !reflect.DeepEqual(got.Header, want.Header) || len(got.Rows) != len(want.Rows) {
			t.Fatalf("%s: paged read has header %v and %d rows, whole read %v and %d", tab.Name, got.Header, len(got.Rows), want.Header, len(want.Rows))
		}
		for r := range want.Rows {
			if len(want.Rows[r]) == 0 && len(got.Rows[r]) == 0 {
				continue
			}
			if !reflect.DeepEqual(got.Rows[r], want.Rows[r]) {
				t.Fatalf("%s row %d: paged %v, whole %v", tab.Name, r+2, got.Rows[r], want.Rows[r])
			}
		}
	}
}
