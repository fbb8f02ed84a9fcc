//go:build google

package setup_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"google.golang.org/api/googleapi"
	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/sheets"
	"github.com/funza-tic/mesa/internal/workbook"
)

// The ledger's developer metadata entries (internal/workspacefake/
// FIDELITY.md, "Developer metadata") checked on a real account, on a tab of
// its own that the test deletes: a batch inserting a row with an entry of a
// given ID, refused whole when the ID is in use; the entry following a row
// inserted above; deleted with its row. What a sort does to it (Google does
// not say; mesa does not rely on it) is logged for the ledger.
func TestGoogleDeveloperMetadata(t *testing.T) {
	ctx := context.Background()
	ws, _ := googleWorkspace(t)
	svc, id := ws.Sheets.Service(), ws.Sheets.ID()
	title := fmt.Sprintf("prueba-metadatos-%d", time.Now().Unix())
	add, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
		{AddSheet: &gsheets.AddSheetRequest{Properties: &gsheets.SheetProperties{Title: title}}},
	}}).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	sheetID := add.Replies[0].AddSheet.Properties.SheetId
	t.Cleanup(func() {
		_, _ = svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
			{DeleteSheet: &gsheets.DeleteSheetRequest{SheetId: sheetID}}}}).Context(context.Background()).Do()
	})
	metaID := sheets.RowID(title, "prueba", int(time.Now().Unix()%1000)+1)
	text := func(s string) *gsheets.CellData {
		return &gsheets.CellData{UserEnteredValue: &gsheets.ExtendedValue{StringValue: &s}}
	}
	insert := func(at int64, key string) error {
		_, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
			{InsertDimension: &gsheets.InsertDimensionRequest{Range: &gsheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: at, EndIndex: at + 1}, InheritFromBefore: at > 0}},
			{UpdateCells: &gsheets.UpdateCellsRequest{Start: &gsheets.GridCoordinate{SheetId: sheetID, RowIndex: at}, Fields: "userEnteredValue",
				Rows: []*gsheets.RowData{{Values: []*gsheets.CellData{text(key)}}}}},
			{CreateDeveloperMetadata: &gsheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &gsheets.DeveloperMetadata{
				MetadataId: metaID, MetadataKey: sheets.RowKey, MetadataValue: key, Visibility: "DOCUMENT",
				Location: &gsheets.DeveloperMetadataLocation{DimensionRange: &gsheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: at, EndIndex: at + 1}}}}},
		}}).Context(ctx).Do()
		return err
	}
	where := func() (int64, bool) {
		res, err := svc.Spreadsheets.DeveloperMetadata.Search(id, &gsheets.SearchDeveloperMetadataRequest{DataFilters: []*gsheets.DataFilter{
			{DeveloperMetadataLookup: &gsheets.DeveloperMetadataLookup{MetadataId: metaID}}}}).Context(ctx).Do()
		if err != nil {
			t.Fatal(err)
		}
		if len(res.MatchedDeveloperMetadata) == 0 {
			return 0, false
		}
		return res.MatchedDeveloperMetadata[0].DeveloperMetadata.Location.DimensionRange.StartIndex, true
	}
	if _, err := svc.Spreadsheets.Values.Update(id, workbook.Quote(title)+"!A1:A3", &gsheets.ValueRange{Values: [][]any{{"Caso"}, {"b"}, {"c"}}}).ValueInputOption("RAW").Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	if err := insert(3, "a"); err != nil {
		t.Fatalf("insert with metadata: %v", err)
	}
	// The same ID again: refused whole.
	err = insert(3, "a")
	var ge *googleapi.Error
	if !errors.As(err, &ge) || ge.Code != 400 {
		t.Errorf("second insert with ID %d: %v, want 400", metaID, err)
	} else {
		t.Logf("Google's refusal of an ID in use: %q", ge.Message)
	}
	vals, err := svc.Spreadsheets.Values.Get(id, workbook.Quote(title)+"!A:A").Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(vals.Values) != 4 {
		t.Errorf("after the refused batch the tab has %d rows, want 4", len(vals.Values))
	}
	if at, ok := where(); !ok || at != 3 {
		t.Errorf("metadata at row index %d (found %v), want 3", at, ok)
	}
	// A row inserted above shifts it.
	if _, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
		{InsertDimension: &gsheets.InsertDimensionRequest{Range: &gsheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: 1, EndIndex: 2}}}}}).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	if at, _ := where(); at != 4 {
		t.Errorf("after a row inserted above: row index %d, want 4", at)
	}
	// A sort: logged, not asserted.
	if _, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
		{SortRange: &gsheets.SortRangeRequest{Range: &gsheets.GridRange{SheetId: sheetID, StartRowIndex: 1, EndRowIndex: 5, StartColumnIndex: 0, EndColumnIndex: 1},
			SortSpecs: []*gsheets.SortSpec{{DimensionIndex: 0, SortOrder: "ASCENDING"}}}}}}).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	at, _ := where()
	t.Logf("after sorting rows 2-5 (the tagged row's text sorts first): metadata at row index %d (%s)", at,
		map[bool]string{true: "it moved with its row", false: "it stayed at its position"}[at == 1])
	// Deleting its row deletes it.
	if _, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{
		{DeleteDimension: &gsheets.DeleteDimensionRequest{Range: &gsheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: at, EndIndex: at + 1}}}}}).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	if _, ok := where(); ok {
		t.Errorf("the metadata outlived its deleted row")
	}
}
