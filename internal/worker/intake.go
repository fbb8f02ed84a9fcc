package worker

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workspace"
)

// E-mail intake: PD-GT-1 (políticas de operación) lists the desk's mailbox
// as one of the three channels for filing a request. With Config.Intake,
// every message people send to the mailbox becomes a Solicitudes response
// that the fold numbers, assigns and acknowledges (the 'acuse' notice
// carries the ticket number) exactly like a form response: there is no
// other path. The response id is "gmail:" + the Gmail message id, so the
// journal applies each message once; the mailbox is never modified.

// DefaultIntakeService is the Tipo de servicio of a request that came by
// e-mail: nobody chose one, so an agent classifies it. Unless the Catálogo
// and an agent's Servicios name it, the case lands Sin asignar and the
// administrator is told.
const DefaultIntakeService = "Correo electrónico — por clasificar"

const (
	intakePrefix = "gmail:"
	// intakeFirstLook is how far before the journal's latest event the
	// first listing reaches, when no message was taken yet: turning intake
	// on in a running desk must not turn the mailbox's history into cases.
	intakeFirstLook = 24 * time.Hour
	// intakePerCycle bounds the messages.get calls of one cycle; the oldest
	// go first and the rest wait for the next cycle.
	intakePerCycle = 100
	// intakePerSender is a loop guard: an auto-responder that answers the
	// acknowledgement without saying so (no Auto-Submitted) would otherwise
	// open a case per reply. More than this many requests by mail from one
	// address within 24 hours are left in the mailbox for a person.
	intakePerSender = 10
	// maxDescription caps the Descripción of a request by mail, in runes.
	maxDescription = 3000
)

// Inbox is the help-desk mailbox as intake reads it.
type Inbox interface {
	InboxIDs(ctx context.Context, after time.Time) ([]string, error)
	Message(ctx context.Context, id string) (workspace.Message, error)
}

// inbox is the Mailer as an Inbox: intake reads the mailbox it sends from.
func (w *Worker) inbox() (Inbox, error) {
	ib, ok := w.Mail.(Inbox)
	if !ok {
		return nil, fmt.Errorf("%w: mail.intake is on but the mailer cannot read the inbox", ErrConfig)
	}
	return ib, nil
}

func isIntake(responseID string) bool { return strings.HasPrefix(responseID, intakePrefix) }

// intakeAfter is where the inbox listing starts: a margin before the latest
// message already taken (derived from the journal, like the forms'
// watermarks); with none, a day before the journal's latest event; with an
// empty journal, the beginning.
func intakeAfter(journal procedure.Journal) time.Time {
	var mark, last time.Time
	for i := range journal.Len() {
		at := journal.At(i)
		if at.After(last) {
			last = at
		}
		if isIntake(journal.Response(i)) && at.After(mark) {
			mark = at
		}
	}
	switch {
	case !mark.IsZero():
		return mark.Add(-watermarkMargin)
	case !last.IsZero():
		return last.Add(-intakeFirstLook)
	}
	return time.Time{}
}

