package worker

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/privacy"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Cancelled is the outbox state of mail that must not go: its recipient
// was anonymized (rule HD-1) before it was sent.
const Cancelled = "Cancelado"

// anonymize applies the HD-1 decisions to the outbox: rows to an
// anonymized titular get the pseudonym as recipient, and the mail not sent
// yet is cancelled. Mail already sent keeps its state and Gmail id (the
// copy in the mailbox is listed by `mesa privacy anonymize`).
func (ob *outbox) anonymize(hd *privacy.Set) int {
	if hd.Len() == 0 {
		return 0
	}
	n := 0
	for _, m := range ob.msgs {
		addr, ok := hd.Pseudonymous(m.To)
		if !ok {
			continue
		}
		name, _ := hd.NameOf(m.To)
		if m.To != addr || (m.ToName != "" && m.ToName != name) {
			n++
			ob.touch(m)
		}
		if m.ToName != "" {
			if m.Subject != "" {
				m.Subject = strings.ReplaceAll(m.Subject, m.ToName, name)
			}
			m.ToName = name
		}
		m.To = addr
		switch m.State {
		case Pending, "", Failed, Uncertain:
			ob.touch(m)
			m.State, m.LastErr = Cancelled, "Cancelado: los datos del titular se anonimizaron (regla HD-1)."
			n++
		}
	}
	return n
}

// SentCopy is a mail mesa sent to a titular: its copy stays in the
// help-desk mailbox's Sent folder.
type SentCopy struct {
	Notification, MessageID, GmailID, Kind string
	Case                                   int
}

// Anonymization is what Anonymize did.
type Anonymization struct {
	Pseudonym string
	Journaled bool       // false when the decision was in the journal already
	Sent      []SentCopy // mail already sent to the titular
	Report    Report     // the reconcile that rewrote the workbook
}

// Anonymize journals the HD-1 decision for the titular with this e-mail
// and rewrites the live workbook from the journal: a reconcile, which
// applies the decision to every event and response of the titular and
// cancels their pending mail. Each step can be told from the workbook, so
// a run killed at any point is finished by the next run (or, for every
// tab but Historial, by the next cycle; for Historial by the nightly
// reconcile), and a second run changes nothing.
func (w *Worker) Anonymize(ctx context.Context, now time.Time, email, reason string) (Anonymization, error) {
	ev := privacy.Decision(email, reason, now)
	out := Anonymization{Pseudonym: privacy.Pseudonym(ev.Data.Subject)}
	st, err := w.load(ctx, false)
	if err != nil {
		return out, err
	}
	pseudo := privacy.PseudonymEmail(ev.Data.Subject)
	ob := newOutbox(st.tables[workbook.Notificaciones.Name], st.cal.Location())
	for _, m := range ob.msgs {
		if m.State == Sent && (strings.EqualFold(strings.TrimSpace(m.To), strings.TrimSpace(email)) || m.To == pseudo) {
			out.Sent = append(out.Sent, SentCopy{Notification: m.ID, MessageID: notify.MessageIDFor(m.ID, domainOf(w.Config.Office.SenderAddress)), GmailID: m.GmailID, Kind: m.Kind, Case: m.Case})
		}
	}
	journaled := false
	for i := range st.journal.Len() {
		journaled = journaled || st.journal.ID(i) == ev.ID
	}
	if !journaled {
		f := workbook.Formatter{Loc: st.cal.Location()}
		ups, _ := workbook.Plan(st.tables[workbook.Historial.Name], f.JournalRows(procedure.JournalOf(ev)))
		if _, err := w.Sheet.Write(ctx, ups); err != nil {
			return out, fmt.Errorf("journal the HD-1 decision: %w", err)
		}
		out.Journaled = true
	}
	rep, err := w.Reconcile(ctx, now, false)
	out.Report = rep
	if err != nil {
		return out, fmt.Errorf("rewrite the workbook: %w", err)
	}
	// The titular's own requests (Derechos) keep their radicado and
	// deadlines under the pseudonym.
	if vals, err := w.Sheet.Read(ctx, []string{privacy.RightsTab.Name}); err == nil {
		t := workbook.NewTable(privacy.RightsTab, vals[0])
		rs := privacy.ParseRights(t, calendar.Bogota())
		for i := range rs {
			if strings.EqualFold(strings.TrimSpace(rs[i].Email), strings.TrimSpace(email)) {
				rs[i].Email = pseudo
			}
		}
		if err := w.SaveRights(ctx, t, rs); err != nil {
			return out, fmt.Errorf("rewrite the Derechos tab: %w", err)
		}
	}
	return out, nil
}

// Calendar is the office's calendar: national holidays, the Festivos tab
// and the office hours.
func (w *Worker) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	vals, err := w.Sheet.Read(ctx, []string{workbook.Festivos.Name})
	if err != nil {
		return nil, err
	}
	hol, err := w.festivos(workbook.NewTable(workbook.Festivos, vals[0]))
	if err != nil {
		return nil, err
	}
	return calendar.New(calendar.Bogota(), hol, w.Config.Hours), nil
}

// Rights reads the titulars' requests (the Derechos tab, created when
// missing) and returns them with the table, to write changes against.
func (w *Worker) Rights(ctx context.Context) ([]privacy.RightsRequest, workbook.Table, error) {
	if _, err := w.Sheet.EnsureTabs(ctx, []string{privacy.RightsTab.Name}); err != nil {
		return nil, workbook.Table{}, err
	}
	vals, err := w.Sheet.Read(ctx, []string{privacy.RightsTab.Name})
	if err != nil {
		return nil, workbook.Table{}, err
	}
	t := workbook.NewTable(privacy.RightsTab, vals[0])
	return privacy.ParseRights(t, calendar.Bogota()), t, nil
}

// SaveRights writes the requests to the Derechos tab (only what changed;
// rows found by radicado).
func (w *Worker) SaveRights(ctx context.Context, t workbook.Table, rs []privacy.RightsRequest) error {
	ups, _ := workbook.Plan(t, privacy.RightsRows(rs))
	if len(ups) == 0 {
		return nil
	}
	_, err := w.Sheet.Write(ctx, ups)
	return err
}

// rightsReminders are the open requests for the administrator's digest;
// none when the tab does not exist or cannot be read (the digest goes on).
func (w *Worker) rightsReminders(ctx context.Context, cal *calendar.Calendar, now time.Time) []string {
	vals, err := w.Sheet.Read(ctx, []string{privacy.RightsTab.Name})
	if err != nil {
		return nil
	}
	return privacy.Reminders(privacy.ParseRights(workbook.NewTable(privacy.RightsTab, vals[0]), calendar.Bogota()), cal, now)
}
