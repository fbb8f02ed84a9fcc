package worker_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// Each branch of the send path (send.go), taken on a clock of the test's
// own: the settle wait and the send window pass when the test says so, and
// nothing waits for real. The worker runs in Google mode (no directory
// lock: the whole claim protocol), against the fake through the real
// clients, with the production settle time (2 s), which the tests never
// wait.

// testClock is the protocol's clock: Sleep advances it at once, then runs
// onSleep (what happens meanwhile, e.g. a rival's claim landing).
type testClock struct {
	mu      sync.Mutex
	t       time.Time
	slept   []time.Duration
	onSleep func()
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *testClock) Sleep(ctx context.Context, d time.Duration) error {
	c.Advance(d)
	c.mu.Lock()
	c.slept = append(c.slept, d)
	hook := c.onSleep
	c.mu.Unlock()
	if hook != nil {
		hook()
	}
	return ctx.Err()
}

// sendEnv is an office in Google mode on a test clock, with n requests
// submitted before 09:00, each queuing an acknowledgement and an
// assignment notice.
func sendEnv(t *testing.T, n int) (*env, *testClock) {
	t.Helper()
	e := officeEnv(t)
	c := &testClock{t: time.Date(2026, 3, 17, 14, 0, 0, 0, time.UTC)}
	e.w.Config.Exclusive, e.w.Config.ClaimSettle = false, 0 // 0: the production DefaultClaimSettle
	e.w.Config.Clock, e.w.Config.Sleep = c.Now, c.Sleep
	for i := range n {
		e.request(fmt.Sprintf("usuario%d@funza-cundinamarca.gov.co", i), fmt.Sprintf("Usuario %d", i), "No abre el programa",
			bogota("2026-03-17 08:00").Add(time.Duration(i)*time.Minute))
	}
	return e, c
}

// outbox returns the Notificaciones rows by state.
func (e *env) outbox() map[string][]workbook.Record {
	out := map[string][]workbook.Record{}
	for _, r := range e.tab(workbook.Notificaciones) {
		out[r.Get("Estado")] = append(out[r.Get("Estado")], r)
	}
	return out
}

// clockedMail is Gmail through the real client, with the test's clock
// moving while a send is in flight (a slow Gmail).
type clockedMail struct {
	worker.Mailer
	clock *testClock
	took  func(n int) time.Duration // how long the n-th send (from 1) takes
	n     int
}

func (m *clockedMail) Send(ctx context.Context, raw []byte) (string, error) {
	m.n++
	m.clock.Advance(m.took(m.n))
	return m.Mailer.Send(ctx, raw)
}

// The claim waits the settle time (on the protocol's clock) and reads the
// tab back: rows another cycle claimed meanwhile are that cycle's, and this
// one sends only the rest.
func TestSendClaimLost(t *testing.T) {
	e, c := sendEnv(t, 1)
	idGmail := columnOf(workbook.Notificaciones, "ID Gmail")
	rival := "reclamo 0123456789ab " + bogota("2026-03-17 09:00").Format(time.RFC3339)
	c.onSleep = func() {
		c.onSleep = nil
		// A rival cycle's claim lands on the first row during our wait.
		err := e.ws.Fake.EditRows(e.ws.Sheets.ID(), workbook.Notificaciones.Name, func(rows [][]any) [][]any {
			rows[0][idGmail] = rival
			return rows
		})
		if err != nil {
			t.Error(err)
		}
	}
	rep := e.cycle(bogota("2026-03-17 09:00"))
	if len(c.slept) != 1 || c.slept[0] != worker.DefaultClaimSettle {
		t.Errorf("waited %v, want one settle wait of %v", c.slept, worker.DefaultClaimSettle)
	}
	if rep.Mail.Queued != 2 || rep.Mail.Sent != 1 || len(e.ws.Fake.SentMail()) != 1 {
		t.Fatalf("report %+v, %d in Gmail; want 2 queued and 1 sent: the other row is the rival's", rep.Mail, len(e.ws.Fake.SentMail()))
	}
	ob := e.outbox()
	if len(ob[worker.Sending]) != 1 || ob[worker.Sending][0].Get("ID Gmail") != rival {
		t.Errorf("the rival's row should keep its claim: %v", ob)
	}
	if len(ob[worker.Sent]) != 1 {
		t.Errorf("%d rows Enviado, want 1", len(ob[worker.Sent]))
	}
}

