package privacy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/privacy"
	"github.com/funza-tic/mesa/internal/workbook"
)

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, s, calendar.Bogota())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Ley 1581 de 2012, art. 14: "Las consultas serán atendidas en un término
// máximo de diez (10) días hábiles contados a partir de la fecha de recibo
// ... en ningún caso podrá superar los cinco (5) días hábiles siguientes al
// vencimiento del primer término"; art. 15: "El término máximo para
// atender el reclamo será de quince (15) días hábiles contados a partir del
// día siguiente a la fecha de su recibo ... en ningún caso podrá superar
// los ocho (8) días hábiles siguientes al vencimiento del primer término".
// Counted on the office calendar, across holidays.
func TestRightsDeadlines(t *testing.T) {
	closure := []calendar.Holiday{{Date: day(t, "2026-07-21"), Name: "Cierre por inventario"}}
	cal := calendar.New(calendar.Bogota(), closure, calendar.Hours{})
	for _, tc := range []struct {
		name, typ, received, due, extended string
	}{
		// San José (Mon 23 March) and Jueves and Viernes Santo (2 and 3 April).
		{"consulta across San José and Semana Santa", privacy.Consulta, "2026-03-18", "2026-04-06", "2026-04-13"},
		{"reclamo across San José and Semana Santa", privacy.Reclamo, "2026-03-18", "2026-04-13", "2026-04-23"},
		// 25 December, 1 January and Reyes moved to Monday 11 January 2027.
		{"consulta across Christmas and New Year", privacy.Consulta, "2026-12-18", "2027-01-05", "2027-01-13"},
		{"reclamo received on a Saturday", privacy.Reclamo, "2026-12-19", "2027-01-13", "2027-01-25"},
		// 20 July (Independencia), the office's own closure on the 21st and 7 August (Boyacá).
		{"consulta across 20 July and a Festivos closure", privacy.Consulta, "2026-07-17", "2026-08-04", "2026-08-12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := privacy.NewRequest(cal, "HD-2026-001", tc.typ, "Titular@Entidad.gov.co", "Qué datos tienen", day(t, tc.received))
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Due.Format(time.DateOnly); got != tc.due {
				t.Errorf("due %s, want %s", got, tc.due)
			}
			if got := r.DueExtended.Format(time.DateOnly); got != tc.extended {
				t.Errorf("extended %s, want %s", got, tc.extended)
			}
			if r.Email != "titular@entidad.gov.co" || r.State != privacy.Open {
				t.Errorf("request: %+v", r)
			}
		})
	}
	if _, err := privacy.NewRequest(cal, "x", "Queja", "a@b.co", "", day(t, "2026-03-18")); err == nil {
		t.Error("a type other than consulta or reclamo was accepted")
	}
}

// The tab round-trips, reminders put the most urgent first and offer the
// extension only before the first term ends, and the month's line counts
// what was received, closed and closed in time.
func TestRightsTabRemindersAndMonth(t *testing.T) {
	cal := calendar.New(calendar.Bogota(), nil, calendar.Hours{})
	a, _ := privacy.NewRequest(cal, "HD-2026-001", privacy.Consulta, "a@entidad.gov.co", "Consulta de datos", day(t, "2026-03-18"))
	b, _ := privacy.NewRequest(cal, "HD-2026-002", privacy.Reclamo, "b@entidad.gov.co", "Supresión", day(t, "2026-03-02"))
	c, _ := privacy.NewRequest(cal, "HD-2026-003", privacy.Consulta, "c@entidad.gov.co", "Consulta", day(t, "2026-03-03"))
	c.State, c.ClosedOn, c.Action = privacy.Closed, day(t, "2026-03-10"), "Se entregó la tabla de privacy find"
	rows := append([][]string{headerOf(privacy.RightsTab)}, privacy.RightsRows([]privacy.RightsRequest{a, b, c})...)
	vals := make([][]any, len(rows))
	for i, r := range rows {
		for _, v := range r {
			vals[i] = append(vals[i], v)
		}
	}
	back := privacy.ParseRights(workbook.NewTable(privacy.RightsTab, vals), calendar.Bogota())
	if len(back) != 3 || !back[1].Due.Equal(b.Due) || back[2].State != privacy.Closed || back[2].Action != c.Action {
		t.Fatalf("round trip: %+v", back)
	}
	if got := privacy.NextID(back, 2026); got != "HD-2026-004" {
		t.Errorf("next radicado %s", got)
	}
	now := day(t, "2026-03-23").Add(9 * time.Hour) // San José: not a business day
	rem := privacy.Reminders(back, cal, now)
	if len(rem) != 2 || !strings.HasPrefix(rem[0], "HD-2026-002 (reclamo") || !strings.Contains(rem[0], "vence el 2026-03-24") ||
		!strings.Contains(rem[0], "prorrogable hasta el 2026-04-07") || !strings.HasPrefix(rem[1], "HD-2026-001") {
		t.Errorf("reminders at %s:\n%s", now, strings.Join(rem, "\n"))
	}
	late := privacy.Reminders(back, cal, day(t, "2026-03-25"))
	if !strings.Contains(late[0], "VENCIDA desde el 2026-03-24") || strings.Contains(late[0], "prorrogable") {
		t.Errorf("reminder after the term: %s", late[0])
	}
	m := privacy.CountMonth(back, day(t, "2026-03-01"), cal)
	if m != (privacy.Month{Consultas: 2, Reclamos: 1, Closed: 1, OnTime: 1, Overdue: 1}) {
		t.Errorf("March: %+v", m)
	}
	if !strings.Contains(m.Line(), "2 consultas y 1 reclamo recibidos; 1 cerrado, 1 dentro del término legal; 1 vencido sin respuesta") {
		t.Errorf("line: %s", m.Line())
	}
}

func headerOf(t workbook.Tab) []string {
	var out []string
	for _, c := range t.Columns {
		out = append(out, c.Name)
	}
	return out
}
