package worker

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
)

// Daily digests (issue 5, item 4): each agent hears of their open, overdue
// and waiting cases, and each Administrador gets a summary of the desk. They
// need no scheduler of their own: the first cycle at or after Config.Digest
// on a business day queues them, with an outbox id made of the kind, the
// date and the recipient, so they go out once a day whatever the number of
// cycles, workers or crashes. A recipient with nothing to hear gets nothing.

// digestTime parses Config.Digest ("07:00"); ok is false when digests are
// off ("") or the value is unreadable.
func digestTime(s string) (h, m int, ok bool) {
	if s == "" {
		return 0, 0, false
	}
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, 0, false
	}
	return t.Hour(), t.Minute(), true
}

// ValidDigest checks a Config.Digest value for the configuration loader.
func ValidDigest(s string) error {
	if _, _, ok := digestTime(s); !ok && s != "" {
		return fmt.Errorf("digest time %q: want HH:MM, e.g. 07:00", s)
	}
	return nil
}

func digestKind(kind string) bool {
	return kind == string(notify.ResumenAgente) || kind == string(notify.ResumenAdmin)
}

// queueDigests adds today's digests to the outbox when they are due, and
// returns how many it queued. The administrator's summary carries the
// workbook's use of Google's cell limit, counted then (one spreadsheets.get
// a day, when the Sheet can count).
func (w *Worker) queueDigests(ctx context.Context, now time.Time, st *state, b *procedure.Book, ob *outbox) int {
	ob.cal, ob.admin = st.cal, st.adminProblems
	h, mi, ok := digestTime(w.Config.Digest)
	if !ok {
		return 0
	}
	loc := st.cal.Location()
	t := now.In(loc)
	at := time.Date(t.Year(), t.Month(), t.Day(), h, mi, 0, 0, loc)
	if t.Before(at) || !st.cal.IsBusinessDay(at) {
		return 0
	}
	queued := 0
	for _, a := range st.agents {
		if !a.Active {
			continue
		}
		switch a.Role {
		case procedure.RoleAgent:
			if w.queueDigest(ctx, notify.ResumenAgente, digestID(notify.ResumenAgente, a, at), a, at, b, ob) {
				queued++
			}
		case procedure.RoleAdmin:
			// Counted when the summary is queued, or when it goes out after
			// waiting for working hours (hold.go): rendered at send time, it
			// needs them then.
			if m := ob.byID[digestID(notify.ResumenAdmin, a, at)]; ob.cells == nil && (m == nil || m.State == Pending && !ob.held(now, m)) {
				ob.cells = w.countCells(ctx)
				ob.archive = w.archiveProposal(now, st, b)
				ob.archive.Due = w.archiveDue(ctx, now)
				ob.rights = w.rightsReminders(ctx, st.cal, now)
			}
			if w.queueDigest(ctx, notify.ResumenAdmin, digestID(notify.ResumenAdmin, a, at), a, at, b, ob) {
				queued++
			}
		}
	}
	return queued
}

func digestID(kind notify.Kind, a procedure.Agent, at time.Time) string {
	return procedure.NoticeID("resumen "+at.Format(time.DateOnly), string(kind), a.Email)
}

// queueDigest adds the digest of kind for a, dated at, as outbox row id,
// unless it is already in the outbox, has nothing to say, or went out
// already.
//
// A digest is not journaled (its ID is the day's, the kind's and the
// recipient's), so its outbox row is all that says it went out: a person
// who deletes the row of today's digest would have it sent again. Before
// queuing one it has no row for, the worker asks Gmail for its Message-ID
// (with VerifySent): one search when it is queued, and one per busy cycle
// for the rest of the day for a row a person deleted. Without VerifySent it
// cannot tell, and queues it.
func (w *Worker) queueDigest(ctx context.Context, kind notify.Kind, id string, a procedure.Agent, at time.Time, b *procedure.Book, ob *outbox) bool {
	n := procedure.Notice{ID: id, Kind: string(kind), At: at, To: a.Email, ToName: a.Name}
	if ob.byID[n.ID] != nil {
		return false
	}
	m := &message{Kind: n.Kind, ToName: a.Name, At: at}
	dg := ob.digest(b, m)
	if !dg.worthSending(kind) {
		return false
	}
	if w.Config.VerifySent {
		_, found, err := w.Mail.Find(ctx, notify.MessageIDFor(id, domainOf(w.Config.Office.SenderAddress)))
		if err != nil {
			w.Log.Warn("cannot check whether a digest went out; a later cycle queues it", "notificacion", id, "err", err)
			return false
		}
		if found {
			return false // a person deleted its row after it went out
		}
	}
	d := w.data(b, procedure.Event{}, 0, a.Name)
	d.Digest = dg.Digest
	subject := ""
	if r, err := w.Templates.Render(kind, d); err == nil {
		subject = r.Subject
	}
	return ob.add(n, subject)
}

