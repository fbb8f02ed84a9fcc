package worker_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
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
