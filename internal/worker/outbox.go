package worker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/mail"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Outbox states in the Notificaciones tab.
const (
	Pending   = "Pendiente"
	Sending   = "Enviando" // claimed by a cycle; if the cycle dies, a later one checks Gmail
	Sent      = "Enviado"  // with the Gmail message id
	Failed    = "Fallido"  // refused for good (bad address) or too many attempts; set it back to Pendiente to retry
	Uncertain = "Incierto" // outcome lost and Gmail cannot be searched: a person decides
)

// The claim protocol (DESIGN.md §9: never the same notification twice, also
// across crashes and concurrent runs). An exclusive worker (Config.Exclusive:
// the local backend's directory lock, an OS lock no rival gets past) only
// writes its claim (step 2). Every other worker — also one holding the
// workbook lease, which two Cloud Run executions can both believe they hold
// — runs the whole protocol; Sheets has no compare-and-swap, so a cycle
// claims rows like this:
//
//  1. read the Notificaciones tab afresh (at r) and pick rows still Pendiente
//     (and rows of a dead claim that Gmail, asked before this read, did not
//     have, if the row is still exactly as it was when asked about);
//  2. write them as Enviando with a claim of its own ("reclamo TOKEN
//     INSTANT" in the ID Gmail column), the write returning at w;
//  3. if w-r >= settle, give up: its write may have landed after another
//     cycle checked its own claim (the rows stay claimed; see below);
//  4. wait settle, read the tab again, and send only the rows that still
//     carry its token.
//
// Two cycles A and B both sending row x would need B's pre-read before A's
// claim landed and A's read-back before B's claim landed: rB < wA < vA < wB,
// so B's read-to-write gap exceeds A's write-to-read-back wait, which step 3
// forbids. This holds for any request latency and needs no clock agreement
// (each cycle measures only its own durations), given that Sheets applies
// each request atomically at some instant between its sending and its reply.
//
// A write can also land after its caller stopped waiting (a timeout, a
// dropped connection: Google may still apply it). The adapters never retry
// such a write, so the claim write fails and that cycle sends nothing; but
// its stale rows may land later, on top of a rival's newer state (a claim,
// even Enviado turned back to Pendiente). Two guards cover it: a
// positional write checks each row's key just before it is written
// (guard.go), and, where Gmail can be searched (VerifySent), every send is
// preceded by a search for its Message-ID: a message Gmail already has is
// marked Enviado, not sent again. A late write lands after the send it
// undoes, so the search finds that send unless Gmail's index lags behind.
//
// A claim older than claimStale (by the instant it records) belongs to a
// cycle that died: a later cycle looks each of its rows up in Gmail by
// Message-ID (VerifySent) and marks it Enviado or sends it again. A live
// cycle stops sending after sendWindow, well inside claimStale, and returns
// what it did not send to Pendiente. What remains, honestly:
//   - a cycle stalled longer than claimStale after its check (a paused VM)
//     may send rows a later cycle already recovered;
//   - the lookup relies on Gmail's search finding a message sent minutes
//     before; Google does not promise a bound for that;
//   - claimStale compares the claiming cycle's clock with the recovering
//     one's: keep hosts in NTP sync.
//
// A send whose outcome is lost (5xx, reset, timeout) is not retried blindly
// (messages.send is not idempotent): the row keeps Enviando and its claim,
// and once the claim is stale a cycle looks it up before sending again.
const (
	DefaultClaimSettle = 2 * time.Second
	claimStale         = 15 * time.Minute
	sendWindow         = 5 * time.Minute
	claimPrefix        = "reclamo "
	// maxUnknownInARow stops a cycle's sending when Gmail keeps failing:
	// each failure is a message to verify later, not worth piling up.
	maxUnknownInARow = 3
	// maxClaim bounds one cycle's claim, so that its read and write stay
	// well under the settle time (a slow claim is abandoned): a bigger
	// burst goes out over the next cycles.
	maxClaim = 500
)

