package worker

import (
	"context"
	"strconv"
	"time"

	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// archiveProposal is the yearly proposal of the administrator's digest:
// from Config.ArchiveFrom on, the year before can be archived (mesa
// archive); it counts the cases of that year the procedure says can no
// longer change and the cells their rows hold in the tabs a cycle reads.
func (w *Worker) archiveProposal(now time.Time, st *state, b *procedure.Book) notify.Archive {
	loc := st.cal.Location()
	t := now.In(loc)
	if w.Config.ArchiveFrom == 0 || t.Month() < w.Config.ArchiveFrom {
		return notify.Archive{}
	}
	year := t.Year() - 1
	cases := b.Archivable(year, now, loc, w.Config.Settings)
	if len(cases) == 0 {
		return notify.Archive{}
	}
	in := make(map[int]bool, len(cases))
	for _, n := range cases {
		in[n] = true
	}
	cells := 0
	for _, tab := range workbook.Worker {
		tb := st.tables[tab.Name]
		if tab.Name == workbook.Historial.Name {
			// Its rows are the journal's events (a cycle releases the
			// tab's cells once it has parsed them, see releaseJournalCells).
			for i := range st.journal.Len() {
				if in[st.journal.Case(i)] && st.journal.Kind(i) != procedure.KArchived {
					cells += len(tb.Header)
				}
			}
			continue
		}
		for _, r := range tb.Records() {
			n, _ := strconv.Atoi(r.Get("Caso"))
			if in[n] && r.Get("Evento") != string(procedure.KArchived) {
				cells += len(tb.Header)
			}
		}
	}
	return notify.Archive{Year: year, Cases: len(cases), Cells: cells, Auto: w.Config.ArchiveAuto}
}

// ArchiveDates says, in Spanish, which archive workbooks are due for
// transfer to the central archive or for their final disposition by the
// office's TRD (archive.Dues).
type ArchiveDates interface {
	Due(ctx context.Context, now time.Time) ([]string, error)
}

// archiveDue asks for the due dates; a failure only leaves them out of the
// digest.
func (w *Worker) archiveDue(ctx context.Context, now time.Time) []string {
	if w.Archives == nil {
		return nil
	}
	due, err := w.Archives.Due(ctx, now)
	if err != nil {
		w.Log.Warn("could not list the archive workbooks for the digest", "err", err)
		return nil
	}
	return due
}
