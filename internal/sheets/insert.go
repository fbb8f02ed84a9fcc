package sheets

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"sort"
	"strings"

	"google.golang.org/api/googleapi"
	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/retry"
	"github.com/funza-tic/mesa/internal/workbook"
)

// New rows of the tabs people sort and insert rows into (Casos,
// Notificaciones) are not written by position: a person's row insertion or
// sort landing between the key check and a positional write would put a
// row of theirs where the new rows go, and the write would land on it (its
// notes then sit on another case's row). Sheets' values API has no
// conditional write. Instead, one spreadsheets.batchUpdate, which Google
// applies atomically ("if any request is not valid, the entire update
// fails", spreadsheets/batchUpdate reference), does per block of new rows:
//
//   - insertDimension: fresh empty rows where the block goes (below the
//     last key when the keys were checked), so nothing of anybody's is
//     overwritten whatever moved since: at worst the new rows sit above a
//     row a person pushed down;
//   - updateCells: the rows' values, as entered (stringValue is never
//     parsed, like a RAW write);
//   - createDeveloperMetadata on each new row, with an ID derived from its
//     key. IDs are "spreadsheet-scoped unique", so a second batch adding the
//     same row (a rival cycle that checked the keys at the same instant, or
//     a write Google applies after its client gave up) is refused whole and
//     adds nothing twice. The entry goes with its row when a person deletes
//     it, so the row can be added again.
//
// A refusal for an ID in use is answered by looking the rows' IDs up
// (developerMetadata.search, by ID) and then checking the keys
// again: rows now there are dropped; a row still missing has a stale entry
// (left on a row a person cleared rather than deleted, or misplaced by a
// rewrite of the tab's values), or its ID is another entry's, and it is
// added under the next generation of its ID. Two cycles that meet a stale entry both move to the same next
// generation, so still only one of them adds the row. Looking up before
// checking the keys matters: a rival's row that landed before the look-up
// is seen by the check.

// insertTabs are the tabs whose new rows are inserted (see above).
var insertTabs = map[string]bool{workbook.Casos.Name: true, workbook.Notificaciones.Name: true}

// RowKey is the developer metadata key of the rows mesa inserts.
const RowKey = "mesa.fila"

// maxGeneration bounds the IDs tried for one row.
const maxGeneration = 16

// RowID is the developer metadata ID of the row of key in tab, in its
// generation g (0 first; see above): positive, below 2^31.
func RowID(tab, key string, g int) int64 {
	h := fnv.New32a()
	h.Write([]byte(tab))
	h.Write([]byte{0})
	h.Write([]byte(key))
	if g > 0 {
		fmt.Fprintf(h, "\x00%d", g)
	}
	id := int64(h.Sum32() & 0x7fffffff)
	if id == 0 {
		id = 1
	}
	return id
}

// splitInserts separates the new rows of insertTabs from the other writes.
func splitInserts(ups []workbook.Update) (ins, rest []workbook.Update) {
	for _, u := range ups {
		if u.At != nil && u.At.New && len(u.At.Keys) > 0 && insertTabs[u.At.Tab] {
			ins = append(ins, u)
		} else {
			rest = append(rest, u)
		}
	}
	return ins, rest
}

// block is consecutive new rows of one tab: sheet rows first.. (one-based).
type block struct {
	tab   string
	first int
	c0    int
	rows  []map[int]any // column -> value
	keys  []string
}

func blocks(ins []workbook.Update) []block {
	type line struct {
		cells map[int]any
		key   string
	}
	byTab := map[string]map[int]*line{}
	for _, u := range ins {
		at := u.At
		if byTab[at.Tab] == nil {
			byTab[at.Tab] = map[int]*line{}
		}
		for i, vals := range u.Values {
			l := byTab[at.Tab][at.First+i]
			if l == nil {
				l = &line{cells: map[int]any{}}
				byTab[at.Tab][at.First+i] = l
			}
			if i < len(at.Keys) {
				l.key = at.Keys[i]
			} else {
				l.key = at.Keys[0]
			}
			for j, v := range vals {
				l.cells[at.C0+j] = v
			}
		}
	}
	var out []block
	tabs := make([]string, 0, len(byTab))
	for t := range byTab {
		tabs = append(tabs, t)
	}
	sort.Strings(tabs)
	for _, t := range tabs {
		rows := make([]int, 0, len(byTab[t]))
		for r := range byTab[t] {
			rows = append(rows, r)
		}
		sort.Ints(rows)
		for i, r := range rows {
			l := byTab[t][r]
			if i == 0 || r != rows[i-1]+1 {
				out = append(out, block{tab: t, first: r, c0: -1})
			}
			b := &out[len(out)-1]
			b.rows, b.keys = append(b.rows, l.cells), append(b.keys, l.key)
			for c := range l.cells {
				if b.c0 < 0 || c < b.c0 {
					b.c0 = c
				}
			}
		}
	}
	return out
}

