package worker

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Working hours of mail (Ley 2191 de 2022, desconexión laboral): public
// servants have the right not to receive work messages outside their
// working hours, except in emergencies. Mail that calls a worker to act
// (an assignment, a reassignment, a digest, a reminder, the Coordinador's
// review, a notice to the administrator) is therefore held until the
// recipient's next working hour on the office calendar and sent by the
// first cycle then, oldest first; mail that answers a person's own action
// at the moment they act (the acknowledgement of their request, the
// rejection of their own form, their survey invitation) goes at once.
//
// A held notification keeps its Notificaciones row from the moment it is
// decided (DESIGN.md §10c), Pendiente, with the instant it may go in
// "Envío previsto". That instant is the office's next working hour after
// the decision or after the cycle that queued it, whichever is later (a
// cycle that runs late must not send at night what was decided by day).
// A row whose instant has passed is still not sent outside working hours
// (a quota or an outage may have kept it past the end of the day).
//
// The recipient's hours are the office's (calendar.hours): mesa knows no
// other schedule for a person.

// HoldPolicy says which mail waits for working hours.
type HoldPolicy struct {
	// Kinds are the notification kinds held (notify.Kind names).
	Kinds []string
	// Critical are services (Tipo de servicio of the Catálogo) whose mail
	// is an emergency and never held: a case of one goes at once.
	Critical []string
}

// DefaultHeldKinds are the kinds that call a worker (or a requester) to
// act rather than answer what they just did. rechazo is held only for the
// administrator's copy: the respondent's copy answers their own form.
var DefaultHeldKinds = []string{
	string(notify.Asignacion), string(notify.ReasignacionEntrante), string(notify.ReasignacionSaliente),
	string(notify.Garantia), string(notify.SinAsignar), string(notify.Rechazo),
	string(notify.EncuestaRecordatorio), string(notify.Insatisfecho), string(notify.Reapertura),
	string(notify.ResumenAgente), string(notify.ResumenAdmin),
}

// Validate checks the kinds against the notification kinds mesa has.
func (p HoldPolicy) Validate() error {
	known := map[string]bool{}
	var names []string
	for _, k := range notify.Kinds() {
		known[string(k)] = true
		names = append(names, string(k))
	}
	for _, k := range p.Kinds {
		if !known[k] {
			return fmt.Errorf("unknown notification kind %q (want one of %s)", k, strings.Join(names, ", "))
		}
	}
	return nil
}

// holder returns the hold function of a cycle at now: for a notification,
// the instant it may go, or zero when it goes at once.
func (w *Worker) holder(now time.Time, st *state, res *procedure.Result) func(procedure.Notice) time.Time {
	cal := st.cal
	held := map[string]bool{}
	for _, k := range w.Config.Hold.Kinds {
		held[k] = true
	}
	critical := map[string]bool{}
	for _, s := range append(w.Config.Hold.Critical, criticalServices(st.tables[workbook.Catalogo.Name])...) {
		critical[procedure.Norm(s)] = true
	}
	var actors map[string]string // event id -> who acted, built on first need
	return func(n procedure.Notice) time.Time {
		if !held[n.Kind] {
			return time.Time{}
		}
		if actors == nil {
			actors = map[string]string{}
			for _, e := range res.Journal.All() {
				if e.Data.By != "" {
					actors[e.ID] = e.Data.By
				}
			}
		}
		if by := actors[n.Event]; by != "" && strings.EqualFold(strings.TrimSpace(by), strings.TrimSpace(n.To)) {
			return time.Time{} // it answers the recipient's own action
		}
		if c := res.Book.Case(n.Case); c != nil && critical[procedure.Norm(c.Service)] {
			return time.Time{} // an emergency, which the law excepts
		}
		from := n.At
		if now.After(from) {
			from = now
		}
		due := cal.NextOpen(from)
		if due.IsZero() || due.Equal(from) {
			return time.Time{} // within working hours, or an office with none
		}
		return due
	}
}

// held reports whether m waits for its recipient's working hours at now.
func (ob *outbox) held(now time.Time, m *message) bool {
	if m.Due.IsZero() {
		return false
	}
	if now.Before(m.Due) {
		return true
	}
	return ob.cal != nil && !ob.cal.Open(now)
}

// due returns the pending messages that may go at now, oldest first.
func (ob *outbox) due(now time.Time) []*message {
	var out []*message
	for _, m := range ob.pending() {
		if !ob.held(now, m) {
			out = append(out, m)
		}
	}
	return out
}

// nextRelease returns when the first held message may go, or zero.
func (ob *outbox) nextRelease(now time.Time) time.Time {
	var next time.Time
	for _, m := range ob.pending() {
		if !ob.held(now, m) {
			continue
		}
		t := m.Due
		if ob.cal != nil {
			t = ob.cal.NextOpen(maxTime(m.Due, now))
		}
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	return next
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// HeldMail is a notification waiting for its recipient's working hours.
type HeldMail struct {
	ID, Kind, ToName string
	Case             int
	At, Due          time.Time
}

// Held lists the mail of case n (every case when n is 0) that waits for
// its recipient's working hours at now, with the instant it will go: what
// `mesa explain` shows.
func (w *Worker) Held(ctx context.Context, now time.Time, n int) ([]HeldMail, error) {
	st, err := w.load(ctx, false)
	if err != nil {
		return nil, err
	}
	ob := newOutbox(st.tables[workbook.Notificaciones.Name], st.cal.Location())
	ob.cal = st.cal
	var out []HeldMail
	for _, m := range ob.pending() {
		if (n != 0 && m.Case != n) || !ob.held(now, m) {
			continue
		}
		out = append(out, HeldMail{ID: m.ID, Kind: m.Kind, ToName: m.ToName, Case: m.Case, At: m.At, Due: st.cal.NextOpen(maxTime(m.Due, now))})
	}
	return out, nil
}

// ExplainHeld renders held mail for `mesa explain` (Spanish): one line per
// mail, the instant it will go first, like the decisions above it.
func ExplainHeld(held []HeldMail, loc *time.Location) string {
	if len(held) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("\nCorreo retenido hasta el horario laboral (Ley 2191 de 2022, desconexión laboral):\n")
	for _, h := range held {
		to := h.ToName
		if to == "" {
			to = "el destinatario"
		}
		fmt.Fprintf(&sb, "%s  [envío previsto · %s]\n    Para %s; decidido el %s.\n",
			h.Due.In(loc).Format("2006-01-02 15:04"), h.Kind, to, h.At.In(loc).Format("2006-01-02 15:04"))
	}
	return sb.String()
}

// CriticalColumn is an optional column of the Catálogo tab: a service
// marked "Sí" there is an emergency and its mail is never held. The
// administrator adds it by hand; mesa never writes it.
const CriticalColumn = "Crítico"

// criticalServices reads the services marked in the Catálogo's optional
// Crítico column (none when the tab has no such column).
func criticalServices(t workbook.Table) []string {
	col, typ := -1, -1
	for i, h := range t.Header {
		switch procedure.Norm(h) {
		case procedure.Norm(CriticalColumn):
			col = i
		case procedure.Norm("Tipo de servicio"):
			typ = i
		}
	}
	if col < 0 || typ < 0 {
		return nil
	}
	var out []string
	for _, row := range t.Rows {
		if col < len(row) && typ < len(row) && row[typ] != "" {
			switch procedure.Norm(row[col]) {
			case "si", "x", "true", "1", "critico":
				out = append(out, row[typ])
			}
		}
	}
	return out
}
