package workbook_test

import (
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/chaos"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// A cycle reads Historial in pages and parses each as it arrives
// (JournalReader): the journal, the skipped rows' lines and the tab's row
// count are those of parsing the whole tab, whatever the page size, with
// blank rows inside a page and a page Sheets answers short (its trailing
// rows blank, so the next page starts past its last value).
func TestJournalReaderPagesEqualTheWholeTab(t *testing.T) {
	loc := calendar.Bogota()
	f := workbook.Formatter{Loc: loc}
	var events []procedure.Event
	at := time.Date(2026, 2, 2, 8, 0, 0, 0, loc)
	for n := 1; n <= 40; n++ {
		events = append(events,
			procedure.Event{ID: "R" + strconv.Itoa(n), At: at, Case: n, Rule: procedure.F2, Kind: procedure.KRegistered, Response: "resp-" + strconv.Itoa(n),
				Data: procedure.Data{Requester: "María Gómez", Description: "La impresora del segundo piso no imprime"}},
			procedure.Event{ID: "A" + strconv.Itoa(n), At: at.Add(time.Minute), Case: n, Rule: procedure.F3, Kind: procedure.KAssigned, Data: procedure.Data{Agent: "Carlos Pérez"}})
	}
	var rows [][]string
	for i, row := range f.JournalRows(procedure.JournalOf(events...)) {
		switch i {
		case 7, 8: // rows a person emptied
			rows = append(rows, []string{})
		case 30: // a row a person broke
			row[len(row)-1] = "{no es JSON"
		}
		rows = append(rows, row)
	}
	values := chaos.SheetValues(workbook.Historial, rows)
	want, wantErrs := workbook.ParseHistorial(workbook.NewTable(workbook.Historial, values), loc)
	if want.Len() != len(events)-1 || len(wantErrs) != 1 {
		t.Fatalf("whole tab: %d events, %d errors", want.Len(), len(wantErrs))
	}
	for _, page := range []int{1, 2, 7, 25, 1000} {
		r := workbook.NewJournalReader(loc, 0)
		for first := 1; first <= len(values); first += page {
			vals := values[first-1 : min(first-1+page, len(values))]
			// Sheets leaves out a range's trailing blank rows.
			for len(vals) > 0 && len(vals[len(vals)-1]) == 0 {
				vals = vals[:len(vals)-1]
			}
			r.Page(first, vals)
		}
		got, errs := r.Journal()
		if !reflect.DeepEqual(got.Events(), want.Events()) {
			t.Errorf("pages of %d rows: %d events, the whole tab %d", page, got.Len(), want.Len())
		}
		if !reflect.DeepEqual(errs, wantErrs) {
			t.Errorf("pages of %d rows: errors %v, the whole tab %v", page, errs, wantErrs)
		}
		if tab := r.Table(); len(tab.Rows) != len(values)-1 || !reflect.DeepEqual(tab.Header, workbook.NewTable(workbook.Historial, values).Header) {
			t.Errorf("pages of %d rows: table of %d rows, header %v; want %d rows", page, len(tab.Rows), tab.Header, len(values)-1)
		}
	}
}
