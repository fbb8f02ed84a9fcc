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
	"strings"
	"sync"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/retry"
	"github.com/funza-tic/mesa/internal/workbook"
)

// maxPayload keeps each write request under Google's recommended 2 MB.
const maxPayload = 1_500_000

// Client reads and writes one spreadsheet.
type Client struct {
	svc   *gsheets.Service
	id    string
	retry retry.Policy

	mu    sync.Mutex
	grids map[string]Grid // by title, as last read (grid.go)
}

// New returns a client for the spreadsheet id.
func New(ctx context.Context, id string, opts ...option.ClientOption) (*Client, error) {
	svc, err := gsheets.NewService(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("sheets client: %w", err)
	}
	return &Client{svc: svc, id: id, retry: retry.Default}, nil
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

// ErrMissingTab is returned by Read when a tab does not exist.
var ErrMissingTab = errors.New("a tab is missing")

// Read returns the values of whole tabs, in the order asked, as typed values
// (UNFORMATTED_VALUE) so numbers read the same in any locale.
func (c *Client) Read(ctx context.Context, tabs []string) ([][][]any, error) {
	ranges := make([]string, len(tabs))
	for i, t := range tabs {
		ranges[i] = workbook.Quote(t)
	}
	var resp *gsheets.BatchGetValuesResponse
	err := c.retry.Do(ctx, retry.Transient, func() error {
		var err error
		resp, err = c.svc.Spreadsheets.Values.BatchGet(c.id).Ranges(ranges...).
			ValueRenderOption("UNFORMATTED_VALUE").DateTimeRenderOption("FORMATTED_STRING").
			MajorDimension("ROWS").Context(ctx).Do()
		return err
	})
	var ge *googleapi.Error
	if errors.As(err, &ge) && ge.Code == http.StatusBadRequest && strings.Contains(ge.Message, "Unable to parse range") {
		return nil, fmt.Errorf("read %s: %w", strings.Join(tabs, ", "), ErrMissingTab)
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

// Write applies the updates with values.batchUpdate, RAW (form text is never
// evaluated as a formula), in as few requests as the payload limit allows.
// Every range is explicit, so a retried request writes the same cells again;
// it is retried only when Google answered 429 or 5xx (see retry.Answered).
// Tabs the updates would run past are grown first (grid.go); a write the
// workbook's cell limit cannot hold fails with a *CellLimitError before
// anything is written. The count is of every Sheets request made.
func (c *Client) Write(ctx context.Context, ups []workbook.Update) (int, error) {
	if len(ups) == 0 {
		return 0, nil
	}
	calls, err := c.fit(ctx, ups, false)
	if err != nil {
		return calls, err
	}
	for _, chunk := range chunks(ups) {
		n, err := c.write(ctx, chunk)
		calls += n
		if pastGrid(err) {
			// The grid shrank since it was read (a person deleted rows):
			// read the sizes again, grow, and try once more.
			n, err = c.fit(ctx, chunk, true)
			calls += n
			if err == nil {
				n, err = c.write(ctx, chunk)
				calls += n
			}
		}
		if err != nil {
			return calls, err
		}
	}
	return calls, nil
}

func (c *Client) write(ctx context.Context, chunk []workbook.Update) (int, error) {
	data := make([]*gsheets.ValueRange, len(chunk))
	for i, u := range chunk {
		data[i] = &gsheets.ValueRange{Range: u.Range, Values: u.Values, MajorDimension: "ROWS"}
	}
	req := &gsheets.BatchUpdateValuesRequest{ValueInputOption: "RAW", Data: data}
	calls := 0
	err := c.retry.Do(ctx, retry.Answered, func() error {
		calls++
		_, err := c.svc.Spreadsheets.Values.BatchUpdate(c.id, req).Context(ctx).Do()
		return err
	})
	if err != nil {
		return calls, fmt.Errorf("write %d ranges: %w", len(chunk), err)
	}
	return calls, nil
}

func chunks(ups []workbook.Update) [][]workbook.Update {
	var out [][]workbook.Update
	var cur []workbook.Update
	size := 0
	for _, u := range ups {
		b, _ := json.Marshal(u.Values)
		n := len(b) + len(u.Range) + 32
		if len(cur) > 0 && size+n > maxPayload {
			out = append(out, cur)
			cur, size = nil, 0
		}
		cur = append(cur, u)
		size += n
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// Tabs lists the spreadsheet's tab titles.
func (c *Client) Tabs(ctx context.Context) ([]string, error) {
	var ss *gsheets.Spreadsheet
	err := c.retry.Do(ctx, retry.Transient, func() error {
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
	err := c.retry.Do(ctx, retry.Answered, func() error {
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
