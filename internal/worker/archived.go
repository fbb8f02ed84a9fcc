package worker

import (
	"context"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// BookWith folds like Book, with the journals of archive workbooks first:
// an archived case's events are all in its archive (the live Historial
// keeps only its snapshot, which changes nothing of a case it finds), so
// the book holds every case as it was before archiving, and a report of an
// archived month gives the figures it gave then (DESIGN.md §10b).
func (w *Worker) BookWith(ctx context.Context, now time.Time, archived []procedure.Event) (*procedure.Book, *time.Location, error) {
	return w.bookWith(ctx, now, archived, false)
}

// BookAhead folds like BookWith, and with the form responses no cycle has
// applied yet, as the next cycle would. The archive folds so: a case whose
// answer waits in a form (Funza paso 8 sets the survey no window) gets an
// event no cycle has journaled, and waits for the next run. Moved now, it
// would be archived without the answer, and the answer, read afterwards,
// rejected.
func (w *Worker) BookAhead(ctx context.Context, now time.Time, archived []procedure.Event) (*procedure.Book, *time.Location, error) {
	return w.bookWith(ctx, now, archived, true)
}

func (w *Worker) bookWith(ctx context.Context, now time.Time, archived []procedure.Event, ahead bool) (*procedure.Book, *time.Location, error) {
	st, err := w.load(ctx, false)
	if err != nil {
		return nil, nil, err
	}
	var pending []procedure.Response
	if ahead {
		rs, err := w.responses(ctx, st, false)
		if err != nil {
			return nil, nil, err
		}
		st.hd.Responses(rs)
		for _, r := range rs {
			if !r.Submitted.After(now) {
				pending = append(pending, r)
			}
		}
	}
	journal := procedure.NewJournal(nil, len(archived)+st.journal.Len())
	old := procedure.JournalOf(archived...)
	st.hd.Events(old)
	for _, j := range []procedure.Journal{old, st.journal} {
		for i := range j.Len() {
			// A snapshot is kept whatever its instant: it changes nothing of a
			// case it finds, and says the case's rows left the live tabs.
			if !j.At(i).After(now) || j.Kind(i) == procedure.KArchived {
				journal.Append(j.Event(i))
			}
		}
	}
	eng := &procedure.Engine{Cal: st.cal, Set: w.Config.Settings}
	res := eng.Fold(procedure.Inputs{Journal: journal, Responses: pending, Agents: st.agents, Catalog: st.catalog, Now: now})
	return res.Book, st.cal.Location(), nil
}
