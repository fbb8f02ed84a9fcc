package worker_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/sheets"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
	"github.com/funza-tic/mesa/internal/workspace"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// editingSheet is the workbook with a person at it: right after the
// worker's check of the row keys (its ReadRanges), the person edits Casos.
type editingSheet struct {
	*sheets.Client
	fake *workspacefake.Server
	edit func(rows [][]any) [][]any
	done bool
}

func (s *editingSheet) ReadRanges(ctx context.Context, ranges []string) ([][][]any, error) {
	v, err := s.Client.ReadRanges(ctx, ranges)
	if err == nil && !s.done {
		s.done = true
		err = s.fake.EditRows(s.Client.ID(), workbook.Casos.Name, s.edit)
	}
	return v, err
}

// A person inserts a row at the top of Casos (or sorts it) in the instant
// between the worker's key check and its write of new cases: every row
// moves down one, the last case into the row the check found free. The new
// case's row is inserted, not written over that row, so the person's notes
// stay with their case and each case has one row.
func TestPersonEditsCasosBeforeNewRowsLand(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(rows [][]any) [][]any
	}{
		{"a blank row inserted at the top", func(rows [][]any) [][]any { return append([][]any{nil}, rows...) }},
		{"a sort bringing a blank row up", func(rows [][]any) [][]any {
			// A blank row under the table sorts first, by Caso.
			rows = append(rows, nil)
			sort.SliceStable(rows, func(i, j int) bool { return cell0(rows[i]) < cell0(rows[j]) })
			return rows
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := officeEnv(t)
			e.w.Config.Exclusive = false
			now := bogota("2026-03-17 09:00")
			for i := range 2 {
				e.request(fmt.Sprintf("u%d@funza-cundinamarca.gov.co", i), fmt.Sprintf("Usuario %d", i), "No abre el programa", now.Add(-10*time.Minute+time.Duration(i)*time.Minute))
			}
			e.cycle(now)
			// An agent's notes, in a column of their own, on both cases.
			notes := map[string]string{}
			casos := e.tab(workbook.Casos)
			svc, id := e.ws.Sheets.Service(), e.ws.Sheets.ID()
			vals, err := e.ws.Sheets.Read(context.Background(), []string{workbook.Casos.Name})
			if err != nil {
				t.Fatal(err)
			}
			col := len(vals[0][0]) // a column of their own, right of the worker's
			if _, err := svc.Spreadsheets.Values.Update(id, workbook.A1(workbook.Casos.Name, col, 1, col, 1), &gsheets.ValueRange{Values: [][]any{{"Notas del agente"}}}).ValueInputOption("RAW").Do(); err != nil {
				t.Fatal(err)
			}
			for _, r := range casos {
				note := "llamar antes de ir (caso " + r.Get("Caso") + ")"
				if _, err := svc.Spreadsheets.Values.Update(id, workbook.A1(workbook.Casos.Name, col, r.Line, col, r.Line), &gsheets.ValueRange{Values: [][]any{{note}}}).ValueInputOption("RAW").Do(); err != nil {
					t.Fatal(err)
				}
				notes[r.Get("Caso")] = note
			}
			e.request("u9@funza-cundinamarca.gov.co", "Usuario 9", "La impresora no imprime", now.Add(5*time.Minute))
			e.w.Sheet = &editingSheet{Client: e.ws.Sheets, fake: e.ws.Fake, edit: tc.edit}
			e.cycle(now.Add(30 * time.Minute))
			if !e.w.Sheet.(*editingSheet).done {
				t.Fatal("the person's edit did not happen")
			}
			count := map[string]int{}
			after, err := e.ws.Sheets.Read(context.Background(), []string{workbook.Casos.Name})
			if err != nil {
				t.Fatal(err)
			}
			key := workbook.Casos.Index("Caso")
			for _, row := range after[0][1:] {
				caso, got := "", ""
				if key < len(row) {
					caso = workbook.Cell(row[key])
				}
				if col < len(row) {
					got = workbook.Cell(row[col])
				}
				if caso == "" && got == "" {
					continue
				}
				count[caso]++
				if got != notes[caso] {
					t.Errorf("case %q: the notes read %q, the agent wrote %q", caso, got, notes[caso])
				}
			}
			if len(count) != 3 {
				t.Errorf("cases in Casos: %v, want 3", count)
			}
			for caso, n := range count {
				if n != 1 {
					t.Errorf("case %s has %d rows", caso, n)
				}
			}
		})
	}
}

