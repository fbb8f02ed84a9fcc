package workspacefake_test

import (
	"errors"
	"strings"
	"testing"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/sheets/v4"
)

// Google refuses a cell over 50,000 characters, and refuses the whole
// request: the other ranges of the same values.batchUpdate are not written.
// Source: moevm/github_repo_commitment_calc#67 (the real 400 and message).
func TestCellLengthLimitRefusesTheWholeRequest(t *testing.T) {
	_, sv := open(t)
	id := newSpreadsheet(t, sv, "T").SpreadsheetId
	vals := sv.sheets.Spreadsheets.Values
	write := func(cells ...string) error {
		req := &sheets.BatchUpdateValuesRequest{ValueInputOption: "RAW"}
		for i, c := range cells {
			req.Data = append(req.Data, &sheets.ValueRange{Range: "T!A" + string(rune('1'+i)), Values: [][]any{{c}}})
		}
		_, err := vals.BatchUpdate(id, req).Do()
		return err
	}
	const want = "Your input contains more than the maximum of 50000 characters in a single cell."
	tests := []struct {
		name   string
		cell   string
		refuse bool
	}{
		{"exactly 50,000", strings.Repeat("x", 50000), false},
		{"50,001", strings.Repeat("x", 50001), true},
		{"accents count once", strings.Repeat("ñ", 50000), false},
		// Outside the BMP a character is two UTF-16 units; the fake counts
		// units, the strict reading (see checkCellLength).
		{"25,001 emoji", strings.Repeat("🖨", 25001), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := vals.Clear(id, "T", &sheets.ClearValuesRequest{}).Do(); err != nil {
				t.Fatal(err)
			}
			err := write("antes", tt.cell)
			if !tt.refuse {
				if err != nil {
					t.Fatalf("write refused: %v", err)
				}
				return
			}
			var ge *googleapi.Error
			if !errors.As(err, &ge) || ge.Code != 400 || ge.Message != want || !strings.Contains(ge.Body, `"INVALID_ARGUMENT"`) {
				t.Fatalf("err = %v, want 400 INVALID_ARGUMENT %q", err, want)
			}
			got, err := vals.Get(id, "T!A1:A2").Do()
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Values) != 0 {
				t.Errorf("a refused request wrote %v", got.Values)
			}
		})
	}
}

// A Sheets request body over 10,485,760 bytes is refused whole. Source:
// jlolling/talendcomp_tGoogleSheet#1 and SCRT-HQ/PSGSuite#62 (the real 400
// and message); googleworkspace/dotnet-samples#23 (Google: "break your work
// into multiple requests").
func TestRequestPayloadLimit(t *testing.T) {
	_, sv := open(t)
	id := newSpreadsheet(t, sv, "T").SpreadsheetId
	cell := strings.Repeat("x", 45000)
	rows := make([][]any, 240) // 240 × 45,000 = 10.8 MB
	for i := range rows {
		rows[i] = []any{cell}
	}
	_, err := sv.sheets.Spreadsheets.Values.BatchUpdate(id, &sheets.BatchUpdateValuesRequest{
		ValueInputOption: "RAW", Data: []*sheets.ValueRange{{Range: "T!A1", Values: rows}},
	}).Do()
	var ge *googleapi.Error
	if !errors.As(err, &ge) || ge.Code != 400 || ge.Message != "Request payload size exceeds the limit: 10485760 bytes." {
		t.Fatalf("err = %v, want 400 payload limit", err)
	}
	got, err := sv.sheets.Spreadsheets.Values.Get(id, "T!A1:A").Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Values) != 0 {
		t.Errorf("a refused request wrote %d rows", len(got.Values))
	}
	// Half of it goes through.
	_, err = sv.sheets.Spreadsheets.Values.BatchUpdate(id, &sheets.BatchUpdateValuesRequest{
		ValueInputOption: "RAW", Data: []*sheets.ValueRange{{Range: "T!A1", Values: rows[:120]}},
	}).Do()
	if err != nil {
		t.Fatalf("a 5.4 MB request was refused: %v", err)
	}
}