// A claim whose write took the settle time or more may have landed after a
// rival checked its own: the cycle leaves the rows claimed and sends none;
// a cycle after the claim went stale asks Gmail (nothing there) and sends
// each once.
func TestSendSlowClaimIsLeftForLater(t *testing.T) {
	e, c := sendEnv(t, 1)
	slow := &slowSheet{Sheet: e.w.Sheet, clock: c, by: worker.DefaultClaimSettle}
	e.w.Sheet = slow
	rep := e.cycle(bogota("2026-03-17 09:00"))
	if rep.Mail.Sent != 0 || rep.Mail.Deferred != 2 || len(c.slept) != 0 {
		t.Fatalf("report %+v, waited %v; want nothing sent, 2 deferred, no settle wait", rep.Mail, c.slept)
	}
	if ob := e.outbox(); len(ob[worker.Sending]) != 2 {
		t.Fatalf("want both rows left Enviando under the slow claim: %v", ob)
	}
	slow.by = 0
	e.cycle(bogota("2026-03-17 09:05")) // the claim is live: left alone
	if n := len(e.ws.Fake.SentMail()); n != 0 {
		t.Fatalf("%d sent while the claim was live", n)
	}
	if err := e.settleErr(bogota("2026-03-17 09:05")); err != nil {
		t.Fatal(err)
	}
	if err := e.exactlyOnceErr(); err != nil {
		t.Fatal(err)
	}
}

// slowSheet is the workbook through the real client, the clock moving by
// `by` during each positional write (the claim's, in Google mode).
type slowSheet struct {
	worker.Sheet
	clock *testClock
	by    time.Duration
}

func (s *slowSheet) WriteRows(ctx context.Context, ups []workbook.Update, recheck workbook.Recheck) (int, error) {
	s.clock.Advance(s.by)
	return s.Sheet.WriteRows(ctx, ups, recheck)
}

// A send whose reply is lost may have gone out: the row keeps Enviando
// and its claim, untouched while the claim is live, and once it is stale a
// cycle finds the message in Gmail by its Message-ID and marks it Enviado,
// without sending it again.
func TestSendUnknownOutcomeFoundInGmail(t *testing.T) {
	e, _ := sendEnv(t, 1)
	e.ws.Fake.SetFault(workspacefake.FailTimes("gmail.messages.send", 1, workspacefake.Fault{Reset: true, AfterApply: true}))
	rep := e.cycle(bogota("2026-03-17 09:00"))
	if rep.Mail.Sent != 1 || len(e.ws.Fake.SentMail()) != 2 {
		t.Fatalf("report %+v, %d in Gmail; want 1 known sent of the 2 Gmail holds", rep.Mail, len(e.ws.Fake.SentMail()))
	}
	ob := e.outbox()
	if len(ob[worker.Sending]) != 1 {
		t.Fatalf("want the lost send left Enviando: %v", ob)
	}
	lost := ob[worker.Sending][0]
	if got := lost.Get("Último error"); got != "Resultado del envío desconocido; se verifica en Gmail más tarde." {
		t.Errorf("Último error = %q", got)
	}
	e.cycle(bogota("2026-03-17 09:10")) // claim still live (15 minutes): left alone
	if r := e.outbox()[worker.Sending]; len(r) != 1 {
		t.Fatalf("a live claim was settled early: %v", e.outbox())
	}
	e.cycle(bogota("2026-03-17 09:20"))
	if err := e.exactlyOnceErr(); err != nil {
		t.Fatal(err)
	}
	for _, r := range e.tab(workbook.Notificaciones) {
		if r.Get("ID") == lost.Get("ID") && (r.Get("Intentos") != "1" || r.Get("ID Gmail") == "") {
			t.Errorf("found row: Intentos %s, ID Gmail %q; want 1 and the Gmail id", r.Get("Intentos"), r.Get("ID Gmail"))
		}
	}
}

// Gmail's quota refuses a send: nothing went out, so that message and the
// rest wait as Pendiente with the reason, and go out on a later day.
func TestSendQuotaDefersTheRest(t *testing.T) {
	e, _ := sendEnv(t, 2)
	e.ws.Fake.SetDailySendLimit(1)
	rep := e.cycle(bogota("2026-03-17 09:00"))
	if rep.Mail.Sent != 1 || rep.Mail.Deferred != 3 {
		t.Fatalf("report %+v; want 1 sent and 3 deferred", rep.Mail)
	}
	ob := e.outbox()
	if len(ob[worker.Pending]) != 3 {
		t.Fatalf("want 3 Pendiente: %v", ob)
	}
	attempts := map[string]int{}
	for _, r := range ob[worker.Pending] {
		if got := r.Get("Último error"); got != "Cuota de Gmail agotada; se reintenta más tarde." {
			t.Errorf("%s: Último error = %q", r.Get("ID"), got)
		}
		attempts[r.Get("Intentos")]++
	}
	if attempts["1"] != 1 || attempts["0"] != 2 {
		t.Errorf("attempts %v: want the refused one tried once, the others never", attempts)
	}
	e.ws.Fake.SetDailySendLimit(2000)
	e.cycle(bogota("2026-03-18 09:00"))
	if err := e.exactlyOnceErr(); err != nil {
		t.Fatal(err)
	}
}