func cell0(r []any) string {
	if len(r) == 0 {
		return ""
	}
	return workbook.Cell(r[0])
}

// onlyFirstMailer sends the first message and refuses the others for good
// (as Gmail refuses a bad address), so they read Fallido.
type onlyFirstMailer struct {
	worker.Mailer
	n int
}

func (m *onlyFirstMailer) Send(ctx context.Context, raw []byte) (string, error) {
	m.n++
	if m.n > 1 {
		return "", &workspace.Error{Class: workspace.ErrRefused, Detail: "400 Invalid To header", Err: errors.New("googleapi: Error 400: Invalid To header")}
	}
	return m.Mailer.Send(ctx, raw)
}

// An outcome that a person's sort moved onto another notification's row
// (in the instant before it landed, and again within its repair) leaves
// that row reading Enviado with the other's Gmail id, although it never
// went out. The next cycle sees two rows with one Gmail id, asks Gmail
// about each by its own Message-ID, and sends the one Gmail does not have.
func TestEnviadoWithAnotherNotificationsGmailIDIsSent(t *testing.T) {
	e := officeEnv(t)
	e.w.Config.Exclusive, e.w.Config.ClaimSettle = false, 500*time.Millisecond
	real := e.w.Mail
	e.w.Mail = &onlyFirstMailer{Mailer: real}
	now := bogota("2026-03-17 09:00")
	e.request("u1@funza-cundinamarca.gov.co", "Usuario 1", "No abre el programa", now.Add(-10*time.Minute))
	e.cycle(now)
	rows := e.tab(workbook.Notificaciones)
	var sent, victim workbook.Record
	for _, r := range rows {
		switch r.Get("Estado") {
		case worker.Sent:
			sent = r
		case worker.Failed:
			victim = r
		}
	}
	if sent.Line == 0 || victim.Line == 0 {
		t.Fatalf("want one notification sent and one refused, got %v", rows)
	}
	// What the misplaced outcome leaves: the victim reads Enviado with the
	// sent notification's Gmail id.
	vals, err := e.ws.Sheets.Read(context.Background(), []string{workbook.Notificaciones.Name})
	if err != nil {
		t.Fatal(err)
	}
	tbl := workbook.NewTable(workbook.Notificaciones, vals[0])
	pos := tbl.Columns()
	estado, gmail := pos[procedure.Norm("Estado")], pos[procedure.Norm("ID Gmail")]
	svc, id := e.ws.Sheets.Service(), e.ws.Sheets.ID()
	for col, v := range map[int]string{estado: worker.Sent, gmail: sent.Get("ID Gmail")} {
		if _, err := svc.Spreadsheets.Values.Update(id, workbook.A1(workbook.Notificaciones.Name, col, victim.Line, col, victim.Line), &gsheets.ValueRange{Values: [][]any{{v}}}).ValueInputOption("RAW").Do(); err != nil {
			t.Fatal(err)
		}
	}
	e.w.Mail = real
	e.cycle(now.Add(30 * time.Minute))
	if err := e.exactlyOnceErr(); err != nil {
		t.Fatal(err)
	}
	for _, r := range e.tab(workbook.Notificaciones) {
		if r.Get("ID") == victim.Get("ID") && r.Get("ID Gmail") == sent.Get("ID Gmail") {
			t.Errorf("notification %s still holds another notification's Gmail id", r.Get("ID"))
		}
	}
}
