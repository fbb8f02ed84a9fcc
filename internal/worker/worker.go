// Package worker runs one cycle of mesa: read the workbook and the new form
// responses, fold them through the procedure, write the difference back to
// Sheets in a constant number of calls, and send the queued mail.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/privacy"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/workspace"
)

// Sheet is the workbook as the worker needs it.
type Sheet interface {
	Read(ctx context.Context, tabs []string) ([][][]any, error)
	ReadRanges(ctx context.Context, ranges []string) ([][][]any, error)
	Write(ctx context.Context, ups []workbook.Update) (int, error)
	WriteRows(ctx context.Context, ups []workbook.Update, recheck workbook.Recheck) (int, error)
	EnsureTabs(ctx context.Context, tabs []string) ([]string, error)
}

// ResponseSource lists form responses submitted after a watermark.
type ResponseSource interface {
	Since(ctx context.Context, formID string, after time.Time) ([]workspace.FormResponse, error)
}

// Mailer sends a MIME message and finds one already sent by Message-ID.
type Mailer interface {
	Send(ctx context.Context, raw []byte) (string, error)
	Find(ctx context.Context, messageID string) (string, bool, error)
}

// Form is where a form lives and how its questions are titled.
type Form struct {
	ID        string
	Questions map[procedure.Field]string
}

// Config is what a cycle needs to know besides the workbook.
type Config struct {
	Settings    procedure.Settings
	Hours       calendar.Hours
	Forms       map[procedure.Form]Form
	Office      notify.Office
	DailyLimit  int  // mails per day, under Gmail's per-user limit
	VerifySent  bool // search Gmail for a message whose send outcome was lost (needs gmail.readonly)
	MaxAttempts int
	Digest      string        // "07:00": the first cycle at or after it on a business day queues the daily digests; "" turns them off
	ArchiveFrom time.Month    // from this month each year the administrator's digest proposes archiving the year before (0: never)
	ArchiveAuto bool          // the proposal says mesa archives it by itself (mesa run)
	ClaimSettle time.Duration // outbox claim wait (0: DefaultClaimSettle); see outbox.go
	// Clock and Sleep time the claim protocol's real waits (the settle
	// wait, the send window: send.go), as opposed to the cycle's instant;
	// nil: the wall clock and a timer. Tests pass a clock of their own, so
	// that every branch runs without waiting.
	Clock func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// Exclusive says no other process can write this workbook while the
	// cycle runs: the local backend's directory lock. The outbox then claims
	// without the wait and read-back of its protocol, and positional writes
	// skip their key check. The workbook lease of Google mode is no such
	// lock (see Lease).
	Exclusive bool

	// E-mail intake (intake.go): mail to the help-desk mailbox becomes a
	// Solicitudes request. Needs Mail to read the inbox (gmail.readonly).
	Intake        bool
	IntakeService string // Tipo de servicio of those requests ("": DefaultIntakeService)

	// Hold is the working-hours policy of mail (hold.go, Ley 2191 de 2022).
	Hold HoldPolicy

	// ReadPage, when set, reads the whole workbook (a cycle that cannot
	// start from the Cache, a reconcile) in pages of that many rows of
	// each tab per batchGet, converting each page as it arrives: one
	// batchGet of a 100,000-case workbook is ~10 million cells decoded at
	// once. It costs one spreadsheets.get and one batchGet per page of the
	// longest tab instead of one batchGet. 0: one batchGet.
	ReadPage int
}

// DefaultReadPage is the ReadPage mesa runs with: an office under 25,000
// rows per tab reads in one batchGet (plus the grid sizes' get); at
// 100,000 cases (~300,000 journal rows) in 12, each ~1/12 of the JSON.
const DefaultReadPage = 25_000

// Worker runs cycles. It holds no state between them: the workbook is the
// system of record (an optional Cache only spares reads, see cache.go).
type Worker struct {
	Sheet     Sheet
	Responses ResponseSource
	Mail      Mailer
	Templates *notify.Templates
	Config    Config
	Log       *slog.Logger

	// Optional: with all three, an idle cycle checks for changes with one
	// cheap call per source instead of reading the workbook.
	SpreadsheetID string
	Changes       Versioner
	Watch         WatchStore

	// Optional: the administrator's digest announces the archive
	// workbooks' due transfers and final dispositions (archivedigest.go).
	Archives ArchiveDates
	// Optional: with Changes and Config.Exclusive, a busy cycle starts from
	// the tabs the last cycle left instead of reading them (cache.go).
	Cache *Cache
	// Optional: called before a cycle that is not idle reads the workbook,
	// except in a dry run; its error ends the cycle. `mesa sync` and `mesa
	// reconcile` finish an interrupted archive's write-back there.
	BeforeRead func(context.Context) error
}

