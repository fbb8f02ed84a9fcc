package worker

import (
	"context"
	"errors"
	"time"

	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/workspace"
)

// The send path: a cycle delivers its outbox in five steps, each a method
// of sending below, following the claim protocol of outbox.go (whose own
// numbered steps are 1-2 of claim and 3-4 of confirm):
//
//  1. lookUp: ask Gmail about the rows a dead cycle left Enviando;
//  2. claim: mark what may go now as Enviando with this cycle's token;
//  3. confirm: keep only the rows still ours after the settle wait;
//  4. deliver: for each row, look for an earlier send, send, and sort the
//     outcome (sent, quota, refused, unknown);
//  5. record: write the outcomes where the rows are now.
//
// Durations (the settle wait, the send window) are measured on Config.Clock
// and waited with Config.Sleep, never on the cycle's instant: they bound
// real request latencies, while the rows record the cycle's instant.

// sharing is how a cycle writes the workbook: alone, or with rivals. The
// worker decides it once (Worker.sharing), from Config.Exclusive.
type sharing interface {
	// write applies updates addressed by row position; recheck (when
	// rivals or people may have moved rows) finds each row again first.
	write(ctx context.Context, ups []workbook.Update, recheck workbook.Recheck) (int, error)
	// beforeClaim reads again what the claim must start from.
	beforeClaim(ctx context.Context, ob *outbox) error
	// confirm returns the claimed rows still ours, or ok false when the
	// claim cannot be trusted (the protocol's steps 3 and 4).
	confirm(ctx context.Context, s *sending, batch []*message) (mine []*message, ok bool, err error)
	// searchFirst says whether Gmail is searched for each message before
	// it is sent (a late write may have undone an earlier send's row).
	searchFirst() bool
	// record writes the outcomes of mine; ours are the rows this cycle
	// marked Enviado, sent or found in Gmail.
	record(ctx context.Context, ob *outbox, mine, ours []*message) (int, error)
	// trustsOwnWrites says no one else writes between the cycle's writes
	// and its next read (the Cache relies on it).
	trustsOwnWrites() bool
}

// sharing returns how this worker shares the workbook.
func (w *Worker) sharing() sharing {
	if w.Config.Exclusive {
		return alone{w}
	}
	return rivals{w}
}

// alone is a worker no other process can race: the local backend's
// directory lock, an OS lock no rival gets past. It writes its claim and
// trusts it.
type alone struct{ w *Worker }

func (a alone) write(ctx context.Context, ups []workbook.Update, _ workbook.Recheck) (int, error) {
	return a.w.Sheet.Write(ctx, ups)
}

func (alone) beforeClaim(context.Context, *outbox) error { return nil }

func (alone) confirm(_ context.Context, _ *sending, batch []*message) ([]*message, bool, error) {
	return batch, true, nil
}

func (alone) searchFirst() bool { return false }

func (a alone) record(ctx context.Context, ob *outbox, _, _ []*message) (int, error) {
	return a.w.flush(ctx, ob)
}

func (alone) trustsOwnWrites() bool { return true }

// rivals is every other worker, also one holding the workbook lease, which
// two Cloud Run executions can both believe they hold: it runs the whole
// claim protocol, and its positional writes check the rows' keys first.
type rivals struct{ w *Worker }

func (r rivals) write(ctx context.Context, ups []workbook.Update, recheck workbook.Recheck) (int, error) {
	return r.w.Sheet.WriteRows(ctx, ups, recheck)
}

func (r rivals) beforeClaim(ctx context.Context, ob *outbox) error { return ob.reread(ctx, r.w.Sheet) }

// confirm: a claim that took too long to land may have overwritten one
// that another cycle already checked, so it leaves the rows claimed for
// recovery (step 3); otherwise it waits the settle time, reads the tab
// back and keeps only what still carries its token (step 4).
func (r rivals) confirm(ctx context.Context, s *sending, batch []*message) ([]*message, bool, error) {
	w := r.w
	settle := w.Config.ClaimSettle
	if settle <= 0 {
		settle = DefaultClaimSettle
	}
	if gap := s.claimed.Sub(s.start); gap >= settle {
		w.Log.Warn("outbox claim was slow; leaving the claimed mail to a later cycle", "gap", gap, "settle", settle, "claimed", len(batch))
		s.rep.Deferred += len(batch)
		return nil, false, nil
	}
	if err := w.pause(ctx, settle); err != nil {
		return nil, false, err
	}
	if err := s.ob.reread(ctx, w.Sheet); err != nil {
		return nil, false, err
	}
	mine := batch[:0:0]
	for _, m := range batch {
		if tok, _, ok := m.claim(); ok && tok == s.token {
			mine = append(mine, m)
		}
	}
	if lost := len(batch) - len(mine); lost > 0 {
		w.Log.Info("another cycle claimed part of the outbox", "lost", lost)
	}
	return mine, true, nil
}

func (r rivals) searchFirst() bool { return r.w.Config.VerifySent }

