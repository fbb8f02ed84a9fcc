package worker_test

import (
	"context"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

// holdEnv is the office with the default working-hours policy of mail.
func holdEnv(t *testing.T) *env {
	e := officeEnv(t)
	e.w.Config.Hold = worker.HoldPolicy{Kinds: worker.DefaultHeldKinds, Critical: []string{"Redes"}}
	return e
}

// kindsSent returns the kinds of the mail sent so far, in sending order.
func (e *env) kindsSent() []string {
	var out []string
	for _, m := range e.sent() {
		out = append(out, m.Kind)
	}
	return out
}

// runUntil runs a cycle every step from from to to (inclusive) and returns
// the first instant at which a mail of kind went out.
func (e *env) runUntil(from, to time.Time, step time.Duration, kind string) time.Time {
	e.t.Helper()
	for at := from; !at.After(to); at = at.Add(step) {
		before := len(e.sent())
		e.cycle(at)
		for _, m := range e.sent()[before:] {
			if m.Kind == kind {
				return at
			}
		}
	}
	return time.Time{}
}

// Ley 2191 de 2022 (desconexión laboral): "no work messages outside working
// hours". A request filed at 19:30 on a business day gets its
// acknowledgement at once; its agent's assignment waits in Notificaciones
// (Pendiente, with the instant it will go) and is sent by the first cycle
// at or after 08:00 of the next working day — over a weekend and a Monday
// holiday too (lunes 23 de marzo de 2026, San José).
func TestAssignmentWaitsForWorkingHours(t *testing.T) {
	for _, tc := range []struct {
		name       string
		filed      string
		cycleEvery string // first cycle after filing
		want       string // first working hour after it
	}{
		{"weekday evening", "2026-03-18 19:30", "2026-03-18 19:35", "2026-03-19 08:00"},
		{"Friday evening before a Monday holiday", "2026-03-20 19:30", "2026-03-20 19:35", "2026-03-24 08:00"},
		{"Saturday", "2026-03-21 10:00", "2026-03-21 10:05", "2026-03-24 08:00"},
		{"early morning", "2026-03-19 06:10", "2026-03-19 06:15", "2026-03-19 08:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := holdEnv(t)
			e.request("jose.nunez@funza-cundinamarca.gov.co", "José Núñez", "No abre el programa de nómina", bogota(tc.filed))
			first := bogota(tc.cycleEvery)
			rep := e.cycle(first)
			if got := e.kindsSent(); len(got) != 1 || got[0] != "acuse" {
				t.Fatalf("sent at %s: %v, want only the acknowledgement", tc.cycleEvery, got)
			}
			if rep.Mail.Held != 1 {
				t.Errorf("report: %d held, want 1", rep.Mail.Held)
			}
			var row workbook.Record
			for _, r := range e.tab(workbook.Notificaciones) {
				if r.Get("Tipo") == "asignacion" {
					row = r
				}
			}
			if row.Get("Estado") != worker.Pending || row.Get("Envío previsto") != bogota(tc.want).Format(workbook.InstantLayout) {
				t.Fatalf("asignacion row: Estado %q, Envío previsto %q; want Pendiente, %s", row.Get("Estado"), row.Get("Envío previsto"), tc.want)
			}
			held, err := e.w.Held(context.Background(), first, 1)
			if err != nil || len(held) != 1 || !held[0].Due.Equal(bogota(tc.want)) {
				t.Fatalf("Held = %+v, %v; want the assignment due %s", held, err, tc.want)
			}
			// Hourly through the night and the days off, then every five
			// minutes as cron runs it.
			due := bogota(tc.want)
			if got := e.runUntil(first.Add(5*time.Minute), due.Add(-time.Hour), time.Hour, "asignacion"); !got.IsZero() {
				t.Fatalf("assignment sent at %s, before %s", got.Format("Mon 2006-01-02 15:04"), tc.want)
			}
			got := e.runUntil(due.Add(-30*time.Minute), due.Add(time.Hour), 5*time.Minute, "asignacion")
			if !got.Equal(bogota(tc.want)) {
				t.Errorf("assignment sent by the cycle at %s, want %s", got.Format("Mon 2006-01-02 15:04"), tc.want)
			}
			if err := e.exactlyOnceErr(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Mail held overnight goes out in the order it was decided, and mail that
// answers a person's own action is never held: the respondent of a rejected
// form hears at once, the administrator's copy waits. A case of a service
// the office marks critical is an emergency: its assignment goes at once.
func TestHeldMailOrderAndExceptions(t *testing.T) {
	e := holdEnv(t)
	e.request("jose.nunez@funza-cundinamarca.gov.co", "José Núñez", "No abre el programa de nómina", bogota("2026-03-18 19:30"))
	e.request("ines.rojas@funza-cundinamarca.gov.co", "Inés Rojas", "La impresora no imprime", bogota("2026-03-18 20:10"))
	e.answer(procedure.Solicitudes, "maria.lopez@funza-cundinamarca.gov.co", bogota("2026-03-18 20:20"), map[procedure.Field]string{
		procedure.FName: "María López", procedure.FDependencia: "Casa de la Cultura", procedure.FService: "Redes",
		procedure.FDescription: "Sin conexión a internet en todo el edificio"})
	// An agent response for a case that does not exist: rejected.
	e.answer(procedure.Respuestas, "carlos.perez@funza-cundinamarca.gov.co", bogota("2026-03-18 20:30"), map[procedure.Field]string{
		procedure.FCase: "999", procedure.FState: "Resuelto", procedure.FActivities: "Se reinstaló el programa"})
	e.cycle(bogota("2026-03-18 20:35"))
	night := map[string]int{}
	for _, m := range e.sent() {
		night[m.Kind+" "+m.To]++
	}
	for _, want := range []string{
		"acuse jose.nunez@funza-cundinamarca.gov.co", "acuse ines.rojas@funza-cundinamarca.gov.co", "acuse maria.lopez@funza-cundinamarca.gov.co",
		"asignacion angela.munoz@funza-cundinamarca.gov.co", // Redes is critical
		"rechazo carlos.perez@funza-cundinamarca.gov.co",    // his own form
	} {
		if night[want] != 1 {
			t.Errorf("at 20:35 %q sent %d times, want once; sent: %v", want, night[want], night)
		}
	}
	if len(e.sent()) != 5 {
		t.Errorf("at 20:35 sent %d mails, want 5: %v", len(e.sent()), night)
	}
	n := len(e.sent())
	e.cycle(bogota("2026-03-19 07:55"))
	if len(e.sent()) != n {
		t.Fatalf("mail sent before working hours")
	}
	e.cycle(bogota("2026-03-19 08:00"))
	var morning []string
	for _, m := range e.sent()[n:] {
		morning = append(morning, m.Kind)
	}
	// Decided in this order: José's assignment (19:30), Inés's (20:10),
	// the rejection to the administrator (20:30).
	want := []string{"asignacion", "asignacion", "rechazo"}
	if len(morning) != len(want) {
		t.Fatalf("sent at 08:00: %v, want %v", morning, want)
	}
	for i := range want {
		if morning[i] != want[i] {
			t.Fatalf("sent at 08:00: %v, want %v", morning, want)
		}
	}
	if e.sent()[n].To != "carlos.perez@funza-cundinamarca.gov.co" {
		t.Errorf("first mail of the morning to %s, want José's agent", e.sent()[n].To)
	}
	if err := e.exactlyOnceErr(); err != nil {
		t.Fatal(err)
	}
}

// The emergency exception can also come from the Catálogo: an optional
// "Crítico" column the administrator adds; a service marked there has its
// mail sent at once, at any hour.
func TestCriticalColumnOfCatalogo(t *testing.T) {
	e := officeEnv(t)
	e.w.Config.Hold = worker.HoldPolicy{Kinds: worker.DefaultHeldKinds}
	rows := [][]string{
		{"Tipo de servicio", "Categoría", "Requiere edificio", "ANS", "Crítico"},
		{"Soporte de software", "Incidente", "Sí", "8 horas", ""},
		{"Redes", "Incidente", "No", "4 horas", "Sí"},
	}
	if err := e.ws.Sheets.Replace(context.Background(), "Catálogo", rows); err != nil {
		t.Fatal(err)
	}
	e.answer(procedure.Solicitudes, "maria.lopez@funza-cundinamarca.gov.co", bogota("2026-03-18 21:00"), map[procedure.Field]string{
		procedure.FName: "María López", procedure.FDependencia: "Casa de la Cultura", procedure.FService: "Redes",
		procedure.FDescription: "Sin conexión en el centro de monitoreo"})
	e.request("jose.nunez@funza-cundinamarca.gov.co", "José Núñez", "No abre el programa de nómina", bogota("2026-03-18 21:05"))
	e.cycle(bogota("2026-03-18 21:10"))
	got := map[string]int{}
	for _, m := range e.sent() {
		got[m.Kind]++
	}
	if got["acuse"] != 2 || got["asignacion"] != 1 {
		t.Errorf("sent at 21:10: %v; want both acknowledgements and only the critical service's assignment", got)
	}
}
