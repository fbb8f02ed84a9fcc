package workspacefake_test

import (
	"reflect"
	"strings"
	"testing"

	"google.golang.org/api/sheets/v4"
)

// Developer metadata and updateCells: FIDELITY.md, "Developer metadata".

func rowMeta(id, sheetID, row int64, key string) *sheets.Request {
	return &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
		MetadataId: id, MetadataKey: "mesa.fila", MetadataValue: key, Visibility: "DOCUMENT",
		Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: row, EndIndex: row + 1}}}}}
}

func str(s string) *string { return &s }

// A batch inserting rows, filling them and tagging them is atomic; a second
// one with an ID in use is refused whole; metadata follows its row through
// insertions, a person's sort and deletions, and goes with a deleted row.
func TestDeveloperMetadataOnRows(t *testing.T) {
	s, sv := open(t)
	ss := newSpreadsheet(t, sv, "Casos")
	id, sheetID := ss.SpreadsheetId, ss.Sheets[0].Properties.SheetId
	must[*sheets.BatchUpdateValuesResponse](t)(sv.sheets.Spreadsheets.Values.BatchUpdate(id, &sheets.BatchUpdateValuesRequest{ValueInputOption: "RAW",
		Data: []*sheets.ValueRange{{Range: "Casos!A1:B3", Values: [][]any{{"Caso", "Notas"}, {"1", "a"}, {"2", "b"}}}}}).Do())
	insert := func(at int64, key string, metaID int64) error {
		_, err := sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{
			{InsertDimension: &sheets.InsertDimensionRequest{Range: &sheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: at, EndIndex: at + 1}, InheritFromBefore: true}},
			{UpdateCells: &sheets.UpdateCellsRequest{Start: &sheets.GridCoordinate{SheetId: sheetID, RowIndex: at}, Fields: "userEnteredValue",
				Rows: []*sheets.RowData{{Values: []*sheets.CellData{{UserEnteredValue: &sheets.ExtendedValue{StringValue: str(key)}}}}}}},
			rowMeta(metaID, sheetID, at, key),
		}}).Do()
		return err
	}
	if err := insert(3, "3", 33); err != nil {
		t.Fatal(err)
	}
	// The same ID again: refused whole, nothing inserted.
	err := insert(3, "3", 33)
	if apiCode(err) != 400 || !strings.Contains(apiMessage(err), "already exists") {
		t.Fatalf("second insert with ID 33: %v, want 400 already exists", err)
	}
	read := func() [][]any {
		return must[*sheets.ValueRange](t)(sv.sheets.Spreadsheets.Values.Get(id, "Casos").Do()).Values
	}
	if got := read(); len(got) != 4 || got[3][0] != "3" {
		t.Fatalf("after the refused batch: %v, want 4 rows ending with 3", got)
	}
	where := func() map[int64]int {
		m, err := s.RowMetadata(id, "Casos")
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if got := where(); !reflect.DeepEqual(got, map[int64]int{33: 3}) {
		t.Fatalf("metadata = %v, want ID 33 on row index 3", got)
	}
	// A row inserted above shifts it (the reference's own example).
	must[*sheets.BatchUpdateSpreadsheetResponse](t)(sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{
		{InsertDimension: &sheets.InsertDimensionRequest{Range: &sheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: 1, EndIndex: 2}}}}}).Do())
	if got := where(); got[33] != 4 {
		t.Fatalf("after an insertion above: %v, want row index 4", got)
	}
	// A person's sort moves it with the row.
	if err := s.EditRows(id, "Casos", func(rows [][]any) [][]any {
		return [][]any{rows[3], rows[1], rows[2], rows[0]}
	}); err != nil {
		t.Fatal(err)
	}
	if got := where(); got[33] != 1 {
		t.Fatalf("after a sort: %v, want row index 1", got)
	}
	// Deleting its row deletes it: the ID can be used again.
	must[*sheets.BatchUpdateSpreadsheetResponse](t)(sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{
		{DeleteDimension: &sheets.DeleteDimensionRequest{Range: &sheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: 1, EndIndex: 2}}}}}).Do())
	if got := where(); len(got) != 0 {
		t.Fatalf("after deleting its row: %v, want none", got)
	}
	if err := insert(1, "3", 33); err != nil {
		t.Fatalf("the ID of a deleted row: %v", err)
	}
	// deleteDeveloperMetadata by ID and key, then the ID is free.
	must[*sheets.BatchUpdateSpreadsheetResponse](t)(sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{
		{DeleteDeveloperMetadata: &sheets.DeleteDeveloperMetadataRequest{DataFilter: &sheets.DataFilter{DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataId: 33, MetadataKey: "mesa.fila"}}}},
		rowMeta(33, sheetID, 2, "x"),
	}}).Do())
	if got := where(); !reflect.DeepEqual(got, map[int64]int{33: 2}) {
		t.Fatalf("after delete and create in one batch: %v", got)
	}
}