// Report says what a cycle did, for logs, metrics and the demo.
type Report struct {
	Applied     int // form responses applied or rejected
	NewCases    int
	Rejected    int
	Timers      int // decisions made by the clock (F-5c, surveys)
	Events      int
	SheetWrites int            // Sheets requests of the writes (values.batchUpdate; get and appendDimension when a tab grows)
	Full        bool           // the workbook is at Google's cell limit: nothing new was written (cells.go)
	Repaired    int            // ranges a reconcile rewrote
	Idle        bool           // nothing changed: the workbook was not read
	Planned     map[string]int // dry run: ranges that would be written, by tab
	Mail        MailReport
}

// MailReport counts the outbox work of a cycle.
type MailReport struct {
	Queued, Sent, Failed, Deferred, Uncertain int
	Held                                      int // waiting for the recipient's working hours (hold.go)
}

// Cycle runs one cycle at now. Running it twice at the same now changes
// nothing the second time; a cycle that dies halfway is finished by the next.
func (w *Worker) Cycle(ctx context.Context, now time.Time, dryRun bool) (Report, error) {
	return w.run(ctx, now, dryRun, false)
}

// Reconcile is the nightly full rebuild: it reads every response of every
// form (not only those after the watermarks), rebuilds every tab from the
// journal, and writes whatever drifted (a cell someone edited in a worker
// column, a row deleted by hand).
func (w *Worker) Reconcile(ctx context.Context, now time.Time, dryRun bool) (Report, error) {
	return w.run(ctx, now, dryRun, true)
}

