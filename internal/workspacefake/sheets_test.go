package workspacefake_test

import (
	"fmt"
	"google.golang.org/api/drive/v3"
	"reflect"
	"strings"
	"sync"
	"testing"

	"google.golang.org/api/sheets/v4"
)

func TestValuesGetRangesAndTrimming(t *testing.T) {
	_, sv := open(t)
	ss := newSpreadsheet(t, sv, "Casos", "Quoted Tab")
	id := ss.SpreadsheetId
	// Row 2 is empty and D1 is empty: Google keeps them inside the data and
	// trims only at the ends.
	write := &sheets.ValueRange{Values: [][]any{
		{"a1", "b1", "c1", "", ""},
		{},
		{"a3", "", "c3"},
		{"", "", "", "", ""},
	}}
	must[*sheets.UpdateValuesResponse](t)(sv.sheets.Spreadsheets.Values.Update(id, "'Quoted Tab'!A1", write).ValueInputOption("RAW").Do())

	tests := []struct {
		rng       string
		wantRange string
		want      [][]any
	}{
		{"'Quoted Tab'!A1:Z9", "'Quoted Tab'!A1:Z9", [][]any{{"a1", "b1", "c1"}, {}, {"a3", "", "c3"}}},
		{"'Quoted Tab'!A:Z", "'Quoted Tab'!A1:Z1000", [][]any{{"a1", "b1", "c1"}, {}, {"a3", "", "c3"}}},
		{"'Quoted Tab'!A2:C", "'Quoted Tab'!A2:C1000", [][]any{{}, {"a3", "", "c3"}}},
		{"'Quoted Tab'!B1:B3", "'Quoted Tab'!B1:B3", [][]any{{"b1"}}},
		{"'Quoted Tab'!C:C", "'Quoted Tab'!C1:C1000", [][]any{{"c1"}, {}, {"c3"}}},
		{"'Quoted Tab'", "'Quoted Tab'!A1:Z1000", [][]any{{"a1", "b1", "c1"}, {}, {"a3", "", "c3"}}},
		{"'Quoted Tab'!A1", "'Quoted Tab'!A1", [][]any{{"a1"}}},
		{"'Quoted Tab'!E5:F6", "'Quoted Tab'!E5:F6", nil},
		{"'Quoted Tab'!A1:ZZ5", "'Quoted Tab'!A1:Z5", [][]any{{"a1", "b1", "c1"}, {}, {"a3", "", "c3"}}},
		{"Casos", "Casos!A1:Z1000", nil},
		{"A1:B2", "Casos!A1:B2", nil}, // no sheet name: the first sheet
	}
	for _, tt := range tests {
		t.Run(tt.rng, func(t *testing.T) {
			got, err := sv.sheets.Spreadsheets.Values.Get(id, tt.rng).Do()
			if err != nil {
				t.Fatal(err)
			}
			if got.Range != tt.wantRange || got.MajorDimension != "ROWS" {
				t.Errorf("range = %q %q, want %q ROWS", got.Range, got.MajorDimension, tt.wantRange)
			}
			if !reflect.DeepEqual(got.Values, tt.want) {
				t.Errorf("values = %#v, want %#v", got.Values, tt.want)
			}
		})
	}

	t.Run("COLUMNS", func(t *testing.T) {
		got := must[*sheets.ValueRange](t)(sv.sheets.Spreadsheets.Values.Get(id, "'Quoted Tab'!A1:C3").MajorDimension("COLUMNS").Do())
		want := [][]any{{"a1", "", "a3"}, {"b1"}, {"c1", "", "c3"}}
		if !reflect.DeepEqual(got.Values, want) {
			t.Errorf("values = %#v, want %#v", got.Values, want)
		}
	})
}