// The reference's rules for a metadata entry and for updateCells.
func TestDeveloperMetadataRefusals(t *testing.T) {
	_, sv := open(t)
	ss := newSpreadsheet(t, sv, "Casos")
	id, sheetID := ss.SpreadsheetId, ss.Sheets[0].Properties.SheetId
	loc := func(start, end int64) *sheets.DeveloperMetadataLocation {
		return &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: start, EndIndex: end}}
	}
	for _, tc := range []struct {
		name string
		req  *sheets.Request
		want string
	}{
		{"no key", &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{Visibility: "DOCUMENT", Location: loc(1, 2)}}},
			"must always have a key"},
		{"no visibility", &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{MetadataKey: "k", Location: loc(1, 2)}}},
			"must always have a visibility"},
		{"two rows", &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{MetadataKey: "k", Visibility: "DOCUMENT", Location: loc(1, 3)}}},
			"single row or column"},
		{"past the grid", &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{MetadataKey: "k", Visibility: "DOCUMENT", Location: loc(1000, 1001)}}},
			"past the end of the grid"},
		{"updateCells without fields", &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{Start: &sheets.GridCoordinate{SheetId: sheetID},
			Rows: []*sheets.RowData{{Values: []*sheets.CellData{{UserEnteredValue: &sheets.ExtendedValue{StringValue: str("x")}}}}}}}, "At least one field"},
		{"updateCells past the grid", &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{Start: &sheets.GridCoordinate{SheetId: sheetID, RowIndex: 1000}, Fields: "userEnteredValue",
			Rows: []*sheets.RowData{{Values: []*sheets.CellData{{UserEnteredValue: &sheets.ExtendedValue{StringValue: str("x")}}}}}}}, "exceeds grid limits"},
		{"updateCells over 50,000 characters", &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{Start: &sheets.GridCoordinate{SheetId: sheetID}, Fields: "userEnteredValue",
			Rows: []*sheets.RowData{{Values: []*sheets.CellData{{UserEnteredValue: &sheets.ExtendedValue{StringValue: str(strings.Repeat("x", 50001))}}}}}}}, "50000 characters"},
	} {
		_, err := sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{tc.req}}).Do()
		if apiCode(err) != 400 || !strings.Contains(apiMessage(err), tc.want) {
			t.Errorf("%s: %v, want 400 with %q", tc.name, err, tc.want)
		}
	}
	// A stringValue is stored as given, never parsed (like a RAW write).
	must[*sheets.BatchUpdateSpreadsheetResponse](t)(sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{
		{UpdateCells: &sheets.UpdateCellsRequest{Start: &sheets.GridCoordinate{SheetId: sheetID, RowIndex: 1, ColumnIndex: 1}, Fields: "userEnteredValue",
			Rows: []*sheets.RowData{{Values: []*sheets.CellData{{UserEnteredValue: &sheets.ExtendedValue{StringValue: str("=1+1")}}, {UserEnteredValue: &sheets.ExtendedValue{StringValue: str("007")}}}}}}}}}).Do())
	got := must[*sheets.ValueRange](t)(sv.sheets.Spreadsheets.Values.Get(id, "Casos!B2:C2").ValueRenderOption("UNFORMATTED_VALUE").Do()).Values
	if !reflect.DeepEqual(got, [][]any{{"=1+1", "007"}}) {
		t.Errorf("updateCells stringValue read back %v, want the text as given", got)
	}
}
