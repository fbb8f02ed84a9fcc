package worker_test

import (
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/forms"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

// env is a local workspace (the HTTP fake behind the official clients) with
// a worker on it.
type env struct {
	t  testing.TB
	ws *backend.Workspace
	w  *worker.Worker
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	ws, err := backend.Local(ctx, t.TempDir(), procedure.DefaultQuestions)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	tpl, err := notify.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := calendar.OfficeHours(calendar.FunzaHours)
	forms := map[procedure.Form]worker.Form{}
	for f, id := range ws.FormIDs {
		forms[f] = worker.Form{ID: id, Questions: procedure.DefaultQuestions[f]}
	}
	w := &worker.Worker{
		Sheet: ws.Sheets, Responses: ws.Forms, Mail: ws.Gmail, Templates: tpl,
		Config: worker.Config{
			Settings: procedure.DefaultSettings(procedure.Funza), Hours: h, Forms: forms,
			Office:     notify.Office{Name: "Alcaldía de Funza", SenderName: "Mesa de Ayuda TIC", SenderAddress: "mesadeayuda@funza-cundinamarca.gov.co"},
			DailyLimit: 1500, VerifySent: true, MaxAttempts: 10, Exclusive: true,
		},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	return &env{t: t, ws: ws, w: w}
}

// sheet replaces an admin tab with a CSV file of testdata.
func (e *env) sheet(tab, file string) {
	e.t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", file))
	if err != nil {
		e.t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.ws.Sheets.Replace(context.Background(), tab, rows); err != nil {
		e.t.Fatal(err)
	}
}

// importCSV submits the rows of a Forms export, as `mesa import responses` does.
func (e *env) importCSV(form procedure.Form, file string) int {
	e.t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", file))
	if err != nil {
		e.t.Fatal(err)
	}
	defer f.Close()
	export, err := forms.ReadCSV(f, calendar.Bogota())
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range export.Responses {
		e.submit(form, r.Email, r.Submitted, r.Answers)
	}
	return len(export.Responses)
}

// submit stands in for a person submitting a form.
func (e *env) submit(form procedure.Form, email string, at time.Time, answers map[string]string) {
	e.t.Helper()
	if _, err := e.ws.Fake.SubmitResponse(e.ws.FormIDs[form], email, at, answers); err != nil {
		e.t.Fatal(err)
	}
}

// answer submits a form by field instead of by title.
func (e *env) answer(form procedure.Form, email string, at time.Time, byField map[procedure.Field]string) {
	e.t.Helper()
	byTitle := map[string]string{}
	for f, v := range byField {
		byTitle[procedure.DefaultQuestions[form][f]] = v
	}
	e.submit(form, email, at, byTitle)
}

func (e *env) cycle(now time.Time) worker.Report {
	e.t.Helper()
	rep, err := e.w.Cycle(context.Background(), now, false)
	if err != nil {
		e.t.Fatalf("cycle at %s: %v", now, err)
	}
	return rep
}

// tab reads a tab as records.
func (e *env) tab(t workbook.Tab) []workbook.Record {
	e.t.Helper()
	vals, err := e.ws.Sheets.Read(context.Background(), []string{t.Name})
	if err != nil {
		e.t.Fatal(err)
	}
	return workbook.NewTable(t, vals[0]).Records()
}

// casos returns the Casos rows by case number.
func (e *env) casos() map[string]workbook.Record {
	out := map[string]workbook.Record{}
	for _, r := range e.tab(workbook.Casos) {
		out[r.Get("Caso")] = r
	}
	return out
}

// sent returns the sent mail parsed, with the notification kind taken from
// the outbox.
type sentMail struct {
	To, Subject, Kind, ID string
	Msg                   *mail.Message
}

func (e *env) sent() []sentMail {
	e.t.Helper()
	kinds := map[string]string{}
	for _, r := range e.tab(workbook.Notificaciones) {
		kinds[r.Get("ID")] = r.Get("Tipo")
	}
	var out []sentMail
	for _, m := range e.ws.Fake.SentMail() {
		msg, err := mail.ReadMessage(strings.NewReader(string(m.Raw)))
		if err != nil {
			e.t.Fatalf("sent mail does not parse: %v", err)
		}
		to, _ := mail.ParseAddress(msg.Header.Get("To"))
		subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		id := msg.Header.Get(notify.HeaderNotification)
		out = append(out, sentMail{To: to.Address, Subject: subj, Kind: kinds[id], ID: id, Msg: msg})
	}
	return out
}

func bogota(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Bogota())
	if err != nil {
		panic(err)
	}
	return t
}