func (w *Worker) run(ctx context.Context, now time.Time, dryRun, full bool) (Report, error) {
	var rep Report
	version := int64(-1)
	if !full && !dryRun {
		idle, v, err := w.idle(ctx, now)
		if err != nil {
			w.Log.Warn("change check failed; reading everything", "err", err)
		}
		if idle {
			rep.Idle = true
			w.Log.Info("cycle idle: nothing changed")
			return rep, nil
		}
		version = v
	}
	if w.BeforeRead != nil && !dryRun {
		if err := w.BeforeRead(ctx); err != nil {
			return rep, err
		}
	}
	if version < 0 && !dryRun {
		version = w.version(ctx)
	}
	// A cycle that is not a reconcile only appends to Historial: it
	// keeps the journal, not the tab's cells.
	st, err := w.loadCached(ctx, version, full || dryRun, !full)
	if err != nil {
		return rep, err
	}
	st.version = version
	responses, err := w.responses(ctx, st, full)
	if err != nil {
		return rep, err
	}
	st.hd.Responses(responses)
	eng := &procedure.Engine{Cal: st.cal, Set: w.Config.Settings}
	in := procedure.Inputs{Journal: st.journal, Owned: true, Responses: responses, Agents: st.agents, Catalog: st.catalog, Now: now}
	var res *procedure.Result
	if st.book != nil {
		res = eng.Resume(st.book, in) // the cache's: fold only what is new (cache.go)
	} else {
		res = eng.Fold(in)
	}
	journalMarks(st.marks, procedure.JournalOf(res.New...))
	for _, e := range res.New {
		rep.Events++
		switch {
		case e.Kind == procedure.KRegistered:
			rep.NewCases++
		case e.Kind == procedure.KRejected:
			rep.Rejected++
		}
		if e.Response == "" && e.Kind != procedure.KAssigned {
			rep.Timers++
		}
	}
	// A response this fold applied (or rejected) has events among the new
	// ones; one applied before has none (the journal holds its ID).
	decided := map[string]bool{}
	for _, e := range res.New {
		if e.Response != "" {
			decided[e.Response] = true
		}
	}
	for _, r := range responses {
		if decided[r.ID] {
			rep.Applied++
			decided[r.ID] = false // a response listed twice counts once
		}
	}
	for _, f := range res.Failures {
		// No answer text here: only which response, and what failed in mesa.
		w.Log.Error("a response could not be applied and was rejected; the rest of the cycle goes on",
			"form", f.Form, "response", f.Response, "err", f.Err)
	}
	ob := st.outbox
	if ob == nil {
		ob = newOutbox(st.tables[workbook.Notificaciones.Name], st.cal.Location())
	}
	ob.journaled = res.Book.Journaled
	ob.cal = st.cal
	ob.page = w.Config.ReadPage
	ob.hold = w.holder(now, st, res)
	ob.anonymize(st.hd)
	for _, n := range res.Notices {
		if privacy.IsPseudonymous(n.To) {
			continue // an anonymized titular gets no mail (HD-1)
		}
		if ob.add(n, w.subject(res.Book, n)) {
			rep.Mail.Queued++
		}
	}
	rep.Mail.Queued += w.queueDigests(ctx, now, st, res.Book, ob)
	ups := w.plan(st, res, ob, full)
	if full {
		rep.Repaired = len(ups)
	}
	if dryRun {
		rep.Planned = map[string]int{}
		for _, u := range ups {
			tab, _, _ := strings.Cut(u.Range, "!")
			rep.Planned[strings.ReplaceAll(strings.Trim(tab, "'"), "''", "'")]++
		}
		return rep, nil
	}
	n, err := w.sharing().write(ctx, ups, w.guard)
	rep.SheetWrites += n
	var limit *workbook.CellLimitError
	if errors.As(err, &limit) {
		return w.workbookFull(ctx, now, st, limit, rep)
	}
	if err != nil {
		return rep, fmt.Errorf("write workbook: %w", err)
	}
	mr, n, err := w.send(ctx, now, res.Book, ob)
	rep.Mail.Sent, rep.Mail.Failed, rep.Mail.Deferred, rep.Mail.Uncertain = mr.Sent, mr.Failed, mr.Deferred, mr.Uncertain
	rep.Mail.Held = mr.Held
	rep.SheetWrites += n
	if err != nil {
		return rep, fmt.Errorf("send mail: %w", err)
	}
	if err := w.remember(ctx, now, st, res, st.cal.Location(), ob); err != nil {
		w.Log.Warn("cannot remember the workbook version; the next cycle reads everything", "err", err)
	}
	w.keep(ctx, st, res, ob)
	w.Log.Info("cycle done", "new_cases", rep.NewCases, "applied", rep.Applied, "rejected", rep.Rejected,
		"timers", rep.Timers, "mail_sent", rep.Mail.Sent, "mail_deferred", rep.Mail.Deferred, "sheet_writes", rep.SheetWrites)
	return rep, nil
}

// plan renders every worker tab from the fold and diffs it against the sheet.
// A fold resumed from the cache (res.Changed set) renders only the rows of
// the cases it changed and its new rejections, against tabs that hold every
// other row as the last cycle wrote it: Plan leaves alone the rows it is not
// given.
func (w *Worker) plan(st *state, res *procedure.Result, ob *outbox, full bool) []workbook.Update {
	f := workbook.Formatter{Loc: st.cal.Location()}
	set := w.Config.Settings
	journal := w.unwritten(res, full)
	b := res.Book
	var desired map[string][][]string
	resumed := res.Changed != nil && !full
	if resumed {
		// Resumed from the last cycle's fold: render only the cases it changed.
		cases := make([]*procedure.Case, 0, len(res.Changed))
		for _, n := range res.Changed {
			if c := b.Case(n); c != nil {
				cases = append(cases, c)
			}
		}
		desired = map[string][][]string{
			workbook.Casos.Name:     f.CasosRowsOf(cases, set),
			workbook.Rechazos.Name:  f.RejectionRows(res.New),
			workbook.Encuestas.Name: f.EncuestasRowsOf(b, set, cases),
			workbook.Garantias.Name: f.WaitingRowsOf(b, procedure.WaitWarranty, cases),
			workbook.Escalam.Name:   f.WaitingRowsOf(b, procedure.WaitEscalation, cases),
			workbook.Lecciones.Name: f.LeccionesRowsOf(cases),
			workbook.Problemas.Name: f.ProblemasRows(b),
		}
	} else {
		desired = f.Views(b, set)
	}
	desired[workbook.Historial.Name] = f.JournalRows(journal)
	desired[workbook.Notificaciones.Name] = ob.rows()
	var ups []workbook.Update
	for _, tab := range writeOrder {
		rows, ok := desired[tab.Name]
		if !ok {
			continue
		}
		if tab.Name == workbook.Historial.Name {
			tabUps, after := journalUpdates(st.tables[tab.Name], journal, rows, journalBlock, !full)
			ups = append(ups, tabUps...)
			st.after[tab.Name] = after
			continue
		}
		tabUps, after := workbook.Plan(st.tables[tab.Name], rows)
		ups = append(ups, tabUps...)
		if !resumed && (tab.Name == workbook.Casos.Name || tab.Name == workbook.Notificaciones.Name) {
			// The tabs people sort and insert rows into (guard.go). A
			// resumed cycle's tabs are the last cycle's, which cleared them.
			ups = append(ups, workbook.Strays(st.tables[tab.Name])...)
		}
		st.after[tab.Name] = after
		if tab.Name == workbook.Notificaciones.Name {
			ob.table = after
		}
	}
	return ups
}

