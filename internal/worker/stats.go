package worker

import (
	"context"

	"github.com/funza-tic/mesa/internal/workbook"
)

// Stats counts rows by Estado for the metrics of `mesa run`.
type Stats struct {
	Cases map[string]int // Casos by Estado
	Mail  map[string]int // Notificaciones (the outbox) by Estado
	// The workbook's cells (every grid cell of every tab, empty ones
	// too) and Google's limit; zero when the Sheet cannot count them.
	Cells, CellLimit int
}

// Stats reads Casos and Notificaciones in one call and counts their rows
// by Estado, and counts the workbook's cells in another (spreadsheets.get of
// the grid sizes). `mesa run` calls it now and then, not every cycle, so an
// idle cycle stays at one cheap call per source.
func (w *Worker) Stats(ctx context.Context) (Stats, error) {
	tabs := []workbook.Tab{workbook.Casos, workbook.Notificaciones}
	vals, err := w.Sheet.Read(ctx, []string{tabs[0].Name, tabs[1].Name})
	if err != nil {
		return Stats{}, err
	}
	count := func(t workbook.Tab, v [][]any) map[string]int {
		out := map[string]int{}
		for _, r := range workbook.NewTable(t, v).Records() {
			out[r.Get("Estado")]++
		}
		return out
	}
	st := Stats{Cases: count(tabs[0], vals[0]), Mail: count(tabs[1], vals[1])}
	if cc, ok := w.Sheet.(CellCounter); ok {
		b, err := cc.Budget(ctx)
		if err != nil {
			return st, err
		}
		st.Cells, st.CellLimit = b.Cells, b.Limit
	}
	return st, nil
}
