package worker

import (
	"context"
	"errors"
	"net/http"
	"net/mail"
	"sort"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/googleapi"

	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/retry"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Outbox states in the Notificaciones tab.
const (
	Pending   = "Pendiente"
	Sending   = "Enviando" // claimed by a cycle; if the cycle dies, the next one checks Gmail
	Sent      = "Enviado"  // with the Gmail message id
	Failed    = "Fallido"  // refused for good (bad address) or too many attempts
	Uncertain = "Incierto" // outcome lost and Gmail cannot be searched: a person decides
)

// message is one row of the outbox.
type message struct {
	ID, Kind, ToName, To, Subject, State, LastErr, GmailID, Event string
	At, SentAt                                                    time.Time
	Case, Attempts                                                int
}

// outbox is the Notificaciones tab in memory: rows keep their order, new
// notifications are appended once (the ID is deterministic).
type outbox struct {
	table workbook.Table // the tab as the sheet holds it
	f     workbook.Formatter
	msgs  []*message
	byID  map[string]*message
}

func newOutbox(t workbook.Table, loc *time.Location) *outbox {
	ob := &outbox{f: workbook.Formatter{Loc: loc}, byID: map[string]*message{}}
	for _, r := range t.Records() {
		m := &message{ID: r.Get("ID"), Kind: r.Get("Tipo"), ToName: r.Get("Destinatario"), To: r.Get("Para"), Subject: r.Get("Asunto"), State: r.Get("Estado"),
			LastErr: r.Get("Último error"), GmailID: r.Get("ID Gmail"), Event: r.Get("Evento")}
		m.At, _ = time.ParseInLocation(workbook.InstantLayout, r.Get("Fecha"), loc)
		m.SentAt, _ = time.ParseInLocation(workbook.InstantLayout, r.Get("Enviado"), loc)
		m.Case, _ = strconv.Atoi(r.Get("Caso"))
		m.Attempts, _ = strconv.Atoi(r.Get("Intentos"))
		if m.ID == "" || ob.byID[m.ID] != nil {
			continue
		}
		ob.msgs = append(ob.msgs, m)
		ob.byID[m.ID] = m
	}
	return ob
}

// add queues a notification unless it is already in the outbox.
func (ob *outbox) add(n procedure.Notice, subject string) bool {
	if ob.byID[n.ID] != nil {
		return false
	}
	m := &message{ID: n.ID, Kind: n.Kind, ToName: n.ToName, To: n.To, Subject: subject, State: Pending, At: n.At, Case: n.Case, Event: n.Event}
	ob.msgs = append(ob.msgs, m)
	ob.byID[m.ID] = m
	return true
}

func (ob *outbox) rows() [][]string {
	out := make([][]string, len(ob.msgs))
	for i, m := range ob.msgs {
		out[i] = []string{m.ID, ob.f.Instant(m.At), strconv.Itoa(m.Case), m.Kind, m.ToName, m.To, m.Subject, m.State,
			strconv.Itoa(m.Attempts), m.LastErr, m.GmailID, ob.f.Instant(m.SentAt), m.Event}
		if m.Case == 0 {
			out[i][2] = ""
		}
	}
	return out
}

// flush writes what changed in the outbox since the table was last written.
func (ob *outbox) flush(ctx context.Context, sh Sheet) (int, error) {
	ups, after := workbook.Plan(ob.table, ob.rows())
	if len(ups) == 0 {
		return 0, nil
	}
	n, err := sh.Write(ctx, ups)
	if err == nil {
		ob.table = after
	}
	return n, err
}

// send delivers what the outbox holds, exactly once: claim (mark Enviando)
// in one write, send each message, record the outcomes in one write. A
// message found Enviando at the start was claimed by a cycle that died: it
// is looked up in Gmail by its Message-ID before anything is sent again.
func (w *Worker) send(ctx context.Context, now time.Time, b *procedure.Book, loc *time.Location, ob *outbox) (MailReport, int, error) {
	var rep MailReport
	writes := 0
	for _, m := range ob.msgs {
		if m.State != Sending {
			continue
		}
		if !w.Config.VerifySent {
			m.State, m.LastErr = Uncertain, "El envío se interrumpió y no se puede verificar en Gmail; revise la bandeja de enviados."
			rep.Uncertain++
			continue
		}
		id, found, err := w.Mail.Find(ctx, notify.MessageIDFor(m.ID, domainOf(w.Config.Office.SenderAddress)))
		switch {
		case err != nil:
			w.Log.Warn("cannot verify an interrupted send; will retry", "notificacion", m.ID, "err", err)
		case found:
			m.State, m.GmailID, m.SentAt = Sent, id, now
		default:
			m.State = Pending
		}
	}
	budget := w.Config.DailyLimit - ob.sentOn(now, loc)
	var batch []*message
	for _, m := range ob.pending() {
		if len(batch) >= budget {
			rep.Deferred++
			continue
		}
		m.State = Sending
		m.Attempts++
		batch = append(batch, m)
	}
	n, err := ob.flush(ctx, w.Sheet)
	writes += n
	if err != nil {
		return rep, writes, err
	}
	events := map[string]procedure.Event{}
	for _, e := range b.Journal {
		events[e.ID] = e
	}
	for i, m := range batch {
		if ctx.Err() != nil {
			break // claimed but not sent: the next cycle checks and sends
		}
		raw, err := w.build(b, events[m.Event], m, now)
		if err != nil {
			m.State, m.LastErr = Failed, err.Error()
			rep.Failed++
			continue
		}
		id, err := w.Mail.Send(ctx, raw)
		switch {
		case err == nil:
			m.State, m.GmailID, m.SentAt, m.LastErr = Sent, id, now, ""
			rep.Sent++
		case retry.Quota(err):
			// Not sent: Gmail refused for quota. Keep the rest for a later cycle.
			for _, r := range batch[i:] {
				r.State, r.LastErr = Pending, "Cuota de Gmail agotada; se reintenta más tarde."
				rep.Deferred++
			}
			w.Log.Warn("gmail quota reached; deferring the rest", "deferred", len(batch)-i)
			goto record
		case permanent(err):
			m.State, m.LastErr = Failed, "Gmail rechazó el mensaje: "+errorText(err)
			rep.Failed++
		default:
			// The outcome is unknown: leave it claimed, the next cycle verifies.
			m.LastErr = "Resultado del envío desconocido; se verifica en el próximo ciclo."
			w.Log.Warn("send outcome unknown", "notificacion", m.ID, "err", err)
			if m.Attempts >= w.Config.MaxAttempts {
				m.State = Failed
				rep.Failed++
			}
		}
	}
record:
	n, err = ob.flush(ctx, w.Sheet)
	return rep, writes + n, err
}

// pending returns the messages to send, oldest first.
func (ob *outbox) pending() []*message {
	var out []*message
	for _, m := range ob.msgs {
		if m.State == Pending || m.State == "" {
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// sentOn counts the messages sent on now's calendar day.
func (ob *outbox) sentOn(now time.Time, loc *time.Location) int {
	y, m, d := now.In(loc).Date()
	n := 0
	for _, msg := range ob.msgs {
		if msg.State == Sent || msg.State == Sending {
			if yy, mm, dd := msg.SentAt.In(loc).Date(); yy == y && mm == m && dd == d {
				n++
			}
		}
	}
	return n
}

func permanent(err error) bool {
	var ge *googleapi.Error
	return errors.As(err, &ge) && ge.Code >= 400 && ge.Code < 500 && ge.Code != http.StatusTooManyRequests
}

func errorText(err error) string {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return strconv.Itoa(ge.Code) + " " + ge.Message
	}
	return err.Error()
}

func domainOf(addr string) string {
	a, err := mail.ParseAddress(addr)
	if err != nil {
		return ""
	}
	return a.Address[strings.LastIndex(a.Address, "@")+1:]
}
