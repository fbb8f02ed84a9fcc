package archive_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

// env is a local workspace (the HTTP fake behind the official clients,
// persisted under dir) with a worker on it.
type env struct {
	t   testing.TB
	dir string
	ws  *backend.Workspace
	w   *worker.Worker
}

func open(t testing.TB, dir string) *env {
	t.Helper()
	ws, err := backend.Local(context.Background(), dir, procedure.DefaultQuestions)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := notify.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := calendar.OfficeHours(calendar.FunzaHours)
	fs := map[procedure.Form]worker.Form{}
	for f, id := range ws.FormIDs {
		fs[f] = worker.Form{ID: id, Questions: procedure.DefaultQuestions[f]}
	}
	w := &worker.Worker{
		Sheet: ws.Sheets, Responses: ws.Forms, Mail: ws.Gmail, Templates: tpl,
		Config: worker.Config{
			Settings: procedure.DefaultSettings(procedure.Funza), Hours: h, Forms: fs,
			Office:     notify.Office{Name: "Alcaldía de Funza", SenderName: "Mesa de Ayuda TIC", SenderAddress: "mesadeayuda@funza-cundinamarca.gov.co"},
			DailyLimit: 1500, MaxAttempts: 10, Exclusive: true,
		},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	return &env{t: t, dir: dir, ws: ws, w: w}
}

func (e *env) close() { e.ws.Close() }

func (e *env) deps() archive.Deps {
	return archive.Deps{
		Live: e.ws.Sheets, Open: func(id string) archive.Sheet { return e.ws.Sheets.Other(id) },
		Files: e.ws.Drive, Book: e.w.BookAhead, Settings: e.w.Config.Settings, TRD: archive.DefaultTRD(),
	}
}

func bogota(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Bogota())
	if err != nil {
		panic(err)
	}
	return t
}

func (e *env) answer(form procedure.Form, email string, at time.Time, byField map[procedure.Field]string) {
	e.t.Helper()
	byTitle := map[string]string{}
	for f, v := range byField {
		byTitle[procedure.DefaultQuestions[form][f]] = v
	}
	if _, err := e.ws.Fake.SubmitResponse(e.ws.FormIDs[form], email, at, byTitle); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) cycle(now time.Time) worker.Report {
	e.t.Helper()
	rep, err := e.w.Cycle(context.Background(), now, false)
	if err != nil {
		e.t.Fatalf("cycle at %s: %v", now, err)
	}
	return rep
}

// rows reads a tab of a spreadsheet as records.
func rows(t testing.TB, sh archive.Sheet, tab workbook.Tab) []workbook.Record {
	t.Helper()
	vals, err := sh.Read(context.Background(), []string{tab.Name})
	if err != nil {
		t.Fatal(err)
	}
	return workbook.NewTable(tab, vals[0]).Records()
}

// year builds an office's 2025 on the Funza profile: every other Monday
// two requests to the Palacio Municipal, answered Resuelto the same
// afternoon, except every fourth, which stays open; one in
// En Espera por disponibilidad that the eight-business-day rule closes;
// surveys answered by the invited users. The agents are testdata's
// (shape of the office's Agentes tab).
func (e *env) year() (open []int) {
	e.t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "sheets", "agentes-min.csv"))
	if err != nil {
		e.t.Fatal(err)
	}
	agents, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.ws.Sheets.Replace(context.Background(), workbook.Agentes.Name, agents); err != nil {
		e.t.Fatal(err)
	}
	const agent = "carlos.perez@funza.gov.co"
	n := 0
	day := bogota("2025-02-03 09:00")
	for day.Year() == 2025 {
		for i := 0; i < 2; i++ {
			n++
			e.answer(procedure.Solicitudes, fmt.Sprintf("usuario%d@funza.gov.co", n%7), day.Add(time.Duration(i)*time.Minute), map[procedure.Field]string{
				procedure.FName: fmt.Sprintf("Usuario %d", n%7), procedure.FDependencia: "Secretaría de Hacienda", procedure.FBuilding: "Palacio Municipal",
				procedure.FService: "Soporte de hardware", procedure.FDescription: fmt.Sprintf("El equipo %d no enciende", n),
			})
		}
		e.cycle(day.Add(time.Hour))
		for c := n - 1; c <= n; c++ {
			if c%4 == 0 && day.Month() >= time.November {
				open = append(open, c)
				continue
			}
			ans := map[procedure.Field]string{procedure.FCase: fmt.Sprint(c), procedure.FState: "Resuelto", procedure.FActivities: "Se cambió la fuente de poder."}
			if c == 7 {
				ans = map[procedure.Field]string{procedure.FCase: fmt.Sprint(c), procedure.FState: "En Espera", procedure.FWaitReason: "Disponibilidad del usuario",
					procedure.FVisitDate: day.AddDate(0, 0, 2).Format("02/01/2006"), procedure.FActivities: "El usuario no estaba."}
			}
			e.answer(procedure.Respuestas, agent, day.Add(5*time.Hour+time.Duration(c%2)*time.Minute), ans)
		}
		e.cycle(day.Add(6 * time.Hour))
		day = day.AddDate(0, 0, 14)
	}
	e.cycle(bogota("2026-01-05 08:00"))
	// The invited users answer a few surveys.
	for _, r := range rows(e.t, e.ws.Sheets, workbook.Encuestas) {
		if r.Get("Caso") != "" && r.Get("Calificación") == "" && len(r.Get("Caso"))%2 == 0 {
			e.answer(procedure.Encuestas, r.Get("Correo"), bogota("2026-01-07 10:00"), map[procedure.Field]string{procedure.FCase: r.Get("Caso"), procedure.FRating: "5", procedure.FSolved: "Sí"})
		}
	}
	e.cycle(bogota("2026-01-07 11:00"))
	e.cycle(bogota("2026-02-02 08:00"))
	return open
}