// journalBlock bounds the Historial rows written as one range (bytes of
// text): sheets.Client.Write never splits a range under 9 MB, and one above
// it only by rows, anywhere.
const journalBlock = 4_000_000

// journalUpdates plans the new Historial rows (events[i] renders as
// rows[i]) in ranges of about block bytes, cut only where a form response's
// decisions start. A write that fails between two ranges then leaves whole
// responses journaled: a response with any event journaled counts as
// applied and is not decided again, so a response cut in two would lose the
// decisions of its second half (the assignment of a registered case).
// It also returns the tab as it reads once the writes are applied. fresh
// says no event is in the tab yet (workbook.PlanNew).
func journalUpdates(t workbook.Table, events procedure.Journal, rows [][]string, block int, fresh bool) ([]workbook.Update, workbook.Table) {
	var ups []workbook.Update
	start, size := 0, 0
	plan := workbook.Plan
	if fresh {
		plan = workbook.PlanNew // the fold's new decisions: no ID of them is journaled (unwritten)
	}
	flush := func(end int) {
		u, after := plan(t, rows[start:end])
		ups, t = append(ups, u...), after
		start, size = end, 0
	}
	for i, row := range rows {
		if i > start && size >= block && events.Response(i) != "" && events.Response(i) != events.Response(i-1) {
			flush(i)
		}
		for _, c := range row {
			size += len(c) + 3
		}
	}
	flush(len(rows)) // always once: Plan also writes a missing header
	return ups, t
}

// writeOrder is the order of the tabs in a cycle's write. A write that
// does not fit one request is split in several, in this order, and a cycle
// can fail between two of them. Historial comes after Notificaciones: once
// an event is journaled the fold never decides it again, so its
// notifications must already be in the outbox; the other way round, a
// notification queued whose event failed to land is queued again under the
// same deterministic ID by the next cycle, which decides the event again
// (and the outbox sends only notifications whose event is journaled, see
// outbox.pending). Every other tab is rebuilt from the journal by every cycle.
var writeOrder = func() []workbook.Tab {
	out := []workbook.Tab{workbook.Notificaciones}
	for _, t := range workbook.Worker {
		if t.Name != workbook.Notificaciones.Name {
			out = append(out, t)
		}
	}
	return out
}()

// ErrConfig marks a problem an operator must fix in the configuration or the
// admin tabs; the CLI exits with code 2 on it.
var ErrConfig = errors.New("configuration error")

// Book reads the workbook and folds the journal up to now without applying
// anything new: the state `mesa explain` and the reports read.
func (w *Worker) Book(ctx context.Context, now time.Time) (*procedure.Book, *time.Location, error) {
	// Only what had happened by now: a report of an earlier month must not
	// see later decisions.
	return w.BookWith(ctx, now, nil)
}

// unwritten returns the journal events the Historial tab does not hold yet:
// it is append-only, so rendering the other (hundreds of thousands of) rows
// every cycle would only confirm what is there. Those are the fold's new
// decisions: the fold journals no ID twice, so every event of res.Journal
// not read from the tab is one of res.New, in the same order. A reconcile
// (full) renders them all, repairing rows edited by hand.
func (w *Worker) unwritten(res *procedure.Result, full bool) procedure.Journal {
	if full {
		return res.Journal
	}
	return procedure.JournalOf(res.New...)
}
