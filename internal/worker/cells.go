package worker

import (
	"context"
	"time"

	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Google's cell limit. A spreadsheet holds at most 10,000,000 cells, every
// cell of every tab's grid, empty ones too. The Sheet grows tabs before it
// writes past them (sheets/grid.go) and refuses, with a
// *workbook.CellLimitError and before writing anything, a write the limit
// cannot hold. The administrator hears of the workbook's size in the daily
// summary from 80 % (and again from 90 %), and at once when it is full.

// CellCounter is the optional side of a Sheet that counts the workbook's
// cells in one call (sheets.Client.Budget).
type CellCounter interface {
	Budget(ctx context.Context) (workbook.Budget, error)
}

// cellUse is the workbook's use of the limit, for the administrator's digest.
type cellUse struct {
	Cells, Limit int
	Full         bool
}

// countCells counts the workbook's cells, or returns nil when the Sheet
// cannot count or the count failed (the digest then says nothing of it).
func (w *Worker) countCells(ctx context.Context) *cellUse {
	cc, ok := w.Sheet.(CellCounter)
	if !ok {
		return nil
	}
	b, err := cc.Budget(ctx)
	if err != nil {
		w.Log.Warn("could not count the workbook's cells for the digest", "err", err)
		return nil
	}
	return &cellUse{Cells: b.Cells, Limit: b.Limit}
}

// workbookFull finishes a cycle whose write the workbook cannot hold.
// Nothing of the plan was written; what the cycle decided is decided again,
// the same, once there is room (the journal's ids are deterministic and the
// form responses stay in the forms). The cycle does not fail: it tells the
// administrator (a summary queued at once, once a day, saying the workbook
// is full) and still sends the mail already in the outbox, then exits 0. The
// operator gets the English error in the log on every cycle.
func (w *Worker) workbookFull(ctx context.Context, now time.Time, st *state, lim *workbook.CellLimitError, rep Report) (Report, error) {
	// Nothing the fold decided was written: the report says so.
	rep = Report{Full: true, SheetWrites: rep.SheetWrites}
	w.Log.Error("workbook at Google's cell limit: this cycle's changes were not written and new responses wait in the forms; "+
		"make room: archive a closed year (mesa archive --year YYYY), delete unused tabs, or empty rows and columns", "err", lim, "cells", lim.Cells, "limit", lim.Limit)
	loc := st.cal.Location()
	eng := &procedure.Engine{Cal: st.cal, Set: w.Config.Settings}
	book := eng.Fold(procedure.Inputs{Journal: st.journal, Agents: st.agents, Catalog: st.catalog, Now: now}).Book
	ob := newOutbox(st.tables[workbook.Notificaciones.Name], loc)
	ob.cal = st.cal
	ob.cells = &cellUse{Cells: lim.Cells, Limit: lim.Limit, Full: true}
	// One notice a day per administrator, apart from the daily summary (it
	// may have gone out before the workbook filled up).
	date := now.In(loc).Format(time.DateOnly)
	for _, a := range st.agents {
		id := procedure.NoticeID("celdas "+date, string(notify.ResumenAdmin), a.Email)
		if a.Active && a.Role == procedure.RoleAdmin && w.queueDigest(ctx, notify.ResumenAdmin, id, a, now.In(loc), book, ob) {
			rep.Mail.Queued++
		}
	}
	ups, after := workbook.Plan(st.tables[workbook.Notificaciones.Name], ob.rows())
	ob.table = after
	n, err := w.Sheet.Write(ctx, ups)
	rep.SheetWrites += n
	if err != nil {
		w.Log.Error("could not queue the administrator's notice of a full workbook", "err", err)
		return rep, nil
	}
	mr, n, err := w.send(ctx, now, book, ob)
	rep.Mail.Sent, rep.Mail.Failed, rep.Mail.Deferred, rep.Mail.Uncertain = mr.Sent, mr.Failed, mr.Deferred, mr.Uncertain
	rep.SheetWrites += n
	if err != nil {
		w.Log.Warn("sending mail of a full workbook failed", "err", err)
	}
	return rep, nil
}