func TestValueInputAndRenderOptions(t *testing.T) {
	_, sv := open(t)
	id := newSpreadsheet(t, sv, "T").SpreadsheetId
	in := []any{"42", "3.5", "=SUM(A1:B1)", "'007", "TRUE", "12%", "hello", " 7 ", 8.25, true, "1e3", "0x10", "NaN"}
	tests := []struct {
		input, render string
		want          []any
	}{
		{"RAW", "FORMATTED_VALUE", []any{"42", "3.5", "=SUM(A1:B1)", "'007", "TRUE", "12%", "hello", " 7 ", "8.25", "TRUE", "1e3", "0x10", "NaN"}},
		{"RAW", "UNFORMATTED_VALUE", []any{"42", "3.5", "=SUM(A1:B1)", "'007", "TRUE", "12%", "hello", " 7 ", 8.25, true, "1e3", "0x10", "NaN"}},
		{"USER_ENTERED", "UNFORMATTED_VALUE", []any{42.0, 3.5, "=SUM(A1:B1)", "007", true, 0.12, "hello", 7.0, 8.25, true, 1000.0, "0x10", "NaN"}},
		{"USER_ENTERED", "FORMATTED_VALUE", []any{"42", "3.5", "=SUM(A1:B1)", "007", "TRUE", "0.12", "hello", "7", "8.25", "TRUE", "1000", "0x10", "NaN"}},
		{"USER_ENTERED", "FORMULA", []any{42.0, 3.5, "=SUM(A1:B1)", "007", true, 0.12, "hello", 7.0, 8.25, true, 1000.0, "0x10", "NaN"}},
	}
	for _, tt := range tests {
		t.Run(tt.input+"/"+tt.render, func(t *testing.T) {
			_, err := sv.sheets.Spreadsheets.Values.Update(id, "T!A1", &sheets.ValueRange{Values: [][]any{in}}).ValueInputOption(tt.input).Do()
			if err != nil {
				t.Fatal(err)
			}
			got := must[*sheets.ValueRange](t)(sv.sheets.Spreadsheets.Values.Get(id, "T!A1:Z1").ValueRenderOption(tt.render).Do())
			if !reflect.DeepEqual(got.Values[0], tt.want) {
				t.Errorf("got  %#v\nwant %#v", got.Values[0], tt.want)
			}
		})
	}
}

