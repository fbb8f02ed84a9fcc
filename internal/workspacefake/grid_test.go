package workspacefake_test

import (
	"errors"
	"reflect"
	"testing"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/sheets/v4"
)

// Grids, cells and growth: FIDELITY.md, "Sheets: grid, cells and growth".

// apiMessage is the message of a googleapi.Error, or "".
func apiMessage(err error) string {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Message
	}
	return ""
}

func gridOf(t *testing.T, sv *services, id, title string) (rows, cols int64) {
	t.Helper()
	ss := must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Get(id).Fields("sheets(properties(title,gridProperties))").Do())
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == title {
			return sh.Properties.GridProperties.RowCount, sh.Properties.GridProperties.ColumnCount
		}
	}
	t.Fatalf("no tab %q", title)
	return 0, 0
}

func TestGridDefaultAndGivenSizes(t *testing.T) {
	dir := t.TempDir()
	s, sv := openDir(t, dir)
	id := must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Create(&sheets.Spreadsheet{Sheets: []*sheets.Sheet{
		{Properties: &sheets.SheetProperties{Title: "Default"}},
		{Properties: &sheets.SheetProperties{Title: "Narrow", GridProperties: &sheets.GridProperties{RowCount: 50, ColumnCount: 7}}},
	}}).Do()).SpreadsheetId
	must[*sheets.BatchUpdateSpreadsheetResponse](t)(sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{
		{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{Title: "Added"}}},
		{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{Title: "Sized", GridProperties: &sheets.GridProperties{RowCount: 3000, ColumnCount: 30}}}},
	}}).Do())
	want := map[string][2]int64{"Default": {1000, 26}, "Narrow": {50, 7}, "Added": {1000, 26}, "Sized": {3000, 30}}
	check := func(sv *services) {
		t.Helper()
		for title, w := range want {
			if r, c := gridOf(t, sv, id, title); r != w[0] || c != w[1] {
				t.Errorf("%s grid = %d×%d, want %d×%d", title, r, c, w[0], w[1])
			}
		}
	}
	check(sv)
	// §10c: Open(dir) honours the grid size given at creation, across a restart.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_, sv2 := openDir(t, dir)
	check(sv2)
}

func TestGridWritesPastTheGridAreRefused(t *testing.T) {
	_, sv := open(t)
	id := must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Create(&sheets.Spreadsheet{Sheets: []*sheets.Sheet{
		{Properties: &sheets.SheetProperties{Title: "Historial"}},
		{Properties: &sheets.SheetProperties{Title: "Solar", GridProperties: &sheets.GridProperties{RowCount: 981, ColumnCount: 24}}},
		{Properties: &sheets.SheetProperties{Title: "Lighthouse Results", GridProperties: &sheets.GridProperties{RowCount: 1000, ColumnCount: 121}}},
	}}).Do()).SpreadsheetId
	vals := sv.sheets.Spreadsheets.Values
	update := func(rng string, rows ...[]any) error {
		_, err := vals.Update(id, rng, &sheets.ValueRange{Values: rows}).ValueInputOption("RAW").Do()
		return err
	}
	row := func(n int) []any {
		r := make([]any, n)
		for i := range r {
			r[i] = i
		}
		return r
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		// The messages of the public reports, reproduced with their grids.
		{"row past the end (lighthouse-parade#151)", update("'Lighthouse Results'!A1001", row(3)),
			"Range ('Lighthouse Results'!A1001) exceeds grid limits. Max rows: 1000, max columns: 121"},
		{"row too wide (home-assistant/core#104198)", update("Solar!A1", row(25)),
			"Range (Solar!Y1) exceeds grid limits. Max rows: 981, max columns: 24"},
		{"default grid, the 1,001st row", update("Historial!A1001:C1001", row(3)),
			"Range (Historial!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"},
		{"a block that runs over the last row", update("Historial!A999", row(2), row(2), row(2)),
			"Range (Historial!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if apiCode(tt.err) != 400 || apiMessage(tt.err) != tt.want {
				t.Errorf("got %d %q, want 400 %q", apiCode(tt.err), apiMessage(tt.err), tt.want)
			}
		})
	}
	// The last row and column are writable.
	if err := update("Historial!Z1000", []any{"last"}); err != nil {
		t.Errorf("write at the last cell: %v", err)
	}

	// values.batchUpdate is atomic: one range past the grid, nothing written.
	_, err := vals.BatchUpdate(id, &sheets.BatchUpdateValuesRequest{ValueInputOption: "RAW", Data: []*sheets.ValueRange{
		{Range: "Historial!A2", Values: [][]any{{"fits"}}},
		{Range: "Historial!A1001", Values: [][]any{{"does not"}}},
	}}).Do()
	if apiCode(err) != 400 || apiMessage(err) != "Range (Historial!A1001) exceeds grid limits. Max rows: 1000, max columns: 26" {
		t.Errorf("batch past the grid: %v", err)
	}
	if got := must[*sheets.ValueRange](t)(vals.Get(id, "Historial!A2").Do()).Values; got != nil {
		t.Errorf("a refused batch wrote %v", got)
	}
	if r, c := gridOf(t, sv, id, "Historial"); r != 1000 || c != 26 {
		t.Errorf("a refused write changed the grid to %d×%d", r, c)
	}

	// A read that starts past the grid is refused (googleapis/sloth#1096);
	// one that starts inside it and ends past it is answered clipped.
	_, err = vals.Get(id, "Historial!A1001:Z2000").Do()
	if apiCode(err) != 400 || apiMessage(err) != "Range (Historial!A1001:Z2000) exceeds grid limits. Max rows: 1000, max columns: 26" {
		t.Errorf("read past the grid: %v", err)
	}
	_, err = vals.BatchGet(id).Ranges("Historial!A1:B2", "Historial!AA1:AB2").Do()
	if apiCode(err) != 400 || apiMessage(err) != "Range (Historial!AA1:AB2) exceeds grid limits. Max rows: 1000, max columns: 26" {
		t.Errorf("batch read with a range past the grid: %v", err)
	}
	got := must[*sheets.ValueRange](t)(vals.Get(id, "Historial!Z999:AC5000").Do())
	if got.Range != "Historial!Z999:Z1000" || len(got.Values) != 2 || got.Values[1][0] != "last" {
		t.Errorf("read from inside the grid past its end = %s %v, want Historial!Z999:Z1000 clipped", got.Range, got.Values)
	}
}