// insert adds the new rows, rechecking the keys before each retry, and
// returns where the blocks went (tab, first row, rows) and the calls made.
func (c *Client) insert(ctx context.Context, ins []workbook.Update, recheck workbook.Recheck) ([]block, int, error) {
	calls := 0
	gen := map[string]int{} // tab + "\x00" + key -> generation of its ID
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			var err error
			if ins, err = recheck(ctx, ins); err != nil {
				return nil, calls, err
			}
		}
		bs := blocks(ins)
		if len(bs) == 0 {
			return nil, calls, nil
		}
		b, err := c.Budget(ctx)
		calls++
		if err != nil {
			return nil, calls, err
		}
		reqs, err := insertRequests(b, bs, gen)
		if err != nil {
			return nil, calls, err
		}
		err = c.Retry.Do(ctx, retry.Answered, func() error {
			calls++
			_, err := c.svc.Spreadsheets.BatchUpdate(c.id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Context(ctx).Do()
			return err
		})
		if err == nil {
			c.mu.Lock()
			for _, bl := range bs {
				if g, ok := c.grids[bl.tab]; ok {
					g.Rows += len(bl.rows)
					c.grids[bl.tab] = g
				}
			}
			c.mu.Unlock()
			return bs, calls, nil
		}
		var ge *googleapi.Error
		if attempt >= 3 || !errors.As(err, &ge) || ge.Code != http.StatusBadRequest {
			return nil, calls, fmt.Errorf("insert rows: %w", err)
		}
		// An ID in use, or rows a person deleted since the check (the
		// insertion point is past the grid): look the IDs up if need be,
		// then check the keys again.
		if strings.Contains(ge.Message, "already exists") {
			n, err := c.generations(ctx, bs, gen)
			calls += n
			if err != nil {
				return nil, calls, err
			}
		}
	}
}

// generations sets, for each row of the blocks, the generation after the
// highest one whose ID is in use (by a stale entry of the row, or by any
// entry that happens to have that ID).
func (c *Client) generations(ctx context.Context, bs []block, gen map[string]int) (int, error) {
	var filters []*gsheets.DataFilter
	for _, bl := range bs {
		for _, k := range bl.keys {
			for g := range maxGeneration {
				filters = append(filters, &gsheets.DataFilter{DeveloperMetadataLookup: &gsheets.DeveloperMetadataLookup{MetadataId: RowID(bl.tab, k, g)}})
			}
		}
	}
	var res *gsheets.SearchDeveloperMetadataResponse
	calls := 0
	err := c.Retry.Do(ctx, retry.Transient, func() error {
		calls++
		var err error
		res, err = c.svc.Spreadsheets.DeveloperMetadata.Search(c.id, &gsheets.SearchDeveloperMetadataRequest{DataFilters: filters}).Context(ctx).Do()
		return err
	})
	if err != nil {
		return calls, fmt.Errorf("look up row metadata: %w", err)
	}
	ids := map[int64]bool{}
	for _, m := range res.MatchedDeveloperMetadata {
		if m.DeveloperMetadata != nil {
			ids[m.DeveloperMetadata.MetadataId] = true
		}
	}
	for _, bl := range bs {
		for _, k := range bl.keys {
			next := 0
			for g := range maxGeneration {
				if ids[RowID(bl.tab, k, g)] {
					next = g + 1
				}
			}
			gen[bl.tab+"\x00"+k] = min(next, maxGeneration-1)
		}
	}
	return calls, nil
}