func TestValuesWriteSemantics(t *testing.T) {
	_, sv := open(t)
	id := newSpreadsheet(t, sv, "T").SpreadsheetId
	vals := sv.sheets.Spreadsheets.Values
	get := func(rng string) [][]any {
		t.Helper()
		return must[*sheets.ValueRange](t)(vals.Get(id, rng).Do()).Values
	}

	up := must[*sheets.UpdateValuesResponse](t)(vals.Update(id, "T!B2", &sheets.ValueRange{Values: [][]any{{"x", "y"}, {"z"}}}).ValueInputOption("RAW").Do())
	if up.UpdatedRange != "T!B2:C3" || up.UpdatedRows != 2 || up.UpdatedColumns != 2 || up.UpdatedCells != 3 {
		t.Errorf("update response = %+v", up)
	}

	// null leaves a cell alone; "" clears it.
	must[*sheets.UpdateValuesResponse](t)(vals.Update(id, "T!B2:C2", &sheets.ValueRange{Values: [][]any{{nil, ""}}}).ValueInputOption("RAW").Do())
	if got := get("T!A1:C3"); !reflect.DeepEqual(got, [][]any{{}, {"", "x"}, {"", "z"}}) {
		t.Errorf("after null/empty write: %#v", got)
	}

	// A bounded range refuses a bigger block.
	_, err := vals.Update(id, "T!A1:B1", &sheets.ValueRange{Values: [][]any{{1, 2, 3}}}).ValueInputOption("RAW").Do()
	if apiCode(err) != 400 || !strings.Contains(err.Error(), "tried writing to column [C]") {
		t.Errorf("oversized write: %v", err)
	}
	_, err = vals.Update(id, "T!A1:B1", &sheets.ValueRange{Values: [][]any{{1}, {2}}}).ValueInputOption("RAW").Do()
	if apiCode(err) != 400 || !strings.Contains(err.Error(), "tried writing to row [2]") {
		t.Errorf("oversized write: %v", err)
	}

	// valueInputOption is required.
	_, err = vals.Update(id, "T!A1", &sheets.ValueRange{Values: [][]any{{1}}}).Do()
	if apiCode(err) != 400 {
		t.Errorf("missing valueInputOption: %v", err)
	}

	// Writing past the grid is refused (grid_test.go has the details).
	_, err = vals.Update(id, "T!AB1500", &sheets.ValueRange{Values: [][]any{{"far"}}}).ValueInputOption("RAW").Do()
	if apiCode(err) != 400 || !strings.Contains(err.Error(), "exceeds grid limits") {
		t.Errorf("write past the grid: %v", err)
	}

	// batchUpdate and batchGet.
	bu := must[*sheets.BatchUpdateValuesResponse](t)(vals.BatchUpdate(id, &sheets.BatchUpdateValuesRequest{
		ValueInputOption: "USER_ENTERED",
		Data: []*sheets.ValueRange{
			{Range: "T!A10", Values: [][]any{{"1", "2"}}},
			{Range: "T!A11:B11", Values: [][]any{{"3", "4"}}},
		},
		IncludeValuesInResponse:   true,
		ResponseValueRenderOption: "UNFORMATTED_VALUE",
	}).Do())
	if bu.TotalUpdatedCells != 4 || bu.TotalUpdatedSheets != 1 || len(bu.Responses) != 2 ||
		!reflect.DeepEqual(bu.Responses[1].UpdatedData.Values, [][]any{{3.0, 4.0}}) {
		t.Errorf("batchUpdate = %+v", bu)
	}
	bg := must[*sheets.BatchGetValuesResponse](t)(vals.BatchGet(id).Ranges("T!A10:B10", "T!A11:B11").ValueRenderOption("UNFORMATTED_VALUE").Do())
	if len(bg.ValueRanges) != 2 || !reflect.DeepEqual(bg.ValueRanges[0].Values, [][]any{{1.0, 2.0}}) || bg.ValueRanges[1].Range != "T!A11:B11" {
		t.Errorf("batchGet = %+v", bg.ValueRanges)
	}

	// A batch with one bad range writes nothing.
	_, err = vals.BatchUpdate(id, &sheets.BatchUpdateValuesRequest{
		ValueInputOption: "RAW",
		Data: []*sheets.ValueRange{
			{Range: "T!A20", Values: [][]any{{"written?"}}},
			{Range: "Nope!A1", Values: [][]any{{"x"}}},
		},
	}).Do()
	if apiCode(err) != 400 {
		t.Errorf("bad batch: %v", err)
	}
	if got := get("T!A20"); got != nil {
		t.Errorf("a failed batch wrote %v", got)
	}

	// clear and batchClear.
	cl := must[*sheets.ClearValuesResponse](t)(vals.Clear(id, "T!A10:B10", &sheets.ClearValuesRequest{}).Do())
	if cl.ClearedRange != "T!A10:B10" {
		t.Errorf("clearedRange = %q", cl.ClearedRange)
	}
	bc := must[*sheets.BatchClearValuesResponse](t)(vals.BatchClear(id, &sheets.BatchClearValuesRequest{Ranges: []string{"T!A11:B11", "T!Z:Z"}}).Do())
	if !reflect.DeepEqual(bc.ClearedRanges, []string{"T!A11:B11", "T!Z1:Z1000"}) {
		t.Errorf("clearedRanges = %v", bc.ClearedRanges)
	}
	if got := get("T!A10:Z1000"); got != nil {
		t.Errorf("after clears: %v", got)
	}
}

