package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"

	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/workbook"
)

// NotesColumn is the column agents add to Casos for their own notes: it is
// not in the schema, so it belongs to people and the worker never writes it.
const NotesColumn = "Notas del agente"

// table reads a whole worker tab (fault-free callers only).
func (o *Office) table(ctx context.Context, tab string) (workbook.Table, error) {
	for _, t := range append(append([]workbook.Tab{}, workbook.Worker...), workbook.Admin...) {
		if t.Name == tab {
			v, err := o.WS.Sheets.Read(ctx, []string{tab})
			if err != nil {
				return workbook.Table{}, err
			}
			return workbook.NewTable(t, v[0]), nil
		}
	}
	return workbook.Table{}, fmt.Errorf("no tab %s", tab)
}

// Human edits Casos as agents do between cycles: adds the notes column if it
// is missing, writes notes on a few cases, and sometimes sorts the tab
// (rewriting every row in another order, human cells moving with their
// rows, as Sheets' "sort range" does). notes is updated with what a person
// last wrote for each case.
func (o *Office) Human(ctx context.Context, rng *rand.Rand, step int, notes map[string]string) error {
	t, err := o.table(ctx, "Casos")
	if err != nil {
		return err
	}
	if len(t.Header) == 0 || len(t.Rows) == 0 {
		return nil
	}
	svc := o.WS.Sheets.Service()
	id := o.WS.Sheets.ID()
	col := -1
	for i, h := range t.Header {
		if h == NotesColumn {
			col = i
		}
	}
	if col < 0 {
		col = len(t.Header)
		if err := o.put(ctx, svc, id, workbook.A1("Casos", col, 1, col, 1), [][]any{{NotesColumn}}); err != nil {
			return err
		}
	}
	key := -1
	for i, h := range t.Header {
		if h == "Caso" {
			key = i
		}
	}
	for range 1 + rng.IntN(2) {
		i := rng.IntN(len(t.Rows))
		caso := cell(t.Rows[i], key)
		if caso == "" {
			continue
		}
		note := fmt.Sprintf("paso %d: llamar al usuario antes de ir (caso %s)", step, caso)
		if err := o.put(ctx, svc, id, workbook.A1("Casos", col, i+2, col, i+2), [][]any{{note}}); err != nil {
			return err
		}
		notes[caso] = note
	}
	if rng.IntN(2) == 0 {
		return o.sortCasos(ctx, rng)
	}
	return nil
}

// sortCasos rewrites the data rows of Casos in another order with one
// values.update, as a person sorting the sheet does.
func (o *Office) sortCasos(ctx context.Context, rng *rand.Rand) error {
	v, err := o.WS.Sheets.Read(ctx, []string{"Casos"})
	if err != nil {
		return err
	}
	rows := v[0]
	if len(rows) < 3 {
		return nil
	}
	data := rows[1:]
	width := len(rows[0])
	for _, r := range data {
		width = max(width, len(r))
	}
	switch rng.IntN(3) {
	case 0: // by Caso, newest first
		sort.SliceStable(data, func(i, j int) bool { return workbook.Cell(data[i][0]) > workbook.Cell(data[j][0]) })
	case 1: // by a text column (Agente asignado, Estado...)
		c := 1 + rng.IntN(width-1)
		sort.SliceStable(data, func(i, j int) bool { return workbook.Cell(at(data[i], c)) < workbook.Cell(at(data[j], c)) })
	default:
		rng.Shuffle(len(data), func(i, j int) { data[i], data[j] = data[j], data[i] })
	}
	block := make([][]any, len(data))
	for i, r := range data {
		line := make([]any, width)
		for j := range line {
			line[j] = at(r, j)
			if line[j] == nil {
				line[j] = ""
			}
		}
		block[i] = line
	}
	return o.put(ctx, o.WS.Sheets.Service(), o.WS.Sheets.ID(), workbook.A1("Casos", 0, 2, width-1, len(data)+1), block)
}

func (o *Office) put(ctx context.Context, svc *gsheets.Service, id, rng string, values [][]any) error {
	_, err := svc.Spreadsheets.Values.Update(id, rng, &gsheets.ValueRange{Values: values}).ValueInputOption("RAW").Context(ctx).Do()
	if err != nil {
		return fmt.Errorf("human edit %s: %w", rng, err)
	}
	return nil
}

func at(r []any, i int) any {
	if i < len(r) {
		return r[i]
	}
	return nil
}

func cell(r []string, i int) string {
	if i >= 0 && i < len(r) {
		return r[i]
	}
	return ""
}
