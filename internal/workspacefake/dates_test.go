package workspacefake_test

import (
	"reflect"
	"testing"

	"google.golang.org/api/sheets/v4"
)

// Dates typed by people are stored as serial numbers, read per the render
// options, and read as dates only where the spreadsheet's locale reads them
// so. Serials: DateTimeRenderOption reference ("days since December 30th
// 1899", 2026-03-18 is 46099). Day/month order by locale: getodk/collect#4415
// and grafana/google-sheets-datasource#123 (the same text means another date
// under en_US and en_GB).
func TestDatesTypedByPeople(t *testing.T) {
	typed := []any{"18/03/2026", "3/18/2026", "2026-03-18", "18/03/2026 14:30", "31/02/2026", "18/03/26", "5/3/2026"}
	tests := []struct {
		locale, render, dateTime string
		want                     []any
	}{
		{"es_CO", "UNFORMATTED_VALUE", "", []any{46099.0, "3/18/2026", 46099.0, 46099 + 14.5/24, "31/02/2026", "18/03/26", 46086.0}},
		{"es_CO", "UNFORMATTED_VALUE", "SERIAL_NUMBER", []any{46099.0, "3/18/2026", 46099.0, 46099 + 14.5/24, "31/02/2026", "18/03/26", 46086.0}},
		{"es_CO", "UNFORMATTED_VALUE", "FORMATTED_STRING", []any{"18/03/2026", "3/18/2026", "18/03/2026", "18/03/2026 14:30:00", "31/02/2026", "18/03/26", "05/03/2026"}},
		{"es_CO", "FORMATTED_VALUE", "SERIAL_NUMBER", []any{"18/03/2026", "3/18/2026", "18/03/2026", "18/03/2026 14:30:00", "31/02/2026", "18/03/26", "05/03/2026"}},
		{"es_CO", "FORMULA", "", []any{46099.0, "3/18/2026", 46099.0, 46099 + 14.5/24, "31/02/2026", "18/03/26", 46086.0}},
		{"en_US", "UNFORMATTED_VALUE", "", []any{"18/03/2026", 46099.0, 46099.0, "18/03/2026 14:30", "31/02/2026", "18/03/26", 46145.0}},
		{"en_US", "FORMATTED_VALUE", "", []any{"18/03/2026", "3/18/2026", "3/18/2026", "18/03/2026 14:30", "31/02/2026", "18/03/26", "5/3/2026"}},
	}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.render+" "+tt.dateTime, func(t *testing.T) {
			_, sv := open(t)
			ss := must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Create(&sheets.Spreadsheet{
				Properties: &sheets.SpreadsheetProperties{Title: "Fechas", Locale: tt.locale, TimeZone: "America/Bogota"},
				Sheets:     []*sheets.Sheet{{Properties: &sheets.SheetProperties{Title: "Festivos"}}},
			}).Do())
			vals := sv.sheets.Spreadsheets.Values
			must[*sheets.UpdateValuesResponse](t)(vals.Update(ss.SpreadsheetId, "Festivos!A1", &sheets.ValueRange{Values: [][]any{typed}}).
				ValueInputOption("USER_ENTERED").Do())
			get := vals.Get(ss.SpreadsheetId, "Festivos!A1:G1").ValueRenderOption(tt.render)
			if tt.dateTime != "" {
				get = get.DateTimeRenderOption(tt.dateTime)
			}
			got := must[*sheets.ValueRange](t)(get.Do())
			if !reflect.DeepEqual(got.Values[0], tt.want) {
				t.Errorf("read %v\n want %v", got.Values[0], tt.want)
			}
		})
	}
}

// RAW keeps the text; the grid data of a typed date carries a DATE format;
// a date survives a restart; changing the locale changes how it reads, not
// what it is.
func TestDatesRawGridPersistLocale(t *testing.T) {
	dir := t.TempDir()
	s, sv := openDir(t, dir)
	ss := must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Create(&sheets.Spreadsheet{
		Properties: &sheets.SpreadsheetProperties{Locale: "es_CO"},
		Sheets:     []*sheets.Sheet{{Properties: &sheets.SheetProperties{Title: "T"}}},
	}).Do())
	id, vals := ss.SpreadsheetId, sv.sheets.Spreadsheets.Values
	must[*sheets.UpdateValuesResponse](t)(vals.Update(id, "T!A1", &sheets.ValueRange{Values: [][]any{{"18/03/2026"}}}).ValueInputOption("RAW").Do())
	must[*sheets.UpdateValuesResponse](t)(vals.Update(id, "T!B1", &sheets.ValueRange{Values: [][]any{{"18/03/2026"}}}).ValueInputOption("USER_ENTERED").Do())

	full := must[*sheets.Spreadsheet](t)(sv.sheets.Spreadsheets.Get(id).Ranges("T!A1:B1").IncludeGridData(true).Do())
	cells := full.Sheets[0].Data[0].RowData[0].Values
	if cells[0].UserEnteredValue.StringValue == nil || cells[0].UserEnteredFormat != nil {
		t.Errorf("RAW cell = %+v", cells[0].UserEnteredValue)
	}
	b := cells[1]
	if b.EffectiveValue == nil || b.EffectiveValue.NumberValue == nil || *b.EffectiveValue.NumberValue != 46099 ||
		b.UserEnteredFormat == nil || b.UserEnteredFormat.NumberFormat.Type != "DATE" || b.FormattedValue != "18/03/2026" {
		t.Errorf("typed date cell = %+v %+v %q", b.EffectiveValue, b.UserEnteredFormat, b.FormattedValue)
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_, sv = openDir(t, dir)
	vals = sv.sheets.Spreadsheets.Values
	got := must[*sheets.ValueRange](t)(vals.Get(id, "T!A1:B1").ValueRenderOption("UNFORMATTED_VALUE").Do())
	if !reflect.DeepEqual(got.Values[0], []any{"18/03/2026", 46099.0}) {
		t.Errorf("after a restart: %v", got.Values[0])
	}

	must[*sheets.BatchUpdateSpreadsheetResponse](t)(sv.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{
		Requests: []*sheets.Request{{UpdateSpreadsheetProperties: &sheets.UpdateSpreadsheetPropertiesRequest{
			Properties: &sheets.SpreadsheetProperties{Locale: "en_US"}, Fields: "locale"}}},
	}).Do())
	got = must[*sheets.ValueRange](t)(vals.Get(id, "T!A1:B1").Do())
	if !reflect.DeepEqual(got.Values[0], []any{"18/03/2026", "3/18/2026"}) {
		t.Errorf("FORMATTED_VALUE under en_US: %v", got.Values[0])
	}
}