// message is one row of the outbox.
type message struct {
	ID, Kind, ToName, To, Subject, State, LastErr, GmailID, Event string
	At, SentAt                                                    time.Time
	Due                                                           time.Time // held until then (hold.go); zero: at once
	Case, Attempts                                                int
}

// claim returns the token and instant of a live-looking claim on m.
func (m *message) claim() (token string, at time.Time, ok bool) {
	if m.State != Sending || !strings.HasPrefix(m.GmailID, claimPrefix) {
		return "", time.Time{}, false
	}
	f := strings.Fields(strings.TrimPrefix(m.GmailID, claimPrefix))
	if len(f) != 2 {
		return "", time.Time{}, false
	}
	at, err := time.Parse(time.RFC3339, f[1])
	if err != nil {
		return "", time.Time{}, false
	}
	return f[0], at, true
}

// outbox is the Notificaciones tab in memory: rows keep their order, new
// notifications are appended once (the ID is deterministic).
type outbox struct {
	table workbook.Table // the tab as the sheet holds it
	f     workbook.Formatter
	msgs  []*message
	byID  map[string]*message
	cal   *calendar.Calendar // for the digests; set by queueDigests
	// journaled says whether an event is in the journal (read or decided
	// by this cycle); nil: every event is. See pending.
	journaled func(id string) bool
	cells     *cellUse       // for the administrator's digest, when counted this cycle (cells.go)
	admin     []string       //  the admin tabs' problems, for the Administrador's digest; set by queueDigests
	archive   notify.Archive // the administrator's digest: a year that can be archived (archivedigest.go)
	// hold says until when a new notification waits for its recipient's
	// working hours (hold.go); nil: none waits.
	hold   func(procedure.Notice) time.Time
	rights []string // open requests of titulars, for the Administrador's digest (privacy.go)
	// live, when not nil, are the only messages whose rows may differ from
	// table (the outbox of the last cycle, resumed from the Cache): rows
	// renders only them. See resume.
	live []*message
	// page is Config.ReadPage: a tab read again (reread, checkOutcomes)
	// that had more rows reads in pages of that many.
	page int
}

func newOutbox(t workbook.Table, loc *time.Location) *outbox {
	ob := &outbox{table: t, f: workbook.Formatter{Loc: loc}, byID: map[string]*message{}}
	for _, m := range parseOutbox(t, loc) {
		ob.msgs = append(ob.msgs, m)
		ob.byID[m.ID] = m
	}
	return ob
}

// resume returns the outbox of the next cycle of an exclusive worker, from
// this one as its last flush left it (the table is the sheet's). A message
// the cycle can change is one still to send or verify, or one it adds:
// nothing changes a sent, failed or cancelled row but a person (which
// makes the next cycle read the tab) and the HD-1 anonymization (see
// anonymize). So only the others' rows are rendered and diffed, instead of
// every notification ever sent.
func (ob *outbox) resume(loc *time.Location) *outbox {
	next := &outbox{table: ob.table, f: workbook.Formatter{Loc: loc}, msgs: ob.msgs, byID: ob.byID, live: []*message{}}
	for _, m := range ob.msgs {
		if !settled(m) {
			next.live = append(next.live, m)
		}
	}
	return next
}

// settled reports whether a cycle leaves m as it is.
func settled(m *message) bool { return m.State == Sent || m.State == Failed || m.State == Cancelled }

// touch says that m changed, for rows: a settled message is not in live.
func (ob *outbox) touch(m *message) {
	if ob.live != nil && settled(m) && !slices.Contains(ob.live, m) {
		ob.live = append(ob.live, m)
	}
}