// insertRequests builds the batch for the blocks, bottom-up so that each
// block's row indexes are those the key check saw.
func insertRequests(b workbook.Budget, bs []block, gen map[string]int) ([]*gsheets.Request, error) {
	grids := map[string]workbook.Grid{}
	for _, g := range b.Tabs {
		grids[g.Title] = g
	}
	need := 0
	for _, bl := range bs {
		g, ok := grids[bl.tab]
		if !ok {
			return nil, fmt.Errorf("insert rows: no tab %s", bl.tab)
		}
		need += len(bl.rows) * g.Cols
	}
	if b.Cells+need > b.Limit {
		e := &workbook.CellLimitError{Cells: b.Cells, Need: need, Limit: b.Limit}
		for _, bl := range bs {
			if !slices.Contains(e.Tabs, bl.tab) {
				e.Tabs = append(e.Tabs, bl.tab)
			}
		}
		return nil, e
	}
	order := slices.Clone(bs)
	sort.SliceStable(order, func(i, j int) bool { return order[i].first > order[j].first })
	var reqs []*gsheets.Request
	for _, bl := range order {
		id := grids[bl.tab].SheetID
		at := int64(bl.first - 1) // zero-based
		reqs = append(reqs, &gsheets.Request{InsertDimension: &gsheets.InsertDimensionRequest{
			Range:             &gsheets.DimensionRange{SheetId: id, Dimension: "ROWS", StartIndex: at, EndIndex: at + int64(len(bl.rows))},
			InheritFromBefore: at > 0,
		}})
		rows := make([]*gsheets.RowData, len(bl.rows))
		for i, cells := range bl.rows {
			hi := bl.c0
			for c := range cells {
				hi = max(hi, c)
			}
			rd := &gsheets.RowData{Values: make([]*gsheets.CellData, hi-bl.c0+1)}
			for c := bl.c0; c <= hi; c++ {
				rd.Values[c-bl.c0] = cellData(cells[c])
			}
			rows[i] = rd
		}
		reqs = append(reqs, &gsheets.Request{UpdateCells: &gsheets.UpdateCellsRequest{
			Start:  &gsheets.GridCoordinate{SheetId: id, RowIndex: at, ColumnIndex: int64(bl.c0)},
			Rows:   rows,
			Fields: "userEnteredValue",
		}})
		for i, k := range bl.keys {
			mid := RowID(bl.tab, k, gen[bl.tab+"\x00"+k])
			reqs = append(reqs, &gsheets.Request{CreateDeveloperMetadata: &gsheets.CreateDeveloperMetadataRequest{
				DeveloperMetadata: &gsheets.DeveloperMetadata{MetadataId: mid, MetadataKey: RowKey, MetadataValue: k, Visibility: "DOCUMENT",
					Location: &gsheets.DeveloperMetadataLocation{DimensionRange: &gsheets.DimensionRange{SheetId: id, Dimension: "ROWS", StartIndex: at + int64(i), EndIndex: at + int64(i) + 1}}}}})
		}
	}
	return reqs, nil
}

// cellData is a value as updateCells takes it: text is never parsed.
func cellData(v any) *gsheets.CellData {
	switch x := v.(type) {
	case string:
		if x == "" {
			return &gsheets.CellData{}
		}
		return &gsheets.CellData{UserEnteredValue: &gsheets.ExtendedValue{StringValue: &x}}
	case float64:
		return &gsheets.CellData{UserEnteredValue: &gsheets.ExtendedValue{NumberValue: &x}}
	case int:
		f := float64(x)
		return &gsheets.CellData{UserEnteredValue: &gsheets.ExtendedValue{NumberValue: &f}}
	case bool:
		return &gsheets.CellData{UserEnteredValue: &gsheets.ExtendedValue{BoolValue: &x}}
	}
	return &gsheets.CellData{}
}

// shiftBelow moves the positional writes of a tab that lie at or below a
// block's first row down by the block's rows: the insertion pushed them.
func shiftBelow(ups []workbook.Update, bs []block) []workbook.Update {
	out := make([]workbook.Update, len(ups))
	for i, u := range ups {
		out[i] = u
		if u.At == nil {
			continue
		}
		n := 0
		for _, bl := range bs {
			if bl.tab == u.At.Tab && u.At.First >= bl.first {
				n += len(bl.rows)
			}
		}
		if n > 0 {
			at := *u.At
			at.First += n
			out[i] = workbook.Update{Range: workbook.A1(at.Tab, at.C0, at.First, at.C1, at.First+len(u.Values)-1), Values: u.Values, At: &at}
		}
	}
	return out
}
