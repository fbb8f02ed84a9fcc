package worker

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Cache keeps, between cycles of one process, the worker tabs and the
// journal as the last cycle left them in the workbook, so that a busy cycle
// reads only the admin tabs instead of the whole workbook (at 100k cases
// ~10 million cells through JSON: most of a busy cycle's time and memory).
// It also keeps the last cycle's fold and outbox: the next fold resumes the
// book (procedure.Engine.Resume) instead of replaying the whole journal,
// and the plan renders and diffs only the rows of the cases that fold
// changed and of the mail still to send (plan, outbox.resume).
//
// It is only a cache: an entry is used only when it provably still is the
// workbook's content, and every doubt reads the workbook as before.
//
//   - The proof is the workbook's Drive version, which every edit changes.
//     A cycle that wrote reads the version once more after its last write
//     and keeps its tabs under that version; the next cycle uses them only
//     if the version it reads first (the idle check's) is the same. Any
//     other edit since (a person's, another process's, a restore, mesa
//     archive or import) changes the version, and the cycle reads
//     everything.
//   - That proof holds only while nobody else can write between the
//     cycle's last write and its version read: Config.Exclusive (the local
//     backend's directory lock). In Google mode people edit at any time and
//     Drive does not say who made a change, so the cache is not used there
//     (see BENCHMARKS.md).
//   - An entry is taken out when a cycle starts, and put back only by a
//     cycle that finished: a cycle that fails or is cancelled anywhere
//     leaves none. A reconcile and a dry run never use it. Nothing is kept
//     on disk, so a killed process leaves nothing to trust.
//
// The zero value is an empty cache, safe for one worker at a time.
type Cache struct {
	mu    sync.Mutex
	entry *cached
	hits  int
}

type cached struct {
	spreadsheet string
	version     int64
	tables      map[string]workbook.Table // worker tabs only
	// book is the cycle's fold: the next cycle's fold resumes it
	// (procedure.Engine.Resume) instead of replaying its journal.
	book *procedure.Book
	// cal was made from festivos: the next cycle keeps it when the tab
	// reads the same, so the fold keeps every case's service level.
	cal      *calendar.Calendar
	festivos workbook.Table
	outbox   *outbox // its messages and table, as its last flush left them
	marks    map[procedure.Form]time.Time
}

// Hits counts the cycles that started from the cache.
func (c *Cache) Hits() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits
}

// take returns the entry kept at version and empties the cache.
func (c *Cache) take(spreadsheet string, version int64) *cached {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entry
	c.entry = nil
	if e == nil || version < 0 || e.version != version || e.spreadsheet != spreadsheet {
		return nil
	}
	c.hits++
	return e
}

func (c *Cache) put(e *cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entry = e
}

// caching reports whether cycles may use the cache.
func (w *Worker) caching() bool {
	return w.Cache != nil && w.sharing().trustsOwnWrites() && w.Changes != nil && w.SpreadsheetID != ""
}

// loadCached is load, from the cache when the workbook is still at the
// version it was kept under: then only the admin tabs are read.
func (w *Worker) loadCached(ctx context.Context, version int64, full, lean bool) (*state, error) {
	if !w.caching() {
		return w.load(ctx, lean)
	}
	e := w.Cache.take(w.SpreadsheetID, version)
	if e == nil || full {
		return w.load(ctx, lean)
	}
	names := make([]string, len(workbook.Admin))
	for i, t := range workbook.Admin {
		names[i] = t.Name
	}
	values, err := w.Sheet.Read(ctx, names)
	if errors.Is(err, workbook.ErrMissingTab) {
		return w.load(ctx, lean) // it creates them
	}
	if err != nil {
		return nil, err
	}
	st := newState()
	for name, t := range e.tables {
		st.tables[name] = t
	}
	for i, t := range workbook.Admin {
		st.tables[t.Name] = workbook.NewTable(t, values[i])
	}
	if err := w.parse(st, &e.book.Journal); err != nil {
		return nil, err
	}
	st.releaseJournalCells() // the rows the last cycle appended
	if sameRows(st.tables[workbook.Festivos.Name], e.festivos) {
		st.cal = e.cal
	}
	st.book, st.marks = e.book, e.marks
	st.outbox = e.outbox.resume(st.cal.Location())
	w.Log.Debug("cycle started from the cache", "version", version)
	return st, nil
}

// keep puts the tabs a finished cycle left into the cache, under the
// workbook version read now, after its last write.
func (w *Worker) keep(ctx context.Context, st *state, res *procedure.Result, ob *outbox) {
	if !w.caching() {
		return
	}
	v, err := w.Changes.Version(ctx, w.SpreadsheetID)
	if err != nil {
		w.Log.Warn("cannot read the workbook version; the next cycle reads everything", "err", err)
		return
	}
	e := &cached{spreadsheet: w.SpreadsheetID, version: v, tables: map[string]workbook.Table{}, book: res.Book,
		cal: st.cal, festivos: st.tables[workbook.Festivos.Name], outbox: ob, marks: st.marks}
	for _, t := range workbook.Worker {
		tb, ok := st.after[t.Name]
		if !ok {
			tb = st.tables[t.Name] // not written by the plan: as read
		}
		e.tables[t.Name] = tb
	}
	// The outbox wrote its claims and outcomes after the plan.
	e.tables[workbook.Notificaciones.Name] = ob.table
	for name, tb := range e.tables {
		if tb.Tab.Name != name {
			return // a tab missing from the read: let the next cycle read
		}
	}
	w.Cache.put(e)
}

// sameRows reports whether two reads of a tab hold the same cells.
func sameRows(a, b workbook.Table) bool {
	return slices.Equal(a.Header, b.Header) && slices.EqualFunc(a.Rows, b.Rows, slices.Equal)
}
