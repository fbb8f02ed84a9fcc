package worker

import (
	"context"
	"fmt"
	"strings"
	"time"

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
	st, err := w.load(ctx)
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
	for _, e := range st.journal {
		journaled = journaled || e.ID == ev.ID
	}
	if !journaled {
		f := workbook.Formatter{Loc: st.cal.Location()}
		ups, _ := workbook.Plan(st.tables[workbook.Historial.Name], f.JournalRows([]procedure.Event{ev}))
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
	return out, nil
}