func TestValuesAppend(t *testing.T) {
	_, sv := open(t)
	id := newSpreadsheet(t, sv, "Historial").SpreadsheetId
	vals := sv.sheets.Spreadsheets.Values
	appendRows := func(rng, insert string, rows ...[]any) *sheets.AppendValuesResponse {
		t.Helper()
		call := vals.Append(id, rng, &sheets.ValueRange{Values: rows}).ValueInputOption("RAW")
		if insert != "" {
			call = call.InsertDataOption(insert)
		}
		return must[*sheets.AppendValuesResponse](t)(call.Do())
	}

	r := appendRows("Historial!A:C", "", []any{"id", "caso", "regla"})
	if r.TableRange != "" || r.Updates.UpdatedRange != "Historial!A1:C1" {
		t.Errorf("first append: table %q updated %q", r.TableRange, r.Updates.UpdatedRange)
	}
	r = appendRows("Historial!A:C", "", []any{"e1", "1", "F-2"}, []any{"e2", "1", "F-3"})
	if r.TableRange != "Historial!A1:C1" || r.Updates.UpdatedRange != "Historial!A2:C3" || r.Updates.UpdatedRows != 2 {
		t.Errorf("second append: table %q updated %q", r.TableRange, r.Updates.UpdatedRange)
	}
	r = appendRows("Historial!A1", "", []any{"e3"})
	if r.TableRange != "Historial!A1:C3" || r.Updates.UpdatedRange != "Historial!A4" {
		t.Errorf("append at anchor: table %q updated %q", r.TableRange, r.Updates.UpdatedRange)
	}

	// INSERT_ROWS shifts what is below the table down.
	must[*sheets.UpdateValuesResponse](t)(vals.Update(id, "Historial!A7", &sheets.ValueRange{Values: [][]any{{"below"}}}).ValueInputOption("RAW").Do())
	r = appendRows("Historial!A:C", "INSERT_ROWS", []any{"e4"})
	if r.Updates.UpdatedRange != "Historial!A5" {
		t.Errorf("insert append updated %q", r.Updates.UpdatedRange)
	}
	got := must[*sheets.ValueRange](t)(vals.Get(id, "Historial!A:A").Do()).Values
	want := [][]any{{"id"}, {"e1"}, {"e2"}, {"e3"}, {"e4"}, {}, {}, {"below"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("column A = %v, want %v", got, want)
	}
	ss := must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Get(id).Do())
	if rc := ss.Sheets[0].Properties.GridProperties.RowCount; rc != 1001 {
		t.Errorf("rowCount after INSERT_ROWS = %d, want 1001", rc)
	}
}

func TestValuesConcurrentAppends(t *testing.T) {
	_, sv := open(t)
	id := newSpreadsheet(t, sv, "T").SpreadsheetId
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				_, err := sv.sheets.Spreadsheets.Values.Append(id, "T!A:B", &sheets.ValueRange{Values: [][]any{{fmt.Sprintf("g%d-%d", g, i)}}}).ValueInputOption("RAW").Do()
				if err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	got := must[*sheets.ValueRange](t)(sv.sheets.Spreadsheets.Values.Get(id, "T!A:A").Do()).Values
	seen := map[any]bool{}
	for _, r := range got {
		seen[r[0]] = true
	}
	if len(got) != 80 || len(seen) != 80 {
		t.Errorf("got %d rows, %d distinct; want 80 (appends must not overwrite each other)", len(got), len(seen))
	}
}

func TestSheetsErrors(t *testing.T) {
	_, sv := open(t)
	id := newSpreadsheet(t, sv, "T").SpreadsheetId
	vals := sv.sheets.Spreadsheets.Values
	tests := []struct {
		name string
		call func() error
		code int
	}{
		{"unknown spreadsheet", func() error { _, err := vals.Get("nope", "T!A1").Do(); return err }, 404},
		{"unknown sheet", func() error { _, err := vals.Get(id, "Nope!A1").Do(); return err }, 400},
		{"bad range", func() error { _, err := vals.Get(id, "T!A0:B").Do(); return err }, 400},
		{"bad render option", func() error { _, err := vals.Get(id, "T!A1").ValueRenderOption("PRETTY").Do(); return err }, 400},
		{"nested value", func() error {
			_, err := vals.Update(id, "T!A1", &sheets.ValueRange{Values: [][]any{{map[string]any{"a": 1}}}}).ValueInputOption("RAW").Do()
			return err
		}, 400},
		{"cell too long", func() error {
			_, err := vals.Update(id, "T!A1", &sheets.ValueRange{Values: [][]any{{strings.Repeat("x", 50001)}}}).ValueInputOption("RAW").Do()
			return err
		}, 400},
		{"cell limit", func() error {
			_, err := vals.Append(id, "T!A10000000", &sheets.ValueRange{Values: [][]any{{"x"}}}).ValueInputOption("RAW").Do()
			return err
		}, 400},
		{"cell limit via addSheet", func() error {
			_, err := sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{{
				AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{Title: "Big",
					GridProperties: &sheets.GridProperties{RowCount: 1_000_000, ColumnCount: 10}}},
			}}}).Do()
			return err
		}, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code := apiCode(tt.call()); code != tt.code {
				t.Errorf("code = %d, want %d", code, tt.code)
			}
		})
	}
}

