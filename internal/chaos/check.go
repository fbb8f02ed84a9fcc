package chaos

import (
	"context"
	"fmt"
	"net/mail"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

// Check returns the invariants the workspace breaks, given the responseIds
// people submitted and the notes they last wrote in Casos. The rows of the
// live workbook and of its archive workbooks count as one: an archived case
// is still registered once, its notifications still sent once.
func (o *Office) Check(ctx context.Context, responses []string, notes map[string]string) []string {
	return o.check(ctx, responses, notes, nil)
}

// check is Check, given also the notifications whose rows people deleted
// (dropped): a person deleting a notification's row decides it is not to be
// recorded any more, so one sent before the deletion is in no row.
func (o *Office) check(ctx context.Context, responses []string, notes map[string]string, dropped map[string]bool) []string {
	var bad []string
	fail := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	tabs := map[string]records{}
	var casos []workbook.Table
	for _, name := range []string{"Casos", "Historial", "Rechazos", "Notificaciones"} {
		ts, err := o.tables(ctx, name)
		if err != nil {
			return []string{fmt.Sprintf("read %s: %v", name, err)}
		}
		for _, t := range ts {
			tabs[name] = append(tabs[name], t.Records()...)
		}
		if name == "Casos" {
			casos = ts
		}
	}

	// Every response is a case, an applied update or a rejection.
	seen := map[string]bool{}
	for _, r := range tabs["Historial"] {
		seen[r.Get("Respuesta")] = true
	}
	for _, r := range tabs["Rechazos"] {
		seen[r.Get("Respuesta")] = true
	}
	lost := 0
	for _, id := range responses {
		if !seen[id] {
			lost++
		}
	}
	if lost > 0 {
		fail("%d of %d responses are neither in Historial nor in Rechazos", lost, len(responses))
	}

	// The journal has no duplicate events, and one registration per case.
	ids := map[string]int{}
	registered := map[int]int{}
	for _, r := range tabs["Historial"] {
		ids[r.Get("ID")]++
		if r.Get("Evento") == string(procedure.KRegistered) {
			n, _ := strconv.Atoi(r.Get("Caso"))
			registered[n]++
		}
	}
	for id, n := range ids {
		if n > 1 {
			fail("Historial event %s appears %d times", id, n)
		}
	}

	// Case numbers are unique and gap-free, in Casos and in the journal.
	nums := map[int]int{}
	for _, r := range tabs["Casos"] {
		n, err := strconv.Atoi(r.Get("Caso"))
		if err != nil {
			fail("Casos row %d has case number %q", r.Line, r.Get("Caso"))
			continue
		}
		nums[n]++
	}
	for n, c := range nums {
		if c > 1 {
			fail("case %d has %d rows in Casos", n, c)
		}
		if n < 1 || n > len(nums) {
			fail("case numbers have a gap: %d of %d cases", n, len(nums))
		}
	}
	for n, c := range registered {
		if c > 1 {
			fail("case %d registered %d times", n, c)
		}
		if nums[n] == 0 {
			fail("case %d registered but not in Casos", n)
		}
	}
	if len(registered) != len(nums) {
		fail("%d cases registered, %d in Casos", len(registered), len(nums))
	}

	// Every notification is sent exactly once and recorded as sent.
	sent := map[string]int{}
	for _, m := range o.Fake.SentMail() {
		msg, err := mail.ReadMessage(strings.NewReader(string(m.Raw)))
		if err != nil {
			fail("sent message %s does not parse: %v", m.ID, err)
			continue
		}
		sent[msg.Header.Get(notify.HeaderNotification)]++
	}
	queued := map[string]bool{}
	for _, r := range tabs["Notificaciones"] {
		id := r.Get("ID")
		if queued[id] {
			fail("notification %s is queued twice", id)
		}
		queued[id] = true
		switch {
		case sent[id] == 0:
			fail("notification %s (%s) was never sent: %s %q", id, r.Get("Tipo"), r.Get("Estado"), r.Get("Último error"))
		case r.Get("Estado") != worker.Sent:
			fail("notification %s was sent but reads %s", id, r.Get("Estado"))
		}
	}
	for id, n := range sent {
		if n > 1 {
			fail("notification %s was sent %d times", id, n)
		}
		if !queued[id] && !dropped[id] {
			fail("sent notification %s is not in Notificaciones", id)
		}
	}

	// People's cells are as people left them, live or archived.
	for i, t := range casos {
		col, cols := -1, 0
		for i, h := range t.Header {
			if h == NotesColumn {
				col = i
				cols++
			}
		}
		if i == 0 && len(notes) > 0 && cols != 1 {
			fail("Casos has %d %q columns, want 1", cols, NotesColumn)
		}
		key := t.Columns()[procedure.Norm("Caso")]
		for _, row := range t.Rows {
			caso, got := cell(row, key), ""
			if col >= 0 {
				got = cell(row, col)
			}
			if want := notes[caso]; got != want {
				fail("case %s: %s reads %q, a person wrote %q", caso, NotesColumn, got, want)
			}
		}
	}
	sort.Strings(bad)
	return bad
}

// records are the rows of one tab across workbooks.
type records []workbook.Record

// casos returns the worker columns of Casos by case number, live and
// archived.
func (o *Office) casos(ctx context.Context) (map[string][]string, error) {
	ts, err := o.tables(ctx, "Casos")
	if err != nil {
		return nil, err
	}
	var all records
	for _, t := range ts {
		all = append(all, t.Records()...)
	}
	out := map[string][]string{}
	for _, r := range all {
		row := make([]string, len(workbook.Casos.Columns))
		for i, c := range workbook.Casos.Columns {
			row[i] = r.Get(c.Name)
		}
		out[r.Get("Caso")] = row
	}
	return out, nil
}

// responseRef is the form response a truncated answer points to: ids differ
// between a run and its replay, which submit the same answers afresh.
var responseRef = regexp.MustCompile(`respuesta [A-Za-z0-9_-]+\]`)

// compareCasos lists the differences between the Casos of a chaotic run
// and of its clean replay.
func compareCasos(got, want map[string][]string) []string {
	var bad []string
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			bad = append(bad, fmt.Sprintf("replay has case %s, the chaotic run does not", k))
			continue
		}
		for i, c := range workbook.Casos.Columns {
			if responseRef.ReplaceAllString(g[i], "") != responseRef.ReplaceAllString(w[i], "") {
				bad = append(bad, fmt.Sprintf("case %s: %s = %q, clean replay %q", k, c.Name, g[i], w[i]))
			}
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			bad = append(bad, fmt.Sprintf("the chaotic run has case %s, the replay does not", k))
		}
	}
	sort.Strings(bad)
	return bad
}