func parseOutbox(t workbook.Table, loc *time.Location) []*message {
	var out []*message
	seen := map[string]bool{}
	t.Scan(func(_ int, get func(string) string) {
		m := &message{ID: get("ID"), Kind: get("Tipo"), ToName: get("Destinatario"), To: get("Para"), Subject: get("Asunto"), State: get("Estado"),
			LastErr: get("Último error"), GmailID: get("ID Gmail"), Event: get("Evento")}
		m.At, _ = time.ParseInLocation(workbook.InstantLayout, get("Fecha"), loc)
		m.SentAt, _ = time.ParseInLocation(workbook.InstantLayout, get("Enviado"), loc)
		m.Due, _ = time.ParseInLocation(workbook.InstantLayout, get("Envío previsto"), loc)
		m.Case, _ = strconv.Atoi(get("Caso"))
		m.Attempts, _ = strconv.Atoi(get("Intentos"))
		if m.ID == "" || seen[m.ID] {
			return
		}
		seen[m.ID] = true
		out = append(out, m)
	})
	return out
}

// add queues a notification unless it is already in the outbox.
func (ob *outbox) add(n procedure.Notice, subject string) bool {
	if ob.byID[n.ID] != nil {
		return false
	}
	m := &message{ID: n.ID, Kind: n.Kind, ToName: n.ToName, To: n.To, Subject: subject, State: Pending, At: n.At, Case: n.Case, Event: n.Event}
	if ob.hold != nil {
		m.Due = ob.hold(n)
	}
	ob.msgs = append(ob.msgs, m)
	ob.byID[m.ID] = m
	if ob.live != nil {
		ob.live = append(ob.live, m)
	}
	return true
}

func (ob *outbox) rows() [][]string {
	msgs := ob.msgs
	if ob.live != nil {
		msgs = ob.live
	}
	out := make([][]string, len(msgs))
	for i, m := range msgs {
		out[i] = []string{m.ID, ob.f.Instant(m.At), strconv.Itoa(m.Case), m.Kind, m.ToName, m.To, m.Subject, m.State,
			strconv.Itoa(m.Attempts), m.LastErr, m.GmailID, ob.f.Instant(m.SentAt), m.Event, ob.f.Instant(m.Due)}
		if m.Case == 0 {
			out[i][2] = ""
		}
	}
	return out
}

// reread reads the tab again and takes the sheet's word for every row it
// knows (another cycle may have claimed or sent it). Rows it does not know
// (queued by a cycle that saw newer responses) are left to their owner.
func (ob *outbox) reread(ctx context.Context, sh Sheet) error {
	t, err := readTab(ctx, sh, workbook.Notificaciones, ob.page, len(ob.table.Rows))
	if err != nil {
		return fmt.Errorf("read %s: %w", workbook.Notificaciones.Name, err)
	}
	ob.table = t
	for _, fresh := range parseOutbox(ob.table, ob.f.Loc) {
		if m := ob.byID[fresh.ID]; m != nil {
			m.State, m.Attempts, m.LastErr, m.GmailID, m.SentAt = fresh.State, fresh.Attempts, fresh.LastErr, fresh.GmailID, fresh.SentAt
		}
	}
	return nil
}

// refresh reads the tab again, for positions: rows in keep are ours (we
// just sent them) and keep our state; every other row takes the sheet's
// word, so the flush that follows writes only our rows, found by key.
func (ob *outbox) refresh(ctx context.Context, sh Sheet, keep map[string]bool) error {
	saved := map[string]message{}
	for id := range keep {
		if m := ob.byID[id]; m != nil {
			saved[id] = *m
		}
	}
	if err := ob.reread(ctx, sh); err != nil {
		return err
	}
	for id, m := range saved {
		*ob.byID[id] = m
	}
	return nil
}

