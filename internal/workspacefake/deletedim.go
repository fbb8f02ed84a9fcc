package workspacefake

import (
	"fmt"
	"slices"

	"google.golang.org/api/sheets/v4"
)

// deleteDimension deletes rows (or columns) [startIndex, endIndex) and
// shifts the cells after them up (or left), shrinking the grid. Like
// Google, it refuses to delete every non-frozen row or column ("Sorry, it
// is not possible to delete all non-frozen rows.", FIDELITY.md). Like
// insertDimension, it does not shift protected ranges, filter views or
// validation rules (a known difference, doc.go).
func (ss *spreadsheet) deleteDimension(d *sheets.DimensionRange) error {
	sh := ss.sheetByID(d.SheetId)
	if sh == nil {
		return fmt.Errorf("No grid with id: %d", d.SheetId)
	}
	from, to := int(d.StartIndex), int(d.EndIndex)
	if to <= from || from < 0 {
		return fmt.Errorf("range.endIndex must be greater than range.startIndex")
	}
	g := sh.props().GridProperties
	switch d.Dimension {
	case "ROWS":
		if to > sh.rowCount() {
			return fmt.Errorf("Invalid requests[0].deleteDimension: Cannot delete rows past the end of the grid (%d rows).", sh.rowCount())
		}
		if int64(sh.rowCount()-(to-from)) <= g.FrozenRowCount {
			return fmt.Errorf("Sorry, it is not possible to delete all non-frozen rows.")
		}
		g.RowCount -= int64(to - from)
		ss.shiftMeta(sh.id(), "ROWS", from, from-to)
		// A new slice, never the old one changed in place: a batch works on
		// a copy that shares the rows (applySheetsBatchUpdate). The copy is
		// made once per batch; the batch's later deletions reuse it.
		if from < len(sh.Rows) {
			if !sh.ownRows {
				sh.Rows, sh.ownRows = slices.Clone(sh.Rows), true
			}
			sh.Rows = slices.Delete(sh.Rows, from, min(to, len(sh.Rows)))
		}
	case "COLUMNS":
		if to > sh.colCount() {
			return fmt.Errorf("Invalid requests[0].deleteDimension: Cannot delete columns past the end of the grid (%d columns).", sh.colCount())
		}
		if int64(sh.colCount()-(to-from)) <= g.FrozenColumnCount {
			return fmt.Errorf("Sorry, it is not possible to delete all non-frozen columns.")
		}
		g.ColumnCount -= int64(to - from)
		ss.shiftMeta(sh.id(), "COLUMNS", from, from-to)
		rows := make([]row, len(sh.Rows))
		for i, r := range sh.Rows {
			rows[i] = r
			if from < len(r) {
				rows[i] = slices.Delete(slices.Clone(r), from, min(to, len(r)))
			}
		}
		sh.Rows = rows
	default:
		return fmt.Errorf("range.dimension must be ROWS or COLUMNS")
	}
	return nil
}
