package worker

import (
	"strconv"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// A long journal is written in several ranges, each starting where a form
// response's decisions start: a registration and its assignment (which
// names no response) always land in the same range.
func TestJournalUpdatesCutBetweenResponses(t *testing.T) {
	var events []procedure.Event
	for i := 1; i <= 50; i++ {
		r := "resp-" + strconv.Itoa(i)
		events = append(events,
			procedure.Event{ID: "R" + r, Case: i, Rule: procedure.F2, Kind: procedure.KRegistered, Response: r, Data: procedure.Data{Description: "El equipo no enciende"}},
			procedure.Event{ID: "A" + r, Case: i, Rule: procedure.F3, Kind: procedure.KAssigned, Data: procedure.Data{Agent: "Carlos Pérez"}})
	}
	f := workbook.Formatter{Loc: time.UTC}
	journal := procedure.JournalOf(events...)
	rows := f.JournalRows(journal)
	empty := workbook.NewTable(workbook.Historial, nil)
	ups, _ := journalUpdates(empty, journal, rows, 1000, true)
	blocks := 0
	written := 0
	for _, u := range ups {
		if len(u.Values[0]) < 6 {
			continue // a header cell
		}
		blocks++
		if first := u.Values[0][5]; first != string(procedure.KRegistered) {
			t.Errorf("range %s starts with a %s event, not a response's first", u.Range, first)
		}
		written += len(u.Values)
	}
	if blocks < 5 || written != len(events) {
		t.Errorf("%d ranges holding %d rows; want several holding all %d", blocks, written, len(events))
	}
	if one, _ := journalUpdates(empty, journal, rows, journalBlock, false); len(one) != len(workbook.Historial.Columns)+1 {
		t.Errorf("a small journal took %d ranges", len(one))
	}
}
