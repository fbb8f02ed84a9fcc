package workbook_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

func scjBook(t *testing.T, rs []procedure.Response, now time.Time) *procedure.Result {
	t.Helper()
	h, err := calendar.OfficeHours(calendar.SCJHours)
	if err != nil {
		t.Fatal(err)
	}
	h.HolidaysAsWeekend = true
	eng := &procedure.Engine{Cal: calendar.New(calendar.Bogota(), nil, h), Set: procedure.DefaultSettings(procedure.SCJBogota)}
	agents := []procedure.Agent{{Name: "Carla", Email: "carla@mesa.test", Active: true, Role: procedure.RoleAgent, Services: []string{"Redes"}}}
	return eng.Fold(procedure.Inputs{Responses: rs, Agents: agents, Now: now})
}

// The Problemas tab (scj-bogota, rule S-P): one row per Problema, counting
// every report of its group within its window.
func TestProblemasRows(t *testing.T) {
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, calendar.Bogota())
	var rs []procedure.Response
	for i := range 23 {
		rs = append(rs, procedure.Response{Form: procedure.Solicitudes, ID: fmt.Sprintf("s%02d", i), Submitted: start.Add(time.Duration(i) * time.Hour),
			Email: "u@mesa.test", Answers: map[procedure.Field]string{procedure.FService: "Redes", procedure.FCategory: "Incidente", procedure.FDescription: "Sin red"}})
	}
	res := scjBook(t, rs, start.AddDate(0, 0, 2))
	rows := workbook.Formatter{Loc: calendar.Bogota()}.ProblemasRows(res.Book)
	if len(rows) != 1 {
		t.Fatalf("rows %v", rows)
	}
	row := rows[0]
	if len(row) != len(workbook.Problemas.Columns) {
		t.Fatalf("%d cells for %d columns", len(row), len(workbook.Problemas.Columns))
	}
	want := []string{"Incidente", "Redes", "2026-03-02 08:00:00", "2026-04-01 08:00:00", "23"}
	if got := row[1:6]; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("row %v, want %v", got, want)
	}
	if !strings.HasPrefix(row[6], "1, 2, 3") || !strings.HasSuffix(row[6], "22, 23") {
		t.Errorf("cases %q", row[6])
	}
}

// Casos shows the SLA as paused while En Espera, and the closing outcomes
// of scj-bogota by their names.
func TestCasosRowsStates(t *testing.T) {
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, calendar.Bogota())
	rs := []procedure.Response{
		{Form: procedure.Solicitudes, ID: "a", Submitted: start, Email: "u@mesa.test", Answers: map[procedure.Field]string{procedure.FService: "Redes", procedure.FDescription: "x"}},
		{Form: procedure.Solicitudes, ID: "b", Submitted: start, Email: "u@mesa.test", Answers: map[procedure.Field]string{procedure.FService: "Redes", procedure.FDescription: "y"}},
		{Form: procedure.Respuestas, ID: "r1", Submitted: start.Add(time.Hour), Email: "carla@mesa.test", Answers: map[procedure.Field]string{
			procedure.FCase: "1", procedure.FState: "En Espera", procedure.FWaitReason: "Escalamiento"}},
		{Form: procedure.Respuestas, ID: "r2", Submitted: start.Add(time.Hour), Email: "carla@mesa.test", Answers: map[procedure.Field]string{
			procedure.FCase: "2", procedure.FState: "No procedente", procedure.FActivities: "Corresponde a otra entidad"}},
	}
	res := scjBook(t, rs, start.Add(2*time.Hour))
	rows := workbook.Formatter{Loc: calendar.Bogota()}.CasosRows(res.Book, procedure.DefaultSettings(procedure.SCJBogota))
	col := func(row []string, name string) string { return row[workbook.Casos.Index(name)] }
	if got := col(rows[0], "Vence ANS"); got != "En pausa" {
		t.Errorf("Vence ANS of a waiting case = %q", got)
	}
	if got := col(rows[1], "Estado"); got != "No procedente" {
		t.Errorf("Estado = %q", got)
	}
	if got := col(rows[1], "Fecha de solución"); got != "2026-03-02 09:00:00" {
		t.Errorf("Fecha de solución = %q", got)
	}
}

// A row's instants read as Formatter.Instant renders each one, blank when zero.
func TestCasosRowsInstants(t *testing.T) {
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, calendar.Bogota())
	answers := func(kv ...string) map[procedure.Field]string {
		m := map[procedure.Field]string{}
		for i := 0; i < len(kv); i += 2 {
			m[procedure.Field(kv[i])] = kv[i+1]
		}
		return m
	}
	var rs []procedure.Response
	for i, state := range []string{"", "Resuelto", "En Espera", "No Resuelto"} {
		n := fmt.Sprint(i + 1)
		rs = append(rs, procedure.Response{Form: procedure.Solicitudes, ID: "s" + n, Submitted: start.Add(time.Duration(i) * time.Minute),
			Email: "u@mesa.test", Answers: answers(string(procedure.FService), "Redes", string(procedure.FDescription), "x")})
		if state != "" {
			rs = append(rs, procedure.Response{Form: procedure.Respuestas, ID: "r" + n, Submitted: start.Add(time.Duration(i+1) * time.Hour),
				Email: "carla@mesa.test", Answers: answers(string(procedure.FCase), n, string(procedure.FState), state,
					string(procedure.FWaitReason), "Escalamiento", string(procedure.FConcept), "Dañado")})
		}
	}
	res := scjBook(t, rs, start.Add(30*24*time.Hour))
	f := workbook.Formatter{Loc: calendar.Bogota()}
	rows := f.CasosRows(res.Book, procedure.DefaultSettings(procedure.SCJBogota))
	col := func(row []string, name string) string { return row[workbook.Casos.Index(name)] }
	for i, c := range res.Cases() {
		due := f.Instant(c.Due)
		if c.State == procedure.EnEspera {
			due = "En pausa"
		}
		for name, want := range map[string]string{"Fecha de registro": f.Instant(c.Registered), "Fecha de estado": f.Instant(c.StateAt),
			"Vence ANS": due, "Fecha de solución": f.Instant(c.Solved)} {
			if got := col(rows[i], name); got != want {
				t.Errorf("case %d (%s): %s = %q, want %q", c.Number, c.State, name, got, want)
			}
		}
	}
	if blank := col(rows[0], "Fecha de solución"); blank != "" {
		t.Errorf("an open case has Fecha de solución %q", blank)
	}
}

