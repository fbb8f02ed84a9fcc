// Package sheets is the thin adapter over the Google Sheets v4 client that
// mesa uses: whole-tab reads in one batchGet, cell writes in one batchUpdate
// with explicit ranges (idempotent, so safe to retry), and tab creation.
package sheets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/retry"
	"github.com/funza-tic/mesa/internal/workbook"
)

// maxPayload keeps each write request under Google's recommended 2 MB,
// far from the 10,485,760 bytes it refuses (FIDELITY.md).
const maxPayload = 1_500_000

// Client reads and writes one spreadsheet.
type Client struct {
	svc   *gsheets.Service
	id    string
	Retry retry.Policy // how calls are retried (New: retry.Default())

	// MaxPayload bounds the JSON of one write request, in bytes (0: 1.5
	// MB). Tests lower it to split small writes.
	MaxPayload int
	mu         sync.Mutex
	grids      map[string]workbook.Grid // by title, as last read (grid.go)
}

// New returns a client for the spreadsheet id.
func New(ctx context.Context, id string, opts ...option.ClientOption) (*Client, error) {
	svc, err := gsheets.NewService(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("sheets client: %w", err)
	}
	return &Client{svc: svc, id: id, Retry: retry.Default()}, nil
}

// Service exposes the underlying client for setup.
func (c *Client) Service() *gsheets.Service { return c.svc }

// ID is the spreadsheet's id.
func (c *Client) ID() string { return c.id }

// Create makes a new spreadsheet with the given title, tabs and time zone
// and returns its id.
func Create(ctx context.Context, svc *gsheets.Service, title, timeZone string, tabs []string) (string, error) {
	ss := &gsheets.Spreadsheet{Properties: &gsheets.SpreadsheetProperties{Title: title, TimeZone: timeZone, Locale: "es_CO"}}
	for _, t := range tabs {
		ss.Sheets = append(ss.Sheets, &gsheets.Sheet{Properties: newTab(t)})
	}
	got, err := svc.Spreadsheets.Create(ss).Context(ctx).Do()
	if err != nil {
		return "", fmt.Errorf("create spreadsheet: %w", err)
	}
	return got.SpreadsheetId, nil
}

// Read returns the values of whole tabs, in the order asked, as typed values
// (UNFORMATTED_VALUE) so numbers read the same in any locale, and dates a
// person typed as serial numbers (SERIAL_NUMBER): the formatted text of a
// date depends on the spreadsheet's locale ("5/3/2026" is 5 March under
// es_CO and 3 May under en_US); the serial does not.
func (c *Client) Read(ctx context.Context, tabs []string) ([][][]any, error) {
	ranges := make([]string, len(tabs))
	for i, t := range tabs {
		ranges[i] = workbook.Quote(t)
	}
	resp, err := c.batchGet(ctx, ranges, "SERIAL_NUMBER")
	var ge *googleapi.Error
	if errors.As(err, &ge) && ge.Code == http.StatusBadRequest && strings.Contains(ge.Message, "Unable to parse range") {
		return nil, fmt.Errorf("read %s: %w", strings.Join(tabs, ", "), workbook.ErrMissingTab)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", strings.Join(tabs, ", "), err)
	}
	out := make([][][]any, len(tabs))
	for i, vr := range resp.ValueRanges {
		if i < len(out) {
			out[i] = vr.Values
			c.learn(tabs[i], vr.Range)
		}
	}
	return out, nil
}

