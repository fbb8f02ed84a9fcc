package sheets_test

import (
	"context"
	"testing"

	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/sheets"
	"github.com/funza-tic/mesa/internal/workbook"
)

// keyCheck is the worker's check before positional writes (worker/guard.go):
// read the key column, move the writes to where their keys are.
func keyCheck(c *sheets.Client) workbook.Recheck {
	return func(ctx context.Context, ups []workbook.Update) ([]workbook.Update, error) {
		v, err := c.ReadRanges(ctx, []string{workbook.KeyRange(workbook.Casos.Name, 0)})
		if err != nil {
			return nil, err
		}
		col := make([]any, len(v[0]))
		for i, r := range v[0] {
			if len(r) > 0 {
				col[i] = r[0]
			}
		}
		out, _ := workbook.Rebase(ups, map[string][]any{workbook.Casos.Name: col})
		return out, nil
	}
}

// newCase is the write of a new Casos row as workbook.Plan makes it.
func newCase(row int, caso string) workbook.Update {
	return workbook.Update{Range: workbook.A1(workbook.Casos.Name, 0, row, 1, row), Values: [][]any{{caso, "Abierto"}},
		At: &workbook.Rows{Tab: workbook.Casos.Name, KeyCol: 0, First: row, C0: 0, C1: 1, Keys: []string{caso}, New: true}}
}

func casos(t *testing.T, c *sheets.Client) map[string]int {
	t.Helper()
	v, err := c.Read(context.Background(), []string{workbook.Casos.Name})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range v[0][1:] {
		if len(r) > 0 && workbook.Cell(r[0]) != "" {
			out[workbook.Cell(r[0])]++
		}
	}
	return out
}

// The same new row written twice (a rival cycle that checked the keys at
// the same instant, or a write retried after the first landed late) is
// added once: the second batch is refused for its metadata ID, and the
// check that follows finds the row there.
func TestInsertedRowsAreAddedOnce(t *testing.T) {
	ctx := context.Background()
	c, _ := client(t, 1000, workbook.Casos.Name)
	if _, err := c.Write(ctx, []workbook.Update{{Range: workbook.A1(workbook.Casos.Name, 0, 1, 1, 1), Values: [][]any{{"Caso", "Estado"}}}}); err != nil {
		t.Fatal(err)
	}
	identity := func(_ context.Context, ups []workbook.Update) ([]workbook.Update, error) { return ups, nil }
	first, second := identity, keyCheck(c)
	if _, err := c.WriteRows(ctx, []workbook.Update{newCase(2, "1")}, first); err != nil {
		t.Fatal(err)
	}
	// The rival planned the same row at the same place, before the first
	// landed; its own check comes only after the refusal.
	checked := false
	late := func(ctx context.Context, ups []workbook.Update) ([]workbook.Update, error) {
		if !checked {
			checked = true
			return ups, nil
		}
		return second(ctx, ups)
	}
	if _, err := c.WriteRows(ctx, []workbook.Update{newCase(2, "1")}, late); err != nil {
		t.Fatal(err)
	}
	if got := casos(t, c); got["1"] != 1 || len(got) != 1 {
		t.Errorf("Casos holds %v, want case 1 once", got)
	}
}

// A row a person cleared (rather than deleted) leaves its metadata behind:
// the row is added again under the next generation of its ID, once.
func TestInsertAfterAStaleEntry(t *testing.T) {
	ctx := context.Background()
	c, _ := client(t, 1000, workbook.Casos.Name)
	if _, err := c.Write(ctx, []workbook.Update{{Range: workbook.A1(workbook.Casos.Name, 0, 1, 1, 1), Values: [][]any{{"Caso", "Estado"}}}}); err != nil {
		t.Fatal(err)
	}
	check := keyCheck(c)
	if _, err := c.WriteRows(ctx, []workbook.Update{newCase(2, "1")}, check); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Service().Spreadsheets.Values.Clear(c.ID(), "Casos!A2:B2", &gsheets.ClearValuesRequest{}).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WriteRows(ctx, []workbook.Update{newCase(2, "1")}, check); err != nil {
		t.Fatalf("adding a cleared row again: %v", err)
	}
	if got := casos(t, c); got["1"] != 1 || len(got) != 1 {
		t.Errorf("Casos holds %v, want case 1 once", got)
	}
	res, err := c.Service().Spreadsheets.DeveloperMetadata.Search(c.ID(), &gsheets.SearchDeveloperMetadataRequest{DataFilters: []*gsheets.DataFilter{
		{DeveloperMetadataLookup: &gsheets.DeveloperMetadataLookup{MetadataKey: sheets.RowKey, MetadataValue: "1"}}}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[int64]bool{}
	for _, m := range res.MatchedDeveloperMetadata {
		ids[m.DeveloperMetadata.MetadataId] = true
	}
	if !ids[sheets.RowID(workbook.Casos.Name, "1", 0)] || !ids[sheets.RowID(workbook.Casos.Name, "1", 1)] || len(ids) != 2 {
		t.Errorf("metadata of case 1: %v, want generations 0 (stale) and 1", ids)
	}
}