// digestData is a digest and whether it has anything in it.
type digestData struct{ notify.Digest }

func (d digestData) worthSending(kind notify.Kind) bool {
	if kind == notify.ResumenAgente {
		return len(d.Open)+len(d.Overdue)+len(d.Waiting) > 0
	}
	return len(d.Open)+len(d.Overdue)+len(d.Waiting)+len(d.Unassigned)+d.Rejections+d.MailFailures+len(d.AdminProblems)+len(d.Rights) > 0 || d.CellWarning() != "" || d.Archive.Proposal() != "" || len(d.Archive.Due) > 0
}

// digest fills the digest of message m (its kind, recipient and date) from
// the book and the outbox as they stand.
func (ob *outbox) digest(b *procedure.Book, m *message) digestData {
	d := digestData{notify.Digest{Date: m.At}}
	agent := m.Kind == string(notify.ResumenAgente)
	counts := map[procedure.State]int{}
	for _, c := range b.Cases() {
		counts[c.State]++
		if !c.Open() || agent && procedure.Norm(c.Agent) != procedure.Norm(m.ToName) {
			continue
		}
		nc := notify.CaseOf(c)
		switch {
		case c.State == procedure.EnEspera:
			d.Waiting = append(d.Waiting, nc)
		case c.Overdue:
			d.Overdue = append(d.Overdue, nc)
		default:
			d.Open = append(d.Open, nc)
		}
		if !agent && c.Agent == procedure.Unassigned {
			d.Unassigned = append(d.Unassigned, nc)
		}
	}
	if agent {
		return d
	}
	d.AdminProblems = ob.admin
	d.Rights = ob.rights
	if ob.cells != nil {
		d.Cells, d.CellLimit, d.Full = ob.cells.Cells, ob.cells.Limit, ob.cells.Full
	}
	d.Archive = ob.archive
	for _, s := range []procedure.State{procedure.Abierto, procedure.Reabierto, procedure.EnEspera, procedure.Resuelto,
		procedure.NoResuelto, procedure.Cerrado, procedure.InfoInsuficiente, procedure.NoProcedente} {
		if counts[s] > 0 {
			d.Counts = append(d.Counts, notify.Count{Label: string(s), N: counts[s]})
		}
	}
	// Rejections since the previous business day's digest: Monday's summary
	// covers the weekend.
	since := m.At.AddDate(0, 0, -1)
	if ob.cal != nil {
		for !ob.cal.IsBusinessDay(since) && m.At.Sub(since) < 15*24*time.Hour {
			since = since.AddDate(0, 0, -1)
		}
	}
	for _, e := range b.Rejections() {
		if !e.At.Before(since) && e.At.Before(m.At) {
			d.Rejections++
		}
	}
	// Mail that did not go out and waits for a person (Fallido, Incierto):
	// the administrator hears of it every day until someone acts.
	for _, x := range ob.msgs {
		if x.State == Failed || x.State == Uncertain {
			d.MailFailures++
		}
	}
	return d
}

// nextDigest returns the next instant after now at which a digest may fall
// due (the digest time today or tomorrow), or zero when digests are off. An
// idle check must not sleep through it.
func (w *Worker) nextDigest(now time.Time, loc *time.Location) time.Time {
	h, mi, ok := digestTime(w.Config.Digest)
	if !ok {
		return time.Time{}
	}
	t := now.In(loc)
	at := time.Date(t.Year(), t.Month(), t.Day(), h, mi, 0, 0, loc)
	if !at.After(now) {
		at = at.AddDate(0, 0, 1)
	}
	return at
}
