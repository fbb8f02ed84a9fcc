package sheets

import (
	"context"
	"fmt"
	"sort"

	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/retry"
	"github.com/funza-tic/mesa/internal/workbook"
)

// sheetIDs returns each tab's sheet id and protected range descriptions.
func (c *Client) sheetIDs(ctx context.Context) (map[string]int64, map[string][]string, error) {
	var ss *gsheets.Spreadsheet
	err := c.Retry.Do(ctx, retry.Transient, func() error {
		var err error
		ss, err = c.svc.Spreadsheets.Get(c.id).Fields("sheets(properties(sheetId,title),protectedRanges(description))").Context(ctx).Do()
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read the tabs of %s: %w", c.id, err)
	}
	ids, prot := map[string]int64{}, map[string][]string{}
	for _, s := range ss.Sheets {
		ids[s.Properties.Title] = s.Properties.SheetId
		for _, p := range s.ProtectedRanges {
			prot[s.Properties.Title] = append(prot[s.Properties.Title], p.Description)
		}
	}
	return ids, prot, nil
}

// maxDeletes bounds the deleteDimension requests of one batchUpdate, far
// under the 10 MB request limit (FIDELITY.md).
const maxDeletes = 500

// DeleteRows deletes whole rows (sheet rows, one-based) of several tabs in
// batchUpdates of at most maxDeletes runs each. It is not retried: a
// deleteDimension replayed after a lost reply would delete other rows, so
// the caller reads the tabs again and works out what is left.
func (c *Client) DeleteRows(ctx context.Context, rows map[string][]int) (int, error) {
	ids, _, err := c.sheetIDs(ctx)
	if err != nil {
		return 0, err
	}
	var reqs []*gsheets.Request
	tabs := make([]string, 0, len(rows))
	for t := range rows {
		tabs = append(tabs, t)
	}
	sort.Strings(tabs)
	n := 0
	for _, tab := range tabs {
		id, ok := ids[tab]
		if !ok {
			return 0, fmt.Errorf("delete rows of %s: %w", tab, workbook.ErrMissingTab)
		}
		rs := append([]int(nil), rows[tab]...)
		sort.Sort(sort.Reverse(sort.IntSlice(rs)))
		// Runs of consecutive rows, bottom first, so that no deletion
		// moves a row a later one means.
		for i := 0; i < len(rs); {
			j := i
			for j+1 < len(rs) && rs[j+1] == rs[j]-1 {
				j++
			}
			if rs[j] < 2 {
				return 0, fmt.Errorf("delete rows of %s: row %d is the header", tab, rs[j])
			}
			reqs = append(reqs, &gsheets.Request{DeleteDimension: &gsheets.DeleteDimensionRequest{
				Range: &gsheets.DimensionRange{SheetId: id, Dimension: "ROWS", StartIndex: int64(rs[j] - 1), EndIndex: int64(rs[i])}}})
			n += i - j + 1
			i = j + 1
		}
	}
	// In batches of at most maxDeletes requests, bottom first: a batch
	// deletes only rows below the ones later batches mean, so their
	// positions hold. A failure between two batches leaves some rows
	// deleted and the rest in place; the caller reads again.
	defer c.forget()
	for len(reqs) > 0 {
		k := min(len(reqs), maxDeletes)
		if _, err := c.svc.Spreadsheets.BatchUpdate(c.id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: reqs[:k]}).Context(ctx).Do(); err != nil {
			return 0, fmt.Errorf("delete %d rows: %w", n, err)
		}
		reqs = reqs[k:]
	}
	return n, nil
}

// Protect makes each tab a protected range with the description, unless
// it already has one: people can read it, and only the account mesa runs
// as (the owner) can change it. It returns the tabs it protected.
func (c *Client) Protect(ctx context.Context, tabs []string, description string) ([]string, error) {
	ids, prot, err := c.sheetIDs(ctx)
	if err != nil {
		return nil, err
	}
	var reqs []*gsheets.Request
	var done []string
	for _, tab := range tabs {
		id, ok := ids[tab]
		if !ok {
			return nil, fmt.Errorf("protect %s: %w", tab, workbook.ErrMissingTab)
		}
		if containsString(prot[tab], description) {
			continue
		}
		done = append(done, tab)
		reqs = append(reqs, &gsheets.Request{AddProtectedRange: &gsheets.AddProtectedRangeRequest{ProtectedRange: &gsheets.ProtectedRange{
			Range: &gsheets.GridRange{SheetId: id}, Description: description, WarningOnly: false}}})
	}
	if len(reqs) == 0 {
		return nil, nil
	}
	// addProtectedRange is not idempotent (a replay adds a second range);
	// the next run finds the first one by its description.
	if _, err := c.svc.Spreadsheets.BatchUpdate(c.id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Context(ctx).Do(); err != nil {
		return nil, fmt.Errorf("protect %d tabs: %w", len(reqs), err)
	}
	return done, nil
}

// Protected returns the tabs that have a protected range with the description.
func (c *Client) Protected(ctx context.Context, description string) (map[string]bool, error) {
	_, prot, err := c.sheetIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for tab, ds := range prot {
		out[tab] = containsString(ds, description)
	}
	return out, nil
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Title returns the spreadsheet's title.
func (c *Client) Title(ctx context.Context) (string, error) {
	var ss *gsheets.Spreadsheet
	err := c.Retry.Do(ctx, retry.Transient, func() error {
		var err error
		ss, err = c.svc.Spreadsheets.Get(c.id).Fields("properties(title)").Context(ctx).Do()
		return err
	})
	if err != nil {
		return "", fmt.Errorf("title of %s: %w", c.id, err)
	}
	return ss.Properties.Title, nil
}

// Other returns a client for another spreadsheet on the same connection
// (an archive workbook).
func (c *Client) Other(id string) *Client {
	return &Client{svc: c.svc, id: id, Retry: c.Retry, MaxPayload: c.MaxPayload}
}

// DeleteTabs deletes the tabs of names that exist, in one batchUpdate, and
// returns them.
func (c *Client) DeleteTabs(ctx context.Context, names []string) ([]string, error) {
	ids, _, err := c.sheetIDs(ctx)
	if err != nil {
		return nil, err
	}
	var reqs []*gsheets.Request
	var done []string
	for _, n := range names {
		if id, ok := ids[n]; ok {
			done = append(done, n)
			reqs = append(reqs, &gsheets.Request{DeleteSheet: &gsheets.DeleteSheetRequest{SheetId: id}})
		}
	}
	if len(reqs) == 0 {
		return nil, nil
	}
	if _, err := c.svc.Spreadsheets.BatchUpdate(c.id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Context(ctx).Do(); err != nil {
		return nil, fmt.Errorf("delete tabs %v: %w", done, err)
	}
	c.forget()
	return done, nil
}