func TestSpreadsheetBatchUpdate(t *testing.T) {
	_, sv := open(t)
	ss := newSpreadsheet(t, sv, "Casos")
	id := ss.SpreadsheetId
	casos := ss.Sheets[0].Properties.SheetId
	if ss.Properties.TimeZone == "" || ss.Sheets[0].Properties.GridProperties.RowCount != 1000 {
		t.Errorf("defaults: %+v %+v", ss.Properties, ss.Sheets[0].Properties.GridProperties)
	}
	batch := func(reqs ...*sheets.Request) (*sheets.BatchUpdateSpreadsheetResponse, error) {
		return sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Do()
	}

	res, err := batch(
		&sheets.Request{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{Title: "Historial"}}},
		&sheets.Request{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{
			Properties: &sheets.SheetProperties{SheetId: casos, Title: "Casos v2", GridProperties: &sheets.GridProperties{FrozenRowCount: 1}},
			Fields:     "title,gridProperties.frozenRowCount",
		}},
		&sheets.Request{AddProtectedRange: &sheets.AddProtectedRangeRequest{ProtectedRange: &sheets.ProtectedRange{
			Range: &sheets.GridRange{SheetId: casos, StartRowIndex: 0, EndRowIndex: 1}, Description: "encabezados", WarningOnly: true,
		}}},
		&sheets.Request{SetDataValidation: &sheets.SetDataValidationRequest{
			Range: &sheets.GridRange{SheetId: casos, StartRowIndex: 1, EndRowIndex: 3, StartColumnIndex: 1, EndColumnIndex: 2},
			Rule: &sheets.DataValidationRule{Strict: true, Condition: &sheets.BooleanCondition{
				Type: "ONE_OF_LIST", Values: []*sheets.ConditionValue{{UserEnteredValue: "Abierto"}, {UserEnteredValue: "Resuelto"}},
			}},
		}},
		&sheets.Request{AddConditionalFormatRule: &sheets.AddConditionalFormatRuleRequest{Rule: &sheets.ConditionalFormatRule{
			Ranges:      []*sheets.GridRange{{SheetId: casos, StartColumnIndex: 14, EndColumnIndex: 15}},
			BooleanRule: &sheets.BooleanRule{Condition: &sheets.BooleanCondition{Type: "TEXT_EQ", Values: []*sheets.ConditionValue{{UserEnteredValue: "Sí"}}}},
		}}},
		&sheets.Request{AddFilterView: &sheets.AddFilterViewRequest{Filter: &sheets.FilterView{
			Title: "Mis casos", Range: &sheets.GridRange{SheetId: casos},
		}}},
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Replies) != 6 || res.Replies[0].AddSheet == nil || res.Replies[2].AddProtectedRange == nil || res.Replies[5].AddFilterView == nil {
		t.Fatalf("replies = %+v", res.Replies)
	}
	historial := res.Replies[0].AddSheet.Properties.SheetId
	filterID := res.Replies[5].AddFilterView.Filter.FilterViewId
	if historial == 0 || filterID == 0 || res.Replies[2].AddProtectedRange.ProtectedRange.ProtectedRangeId == 0 {
		t.Errorf("ids not assigned: sheet %d filter %d", historial, filterID)
	}

	got := must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Get(id).Do())
	if len(got.Sheets) != 2 {
		t.Fatalf("sheets = %d", len(got.Sheets))
	}
	c := got.Sheets[0]
	if c.Properties.Title != "Casos v2" || c.Properties.GridProperties.FrozenRowCount != 1 || c.Properties.GridProperties.RowCount != 1000 {
		t.Errorf("properties = %+v %+v", c.Properties, c.Properties.GridProperties)
	}
	if len(c.ProtectedRanges) != 1 || c.ProtectedRanges[0].Description != "encabezados" || !c.ProtectedRanges[0].WarningOnly {
		t.Errorf("protected ranges = %+v", c.ProtectedRanges)
	}
	if len(c.ConditionalFormats) != 1 || c.ConditionalFormats[0].BooleanRule.Condition.Type != "TEXT_EQ" {
		t.Errorf("conditional formats = %+v", c.ConditionalFormats)
	}
	if len(c.FilterViews) != 1 || c.FilterViews[0].Title != "Mis casos" {
		t.Errorf("filter views = %+v", c.FilterViews)
	}
	if got.Sheets[1].Properties.Title != "Historial" || got.Sheets[1].Properties.Index != 1 {
		t.Errorf("added sheet = %+v", got.Sheets[1].Properties)
	}

	// Data validation shows in grid data, as with Google.
	grid := must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Get(id).Ranges("'Casos v2'!A1:C4").IncludeGridData(true).Do())
	if len(grid.Sheets) != 1 || len(grid.Sheets[0].Data) != 1 {
		t.Fatalf("grid data = %+v", grid.Sheets)
	}
	rows := grid.Sheets[0].Data[0].RowData
	if len(rows) != 3 || len(rows[1].Values) != 2 || rows[1].Values[1].DataValidation == nil ||
		rows[1].Values[1].DataValidation.Condition.Values[1].UserEnteredValue != "Resuelto" || rows[2].Values[1].DataValidation == nil {
		t.Errorf("grid rows = %+v", rows)
	}

	// Unfreeze needs ForceSendFields: frozenRowCount 0 is in the mask but absent.
	must[*sheets.BatchUpdateSpreadsheetResponse](t)(batch(
		&sheets.Request{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{
			Properties: &sheets.SheetProperties{SheetId: casos}, Fields: "gridProperties.frozenRowCount",
		}},
		&sheets.Request{DeleteFilterView: &sheets.DeleteFilterViewRequest{FilterId: filterID}},
		&sheets.Request{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: historial}},
	))
	got = must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Get(id).Do())
	if len(got.Sheets) != 1 || got.Sheets[0].Properties.GridProperties.FrozenRowCount != 0 || len(got.Sheets[0].FilterViews) != 0 {
		t.Errorf("after deletes: %+v", got.Sheets[0])
	}

	errTests := []struct {
		name string
		reqs []*sheets.Request
		want string
	}{
		{"unsupported kind", []*sheets.Request{{AutoResizeDimensions: &sheets.AutoResizeDimensionsRequest{}}}, "autoResizeDimensions"},
		{"duplicate title", []*sheets.Request{{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{Title: "Casos v2"}}}}, "already exists"},
		{"last sheet", []*sheets.Request{{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: casos}}}, "remove all the sheets"},
		{"unknown filter view", []*sheets.Request{{DeleteFilterView: &sheets.DeleteFilterViewRequest{FilterId: 12345}}}, "No filter view"},
		// The first request is valid but the batch fails as a whole.
		{"atomic", []*sheets.Request{
			{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{Title: "Should not exist"}}},
			{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: 999}},
		}, "requests[1]"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := batch(tt.reqs...)
			if apiCode(err) != 400 || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want 400 mentioning %q", err, tt.want)
			}
		})
	}
	got = must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Get(id).Do())
	if len(got.Sheets) != 1 {
		t.Errorf("a failed batch added a sheet: %d sheets", len(got.Sheets))
	}
}

func TestSpreadsheetRevisionThroughDrive(t *testing.T) {
	_, sv := open(t)
	id := newSpreadsheet(t, sv, "T").SpreadsheetId
	version := func() (int64, string) {
		f := must[*drive.File](t)(sv.drive.Files.Get(id).Fields("version,modifiedTime,mimeType").Do())
		if f.MimeType != "application/vnd.google-apps.spreadsheet" {
			t.Errorf("mimeType = %q", f.MimeType)
		}
		return f.Version, f.ModifiedTime
	}
	v1, _ := version()
	must[*sheets.ValueRange](t)(sv.sheets.Spreadsheets.Values.Get(id, "T!A1").Do())
	if v, _ := version(); v != v1 {
		t.Errorf("a read changed the version: %d -> %d", v1, v)
	}
	must[*sheets.UpdateValuesResponse](t)(sv.sheets.Spreadsheets.Values.Update(id, "T!A1", &sheets.ValueRange{Values: [][]any{{"x"}}}).ValueInputOption("RAW").Do())
	if v, _ := version(); v <= v1 {
		t.Errorf("a write did not bump the version: %d -> %d", v1, v)
	}
}