// Gmail refuses a message for good: it is Fallido with Google's words for
// the administrator, and the others still go.
func TestSendRefusedFails(t *testing.T) {
	e, _ := sendEnv(t, 1)
	e.ws.Fake.SetFault(workspacefake.FailTimes("gmail.messages.send", 1, workspacefake.Fault{Status: 400, Reason: "invalidArgument"}))
	rep := e.cycle(bogota("2026-03-17 09:00"))
	if rep.Mail.Failed != 1 || rep.Mail.Sent != 1 {
		t.Fatalf("report %+v; want 1 failed and 1 sent", rep.Mail)
	}
	ob := e.outbox()
	if len(ob[worker.Failed]) != 1 {
		t.Fatalf("want 1 Fallido: %v", ob)
	}
	if got := ob[worker.Failed][0].Get("Último error"); !strings.HasPrefix(got, "Gmail rechazó el mensaje: 400 ") {
		t.Errorf("Último error = %q, want Google's status and message", got)
	}
}

// mail.daily_limit caps what one rolling day sends; the rest waits
// (Pendiente, never Fallido) for the day to roll.
func TestSendDailyBudget(t *testing.T) {
	e, _ := sendEnv(t, 2)
	e.w.Config.DailyLimit = 3
	rep := e.cycle(bogota("2026-03-17 09:00"))
	if rep.Mail.Sent != 3 || rep.Mail.Deferred != 1 || len(e.outbox()[worker.Pending]) != 1 {
		t.Fatalf("report %+v, outbox %v; want 3 sent and 1 Pendiente", rep.Mail, e.outboxStates())
	}
	if rep := e.cycle(bogota("2026-03-18 08:59")); rep.Mail.Sent != 0 {
		t.Fatalf("sent %d within 24 hours of the first three", rep.Mail.Sent)
	}
	e.cycle(bogota("2026-03-18 09:01"))
	if err := e.exactlyOnceErr(); err != nil {
		t.Fatal(err)
	}
}

// The sends stop at the send window (on the protocol's clock): what was not
// attempted goes back to Pendiente for the next cycle.
func TestSendWindowGivesBackTheRest(t *testing.T) {
	e, c := sendEnv(t, 2)
	e.w.Mail = &clockedMail{Mailer: e.w.Mail, clock: c, took: func(n int) time.Duration {
		if n == 1 {
			return 6 * time.Minute // past the 5-minute window
		}
		return 0
	}}
	rep := e.cycle(bogota("2026-03-17 09:00"))
	if rep.Mail.Sent != 1 || rep.Mail.Deferred != 3 || len(e.outbox()[worker.Pending]) != 3 {
		t.Fatalf("report %+v, outbox %v; want 1 sent and 3 given back", rep.Mail, e.outboxStates())
	}
	e.cycle(bogota("2026-03-17 09:05"))
	if err := e.exactlyOnceErr(); err != nil {
		t.Fatal(err)
	}
}

// A cycle that outlived half its claim does not write its outcomes (a
// later cycle may count the claim as abandoned): the rows stay Enviando,
// and once the claim is stale Gmail's word settles them, none sent twice.
func TestSendOutlivedClaimLeavesTheRecordToGmail(t *testing.T) {
	e, c := sendEnv(t, 1)
	e.w.Mail = &clockedMail{Mailer: e.w.Mail, clock: c, took: func(n int) time.Duration {
		if n == 2 {
			return 8 * time.Minute // the second send ends past claimStale/2
		}
		return 0
	}}
	rep := e.cycle(bogota("2026-03-17 09:00"))
	if rep.Mail.Sent != 2 || len(e.ws.Fake.SentMail()) != 2 {
		t.Fatalf("report %+v; want both sent", rep.Mail)
	}
	if ob := e.outbox(); len(ob[worker.Sending]) != 2 {
		t.Fatalf("want both rows left Enviando: %v", ob)
	}
	e.cycle(bogota("2026-03-17 09:20"))
	if err := e.exactlyOnceErr(); err != nil {
		t.Fatal(err)
	}
}

// When Gmail cannot be searched before a send (Google mode guards a late
// write that undid an earlier send's row that way), nothing is sent blind:
// the rest waits as Pendiente.
func TestSendSearchFailureDefers(t *testing.T) {
	e, _ := sendEnv(t, 1)
	e.ws.Fake.SetFault(workspacefake.FailTimes("gmail.messages.list", 1, workspacefake.Fault{Status: 403, Reason: "insufficientPermissions"}))
	rep := e.cycle(bogota("2026-03-17 09:00"))
	if rep.Mail.Sent != 0 || rep.Mail.Deferred != 2 || len(e.outbox()[worker.Pending]) != 2 {
		t.Fatalf("report %+v, outbox %v; want nothing sent and 2 Pendiente", rep.Mail, e.outboxStates())
	}
	e.cycle(bogota("2026-03-17 09:05"))
	if err := e.exactlyOnceErr(); err != nil {
		t.Fatal(err)
	}
}

func columnOf(t workbook.Tab, name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	panic("no column " + name)
}
