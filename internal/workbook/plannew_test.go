package workbook

import (
	"reflect"
	"testing"
)

// PlanNew writes new journal rows exactly as Plan does (below the last
// row, a missing header column first), without indexing the tab's keys.
func TestPlanNewWritesAsPlan(t *testing.T) {
	tb := NewTable(Historial, [][]any{
		{"ID", "Fecha", "Caso", "Regla"},
		{"E1", "2026-03-02 08:00:00", 1.0, "F-1"},
		{"E2", "2026-03-02 08:00:00", 1.0, "F-2"},
	})
	row := func(id string) []string {
		r := make([]string, len(Historial.Columns))
		r[0], r[1] = id, "2026-03-02 09:00:00"
		return r
	}
	desired := [][]string{row("E3"), row("E4")}
	ups, after := Plan(tb, desired)
	newUps, newAfter := PlanNew(tb, desired)
	if !reflect.DeepEqual(newUps, ups) || !reflect.DeepEqual(newAfter.Header, after.Header) || !reflect.DeepEqual(newAfter.Rows, after.Rows) {
		t.Fatalf("PlanNew planned\n%+v\nPlan planned\n%+v", newUps, ups)
	}
	if len(after.Rows) != 4 {
		t.Fatalf("after has %d rows, want 4", len(after.Rows))
	}
}

// Plans in a row share one key index; a plan whose result is dropped (its
// write failed) leaves entries for rows the sheet does not have, and the
// next plan from the table before it still finds every row where it is.
func TestPlanKeyIndexAfterADroppedPlan(t *testing.T) {
	tb := NewTable(Rechazos, [][]any{
		{"Respuesta", "Fecha", "Formulario", "Correo", "Caso", "Motivo"},
		{"A", "1"},
		{"B", "2"},
	})
	row := func(key, v string) []string {
		r := make([]string, len(Rechazos.Columns))
		r[0], r[1] = key, v
		return r
	}
	if ups, indexed := Plan(tb, [][]string{row("A", "1")}); len(ups) != 0 {
		t.Fatalf("an unchanged row planned %v", ups)
	} else {
		tb = indexed // indexed once: the plans below share its index
	}
	_, dropped := Plan(tb, [][]string{row("C", "3")})
	if len(dropped.Rows) != 3 {
		t.Fatalf("the dropped plan has %d rows, want 3", len(dropped.Rows))
	}
	_, after := Plan(tb, [][]string{row("D", "4")})
	ups, after2 := Plan(after, [][]string{row("C", "5"), row("D", "6"), row("A", "7")})
	var got []string
	for _, u := range ups {
		got = append(got, u.Range)
	}
	want := []string{"'Rechazos'!B4:B4", "'Rechazos'!B2:B2", "'Rechazos'!A5:F5"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("planned %v, want %v (D is sheet row 4, A row 2, C new at row 5)", got, want)
	}
	if k := after2.Rows[3][0]; k != "C" {
		t.Fatalf("row 5 holds %q, want C", k)
	}
}