func TestGridGrowsOnlyByDimensionRequestsAndAppend(t *testing.T) {
	_, sv := open(t)
	ss := newSpreadsheet(t, sv, "Historial")
	id, sheetID := ss.SpreadsheetId, ss.Sheets[0].Properties.SheetId
	vals := sv.sheets.Spreadsheets.Values
	batch := func(reqs ...*sheets.Request) error {
		_, err := sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Do()
		return err
	}

	// appendDimension adds rows and columns at the end.
	if err := batch(
		&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: sheetID, Dimension: "ROWS", Length: 500}},
		&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: sheetID, Dimension: "COLUMNS", Length: 4}},
	); err != nil {
		t.Fatal(err)
	}
	if r, c := gridOf(t, sv, id, "Historial"); r != 1500 || c != 30 {
		t.Errorf("after appendDimension: %d×%d, want 1500×30", r, c)
	}
	must[*sheets.UpdateValuesResponse](t)(vals.Update(id, "Historial!AD1500", &sheets.ValueRange{Values: [][]any{{"now it fits"}}}).ValueInputOption("RAW").Do())

	// insertDimension adds rows in the middle and shifts the cells below.
	must[*sheets.UpdateValuesResponse](t)(vals.Update(id, "Historial!A1:A3", &sheets.ValueRange{Values: [][]any{{"a"}, {"b"}, {"c"}}}).ValueInputOption("RAW").Do())
	if err := batch(&sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
		Range: &sheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: 1, EndIndex: 3}}}); err != nil {
		t.Fatal(err)
	}
	got := must[*sheets.ValueRange](t)(vals.Get(id, "Historial!A1:A5").Do()).Values
	if want := [][]any{{"a"}, {}, {}, {"b"}, {"c"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("after insertDimension: %v, want %v", got, want)
	}
	if r, _ := gridOf(t, sv, id, "Historial"); r != 1502 {
		t.Errorf("rows after insertDimension = %d, want 1502", r)
	}

	// A failed batch (second request bad) leaves cells and grid as they were.
	err := batch(
		&sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
			Range: &sheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: 0, EndIndex: 1}}},
		&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: 999, Dimension: "ROWS", Length: 1}},
	)
	if apiCode(err) != 400 {
		t.Errorf("bad batch: %v", err)
	}
	if got := must[*sheets.ValueRange](t)(vals.Get(id, "Historial!A1").Do()).Values; !reflect.DeepEqual(got, [][]any{{"a"}}) {
		t.Errorf("a failed insertDimension moved cells: A1 = %v", got)
	}

	// insertDimension of columns shifts the cells right.
	if err := batch(&sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
		Range: &sheets.DimensionRange{SheetId: sheetID, Dimension: "COLUMNS", StartIndex: 0, EndIndex: 1}}}); err != nil {
		t.Fatal(err)
	}
	if got := must[*sheets.ValueRange](t)(vals.Get(id, "Historial!A1:B1").Do()).Values; !reflect.DeepEqual(got, [][]any{{"", "a"}}) {
		t.Errorf("after inserting a column: A1:B1 = %v", got)
	}
	if _, c := gridOf(t, sv, id, "Historial"); c != 31 {
		t.Errorf("columns after insertDimension = %d, want 31", c)
	}

	// values.append grows the grid when its rows go past the end (OVERWRITE too).
	small := newSpreadsheet(t, sv, "T")
	must[*sheets.BatchUpdateSpreadsheetResponse](t)(sv.sheets.Spreadsheets.BatchUpdate(small.SpreadsheetId, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{
		{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{Fields: "gridProperties.rowCount",
			Properties: &sheets.SheetProperties{SheetId: small.Sheets[0].Properties.SheetId, GridProperties: &sheets.GridProperties{RowCount: 2}}}},
	}}).Do())
	app := must[*sheets.AppendValuesResponse](t)(vals.Append(small.SpreadsheetId, "T!A:B", &sheets.ValueRange{Values: [][]any{{1}, {2}, {3}}}).ValueInputOption("RAW").Do())
	if app.Updates.UpdatedRange != "T!A1:A3" {
		t.Errorf("append updated %q", app.Updates.UpdatedRange)
	}
	if r, _ := gridOf(t, sv, small.SpreadsheetId, "T"); r != 3 {
		t.Errorf("rows after append = %d, want 3", r)
	}
	// ... and its columns when a row is wider than the grid.
	wide := make([]any, 28)
	for i := range wide {
		wide[i] = i
	}
	must[*sheets.AppendValuesResponse](t)(vals.Append(small.SpreadsheetId, "T!A:B", &sheets.ValueRange{Values: [][]any{wide}}).ValueInputOption("RAW").Do())
	if r, c := gridOf(t, sv, small.SpreadsheetId, "T"); r != 4 || c != 28 {
		t.Errorf("grid after a wide append = %d×%d, want 4×28", r, c)
	}
}

