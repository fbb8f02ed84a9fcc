package sheets

import (
	"context"
	"fmt"
	"strings"

	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/retry"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Reading a big office in pages. values.batchGet answers in one JSON body
// that the official client reads whole and decodes whole into []any, so a
// 100,000-case workbook (~10 million cells) was held three times at once:
// as the body, as the decoded tree and as the Tables made from it.
// ReadTables asks for a tab above pageCells cells in row ranges inside its
// grid (Google refuses a range past the grid, FIDELITY.md), several ranges
// per request up to pageCells, and turns each page into Table rows before
// asking for the next.

// pageCells bounds the cells (by grid) one values.batchGet of ReadTables
// asks for, unless Client.PageCells says otherwise: at 100,000 cases
// (~13 million grid cells) 14 requests, each answer ~40 MB decoded.
const pageCells = 1_000_000

func (c *Client) pageCells() int {
	if c.PageCells > 0 {
		return c.PageCells
	}
	return pageCells
}

// ReadTables reads whole tabs as Tables (UNFORMATTED_VALUE and
// SERIAL_NUMBER, as Read). It first reads the grid sizes (one
// spreadsheets.get of a few hundred bytes, unless this client learned them
// already); when the tabs' grids hold at most pageCells cells it then reads
// them in one values.batchGet, as Read, and otherwise in one per page.
func (c *Client) ReadTables(ctx context.Context, tabs []workbook.Tab) ([]workbook.Table, error) {
	names := make([]string, len(tabs))
	for i, t := range tabs {
		names[i] = t.Name
	}
	grids, known := c.known(names)
	if !known {
		if _, err := c.Budget(ctx); err != nil {
			return nil, err
		}
		if grids, known = c.known(names); !known {
			return nil, fmt.Errorf("read %s: %w", strings.Join(names, ", "), workbook.ErrMissingTab)
		}
	}
	if cellsOf(grids) <= c.pageCells() {
		vals, err := c.Read(ctx, names)
		if err != nil {
			return nil, err
		}
		out := make([]workbook.Table, len(tabs))
		for i, t := range tabs {
			out[i] = workbook.NewTable(t, vals[i])
			vals[i] = nil
		}
		return out, nil
	}
	return c.readPages(ctx, tabs, grids)
}

// known returns the grids of the tabs this client learned, and whether it
// knows them all.
func (c *Client) known(names []string) ([]workbook.Grid, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]workbook.Grid, len(names))
	for i, n := range names {
		g, ok := c.grids[n]
		if !ok || g.Rows == 0 || g.Cols == 0 {
			return nil, false
		}
		out[i] = g
	}
	return out, true
}

func cellsOf(grids []workbook.Grid) int {
	n := 0
	for _, g := range grids {
		n += g.Rows * g.Cols
	}
	return n
}

// part is one range of a paged read: rows first..last of tab i.
type part struct {
	tab         int
	rng         string
	first, last int
}

// readPages reads the tabs in row ranges within their grids, pageCells at
// a time.
func (c *Client) readPages(ctx context.Context, tabs []workbook.Tab, grids []workbook.Grid) ([]workbook.Table, error) {
	pageCells := c.pageCells()
	var parts []part
	for i, t := range tabs {
		g := grids[i]
		if g.Rows*g.Cols <= pageCells {
			parts = append(parts, part{tab: i, rng: workbook.Quote(t.Name), first: 1, last: g.Rows})
			continue
		}
		step := max(1, pageCells/g.Cols)
		for r := 1; r <= g.Rows; r += step {
			last := min(g.Rows, r+step-1)
			parts = append(parts, part{tab: i, rng: workbook.A1(t.Name, 0, r, g.Cols-1, last), first: r, last: last})
		}
	}
	builders := make([]*workbook.TableBuilder, len(tabs))
	for i, t := range tabs {
		builders[i] = workbook.NewTableBuilder(t)
	}
	for start := 0; start < len(parts); {
		end, cells := start, 0
		for end < len(parts) && (end == start || cells+(parts[end].last-parts[end].first+1)*grids[parts[end].tab].Cols <= pageCells) {
			cells += (parts[end].last - parts[end].first + 1) * grids[parts[end].tab].Cols
			end++
		}
		page := parts[start:end]
		ranges := make([]string, len(page))
		for i, p := range page {
			ranges[i] = p.rng
		}
		var resp *gsheets.BatchGetValuesResponse
		err := c.Retry.Do(ctx, retry.Transient, func() error {
			var err error
			resp, err = c.svc.Spreadsheets.Values.BatchGet(c.id).Ranges(ranges...).
				ValueRenderOption("UNFORMATTED_VALUE").DateTimeRenderOption("SERIAL_NUMBER").
				MajorDimension("ROWS").Context(ctx).Do()
			return err
		})
		if err != nil {
			// A grid that shrank since it was learned: the whole read tells.
			c.forget()
			return nil, fmt.Errorf("read %s: %w", strings.Join(ranges, ", "), err)
		}
		for i, vr := range resp.ValueRanges {
			if i < len(page) {
				builders[page[i].tab].Add(page[i].first, vr.Values)
				vr.Values = nil
			}
		}
		start = end
	}
	out := make([]workbook.Table, len(tabs))
	for i, b := range builders {
		out[i] = b.Table()
	}
	return out, nil
}