// ReadPaged reads whole tabs as Read does, in pages of at most rows rows
// of each tab per batchGet, and hands each page to fn (tab is the index in
// tabs) as it arrives, in row order: a caller that converts a page and
// drops it never holds the whole workbook as JSON and []any at once (at
// 100,000 cases one batchGet is ~10 million cells). The pages follow the
// tabs' grids, read first with one spreadsheets.get, so a run of blank
// rows never ends a tab early; it costs that call plus one batchGet per
// page of the longest tab.
func (c *Client) ReadPaged(ctx context.Context, tabs []string, rows int, fn func(tab, first int, values [][]any)) error {
	b, err := c.Budget(ctx)
	if err != nil {
		return err
	}
	grid := map[string]int{}
	for _, g := range b.Tabs {
		grid[g.Title] = g.Rows
	}
	next := make([]int, len(tabs)) // first sheet row of each tab's next page; 0: read
	for i, t := range tabs {
		if _, ok := grid[t]; !ok {
			return fmt.Errorf("read %s: %w", t, workbook.ErrMissingTab)
		}
		next[i] = 1
	}
	for {
		var ranges []string
		var which []int
		for i, r := range next {
			if r > 0 {
				// Within the grid: Google refuses a range past it.
				ranges = append(ranges, fmt.Sprintf("%s!%d:%d", workbook.Quote(tabs[i]), r, max(r, min(r+rows-1, grid[tabs[i]]))))
				which = append(which, i)
			}
		}
		if len(ranges) == 0 {
			return nil
		}
		resp, err := c.batchGet(ctx, ranges, "SERIAL_NUMBER")
		if err != nil {
			return fmt.Errorf("read %s: %w", strings.Join(ranges, ", "), err)
		}
		for k, i := range which {
			var values [][]any
			if k < len(resp.ValueRanges) {
				values = resp.ValueRanges[k].Values
				resp.ValueRanges[k] = nil // the page's []any goes with fn
			}
			fn(i, next[i], values)
			next[i] += rows
			if next[i] > grid[tabs[i]] {
				next[i] = 0
			}
		}
	}
}

// batchGet reads ranges in one values.batchGet, by rows, values
// unformatted and dates rendered as dates says (SERIAL_NUMBER or
// FORMATTED_STRING), retrying transient failures.
func (c *Client) batchGet(ctx context.Context, ranges []string, dates string) (*gsheets.BatchGetValuesResponse, error) {
	var resp *gsheets.BatchGetValuesResponse
	err := c.Retry.Do(ctx, retry.Transient, func() error {
		var err error
		resp, err = c.svc.Spreadsheets.Values.BatchGet(c.id).Ranges(ranges...).
			ValueRenderOption("UNFORMATTED_VALUE").DateTimeRenderOption(dates).
			MajorDimension("ROWS").Context(ctx).Do()
		return err
	})
	return resp, err
}

// ReadRanges returns the values of A1 ranges, in the order asked, in one
// batchGet (UNFORMATTED_VALUE, as Read).
func (c *Client) ReadRanges(ctx context.Context, ranges []string) ([][][]any, error) {
	resp, err := c.batchGet(ctx, ranges, "FORMATTED_STRING")
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", strings.Join(ranges, ", "), err)
	}
	out := make([][][]any, len(ranges))
	for i, vr := range resp.ValueRanges {
		if i < len(out) {
			out[i] = vr.Values
		}
	}
	return out, nil
}

// Write applies the updates with values.batchUpdate, RAW (form text is never
// evaluated as a formula), in as few requests as the payload limit allows,
// in the order given: a caller that needs one range to land before another
// (see worker.writeOrder) puts it first. Every range is explicit, so a
// retried request writes the same cells again; it is retried only when
// Google answered 429 or 5xx (see retry.Answered). Tabs the updates would
// run past are grown first (grid.go); a write the workbook's cell limit
// cannot hold fails with a *workbook.CellLimitError before anything is written. The
// count is of every Sheets request made.
func (c *Client) Write(ctx context.Context, ups []workbook.Update) (int, error) {
	return c.writeAll(ctx, ups, nil)
}

// WriteRows is Write for writes addressed by row position: recheck runs
// just before the first attempt and again before each retry, since people
// may sort or insert rows while a retry waits out its backoff. New rows of
// Casos and Notificaciones are inserted first, never written by position
// (insert.go): the other writes follow, those below the inserted rows
// moved down. The count is of the requests made, a recheck excepted (a
// read of its own).
func (c *Client) WriteRows(ctx context.Context, ups []workbook.Update, recheck workbook.Recheck) (int, error) {
	if len(ups) == 0 {
		return 0, nil
	}
	ups, err := recheck(ctx, ups)
	if err != nil {
		return 0, err
	}
	ins, rest := splitInserts(ups)
	calls := 0
	if len(ins) > 0 {
		placed, n, err := c.insert(ctx, ins, recheck)
		calls += n
		if err != nil {
			return calls, err
		}
		rest = shiftBelow(rest, placed)
	}
	n, err := c.writeAll(ctx, rest, recheck)
	return calls + n, err
}

