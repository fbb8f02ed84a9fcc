package worker

import (
	"context"
	"fmt"

	"github.com/funza-tic/mesa/internal/workbook"
)

// guard checks positional writes against the rows' keys just before they
// are written. A cycle finds rows by key when it reads the workbook and
// writes them seconds later; meanwhile people sort Casos, insert or delete
// rows, and a rival cycle may add rows. One batchGet of the key columns of
// the tabs written by position (whatever the number of rows) lets every
// write follow its row (workbook.Rebase). New rows of Casos and
// Notificaciones are then inserted, not written by position, so nothing of
// a person's can be under them (sheets/insert.go). What remains is the
// latency of a write to an existing row: Sheets has no conditional write.
func (w *Worker) guard(ctx context.Context, ups []workbook.Update) ([]workbook.Update, error) {
	cols := map[string]int{}
	var tabs []string
	for _, u := range ups {
		if u.At == nil || len(u.At.Keys) == 0 {
			continue
		}
		if _, ok := cols[u.At.Tab]; !ok {
			cols[u.At.Tab] = u.At.KeyCol
			tabs = append(tabs, u.At.Tab)
		}
	}
	if len(tabs) == 0 {
		return ups, nil
	}
	ranges := make([]string, len(tabs))
	for i, t := range tabs {
		ranges[i] = workbook.KeyRange(t, cols[t])
	}
	vals, err := w.Sheet.ReadRanges(ctx, ranges)
	if err != nil {
		return nil, fmt.Errorf("check row keys before writing: %w", err)
	}
	keys := map[string][]any{}
	for i, t := range tabs {
		col := make([]any, len(vals[i]))
		for r, row := range vals[i] {
			if len(row) > 0 {
				col[r] = row[0]
			}
		}
		keys[t] = col
	}
	out, moved := workbook.Rebase(ups, keys)
	if moved > 0 {
		w.Log.Info("rows moved since the workbook was read; writes follow their keys", "writes", moved)
	}
	return out, nil
}
