//go:build google

package setup_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"google.golang.org/api/googleapi"
	gsheets "google.golang.org/api/sheets/v4"
)

// Contract: FIDELITY.md "Sheets: cell content and per-request limits". A
// cell over 50,000 characters and a request over 10,485,760 bytes are
// refused whole with 400 INVALID_ARGUMENT; the fake counts a character
// outside the BMP as two (the strict reading), and this logs how Google
// counts it. It works in a scratch tab of the test workbook, deleted at the
// end.
func TestGoogleCellAndPayloadLimits(t *testing.T) {
	ctx := context.Background()
	ws, _ := googleWorkspace(t)
	svc, id := ws.Sheets.Service(), ws.Sheets.ID()
	const tab = "Prueba de límites (mesa)"
	add, err := svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{{
		AddSheet: &gsheets.AddSheetRequest{Properties: &gsheets.SheetProperties{Title: tab}},
	}}}).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	sheetID := add.Replies[0].AddSheet.Properties.SheetId
	t.Cleanup(func() {
		_, _ = svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{{
			DeleteSheet: &gsheets.DeleteSheetRequest{SheetId: sheetID}}}}).Context(ctx).Do()
	})
	write := func(cells ...string) error {
		req := &gsheets.BatchUpdateValuesRequest{ValueInputOption: "RAW"}
		for i, c := range cells {
			req.Data = append(req.Data, &gsheets.ValueRange{Range: "'" + tab + "'!A" + string(rune('1'+i)), Values: [][]any{{c}}})
		}
		_, err := svc.Spreadsheets.Values.BatchUpdate(id, req).Context(ctx).Do()
		return err
	}
	if err := write("antes", strings.Repeat("x", 50_000)); err != nil {
		t.Fatalf("50,000 characters refused: %v", err)
	}
	if _, err := svc.Spreadsheets.Values.Clear(id, "'"+tab+"'", &gsheets.ClearValuesRequest{}).Context(ctx).Do(); err != nil {
		t.Fatal(err)
	}
	err = write("antes", strings.Repeat("x", 50_001))
	var ge *googleapi.Error
	if !errors.As(err, &ge) || ge.Code != 400 || ge.Message != "Your input contains more than the maximum of 50000 characters in a single cell." {
		t.Errorf("50,001 characters: %v", err)
	}
	got, err := svc.Spreadsheets.Values.Get(id, "'"+tab+"'!A1:A2").Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Values) != 0 {
		t.Errorf("a refused request wrote %v", got.Values)
	}
	t.Logf("25,001 emoji (50,002 UTF-16 units): %v", write(strings.Repeat("🖨", 25_001)))

	rows := make([][]any, 240) // 240 × 45,000 = 10.8 MB
	for i := range rows {
		rows[i] = []any{strings.Repeat("x", 45_000)}
	}
	_, err = svc.Spreadsheets.Values.BatchUpdate(id, &gsheets.BatchUpdateValuesRequest{ValueInputOption: "RAW",
		Data: []*gsheets.ValueRange{{Range: "'" + tab + "'!B1", Values: rows}}}).Context(ctx).Do()
	if !errors.As(err, &ge) || ge.Code != 400 || !strings.HasPrefix(ge.Message, "Request payload size exceeds the limit") {
		t.Errorf("10.8 MB request: %v", err)
	}
}