// Instant formats digit by digit instead of through time.Format; it must
// read exactly as time.Format's InstantLayout in every zone an office may
// use, across years, month and day boundaries, and a DST change.
func TestInstantIsFormat(t *testing.T) {
	zones := []*time.Location{calendar.Bogota(), time.UTC, time.FixedZone("UTC+05:45", 5*3600+45*60)}
	if ny, err := time.LoadLocation("America/New_York"); err == nil {
		zones = append(zones, ny) // DST
	}
	instants := []time.Time{
		time.Date(2026, 1, 1, 4, 59, 59, 999_999_999, time.UTC), // New Year in Bogotá's previous day
		time.Date(2024, 2, 29, 23, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 8, 6, 59, 0, 0, time.UTC), // around New York's DST change
		time.Date(2026, 3, 8, 7, 0, 1, 0, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(12026, 7, 1, 0, 0, 0, 0, time.UTC), // past four digits: time.Format's way
	}
	for i := range 2000 {
		instants = append(instants, time.Unix(1_600_000_000+int64(i)*7_777_777/7, int64(i)))
	}
	for _, loc := range zones {
		f := workbook.Formatter{Loc: loc}
		for _, at := range instants {
			if got, want := f.Instant(at), at.In(loc).Format(workbook.InstantLayout); got != want {
				t.Fatalf("%v in %v: Instant = %q, want %q", at, loc, got, want)
			}
		}
	}
	if got := (workbook.Formatter{Loc: time.UTC}).Instant(time.Time{}); got != "" {
		t.Errorf("the zero instant renders %q, want blank", got)
	}
}

// A Casos tab reads back through the same columns it is written by: the
// cases of mesa's own Casos export are adopted (mesa import cases) with
// their number, registration, requester, state, agent and solution.
func TestParseCasosReadsWhatCasosRowsWrites(t *testing.T) {
	loc := calendar.Bogota()
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, loc)
	rs := []procedure.Response{
		{Form: procedure.Solicitudes, ID: "s1", Submitted: start, Email: "ana@mesa.test", Answers: map[procedure.Field]string{
			procedure.FEmail: "ana@mesa.test", procedure.FName: "Ana Pérez", procedure.FService: "Redes", procedure.FDescription: "Sin red", procedure.FDependencia: "Hacienda"}},
		{Form: procedure.Respuestas, ID: "r1", Submitted: start.Add(2 * time.Hour), Email: "carla@mesa.test", Answers: map[procedure.Field]string{
			procedure.FCase: "1", procedure.FState: "Resuelto", procedure.FActivities: "Cambio de cable"}},
		{Form: procedure.Solicitudes, ID: "s2", Submitted: start.Add(time.Hour), Email: "luis@mesa.test", Answers: map[procedure.Field]string{
			procedure.FEmail: "luis@mesa.test", procedure.FName: "Luis Gómez", procedure.FService: "Redes", procedure.FDescription: "Lento"}},
	}
	book := scjBook(t, rs, start.Add(3*time.Hour)).Book
	f := workbook.Formatter{Loc: loc}
	header := make([]string, len(workbook.Casos.Columns))
	for i, c := range workbook.Casos.Columns {
		header[i] = c.Name
	}
	rows := append([][]string{header}, f.CasosRows(book, procedure.DefaultSettings(procedure.SCJBogota))...)
	got, errs := workbook.ParseCasos(rows, func(s string) time.Time {
		t, _ := time.ParseInLocation(workbook.InstantLayout, s, loc)
		return t
	})
	if len(errs) > 0 || len(got) != 2 {
		t.Fatalf("ParseCasos = %d cases, errors %v; want 2 cases", len(got), errs)
	}
	for i, c := range book.Cases() {
		g := got[i]
		if g.Number != c.Number || !g.Registered.Equal(c.Registered) || g.Requester != c.Requester || g.Email != c.Email ||
			g.Service != c.Service || g.Dependencia != c.Dependencia || g.Description != c.Description ||
			g.State != c.State || g.Agent != c.Agent || !g.Solved.Equal(c.Solved) || !g.StateAt.Equal(c.StateAt) {
			t.Errorf("case %d read back as %+v\nwant %+v", c.Number, *g, *c)
		}
	}
}