// record: the sends took up to sendWindow, and people may have sorted the
// tab since the read-back. It reads the tab again and writes our rows where
// they are, then checks that no outcome landed on a row a person moved.
func (r rivals) record(ctx context.Context, ob *outbox, mine, ours []*message) (int, error) {
	keep := map[string]bool{}
	for _, m := range mine {
		keep[m.ID] = true
	}
	if err := ob.refresh(ctx, r.w.Sheet, keep); err != nil {
		return 0, err
	}
	n, err := r.w.flush(ctx, ob)
	if err != nil {
		return n, err
	}
	m, err := r.w.checkOutcomes(ctx, ob, ours)
	return n + m, err
}

func (rivals) trustsOwnWrites() bool { return false }

// clockNow reads the clock the protocol's durations are measured on.
func (w *Worker) clockNow() time.Time {
	if w.Config.Clock != nil {
		return w.Config.Clock()
	}
	return time.Now()
}

// pause waits d on the protocol's clock, or until ctx is done.
func (w *Worker) pause(ctx context.Context, d time.Duration) error {
	if w.Config.Sleep != nil {
		return w.Config.Sleep(ctx, d)
	}
	return sleep(ctx, d)
}

// flush writes what changed in the outbox since the table was last written.
// Without the directory lock the table was just read again, so its rows
// are where the table says; a retry (after a 429 or 5xx and a backoff)
// checks the keys again first.
func (w *Worker) flush(ctx context.Context, ob *outbox) (int, error) {
	ups, after := workbook.Plan(ob.table, ob.rows())
	if len(ups) == 0 {
		return 0, nil
	}
	retried := false
	n, err := w.sharing().write(ctx, ups, func(ctx context.Context, ups []workbook.Update) ([]workbook.Update, error) {
		if !retried {
			retried = true
			return ups, nil
		}
		return w.guard(ctx, ups)
	})
	if err == nil {
		ob.table = after
	}
	return n, err
}

// sending is one cycle's delivery of its outbox.
type sending struct {
	w      *Worker
	via    sharing
	now    time.Time // the cycle's instant: what the rows record
	book   *procedure.Book
	ob     *outbox
	rep    MailReport
	writes int

	token          string
	start, claimed time.Time // on the protocol's clock: the claim's fresh read began, its write returned
}

// send delivers what the outbox holds, exactly once: see the steps above.
// It returns what it did and the Sheets requests it made.
func (w *Worker) send(ctx context.Context, now time.Time, b *procedure.Book, ob *outbox) (MailReport, int, error) {
	s := &sending{w: w, via: w.sharing(), now: now, book: b, ob: ob}
	err := s.run(ctx)
	return s.rep, s.writes, err
}

func (s *sending) run(ctx context.Context) error {
	verdicts := s.lookUp(ctx)
	if len(verdicts) == 0 && len(s.w.claimable(s.now, s.ob, nil)) == 0 && len(s.ob.shared()) == 0 {
		s.rep.Deferred += len(s.ob.due(s.now))
		s.rep.Held = len(s.ob.pending()) - len(s.ob.due(s.now))
		return nil
	}
	if due := len(s.ob.due(s.now)); due < len(s.ob.pending()) {
		s.rep.Held = len(s.ob.pending()) - due
	}
	batch, found, err := s.claim(ctx, verdicts)
	if err != nil || len(batch) == 0 {
		return err
	}
	mine, ok, err := s.via.confirm(ctx, s, batch)
	if err != nil || !ok {
		return err
	}
	s.deliver(ctx, mine)
	return s.record(ctx, mine, append(found, mine...))
}

// lookUp is step 1: what Gmail says of the rows a dead cycle left
// Enviando (verify).
func (s *sending) lookUp(ctx context.Context) map[string]verdict {
	return s.w.verify(ctx, s.now, s.ob)
}

// claim is step 2 (the protocol's steps 1 and 2): it settles what was
// looked up and claims what a fresh read still shows pending, within the
// daily budget, in one write. It returns the claimed rows and those it
// marked Enviado from Gmail's word.
func (s *sending) claim(ctx context.Context, verdicts map[string]verdict) (batch, found []*message, err error) {
	s.start = s.w.clockNow()
	if err := s.via.beforeClaim(ctx, s.ob); err != nil {
		return nil, nil, err
	}
	s.w.settleVerified(s.now, s.ob, verdicts, &s.rep)
	s.w.settleShared(ctx, s.now, s.ob, &s.rep)
	for id, v := range verdicts {
		if m := s.ob.byID[id]; m != nil && v.found && m.State == Sent && m.GmailID == v.gmailID {
			found = append(found, m)
		}
	}
	s.token = newToken()
	mark := claimPrefix + s.token + " " + s.now.Format(time.RFC3339)
	batch = s.w.claimable(s.now, s.ob, &s.rep)
	for _, m := range batch {
		m.State, m.GmailID, m.LastErr = Sending, mark, ""
	}
	n, err := s.w.flush(ctx, s.ob) // the claim, and the verdicts
	s.writes += n
	if err != nil {
		return nil, nil, err
	}
	s.claimed = s.w.clockNow()
	return batch, found, nil
}

// outcome is what became of one message in deliver.
type outcome int