// checkOutcomes reads the tab once more after the outcomes were written: a
// person's sort that landed between the read before them and their write
// moved an Enviado onto another notification's row, which would then never
// be sent. ours are the rows this cycle marked Enviado (sent, or found in
// Gmail). A row holding the Gmail id of one of them but another
// notification's ID gets back the state it had before, and the notification
// that was sent gets its outcome, both by key.
func (w *Worker) checkOutcomes(ctx context.Context, ob *outbox, ours []*message) (int, error) {
	sentFor := map[string]string{} // Gmail id -> notification
	for _, m := range ours {
		if m.State == Sent && m.GmailID != "" {
			sentFor[m.GmailID] = m.ID
		}
	}
	if len(sentFor) == 0 {
		return 0, nil
	}
	fresh, err := readTab(ctx, w.Sheet, workbook.Notificaciones, ob.page, len(ob.table.Rows))
	if err != nil {
		return 0, fmt.Errorf("check the outcomes: read %s: %w", workbook.Notificaciones.Name, err)
	}
	fix := map[string]bool{}
	for _, r := range parseOutbox(fresh, ob.f.Loc) {
		if id, ok := sentFor[r.GmailID]; ok && id != r.ID {
			fix[r.ID], fix[id] = true, true
		}
	}
	if len(fix) == 0 {
		return 0, nil
	}
	w.Log.Warn("outcomes landed on rows a person moved; writing them where they belong", "rows", len(fix))
	// Only the rows to fix: every other row keeps whatever the sheet says.
	part := &outbox{table: fresh, f: ob.f, byID: map[string]*message{}}
	for _, m := range ob.msgs {
		if fix[m.ID] {
			part.msgs = append(part.msgs, m)
			part.byID[m.ID] = m
		}
	}
	return w.flush(ctx, part)
}

// shared returns the rows marked Enviado with a Gmail id another row
// holds too. Only one notification can have been sent as that message: the
// other row got its outcome by a write a person's sort moved (in the
// instant before it landed, or within the repair of checkOutcomes), and
// its notification may never have gone out.
func (ob *outbox) shared() []*message {
	by := map[string][]*message{}
	for _, m := range ob.msgs {
		if m.State == Sent && m.GmailID != "" {
			by[m.GmailID] = append(by[m.GmailID], m)
		}
	}
	var out []*message
	for _, ms := range by {
		if len(ms) > 1 {
			out = append(out, ms...)
		}
	}
	return out
}

// settleShared asks Gmail about each row of shared, by its own Message-ID:
// found, it keeps Enviado with the id Gmail gives; not found, it goes back
// to Pendiente and is claimed like any other. Without VerifySent a person
// decides (Incierto). Nothing is asked when no Gmail id is shared.
func (w *Worker) settleShared(ctx context.Context, now time.Time, ob *outbox, rep *MailReport) {
	for _, m := range ob.shared() {
		if !w.Config.VerifySent {
			m.State, m.LastErr = Uncertain, "Otra notificación tiene el mismo ID de Gmail; revise la bandeja de enviados y cambie el estado a Enviado o Pendiente."
			rep.Uncertain++
			continue
		}
		id, found, err := w.Mail.Find(ctx, notify.MessageIDFor(m.ID, domainOf(w.Config.Office.SenderAddress)))
		switch {
		case err != nil:
			w.Log.Warn("cannot verify a notification whose Gmail id another row holds; will retry", "notificacion", m.ID, "err", err)
		case found:
			m.GmailID = id
		default:
			w.Log.Warn("a notification read Enviado with another notification's Gmail id and is not in Gmail; queued again", "notificacion", m.ID)
			m.State, m.GmailID, m.SentAt, m.LastErr = Pending, "", time.Time{}, ""
		}
	}
}

// verdict is what Gmail said about a row left Enviando, and the version of
// the row it was asked about (its claim mark and attempts).
type verdict struct {
	mark     string
	attempts int
	found    bool
	gmailID  string
}

// verify looks up in Gmail the rows left Enviando by a cycle that died or
// lost a send's outcome (live claims of another cycle are left alone). It
// changes nothing: settleVerified applies the verdicts to the fresh read,
// to rows still as they were when asked about.
func (w *Worker) verify(ctx context.Context, now time.Time, ob *outbox) map[string]verdict {
	out := map[string]verdict{}
	for _, m := range ob.msgs {
		if m.State != Sending {
			continue
		}
		if _, at, ok := m.claim(); ok && now.Before(at.Add(claimStale)) {
			continue
		}
		v := verdict{mark: m.GmailID, attempts: m.Attempts}
		if w.Config.VerifySent {
			id, found, err := w.Mail.Find(ctx, notify.MessageIDFor(m.ID, domainOf(w.Config.Office.SenderAddress)))
			if err != nil {
				w.Log.Warn("cannot verify an interrupted send; will retry", "notificacion", m.ID, "err", err)
				continue
			}
			v.found, v.gmailID = found, id
		}
		out[m.ID] = v
	}
	return out
}

