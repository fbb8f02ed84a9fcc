package workspacefake_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"google.golang.org/api/drive/v3"
	"google.golang.org/api/sheets/v4"
)

// FIDELITY.md, "Archive workbooks": deleteDimension shifts the rows below
// up and shrinks the grid, refuses to delete every non-frozen row, and the
// batch it is in applies whole or not at all.
func TestDeleteDimension(t *testing.T) {
	_, sv := open(t)
	ss := newSpreadsheet(t, sv, "T")
	id, sheet := ss.SpreadsheetId, ss.Sheets[0].Properties.SheetId
	must[*sheets.BatchUpdateSpreadsheetResponse](t)(sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{
		{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{Properties: &sheets.SheetProperties{SheetId: sheet,
			GridProperties: &sheets.GridProperties{FrozenRowCount: 1, RowCount: 6, ColumnCount: 2}}, Fields: "gridProperties"}},
	}}).Do())
	must[*sheets.UpdateValuesResponse](t)(sv.sheets.Spreadsheets.Values.Update(id, "T!A1:A6", &sheets.ValueRange{Values: [][]any{{"h"}, {"1"}, {"2"}, {"3"}, {"4"}, {"5"}}}).ValueInputOption("RAW").Do())
	del := func(from, to int64) *sheets.Request {
		return &sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{Range: &sheets.DimensionRange{SheetId: sheet, Dimension: "ROWS", StartIndex: from, EndIndex: to}}}
	}
	// Bottom first, as mesa sends them: rows 5 and 2-3 (sheet rows, one-based).
	must[*sheets.BatchUpdateSpreadsheetResponse](t)(sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{del(4, 5), del(1, 3)}}).Do())
	vr := must[*sheets.ValueRange](t)(sv.sheets.Spreadsheets.Values.Get(id, "T!A:A").Do())
	if want := [][]any{{"h"}, {"3"}, {"5"}}; !reflect.DeepEqual(vr.Values, want) {
		t.Errorf("after deleting rows 2, 3 and 5: %v, want %v", vr.Values, want)
	}
	got := must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Get(id).Do())
	if rc := got.Sheets[0].Properties.GridProperties.RowCount; rc != 3 {
		t.Errorf("grid has %d rows after deleting 3 of 6, want 3", rc)
	}
	// Every non-frozen row: refused, and the valid request before it in
	// the same batch is not applied either.
	_, err := sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{del(2, 3), del(1, 2)}}).Do()
	if apiCode(err) != http.StatusBadRequest || !strings.Contains(err.Error(), "Sorry, it is not possible to delete all non-frozen rows.") {
		t.Fatalf("deleting every non-frozen row: %v", err)
	}
	vr = must[*sheets.ValueRange](t)(sv.sheets.Spreadsheets.Values.Get(id, "T!A:A").Do())
	if len(vr.Values) != 3 {
		t.Errorf("a refused batch changed the tab: %v", vr.Values)
	}
}

// A spreadsheet made through Drive (files.create with the Sheets MIME
// type and a parent) is a spreadsheet in that folder that files.list finds
// by name; a protected range keeps its description.
func TestSpreadsheetInFolderAndProtection(t *testing.T) {
	_, sv := open(t)
	folder := must[*drive.File](t)(sv.drive.Files.Create(&drive.File{Name: "Mesa", MimeType: "application/vnd.google-apps.folder"}).Do())
	f := must[*drive.File](t)(sv.drive.Files.Create(&drive.File{Name: "Libro — Archivo 2025", MimeType: "application/vnd.google-apps.spreadsheet", Parents: []string{folder.Id}}).Do())
	list := must[*drive.FileList](t)(sv.drive.Files.List().Q("name contains 'Libro — Archivo' and mimeType = 'application/vnd.google-apps.spreadsheet' and '" + folder.Id + "' in parents and trashed = false").Do())
	if len(list.Files) != 1 || list.Files[0].Id != f.Id {
		t.Fatalf("files.list by name in the folder: %+v", list.Files)
	}
	ss := must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Get(f.Id).Do())
	must[*sheets.BatchUpdateSpreadsheetResponse](t)(sv.sheets.Spreadsheets.BatchUpdate(f.Id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{
		{AddProtectedRange: &sheets.AddProtectedRangeRequest{ProtectedRange: &sheets.ProtectedRange{Range: &sheets.GridRange{SheetId: ss.Sheets[0].Properties.SheetId}, Description: "solo lectura"}}},
	}}).Do())
	ss = must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Get(f.Id).Fields("sheets(properties(title),protectedRanges(description))").Do())
	if len(ss.Sheets[0].ProtectedRanges) != 1 || ss.Sheets[0].ProtectedRanges[0].Description != "solo lectura" {
		t.Errorf("protected ranges: %+v", ss.Sheets[0].ProtectedRanges)
	}
}