// Google counts every cell of every grid, empty ones too, against 10
// million per spreadsheet, and refuses the request that would go above it.
func TestGridCellLimit(t *testing.T) {
	_, sv := open(t)
	const limit = "This action would increase the number of cells in the workbook above the limit of 10000000 cells."
	create := func(histRows int64) (*sheets.Spreadsheet, error) {
		return sv.sheets.Spreadsheets.Create(&sheets.Spreadsheet{Sheets: []*sheets.Sheet{
			{Properties: &sheets.SheetProperties{Title: "Historial", GridProperties: &sheets.GridProperties{RowCount: histRows, ColumnCount: 20}}},
			{Properties: &sheets.SheetProperties{Title: "Casos"}}, // 1,000 × 26 empty cells, counted
		}}).Do()
	}
	// 499,000 × 20 + 26,000 = 10,006,000.
	if _, err := create(499_000); apiCode(err) != 400 || apiMessage(err) != limit {
		t.Errorf("create over the limit: %v", err)
	}
	// 498,000 × 20 + 26,000 = 9,986,000: 14,000 cells left.
	ss := must[*sheets.Spreadsheet](t)(create(498_000))
	id, hist := ss.SpreadsheetId, ss.Sheets[0].Properties.SheetId
	batch := func(r *sheets.Request) error {
		_, err := sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{r}}).Do()
		return err
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"appendDimension, 20,000 cells more", batch(&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: hist, Dimension: "ROWS", Length: 1000}}),
			"Invalid requests[0].appendDimension: " + limit},
		{"addSheet at the default grid", batch(&sheets.Request{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{Title: "Otra"}}}),
			"Invalid requests[0].addSheet: " + limit},
		{"values.append of 700 rows past the end of Casos, 18,174 cells more", func() error {
			rows := make([][]any, 700)
			for i := range rows {
				rows[i] = []any{i}
			}
			_, err := sv.sheets.Spreadsheets.Values.Append(id, "Casos!A1000", &sheets.ValueRange{Values: rows}).ValueInputOption("RAW").Do()
			return err
		}(), limit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if apiCode(tt.err) != 400 || apiMessage(tt.err) != tt.want {
				t.Errorf("got %d %q, want 400 %q", apiCode(tt.err), apiMessage(tt.err), tt.want)
			}
		})
	}
	if r, _ := gridOf(t, sv, id, "Historial"); r != 498_000 {
		t.Errorf("a refused request grew Historial to %d rows", r)
	}
	// Up to exactly 10,000,000 is allowed.
	if err := batch(&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: hist, Dimension: "ROWS", Length: 700}}); err != nil {
		t.Errorf("growing to exactly the limit: %v", err)
	}
}