// intake turns the new messages of the inbox into Solicitudes responses,
// oldest first. On an error it returns what it read so far with the error.
func (w *Worker) intake(ctx context.Context, st *state) ([]procedure.Response, error) {
	ib, err := w.inbox()
	if err != nil {
		return nil, err
	}
	ids, err := ib.InboxIDs(ctx, intakeAfter(st.journal))
	if err != nil {
		return nil, err
	}
	// Requests by mail per sender, for the loop guard; a rejected one
	// counts too, since its rejection notice goes back to the sender.
	recent := map[string][]time.Time{}
	for i := range st.journal.Len() {
		if !isIntake(st.journal.Response(i)) {
			continue
		}
		switch e := st.journal.Event(i); {
		case e.Kind == procedure.KRegistered:
			recent[strings.ToLower(e.Data.Email)] = append(recent[strings.ToLower(e.Data.Email)], e.At)
		case e.Kind == procedure.KRejected:
			recent[strings.ToLower(e.Data.By)] = append(recent[strings.ToLower(e.Data.By)], e.At)
		}
	}
	var out []procedure.Response
	fetched := 0
	for _, id := range ids {
		if st.isApplied(intakePrefix + id) {
			continue
		}
		if fetched == intakePerCycle {
			w.Log.Info("more e-mail requests wait for the next cycle", "read", fetched)
			break
		}
		fetched++
		m, err := ib.Message(ctx, id)
		if errors.Is(err, workspace.ErrMalformed) {
			w.Log.Warn("e-mail not taken as a request: it does not parse", "gmail_id", id, "err", err)
			continue
		}
		if err != nil {
			return out, err
		}
		if why := w.skipMail(m); why != "" {
			w.Log.Info("e-mail not taken as a request", "gmail_id", id, "reason", why)
			continue
		}
		from := strings.ToLower(m.From.Address)
		n := 0
		for _, t := range recent[from] {
			if !t.After(m.Received) && m.Received.Sub(t) < 24*time.Hour {
				n++
			}
		}
		if n >= intakePerSender {
			w.Log.Warn("e-mail not taken as a request: too many from one sender in 24 hours (loop guard); a person should read it",
				"gmail_id", id, "limit", intakePerSender) // no address: personal data stays out of logs
			continue
		}
		recent[from] = append(recent[from], m.Received)
		out = append(out, w.mailRequest(m))
	}
	return out, nil
}

// skipMail says why a message is not a request, or "". Mesa's own mail
// and automatic mail (RFC 3834 auto-replies, lists and bulk mail, bounces
// and delivery reports) are never taken: answering them would start a
// mail loop.
func (w *Worker) skipMail(m workspace.Message) string {
	h := m.Headers
	from := strings.ToLower(m.From.Address)
	local, _, _ := strings.Cut(from, "@")
	ctype, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	switch {
	case h.Get(notify.HeaderNotification) != "":
		return "sent by mesa (" + notify.HeaderNotification + ")"
	case from == "":
		return "no sender address"
	case strings.EqualFold(from, w.Config.Office.SenderAddress):
		return "sent from the help-desk address"
	case h.Get("Auto-Submitted") != "" && !strings.EqualFold(strings.TrimSpace(h.Get("Auto-Submitted")), "no"):
		return "automatic (Auto-Submitted: " + h.Get("Auto-Submitted") + ")"
	case slices.Contains([]string{"bulk", "list", "junk", "auto_reply"}, strings.ToLower(strings.TrimSpace(h.Get("Precedence")))):
		return "bulk or list mail (Precedence: " + h.Get("Precedence") + ")"
	case h.Get("X-Autoreply") != "" || h.Get("X-Autorespond") != "":
		return "auto-reply"
	case strings.TrimSpace(h.Get("Return-Path")) == "<>" || local == "mailer-daemon" || local == "postmaster" || ctype == "multipart/report":
		return "bounce or delivery report"
	}
	return ""
}

// mailRequest is a message as a Solicitudes response: the sender is the
// requester (the address the acknowledgement goes to), the subject and
// the body are the description.
func (w *Worker) mailRequest(m workspace.Message) procedure.Response {
	name := strings.Join(strings.Fields(m.From.Name), " ")
	if name == "" {
		name = m.From.Address
	}
	service := w.Config.IntakeService
	if service == "" {
		service = DefaultIntakeService
	}
	return procedure.Response{
		Form: procedure.Solicitudes, ID: intakePrefix + m.ID, Submitted: m.Received, Email: strings.ToLower(m.From.Address),
		Answers: map[procedure.Field]string{
			procedure.FName:        name,
			procedure.FDescription: describe(m.Subject, m.Text),
			procedure.FService:     service,
		},
	}
}

// describe is the Descripción of a request by mail: the subject, a blank
// line, and what the person wrote (quoted replies and the signature cut
// when they are plain to see), capped at maxDescription runes.
func describe(subject, body string) string {
	subject = strings.Join(strings.Fields(subject), " ")
	body = ownWords(body)
	d := subject + "\n\n" + body
	switch {
	case body == "":
		d = subject
	case subject == "":
		d = body
	}
	if utf8.RuneCountInString(d) > maxDescription {
		r := []rune(d)
		d = strings.TrimSpace(string(r[:maxDescription-1])) + "…"
	}
	return d
}

