package sheets_test

import (
	"context"
	"strings"
	"testing"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// One range bigger than Google accepts in a request (10,485,760 bytes: a
// reconcile rewriting a journal of long answers) is written in several
// requests, split by rows, and every row lands where it belongs.
func TestWriteSplitsLargeRanges(t *testing.T) {
	ctx := context.Background()
	ws, err := backend.Local(ctx, t.TempDir(), procedure.DefaultQuestions)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	const rows = 260 // × 45,000 characters = 11.7 MB in one range
	values := make([][]any, rows)
	for i := range values {
		values[i] = []any{strings.Repeat(string(rune('a'+i%26)), 45_000), float64(i)}
	}
	tab := workbook.Lecciones.Name
	calls, err := ws.Sheets.Write(ctx, []workbook.Update{
		{Range: workbook.A1(tab, 0, 1, 0, 1), Values: [][]any{{"Caso"}}},
		{Range: workbook.A1(tab, 0, 2, 1, rows+1), Values: values},
	})
	if err != nil {
		t.Fatalf("write: %v", err)
	}
	if calls < 8 {
		t.Errorf("%d requests for 11.7 MB; want them under 1.5 MB each", calls)
	}
	got, err := ws.Sheets.Read(ctx, []string{tab})
	if err != nil {
		t.Fatal(err)
	}
	if len(got[0]) != rows+1 {
		t.Fatalf("%d rows read back, want %d", len(got[0]), rows+1)
	}
	for i, row := range got[0][1:] {
		if row[0] != values[i][0] || row[1] != values[i][1] {
			t.Fatalf("row %d holds another row's cells", i+2)
		}
	}
}
