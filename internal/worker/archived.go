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
	st, err := w.load(ctx)
	if err != nil {
		return nil, nil, err
	}
	var journal []procedure.Event
	st.hd.Events(archived)
	for _, evs := range [][]procedure.Event{archived, st.journal} {
		for _, e := range evs {
			// A snapshot is kept whatever its instant: it changes nothing of a
			// case it finds, and says the case's rows left the live tabs.
			if !e.At.After(now) || e.Kind == procedure.KArchived {
				journal = append(journal, e)
			}
		}
	}
	eng := &procedure.Engine{Cal: st.cal, Set: w.Config.Settings}
	res := eng.Fold(procedure.Inputs{Journal: journal, Agents: st.agents, Catalog: st.catalog, Now: now})
	return res.Book, st.cal.Location(), nil
}
