package workbook

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// What a Sheets adapter tells its callers, in the workbook's terms: the
// worker and the report declare the Sheet they need and match these errors
// without knowing the Google client behind it.

// ErrMissingTab is returned by a read of a tab that does not exist.
var ErrMissingTab = errors.New("a tab is missing")

// Recheck moves positional writes to where their rows are now (the worker
// reads the key columns again); it may drop some.
type Recheck func(ctx context.Context, ups []Update) ([]Update, error)

// Grid is the size of one tab.
type Grid struct {
	Title      string
	SheetID    int64
	Rows, Cols int
}

// Budget is the workbook's use of Google's cell limit.
type Budget struct {
	Tabs  []Grid
	Cells int // every cell of every grid, empty ones included
	Limit int
}

// Percent is the share of the limit in use, 0-100.
func (b Budget) Percent() float64 { return 100 * float64(b.Cells) / float64(b.Limit) }

// CellLimitError says a write needs more cells than the workbook can hold.
type CellLimitError struct {
	Cells, Need, Limit int // in use now, more needed, Google's limit
	Tabs               []string
}

func (e *CellLimitError) Error() string {
	return fmt.Sprintf("workbook full: growing %s needs %d more cells, the workbook has %d of Google's %d",
		strings.Join(e.Tabs, ", "), e.Need, e.Cells, e.Limit)
}

// ErrCellLimit matches a *CellLimitError with errors.Is.
var ErrCellLimit = errors.New("workbook cell limit")

func (e *CellLimitError) Is(target error) bool { return target == ErrCellLimit }
