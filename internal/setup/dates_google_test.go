//go:build google

package setup_test

import (
	"context"
	"reflect"
	"testing"

	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/setup"
)

// Contract: FIDELITY.md "Sheets: values, render options, dates and locale".
// Dates typed with USER_ENTERED are stored as serial numbers read per the
// workbook's locale; SERIAL_NUMBER gives the number, FORMATTED_STRING and
// FORMATTED_VALUE give text; RAW keeps text. It works in a scratch tab of the
// test workbook, deleted at the end, under whatever locale the workbook has.
func TestGoogleDatesTypedByPeople(t *testing.T) {
	ctx := context.Background()
	ws, _ := googleWorkspace(t)
	svc, id := ws.Sheets.Service(), ws.Sheets.ID()
	reg, err := setup.ReadRegional(ctx, svc, id)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("workbook: %s", reg)
	add, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{{
		AddSheet: &gsheets.AddSheetRequest{Properties: &gsheets.SheetProperties{Title: "Prueba de fechas (mesa)"}},
	}}}).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	sheetID := add.Replies[0].AddSheet.Properties.SheetId
	t.Cleanup(func() {
		_, _ = svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{{
			DeleteSheet: &gsheets.DeleteSheetRequest{SheetId: sheetID}}}}).Context(ctx).Do()
	})
	rng := "'Prueba de fechas (mesa)'!A1:C2"
	_, err = svc.Spreadsheets.Values.Update(id, "'Prueba de fechas (mesa)'!A1", &gsheets.ValueRange{Values: [][]any{
		{"2026-03-18", "18/03/2026", "3/18/2026"}}}).ValueInputOption("USER_ENTERED").Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Spreadsheets.Values.Update(id, "'Prueba de fechas (mesa)'!A2", &gsheets.ValueRange{Values: [][]any{
		{"2026-03-18"}}}).ValueInputOption("RAW").Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	serial, err := svc.Spreadsheets.Values.Get(id, rng).ValueRenderOption("UNFORMATTED_VALUE").DateTimeRenderOption("SERIAL_NUMBER").Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	want := []any{46099.0, "3/18/2026", 46099.0} // day first
	if setup.MonthFirst(reg.Locale) {
		want = []any{46099.0, "18/03/2026", 46099.0}
	}
	if !reflect.DeepEqual(serial.Values[0], want) {
		t.Errorf("SERIAL_NUMBER under %s: %v, want %v", reg.Locale, serial.Values[0], want)
	}
	if !reflect.DeepEqual(serial.Values[1], []any{"2026-03-18"}) {
		t.Errorf("RAW: %v, want the text", serial.Values[1])
	}
	for _, o := range [][2]string{{"UNFORMATTED_VALUE", "FORMATTED_STRING"}, {"FORMATTED_VALUE", "SERIAL_NUMBER"}} {
		got, err := svc.Spreadsheets.Values.Get(id, rng).ValueRenderOption(o[0]).DateTimeRenderOption(o[1]).Context(ctx).Do()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := got.Values[0][0].(string); !ok {
			t.Errorf("%s with %s: a date reads %#v, want text", o[0], o[1], got.Values[0][0])
		}
		t.Logf("%s with %s under %s: %v", o[0], o[1], reg.Locale, got.Values[0])
	}
}
