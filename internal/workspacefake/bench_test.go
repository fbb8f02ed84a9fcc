package workspacefake_test

import (
	"fmt"
	"testing"
	"time"

	"google.golang.org/api/drive/v3"
	"google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/workspacefake"
)

// bigRows is a Casos-like block: rows x 16 columns of short text and numbers.
func bigRows(rows int) [][]any {
	out := make([][]any, rows)
	for i := range out {
		r := make([]any, 16)
		for j := range r {
			if j%4 == 0 {
				r[j] = float64(i*16 + j)
			} else {
				r[j] = fmt.Sprintf("caso %d campo %d", i, j)
			}
		}
		out[i] = r
	}
	return out
}

// BenchmarkLargeSheet measures what the worker does with a 100,000-row
// sheet: write it, read it back, an idle check through Drive, a one-row
// update (which must not cost a rewrite of the state), and a restart.
func BenchmarkLargeSheet(b *testing.B) {
	rows := bigRows(100_000)
	for b.Loop() {
		dir := b.TempDir()
		s, err := workspacefake.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		sv := connect(b, s)
		id := newSpreadsheet(b, sv, "Casos").SpreadsheetId
		step := func(name string, f func()) {
			start := time.Now()
			f()
			b.ReportMetric(float64(time.Since(start).Milliseconds()), name+"-ms")
		}
		step("write", func() {
			must[*sheets.UpdateValuesResponse](b)(sv.sheets.Spreadsheets.Values.Update(id, "Casos!A1", &sheets.ValueRange{Values: rows}).ValueInputOption("RAW").Do())
		})
		step("read", func() {
			vr := must[*sheets.ValueRange](b)(sv.sheets.Spreadsheets.Values.Get(id, "Casos!A:P").ValueRenderOption("UNFORMATTED_VALUE").Do())
			if len(vr.Values) != len(rows) {
				b.Fatalf("read %d rows", len(vr.Values))
			}
		})
		step("idlecheck", func() {
			must[*drive.File](b)(sv.drive.Files.Get(id).Fields("version,modifiedTime").Do())
		})
		step("update1row", func() {
			must[*sheets.UpdateValuesResponse](b)(sv.sheets.Spreadsheets.Values.Update(id, "Casos!B500", &sheets.ValueRange{Values: [][]any{{"x"}}}).ValueInputOption("RAW").Do())
		})
		step("close", func() {
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
		})
		step("open", func() {
			s, err = workspacefake.Open(dir)
			if err != nil {
				b.Fatal(err)
			}
		})
		s.Close()
	}
}