// settleVerified applies the verdicts: found → Enviado; not found →
// Pendiente (claimed again at once), or Fallido after MaxAttempts; and
// without VerifySent, Incierto for a person to decide.
func (w *Worker) settleVerified(now time.Time, ob *outbox, verdicts map[string]verdict, rep *MailReport) {
	for id, v := range verdicts {
		m := ob.byID[id]
		if m == nil || m.State != Sending || m.GmailID != v.mark || m.Attempts != v.attempts {
			continue // another cycle took it up since
		}
		switch {
		case !w.Config.VerifySent:
			m.State, m.GmailID, m.LastErr = Uncertain, "", "El envío se interrumpió y no se puede verificar en Gmail; revise la bandeja de enviados y cambie el estado a Enviado o Pendiente."
			rep.Uncertain++
		case v.found:
			m.State, m.GmailID, m.SentAt, m.LastErr = Sent, v.gmailID, now, ""
		case m.Attempts >= w.Config.MaxAttempts && w.Config.MaxAttempts > 0:
			m.State, m.GmailID, m.LastErr = Failed, "", fmt.Sprintf("No se pudo enviar tras %d intentos.", m.Attempts)
			rep.Failed++
		default:
			m.State, m.GmailID = Pending, ""
		}
	}
}

// claimable returns the pending messages the daily budget allows, at most
// maxClaim, oldest first, counting the rest as deferred when rep is not nil.
func (w *Worker) claimable(now time.Time, ob *outbox, rep *MailReport) []*message {
	budget := min(w.Config.DailyLimit-ob.sentSince(now.Add(-sendingDay)), maxClaim)
	var out []*message
	for _, m := range ob.due(now) {
		if len(out) >= budget {
			if rep != nil {
				rep.Deferred++
			}
			continue
		}
		out = append(out, m)
	}
	return out
}

// pending returns the messages to send, oldest first. A notification whose
// event is not journaled is not sent: its row landed in a write that failed
// before Historial's part did (writeOrder), and the cycle that journals the
// event sends it; or the rules decided otherwise since, and it never goes.
func (ob *outbox) pending() []*message {
	var out []*message
	for _, m := range ob.msgs {
		if m.State != Pending && m.State != "" {
			continue
		}
		if m.Event != "" && ob.journaled != nil && !ob.journaled(m.Event) {
			continue
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// sendingDay is the window of Gmail's daily sending limit: "Limits per day
// are applied over a rolling 24-hour period, not a set time of day" (Gmail
// sending limits in Google Workspace, support.google.com/a/answer/166852).
const sendingDay = 24 * time.Hour

// sentSince counts the messages sent, or possibly sent, after from: Enviado
// after from, and Enviando or Incierto claimed or queued after from (they
// may have gone out). The instants come from the Notificaciones tab, so the
// budget survives restarts. An Enviado instant is the cycle's, up to
// sendWindow before Gmail saw the message: mail.daily_limit (1500 by
// default, Gmail allows 2000) leaves room for that.
func (ob *outbox) sentSince(from time.Time) int {
	n := 0
	for _, m := range ob.msgs {
		switch m.State {
		case Sent:
			if m.SentAt.After(from) {
				n++
			}
		case Sending, Uncertain:
			at := m.At
			if _, c, ok := m.claim(); ok {
				at = c
			}
			if at.After(from) {
				n++
			}
		}
	}
	return n
}

func newToken() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// sleep waits d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func domainOf(addr string) string {
	a, err := mail.ParseAddress(addr)
	if err != nil {
		return ""
	}
	return a.Address[strings.LastIndex(a.Address, "@")+1:]
}
