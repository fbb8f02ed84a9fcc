//go:build google

package setup_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/googleapi"
	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/workbook"
)

// The ledger's grid entries (internal/workspacefake/FIDELITY.md, "Sheets:
// grid, cells and growth") checked on a real account, on a tab of its own
// that the test deletes. The 10,000,000-cell limit is not checked here: it
// would need a workbook that large.
func TestGoogleGrids(t *testing.T) {
	ctx := context.Background()
	ws, _ := googleWorkspace(t)
	svc, id := ws.Sheets.Service(), ws.Sheets.ID()
	title := fmt.Sprintf("prueba-grid-%d", time.Now().Unix())
	add, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
		{AddSheet: &gsheets.AddSheetRequest{Properties: &gsheets.SheetProperties{Title: title}}},
	}}).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	p := add.Replies[0].AddSheet.Properties
	t.Cleanup(func() {
		_, _ = svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
			{DeleteSheet: &gsheets.DeleteSheetRequest{SheetId: p.SheetId}}}}).Context(context.Background()).Do()
	})
	// addSheet without a size: 1,000 × 26.
	if g := p.GridProperties; g.RowCount != 1000 || g.ColumnCount != 26 {
		t.Errorf("default grid = %d×%d, want 1000×26", g.RowCount, g.ColumnCount)
	}
	// A whole-tab read answers the grid as its range.
	bg, err := svc.Spreadsheets.Values.BatchGet(id).Ranges(workbook.Quote(title)).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if r := bg.ValueRanges[0].Range; !strings.HasSuffix(r, "!A1:Z1000") {
		t.Errorf("whole-tab range = %q, want it to end in !A1:Z1000", r)
	}
	// A write past the grid: 400 with Google's message.
	_, err = svc.Spreadsheets.Values.Update(id, workbook.Quote(title)+"!A1001", &gsheets.ValueRange{Values: [][]any{{"x"}}}).ValueInputOption("RAW").Context(ctx).Do()
	var ge *googleapi.Error
	want := fmt.Sprintf("Range (%s!A1001) exceeds grid limits. Max rows: 1000, max columns: 26", workbook.Quote(title))
	if !errors.As(err, &ge) || ge.Code != 400 || ge.Message != want {
		t.Errorf("write past the grid: %v, want 400 %q", err, want)
	}
	// appendDimension grows it; then the write lands.
	if _, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
		{AppendDimension: &gsheets.AppendDimensionRequest{SheetId: p.SheetId, Dimension: "ROWS", Length: 10}}}}).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Spreadsheets.Values.Update(id, workbook.Quote(title)+"!A1001", &gsheets.ValueRange{Values: [][]any{{"x"}}}).ValueInputOption("RAW").Context(ctx).Do(); err != nil {
		t.Errorf("write after appendDimension: %v", err)
	}
	// values.append past the end grows the grid.
	rows := make([][]any, 20)
	for i := range rows {
		rows[i] = []any{i}
	}
	if _, err := svc.Spreadsheets.Values.Append(id, workbook.Quote(title)+"!A:A", &gsheets.ValueRange{Values: rows}).ValueInputOption("RAW").Context(ctx).Do(); err != nil {
		t.Fatalf("append past the end: %v", err)
	}
	ss, err := svc.Spreadsheets.Get(id).Ranges(workbook.Quote(title)).Fields("sheets(properties(gridProperties))").Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if rc := ss.Sheets[0].Properties.GridProperties.RowCount; rc < 1021 {
		t.Errorf("rows after appending 20 below row 1,001 = %d, want at least 1,021", rc)
	}
}
