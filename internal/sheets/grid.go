package sheets

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"google.golang.org/api/googleapi"
	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/retry"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Grids. Google refuses a value write that reaches a cell past a tab's grid
// ("Range ('Historial'!A1001) exceeds grid limits. Max rows: 1000, max
// columns: 26"); only values.append and the appendDimension and
// insertDimension requests grow a grid. A tab made without a size has 1,000
// rows, so the journal would stop after about a thousand rows. Write grows
// each tab before it writes past it, with headroom so that it is rare, and
// keeps the whole workbook under Google's 10,000,000 cells (every cell of
// every grid, empty ones too).
//
// Calls: Read learns the grid of every tab it reads from the ranges of the
// values.batchGet it makes anyway (a whole-tab range comes back as the
// tab's grid, 'Historial'!A1:AD1000), so a cycle whose writes fit costs
// nothing more. A write that goes past a grid costs two calls: one
// spreadsheets.get of the grid sizes (all tabs, for the cell count, and the
// sheet ids appendDimension needs) and one spreadsheets.batchUpdate with an
// appendDimension per tab that must grow.

// MaxCells is Google's limit on the cells of a spreadsheet.
const MaxCells = 10_000_000

// headroom returns the rows to add beyond what a write needs: a tenth of the
// tab, at least 1,000, so that a growing journal grows a few times a year.
func headroom(rows int) int { return max(1000, rows/10) }

// Budget reads every tab's grid in one spreadsheets.get.
func (c *Client) Budget(ctx context.Context) (workbook.Budget, error) {
	var ss *gsheets.Spreadsheet
	err := c.Retry.Do(ctx, retry.Transient, func() error {
		var err error
		ss, err = c.svc.Spreadsheets.Get(c.id).Fields("sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)))").Context(ctx).Do()
		return err
	})
	if err != nil {
		return workbook.Budget{}, fmt.Errorf("read grid sizes: %w", err)
	}
	b := workbook.Budget{Limit: MaxCells}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.grids = map[string]workbook.Grid{}
	for _, s := range ss.Sheets {
		p := s.Properties
		g := workbook.Grid{Title: p.Title, SheetID: p.SheetId}
		if p.GridProperties != nil {
			g.Rows, g.Cols = int(p.GridProperties.RowCount), int(p.GridProperties.ColumnCount)
		}
		b.Tabs = append(b.Tabs, g)
		b.Cells += g.Rows * g.Cols
		c.grids[g.Title] = g
	}
	return b, nil
}

// learn records the grid of a tab from the range of a whole-tab read.
func (c *Client) learn(tab, rng string) {
	i := strings.LastIndexByte(rng, '!') // a title may hold "!", a cell range never does
	if i < 0 {
		return
	}
	cells := rng[i+1:]
	_, end, ok := strings.Cut(cells, ":")
	if !ok {
		end = cells
	}
	col, row, ok := parseCell(end)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.grids == nil {
		c.grids = map[string]workbook.Grid{}
	}
	g := c.grids[tab]
	g.Title, g.Rows, g.Cols = tab, row, col
	c.grids[tab] = g
}

// parseCell reads "AD1000" as 30 columns and 1,000 rows.
func parseCell(s string) (cols, rows int, ok bool) {
	i := 0
	for i < len(s) && s[i] >= 'A' && s[i] <= 'Z' {
		cols = cols*26 + int(s[i]-'A'+1)
		i++
	}
	rows, err := strconv.Atoi(s[i:])
	return cols, rows, i > 0 && err == nil && rows > 0
}

// extent is how far a batch of updates reaches in each tab.
func extent(ups []workbook.Update) map[string][2]int {
	need := map[string][2]int{}
	for _, u := range ups {
		i := strings.LastIndexByte(u.Range, '!')
		if i < 0 {
			continue
		}
		tab, cells := u.Range[:i], u.Range[i+1:]
		if strings.HasPrefix(tab, "'") {
			tab = strings.ReplaceAll(strings.Trim(tab, "'"), "''", "'")
		}
		start, _, _ := strings.Cut(cells, ":")
		c0, r0, ok := parseCell(start)
		if !ok {
			continue
		}
		width := 0
		for _, r := range u.Values {
			width = max(width, len(r))
		}
		if len(u.Values) == 0 || width == 0 {
			continue
		}
		n := need[tab]
		n[0] = max(n[0], r0-1+len(u.Values))
		n[1] = max(n[1], c0-1+width)
		need[tab] = n
	}
	return need
}