func (c *Client) writeAll(ctx context.Context, ups []workbook.Update, recheck workbook.Recheck) (int, error) {
	if len(ups) == 0 {
		return 0, nil
	}
	calls, err := c.fit(ctx, ups, false)
	if err != nil {
		return calls, err
	}
	limit := c.MaxPayload
	if limit <= 0 {
		limit = maxPayload
	}
	for _, chunk := range chunks(ups, limit) {
		n, err := c.write(ctx, chunk, recheck)
		calls += n
		if pastGrid(err) {
			// The grid shrank since it was read (a person deleted rows):
			// read the sizes again, grow, and try once more.
			n, err = c.fit(ctx, chunk, true)
			calls += n
			if err == nil {
				n, err = c.write(ctx, chunk, recheck)
				calls += n
			}
		}
		if err != nil {
			return calls, err
		}
	}
	return calls, nil
}

func (c *Client) write(ctx context.Context, chunk []workbook.Update, recheck workbook.Recheck) (int, error) {
	request := func(chunk []workbook.Update) *gsheets.BatchUpdateValuesRequest {
		data := make([]*gsheets.ValueRange, len(chunk))
		for i, u := range chunk {
			data[i] = &gsheets.ValueRange{Range: u.Range, Values: u.Values, MajorDimension: "ROWS"}
		}
		return &gsheets.BatchUpdateValuesRequest{ValueInputOption: "RAW", Data: data}
	}
	req := request(chunk)
	calls := 0
	err := c.Retry.Do(ctx, retry.Answered, func() error {
		if calls > 0 && recheck != nil {
			moved, err := recheck(ctx, chunk)
			if err != nil {
				return err
			}
			if len(moved) == 0 {
				return nil
			}
			chunk, req = moved, request(moved)
		}
		calls++
		_, err := c.svc.Spreadsheets.Values.BatchUpdate(c.id, req).Context(ctx).Do()
		return err
	})
	if err != nil {
		return calls, fmt.Errorf("write %d ranges: %w", len(chunk), err)
	}
	return calls, nil
}