var (
	// "El lun, 16 mar 2026 a las 9:00, Ana <ana@x.co> escribió:", "On ... wrote:".
	replyIntro = regexp.MustCompile(`(?i)^(el|on)\b.*\b(escribió|wrote):\s*$`)
	// Outlook's quoted header block and the separator lines of replies.
	quoteStart  = regexp.MustCompile(`(?i)^(-{2,}\s*(mensaje original|original message)\s*-{2,}|_{10,})\s*$`)
	outlookFrom = regexp.MustCompile(`(?i)^\*?(de|from):\*?\s`)
	outlookSent = regexp.MustCompile(`(?i)^\*?(enviado|sent|fecha|date):\*?\s`)
	// "-- " (RFC 3676), and the phone's "Enviado desde mi iPhone".
	signature  = regexp.MustCompile(`(?i)^(--\s*|(enviado desde|sent from) (mi|my) .*)$`)
	blankLines = regexp.MustCompile(`\n{3,}`)
)

// ownWords is the part of a message body its sender wrote: it stops at a
// quoted reply or a signature and drops quoted lines ("> ...").
func ownWords(body string) string {
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	var keep []string
cut:
	for i, l := range lines {
		t := strings.TrimSpace(l)
		next := ""
		if i+1 < len(lines) {
			next = strings.TrimSpace(lines[i+1])
		}
		switch {
		case replyIntro.MatchString(t), quoteStart.MatchString(t), signature.MatchString(t):
			break cut
		case outlookFrom.MatchString(t) && outlookSent.MatchString(next):
			break cut
		case (strings.HasPrefix(t, "El ") || strings.HasPrefix(t, "On ")) && replyIntro.MatchString(t+" "+next):
			break cut // the intro line wrapped in two
		case strings.HasPrefix(t, ">"):
			continue
		}
		keep = append(keep, strings.TrimRight(l, " \t"))
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(keep, "\n"), "\n\n"))
}

// inboxIdle reports whether the inbox has nothing new for intake: every
// message the next cycle would list is one the last busy cycle took, or
// one already known not to be a request. A message it has not seen is
// read once (messages.get) to tell; the ones that are not requests are
// remembered, so an auto-reply costs one read, not a busy cycle each time.
func (w *Worker) inboxIdle(ctx context.Context, wt *Watch) (bool, error) {
	ib, err := w.inbox()
	if err != nil {
		return false, err
	}
	ids, err := ib.InboxIDs(ctx, wt.InboxAfter)
	if err != nil {
		return false, err
	}
	changed := false
	for _, id := range ids {
		if slices.Contains(wt.InboxKnown, id) {
			continue
		}
		m, err := ib.Message(ctx, id)
		if err != nil && !errors.Is(err, workspace.ErrMalformed) {
			return false, err
		}
		if err == nil && w.skipMail(m) == "" {
			return false, nil
		}
		wt.InboxKnown, changed = append(wt.InboxKnown, id), true
	}
	if changed {
		if err := w.Watch.Save(*wt); err != nil {
			w.Log.Warn("cannot remember the mail that is not a request", "err", err)
		}
	}
	return true, nil
}

// rememberInbox records in the Watch where the next listing starts and
// which of those messages are already taken.
func rememberInbox(wt *Watch, journal procedure.Journal) {
	wt.Intake = true
	wt.InboxAfter = intakeAfter(journal)
	for i := range journal.Len() {
		// A margin under the bound: Gmail's after: counts whole seconds.
		if r := journal.Response(i); isIntake(r) && !journal.At(i).Before(wt.InboxAfter.Add(-watermarkMargin)) {
			wt.InboxKnown = append(wt.InboxKnown, strings.TrimPrefix(r, intakePrefix))
		}
	}
}
