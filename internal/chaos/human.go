package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/workspacefake"
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
		sort.SliceStable(data, func(i, j int) bool { return workbook.Cell(at(data[i], 0)) > workbook.Cell(at(data[j], 0)) })
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

// person is an edit a person makes while a cycle runs: a sort of Casos or
// Notificaciones, a blank row inserted in one of them, or a row of either
// deleted. The worker adds a deleted case back (the person's notes on it
// are gone with the row); a deleted notification is not queued again (the
// person decided it is not to be sent, or recorded, any more), unless the
// cycle running at that moment holds it (its claim or outcome writes it
// back, by key). It is drawn before the tick, so a seed replays the
// same edit, and lands at a random moment of the cycle, atomically, as a
// collaborator's change does (workspacefake.EditRows).
type person struct {
	o       *Office
	on      bool
	tab     string
	kind    int // 0 sort, 1 insert a blank row, 2 delete a row
	seed    uint64
	delay   time.Duration
	started atomic.Bool
	wg      sync.WaitGroup
	deleted []string // keys of the rows the person deleted (Caso, or a notification's ID)
	edited  bool
}

func (o *Office) people(rng *rand.Rand, p float64) *person {
	d := &person{o: o}
	if rng.Float64() >= p {
		return d
	}
	d.on = true
	d.tab, d.kind = "Casos", rng.IntN(3)
	if rng.IntN(2) == 0 {
		d.tab = "Notificaciones"
	}
	d.seed = rng.Uint64()
	d.delay = time.Duration(rng.IntN(40)) * time.Millisecond
	return d
}

// during wraps f: the cycle's first request starts the person's clock.
func (d *person) during(f workspacefake.FaultFunc) workspacefake.FaultFunc {
	if !d.on {
		return f
	}
	return func(r *http.Request, m string) *workspacefake.Fault {
		if d.started.CompareAndSwap(false, true) {
			d.wg.Add(1)
			go func() {
				defer d.wg.Done()
				time.Sleep(d.delay)
				d.edit()
			}()
		}
		if f == nil {
			return nil
		}
		return f(r, m)
	}
}

// between makes the edit at once, after the cycle: on the local backend
// (cached schedules) `mesa run` holds the directory lock only during a
// job, so a person's edit lands between two cycles, right after the one
// that put its cache entry back, under the version that entry was kept at.
// A person editing during an exclusive cycle is no real configuration:
// the exclusive worker writes rows where it read them.
func (d *person) between() {
	d.edit()
}

// done waits for the edit, forgets the notes of deleted Casos rows, adds
// deleted notifications to dropped, and returns 1 if a person edited during
// the cycle.
func (d *person) done(notes map[string]string, dropped map[string]bool) int {
	d.wg.Wait()
	for _, k := range d.deleted {
		if d.tab == "Notificaciones" {
			dropped[k] = true
		} else {
			delete(notes, k)
		}
	}
	if d.edited {
		return 1
	}
	return 0
}

// doneArchive is done for an edit during an archive run: the run writes
// back every row its deletion took that it did not mean to, and it cannot
// tell a person's deletion in that instant from its own mistake, so a
// deleted Casos row comes back with its notes (docs/archivo.md); a deleted
// notification may come back or not.
func (d *person) doneArchive(dropped map[string]bool) int {
	if d.tab == "Notificaciones" {
		for _, k := range d.deleted {
			dropped[k] = true
		}
	}
	if d.edited {
		return 1
	}
	return 0
}

func (d *person) edit() {
	rng := rand.New(rand.NewPCG(d.seed, 0x70657273))
	err := d.o.Fake.EditRows(d.o.WS.Sheets.ID(), d.tab, func(rows [][]any) [][]any {
		if len(rows) < 2 {
			return rows
		}
		d.edited = true
		switch d.kind {
		case 0:
			c := rng.IntN(len(rows[0]) + 1)
			if c == len(rows[0]) {
				rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
			} else {
				sort.SliceStable(rows, func(i, j int) bool { return workbook.Cell(at(rows[i], c)) < workbook.Cell(at(rows[j], c)) })
			}
			return rows
		case 1:
			i := rng.IntN(len(rows))
			return append(rows[:i:i], append([][]any{nil}, rows[i:]...)...)
		default:
			i := rng.IntN(len(rows))
			if c := workbook.Cell(at(rows[i], 0)); c != "" {
				d.deleted = append(d.deleted, c)
			}
			return append(rows[:i:i], rows[i+1:]...)
		}
	})
	if err != nil {
		d.o.logf("person's edit of %s: %v", d.tab, err)
	}
}

func (o *Office) logf(format string, args ...any) {
	fmt.Fprintf(o.Log, format+"\n", args...)
}
