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
	if !reflect.DeepEqual(newUps, ups) || !reflect.DeepEqual(newAfter, after) {
		t.Fatalf("PlanNew planned\n%+v\nPlan planned\n%+v", newUps, ups)
	}
	if len(after.Rows) != 4 {
		t.Fatalf("after has %d rows, want 4", len(after.Rows))
	}
}
