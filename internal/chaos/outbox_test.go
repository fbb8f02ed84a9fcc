package chaos_test

import (
	"context"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/chaos"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// A send whose reply is lost leaves its row Enviando; a later cycle looks
// it up in Gmail and sends it again if it is not there. That must also
// work when the later cycle has other mail to send: the recovered state
// must not be overwritten by the re-read of the claim step.
func TestOutboxRecoversLostSendWhileOtherMailIsPending(t *testing.T) {
	ctx := context.Background()
	o, err := chaos.OpenOffice(ctx, t.TempDir(), 0, chaos.FastRetry())
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if err := o.SeedAdmin(ctx, chaos.Testdata("sheets/agentes.csv"), chaos.Testdata("sheets/catalogo.csv")); err != nil {
		t.Fatal(err)
	}
	q := procedure.DefaultQuestions[procedure.Solicitudes]
	request := func(who string, at time.Time) {
		t.Helper()
		if _, err := o.Submit(chaos.Submission{Form: procedure.Solicitudes, Email: who, At: at, Answers: map[string]string{
			q[procedure.FName]: "Usuario", q[procedure.FDependencia]: "Secretaría de Hacienda", q[procedure.FBuilding]: "Palacio Municipal",
			q[procedure.FService]: "Soporte de software", q[procedure.FDescription]: "No abre el programa"}}); err != nil {
			t.Fatal(err)
		}
	}
	w, err := o.Worker(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Bogota())
	request("uno@funza-cundinamarca.gov.co", day)
	// The first send of the first cycle fails with a 503: not sent, and
	// the worker cannot know, so the row stays Enviando.
	o.Fake.SetFault(workspacefake.FailTimes("gmail.messages.send", 1, workspacefake.Fault{Status: 503}))
	if _, err := w.Cycle(ctx, day.Add(time.Hour), false); err != nil {
		t.Logf("cycle 1: %v", err)
	}
	o.Fake.SetFault(nil)
	request("dos@funza-cundinamarca.gov.co", day.Add(2*time.Hour))
	for i := range 3 {
		if _, err := w.Cycle(ctx, day.Add(time.Duration(3+i)*time.Hour), false); err != nil {
			t.Fatalf("cycle %d: %v", i+2, err)
		}
	}
	for _, v := range o.Check(ctx, nil, nil) {
		t.Error(v)
	}
}

// A send the client gave up on (its deadline passed) may still be applied
// by the server afterwards, as Google's frontends finish what they started.
// The row keeps Enviando without a claim, and the next cycle looks it up in
// Gmail at once: if it runs before the straggler lands (a manual `mesa
// sync` right after a cron one, or a cron interval shorter than the
// straggler), it finds nothing and sends again. An unknown outcome needs a
// grace period (keep the claim and its instant, so claimStale applies, or a
// minimum age) before it is verified.
func TestOutboxDoesNotResendAStragglerSend(t *testing.T) {
	ctx := context.Background()
	o, err := chaos.OpenOffice(ctx, t.TempDir(), 100*time.Millisecond, chaos.FastRetry())
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if err := o.SeedAdmin(ctx, chaos.Testdata("sheets/agentes.csv"), chaos.Testdata("sheets/catalogo.csv")); err != nil {
		t.Fatal(err)
	}
	q := procedure.DefaultQuestions[procedure.Solicitudes]
	day := time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Bogota())
	if _, err := o.Submit(chaos.Submission{Form: procedure.Solicitudes, Email: "uno@funza-cundinamarca.gov.co", At: day, Answers: map[string]string{
		q[procedure.FName]: "Usuario", q[procedure.FDependencia]: "Secretaría de Hacienda", q[procedure.FBuilding]: "Palacio Municipal",
		q[procedure.FService]: "Soporte de software", q[procedure.FDescription]: "No abre el programa"}}); err != nil {
		t.Fatal(err)
	}
	w, err := o.Worker(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The first send is answered after 300 ms: the client has given up
	// after 100 ms, the server sends it anyway.
	o.Fake.SetFault(workspacefake.FailTimes("gmail.messages.send", 1, workspacefake.Fault{Delay: 300 * time.Millisecond}))
	if _, err := w.Cycle(ctx, day.Add(time.Hour), false); err != nil {
		t.Logf("cycle 1: %v", err)
	}
	o.Fake.SetFault(nil)
	if _, err := w.Cycle(ctx, day.Add(time.Hour+time.Minute), false); err != nil {
		t.Fatalf("cycle 2: %v", err)
	}
	time.Sleep(400 * time.Millisecond) // the straggler lands
	for i := range 2 {
		if _, err := w.Cycle(ctx, day.Add(time.Duration(2+i)*time.Hour), false); err != nil {
			t.Fatalf("cycle %d: %v", i+3, err)
		}
	}
	for _, v := range o.Check(ctx, nil, nil) {
		t.Error(v)
	}
}