const (
	done     outcome = iota // sent, failed, or found sent already: on to the next
	sent                    // sent now: the run of unknown outcomes ends
	unknown                 // the send's outcome is lost
	quota                   // Gmail refused for quota: this and the rest wait
	stopHere                // this and the rest wait for a later cycle
)

const quotaText = "Cuota de Gmail agotada; se reintenta más tarde."

// deliver is step 4: it sends the rows in turn, and gives back (to
// Pendiente) those it does not attempt: when the cycle is cancelled, when
// Gmail keeps failing, when the send window is over, or when a message
// says to stop (quota; Gmail cannot be searched).
func (s *sending) deliver(ctx context.Context, mine []*message) {
	events := s.events(mine)
	unknowns := 0
	for i, m := range mine {
		if ctx.Err() != nil || unknowns >= maxUnknownInARow || s.w.clockNow().Sub(s.claimed) > sendWindow {
			s.giveBack(mine[i:], "")
			return
		}
		switch s.deliverOne(ctx, m, events[m.Event]) {
		case sent:
			unknowns = 0
		case unknown:
			unknowns++
		case quota:
			s.giveBack(mine[i:], quotaText)
			s.w.Log.Warn("gmail quota reached; deferring the rest", "deferred", len(mine)-i)
			return
		case stopHere:
			s.giveBack(mine[i:], "")
			return
		}
	}
}

// deliverOne looks for an earlier send of m when it must, then sends it
// and sorts the outcome by the class the Mailer gave its error.
func (s *sending) deliverOne(ctx context.Context, m *message, e procedure.Event) outcome {
	w := s.w
	raw, err := w.build(s.book, e, m, s.now, s.ob)
	if err != nil {
		m.State, m.GmailID, m.LastErr = Failed, "", err.Error()
		s.rep.Failed++
		return done
	}
	if s.via.searchFirst() {
		id, found, err := w.Mail.Find(ctx, notify.MessageIDFor(m.ID, domainOf(w.Config.Office.SenderAddress)))
		switch {
		case err != nil:
			w.Log.Warn("cannot search Gmail before a send; keeping the rest for later", "notificacion", m.ID, "err", err)
			return stopHere
		case found:
			// Sent already by a cycle whose row was undone by a late write.
			w.Log.Warn("notification already in Gmail; not sending it again", "notificacion", m.ID)
			m.State, m.GmailID, m.SentAt, m.LastErr = Sent, id, s.now, ""
			return done
		}
	}
	// Attempts count sends, not claims: a cycle killed between its claim
	// and its sends must not use up a message's attempts.
	m.Attempts++
	id, err := w.Mail.Send(ctx, raw)
	switch {
	case err == nil:
		m.State, m.GmailID, m.SentAt, m.LastErr = Sent, id, s.now, ""
		s.rep.Sent++
		return sent
	case errors.Is(err, workspace.ErrQuota):
		// Not sent: Gmail refused for quota (the adapter already backed
		// off). This and the rest wait for a later cycle.
		return quota
	case errors.Is(err, workspace.ErrRefused):
		m.State, m.GmailID, m.LastErr = Failed, "", "Gmail rechazó el mensaje: "+workspace.Detail(err)
		s.rep.Failed++
		return done
	default:
		// The outcome is unknown: keep Enviando and the claim, so the row
		// is looked up in Gmail only once the claim is stale — a send the
		// client gave up on may still be delivered by Gmail a moment
		// later, and looking too soon would send it twice.
		m.LastErr = "Resultado del envío desconocido; se verifica en Gmail más tarde."
		w.Log.Warn("send outcome unknown", "notificacion", m.ID, "err", err)
		return unknown
	}
}

// giveBack returns rows not attempted to Pendiente: still ours, so safe to
// give back. lastErr, when set, says why they wait.
func (s *sending) giveBack(rows []*message, lastErr string) {
	for _, r := range rows {
		r.State, r.GmailID = Pending, ""
		if lastErr != "" {
			r.LastErr = lastErr
		}
		s.rep.Deferred++
	}
}

// events returns the journal events of the mail being sent. Only those: a
// map of the whole journal would unpack every event (at 100k cases, ~300k).
func (s *sending) events(mine []*message) map[string]procedure.Event {
	events := make(map[string]procedure.Event, len(mine))
	for _, m := range mine {
		events[m.Event] = procedure.Event{}
	}
	j := s.book.Journal
	for i := range j.Len() {
		if _, ok := events[j.ID(i)]; ok {
			events[j.ID(i)] = j.Event(i)
		}
	}
	return events
}

// record is step 5: it writes the outcomes, unless the cycle outlived its
// claim: a later cycle then settles the rows from Gmail rather than from
// this cycle's possibly stale view.
func (s *sending) record(ctx context.Context, mine, ours []*message) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if elapsed := s.w.clockNow().Sub(s.claimed); elapsed > claimStale/2 {
		s.w.Log.Warn("outbox record skipped: the cycle outlived its claim", "elapsed", elapsed)
		return nil
	}
	n, err := s.via.record(ctx, s.ob, mine, ours)
	s.writes += n
	return err
}