// chunks groups the updates, in order, into requests of at most limit
// bytes of JSON; an update larger than limit goes alone. One range is split
// only when it alone would pass Google's 10,485,760-byte limit (a reconcile
// or a first sync writing a very long journal): the rows of one range land
// together otherwise, which the journal relies on (the events of one form
// response are consecutive rows, and a response half journaled is not
// decided again). A single row is never split.
func chunks(ups []workbook.Update, limit int) [][]workbook.Update {
	var out [][]workbook.Update
	var cur []workbook.Update
	size := 0
	add := func(u workbook.Update, n int) {
		if len(cur) > 0 && size+n > limit {
			out = append(out, cur)
			cur, size = nil, 0
		}
		cur = append(cur, u)
		size += n
	}
	for _, u := range ups {
		n := jsonSize(u.Values) + len(u.Range) + 32
		if n <= maxRequest || len(u.Values) < 2 {
			add(u, n)
			continue
		}
		parts, ok := splitRows(u, min(limit, maxRequest))
		if !ok {
			add(u, n)
			continue
		}
		for _, p := range parts {
			add(p, jsonSize(p.Values)+len(p.Range)+32)
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// maxRequest is the largest range written in one request: Google refuses a
// body over 10,485,760 bytes, and the request's JSON adds a little.
const maxRequest = 9_000_000

func jsonSize(v any) int {
	b, _ := json.Marshal(v)
	return len(b)
}

// splitRows cuts a block update into blocks of consecutive rows of at most
// limit bytes each. It needs the range as workbook.A1 writes it
// ('Tab'!C5:F105); ok is false for any other shape.
func splitRows(u workbook.Update, limit int) ([]workbook.Update, bool) {
	bang := strings.LastIndex(u.Range, "!")
	if bang < 0 {
		return nil, false
	}
	m := a1Block.FindStringSubmatch(u.Range[bang+1:])
	if m == nil {
		return nil, false
	}
	first, err1 := strconv.Atoi(m[2])
	last, err2 := strconv.Atoi(m[4])
	if err1 != nil || err2 != nil || last-first+1 != len(u.Values) {
		return nil, false
	}
	var out []workbook.Update
	start, size := 0, 0
	flush := func(end int) {
		out = append(out, workbook.Update{
			Range:  fmt.Sprintf("%s!%s%d:%s%d", u.Range[:bang], m[1], first+start, m[3], first+end-1),
			Values: u.Values[start:end],
		})
		start, size = end, 0
	}
	for i, row := range u.Values {
		n := jsonSize(row) + 1
		if i > start && size+n > limit-len(u.Range)-32 {
			flush(i)
		}
		size += n
	}
	flush(len(u.Values))
	return out, true
}

var a1Block = regexp.MustCompile(`^([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)$`)

// Tabs lists the spreadsheet's tab titles.
func (c *Client) Tabs(ctx context.Context) ([]string, error) {
	var ss *gsheets.Spreadsheet
	err := c.Retry.Do(ctx, retry.Transient, func() error {
		var err error
		ss, err = c.svc.Spreadsheets.Get(c.id).Fields("sheets(properties(title))").Context(ctx).Do()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list tabs: %w", err)
	}
	var out []string
	for _, s := range ss.Sheets {
		out = append(out, s.Properties.Title)
	}
	return out, nil
}

// EnsureTabs adds the tabs that do not exist yet, in one request, and
// returns the ones it added.
func (c *Client) EnsureTabs(ctx context.Context, want []string) ([]string, error) {
	have, err := c.Tabs(ctx)
	if err != nil {
		return nil, err
	}
	exists := map[string]bool{}
	for _, t := range have {
		exists[t] = true
	}
	var add []string
	var reqs []*gsheets.Request
	for _, t := range want {
		if !exists[t] {
			add = append(add, t)
			reqs = append(reqs, &gsheets.Request{AddSheet: &gsheets.AddSheetRequest{Properties: newTab(t)}})
		}
	}
	if len(reqs) == 0 {
		return nil, nil
	}
	// addSheet is not idempotent (a replay fails with "already exists"), so it is not retried blindly.
	_, err = c.svc.Spreadsheets.BatchUpdate(c.id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Context(ctx).Do()
	if err != nil {
		return nil, fmt.Errorf("add tabs %s: %w", strings.Join(add, ", "), err)
	}
	return add, nil
}

// Replace overwrites a whole tab with rows (header first), for importing an
// admin tab: values.clear, then one values.batchUpdate.
func (c *Client) Replace(ctx context.Context, tab string, rows [][]string) error {
	err := c.Retry.Do(ctx, retry.Answered, func() error {
		_, err := c.svc.Spreadsheets.Values.Clear(c.id, workbook.Quote(tab), &gsheets.ClearValuesRequest{}).Context(ctx).Do()
		return err
	})
	if err != nil {
		return fmt.Errorf("clear %s: %w", tab, err)
	}
	if len(rows) == 0 {
		return nil
	}
	width := 0
	values := make([][]any, len(rows))
	for i, r := range rows {
		width = max(width, len(r))
		values[i] = make([]any, len(r))
		for j, v := range r {
			values[i][j] = v
		}
	}
	_, err = c.Write(ctx, []workbook.Update{{Range: workbook.A1(tab, 0, 1, max(width-1, 0), len(rows)), Values: values}})
	return err
}

// newTab sizes a new tab to its columns plus a few for people's own, not
// Google's default 26: a workbook holds at most 10 million cells, and the
// journal's rows are many.
func newTab(title string) *gsheets.SheetProperties {
	p := &gsheets.SheetProperties{Title: title, GridProperties: &gsheets.GridProperties{FrozenRowCount: 1}}
	if t, ok := workbook.ByName(title); ok {
		p.GridProperties.ColumnCount = int64(len(t.Columns) + spareColumns)
	}
	return p
}

const spareColumns = 4