// fit grows the tabs that ups would write past. fresh forces a new read of
// the grid sizes (a write was refused: a person may have deleted rows).
func (c *Client) fit(ctx context.Context, ups []workbook.Update, fresh bool) (int, error) {
	need := extent(ups)
	if !fresh && c.fits(need) {
		return 0, nil
	}
	b, err := c.Budget(ctx)
	calls := 1
	if err != nil {
		return calls, err
	}
	type growth struct {
		g          workbook.Grid
		rows, cols int
	}
	var grow []growth
	extra, exact := 0, 0
	for _, g := range b.Tabs {
		n, ok := need[g.Title]
		if !ok || n[0] <= g.Rows && n[1] <= g.Cols {
			continue
		}
		gr := growth{g: g, rows: max(n[0]-g.Rows, 0), cols: max(n[1]-g.Cols, 0)}
		if gr.rows > 0 {
			gr.rows += headroom(g.Rows)
		}
		exact += (max(g.Rows, n[0]))*(max(g.Cols, n[1])) - g.Rows*g.Cols
		extra += (g.Rows+gr.rows)*(g.Cols+gr.cols) - g.Rows*g.Cols
		grow = append(grow, gr)
	}
	if len(grow) == 0 {
		return calls, nil // a tab that does not exist: the write reports it
	}
	if b.Cells+extra > b.Limit {
		// No headroom then: just what this write needs, if that fits.
		if b.Cells+exact > b.Limit {
			e := &workbook.CellLimitError{Cells: b.Cells, Need: exact, Limit: b.Limit}
			for _, gr := range grow {
				e.Tabs = append(e.Tabs, gr.g.Title)
			}
			return calls, e
		}
		for i := range grow {
			n := need[grow[i].g.Title]
			grow[i].rows = max(n[0]-grow[i].g.Rows, 0)
		}
	}
	var reqs []*gsheets.Request
	for _, gr := range grow {
		if gr.rows > 0 {
			reqs = append(reqs, &gsheets.Request{AppendDimension: &gsheets.AppendDimensionRequest{SheetId: gr.g.SheetID, Dimension: "ROWS", Length: int64(gr.rows)}})
		}
		if gr.cols > 0 {
			reqs = append(reqs, &gsheets.Request{AppendDimension: &gsheets.AppendDimensionRequest{SheetId: gr.g.SheetID, Dimension: "COLUMNS", Length: int64(gr.cols)}})
		}
	}
	// appendDimension is not idempotent (a replay appends again), so a
	// request whose outcome is unknown is not retried: the next write
	// re-reads the sizes and grows what is still missing.
	calls++
	_, err = c.svc.Spreadsheets.BatchUpdate(c.id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Context(ctx).Do()
	if err != nil {
		c.forget()
		return calls, fmt.Errorf("grow tabs: %w", err)
	}
	c.mu.Lock()
	for _, gr := range grow {
		g := gr.g
		g.Rows += gr.rows
		g.Cols += gr.cols
		c.grids[g.Title] = g
	}
	c.mu.Unlock()
	return calls, nil
}

// fits reports whether every tab's known grid holds what need reaches. An
// unknown grid does not fit.
func (c *Client) fits(need map[string][2]int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for tab, n := range need {
		g, ok := c.grids[tab]
		if !ok || n[0] > g.Rows || n[1] > g.Cols {
			return false
		}
	}
	return true
}

// forget drops what is known of the grids.
func (c *Client) forget() {
	c.mu.Lock()
	c.grids = nil
	c.mu.Unlock()
}

// pastGrid reports whether err is Google refusing a write past a grid.
func pastGrid(err error) bool {
	var ge *googleapi.Error
	return errors.As(err, &ge) && ge.Code == http.StatusBadRequest && strings.Contains(ge.Message, "exceeds grid limits")
}
