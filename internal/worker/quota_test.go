package worker_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// The daily mail budget counts a rolling 24 hours, as Gmail counts its
// sending limit ("Limits per day are applied over a rolling 24-hour period,
// not a set time of day", support.google.com/a/answer/166852): 2,000 mails
// sent at 23:00 leave no budget at 00:30, whatever the calendar says, and
// the budget frees 24 hours after they went out. The budget comes from the
// Enviado instants in Notificaciones, so a new process (this worker never
// sent those 2,000 itself) keeps it.
func TestDailyBudgetIsARolling24Hours(t *testing.T) {
	e := officeEnv(t)
	e.w.Config.DailyLimit = 2000
	evening := bogota("2026-03-17 23:00")
	f := workbook.Formatter{Loc: calendar.Bogota()}
	rows := make([][]string, 2000)
	for i := range rows {
		rows[i] = []string{fmt.Sprintf("anterior-%04d", i), f.Instant(evening.Add(-10 * time.Second)), "", "acuse", "Usuario", fmt.Sprintf("usuario%04d@funza-cundinamarca.gov.co", i),
			"Solicitud registrada", worker.Sent, "1", "", fmt.Sprintf("18e%014x", i), f.Instant(evening), ""}
	}
	ups, _ := workbook.Plan(workbook.NewTable(workbook.Notificaciones, nil), rows)
	if _, err := e.ws.Sheets.Write(context.Background(), ups); err != nil {
		t.Fatal(err)
	}

	e.request("ana.rodriguez@funza-cundinamarca.gov.co", "Ana Rodríguez", "El computador no enciende", bogota("2026-03-18 00:10"))
	rep := e.cycle(bogota("2026-03-18 00:30"))
	if rep.NewCases != 1 || rep.Mail.Queued == 0 || rep.Mail.Sent != 0 || rep.Mail.Deferred != rep.Mail.Queued || len(e.ws.Fake.SentMail()) != 0 {
		t.Fatalf("at 00:30: %+v, %d mails sent; want the new mail held", rep.Mail, len(e.ws.Fake.SentMail()))
	}
	if rep := e.cycle(bogota("2026-03-18 22:55")); rep.Mail.Sent != 0 {
		t.Fatalf("at 22:55 the next day: %d sent, want none (23 h 55 min after the 2,000)", rep.Mail.Sent)
	}
	e.cycle(bogota("2026-03-18 23:01"))
	sent := e.sent()
	if len(sent) != rep.Mail.Queued || sent[0].To != "ana.rodriguez@funza-cundinamarca.gov.co" || sent[0].Kind != "acuse" {
		t.Fatalf("at 23:01 the next day: sent %+v, want the %d held mails, the acknowledgement first", sent, rep.Mail.Queued)
	}
}

// A cycle whose sends meet Gmail's 403 rate limits (userRateLimitExceeded,
// rateLimitExceeded: Gmail "Resolve errors") backs off and sends each mail
// once; a 403 for permissions is not waited on: the mail is Fallido with
// Google's reason, for a person to see, and the cycle goes on.
func TestSendUnderGmail403(t *testing.T) {
	t.Run("rate limit", func(t *testing.T) {
		e := officeEnv(t)
		e.request("ana.rodriguez@funza-cundinamarca.gov.co", "Ana Rodríguez", "El computador no enciende", bogota("2026-03-17 08:00"))
		e.ws.Fake.SetFault(workspacefake.Chain(
			workspacefake.FailTimes("gmail.messages.send", 1, workspacefake.Fault{Status: 403, Reason: "userRateLimitExceeded"}),
			workspacefake.FailTimes("gmail.messages.send", 2, workspacefake.Fault{Status: 403, Reason: "rateLimitExceeded"}),
		))
		rep := e.cycle(bogota("2026-03-17 09:00"))
		if rep.Mail.Sent != rep.Mail.Queued || rep.Mail.Deferred != 0 || rep.Mail.Failed != 0 {
			t.Fatalf("mail %+v: want every mail sent after backing off", rep.Mail)
		}
		if err := e.exactlyOnceErr(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("insufficient permissions", func(t *testing.T) {
		e := officeEnv(t)
		e.request("ana.rodriguez@funza-cundinamarca.gov.co", "Ana Rodríguez", "El computador no enciende", bogota("2026-03-17 08:00"))
		e.ws.Fake.SetFault(workspacefake.FailTimes("gmail.messages.send", 1, workspacefake.Fault{Status: 403, Reason: "insufficientPermissions"}))
		rep := e.cycle(bogota("2026-03-17 09:00"))
		if rep.Mail.Failed != 1 || rep.Mail.Sent != rep.Mail.Queued-1 || e.ws.Fake.Calls()["gmail.messages.send"] != rep.Mail.Queued {
			t.Fatalf("mail %+v, %d sends: want the first mail Fallido after one attempt, the rest sent", rep.Mail, e.ws.Fake.Calls()["gmail.messages.send"])
		}
		for _, r := range e.tab(workbook.Notificaciones) {
			if r.Get("Estado") == worker.Failed && !strings.Contains(r.Get("Último error"), "Gmail rechazó el mensaje: 403") {
				t.Errorf("Último error = %q", r.Get("Último error"))
			}
		}
	})
}
