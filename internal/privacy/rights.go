package privacy

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Rights requests of titulars (Ley 1581 de 2012): a consulta (art. 14,
// what the office holds about them) is answered within 10 business days
// "contados a partir de la fecha de recibo", extendable by 5 "siguientes al
// vencimiento del primer término" when the titular is told why before it
// expires; a reclamo (art. 15, correction, update or suppression) within 15
// business days "contados a partir del día siguiente a la fecha de su
// recibo", extendable by 8. mesa counts both from the day after receipt on
// the office's calendar (national holidays and the Festivos tab): for the
// reclamo the law says so; for the consulta it is how Colombian terms in
// days are counted (Código General del Proceso art. 118, CPACA), a choice
// this package states rather than the law. They live in the Derechos tab,
// written by `mesa privacy request`, `extend` and `close`.

// Request types.
const (
	Consulta = "Consulta"
	Reclamo  = "Reclamo"
)

// Request states.
const (
	Open   = "Abierta"
	Closed = "Cerrada"
)

// RightsTab is the tab of the titulars' requests. The worker never writes
// it; `mesa privacy request|extend|close` does.
var RightsTab = workbook.Tab{Name: "Derechos", Key: "Radicado", Columns: []workbook.Column{
	{Name: "Radicado", Type: workbook.Text}, {Name: "Tipo", Type: workbook.Text}, {Name: "Recibido", Type: workbook.Date},
	{Name: "Correo del titular", Type: workbook.Text}, {Name: "Asunto", Type: workbook.Text},
	{Name: "Vence", Type: workbook.Date}, {Name: "Prórroga", Type: workbook.Text}, {Name: "Vence con prórroga", Type: workbook.Date},
	{Name: "Estado", Type: workbook.Text}, {Name: "Cerrada el", Type: workbook.Date}, {Name: "Acción tomada", Type: workbook.Text},
}}

// RightsRequest is a row of the Derechos tab.
type RightsRequest struct {
	ID, Type, Email, Subject string
	Received                 time.Time // date
	Due, DueExtended         time.Time // dates: last business day of each term
	Extended                 bool
	State                    string
	ClosedOn                 time.Time
	Action                   string
}

// Terms returns the business days of a type's term and of its extension.
func Terms(typ string) (term, extension int, err error) {
	switch typ {
	case Consulta:
		return 10, 5, nil
	case Reclamo:
		return 15, 8, nil
	}
	return 0, 0, fmt.Errorf("request type %q: want %s or %s", typ, Consulta, Reclamo)
}

// ReceivedPhrase is "consulta recibida" or "reclamo recibido": the
// participle agrees with the type's gender.
func ReceivedPhrase(typ string) string {
	if typ == Reclamo {
		return "reclamo recibido"
	}
	return strings.ToLower(typ) + " recibida"
}

// ParseType reads a type as people type it ("consulta", "Reclamo").
func ParseType(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "consulta":
		return Consulta, nil
	case "reclamo":
		return Reclamo, nil
	}
	return "", fmt.Errorf("request type %q: want consulta or reclamo", s)
}

// NewRequest is a request received on a date, with its legal deadlines.
func NewRequest(cal *calendar.Calendar, id, typ, email, subject string, received time.Time) (RightsRequest, error) {
	term, ext, err := Terms(typ)
	if err != nil {
		return RightsRequest{}, err
	}
	r := RightsRequest{ID: id, Type: typ, Email: strings.ToLower(strings.TrimSpace(email)), Subject: subject, State: Open}
	r.Received = cal.AddBusinessDays(received, 0)
	r.Due = cal.AddBusinessDays(r.Received, term)
	r.DueExtended = cal.AddBusinessDays(r.Due, ext)
	return r, nil
}

// Deadline is the date by which the request must be answered.
func (r RightsRequest) Deadline() time.Time {
	if r.Extended {
		return r.DueExtended
	}
	return r.Due
}

// Status says in Spanish where a request stands at now.
func (r RightsRequest) Status(cal *calendar.Calendar, now time.Time) string {
	if r.State == Closed {
		if !r.ClosedOn.After(r.Deadline()) {
			return "cerrada dentro del término"
		}
		return "cerrada fuera del término"
	}
	left := cal.BusinessDaysBetween(now, r.Deadline())
	today := cal.AddBusinessDays(now, 0)
	switch {
	case today.After(r.Deadline()):
		return fmt.Sprintf("VENCIDA desde el %s", r.Deadline().Format("2006-01-02"))
	case today.Equal(r.Deadline()):
		return "vence HOY"
	default:
		return fmt.Sprintf("vence el %s (%d días hábiles)", r.Deadline().Format("2006-01-02"), left)
	}
}

// ParseRights reads the Derechos tab.
func ParseRights(t workbook.Table, loc *time.Location) []RightsRequest {
	var out []RightsRequest
	date := func(s string) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, s, loc)
		return d
	}
	for _, rec := range t.Records() {
		r := RightsRequest{ID: rec.Get("Radicado"), Type: rec.Get("Tipo"), Email: rec.Get("Correo del titular"), Subject: rec.Get("Asunto"),
			Received: date(rec.Get("Recibido")), Due: date(rec.Get("Vence")), DueExtended: date(rec.Get("Vence con prórroga")),
			Extended: strings.HasPrefix(strings.ToLower(rec.Get("Prórroga")), "s"), State: rec.Get("Estado"),
			ClosedOn: date(rec.Get("Cerrada el")), Action: rec.Get("Acción tomada")}
		if r.ID == "" {
			continue
		}
		out = append(out, r)
	}
	return out
}

// RightsRows renders requests as rows of the Derechos tab.
func RightsRows(rs []RightsRequest) [][]string {
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	out := make([][]string, len(rs))
	for i, r := range rs {
		ext := "No"
		if r.Extended {
			ext = "Sí"
		}
		out[i] = []string{r.ID, r.Type, day(r.Received), r.Email, r.Subject, day(r.Due), ext, day(r.DueExtended), r.State, day(r.ClosedOn), r.Action}
	}
	return out
}

// NextID is the next radicado of a year: "HD-2026-001", "HD-2026-002", ...
func NextID(rs []RightsRequest, year int) string {
	prefix := fmt.Sprintf("HD-%d-", year)
	n := 0
	for _, r := range rs {
		if k, err := strconv.Atoi(strings.TrimPrefix(r.ID, prefix)); err == nil && strings.HasPrefix(r.ID, prefix) && k > n {
			n = k
		}
	}
	return fmt.Sprintf("%s%03d", prefix, n+1)
}

// Reminders are the lines of the administrator's digest: every open request
// with its deadline, the most urgent first. The titular appears by
// radicado only (the digest is mail).
func Reminders(rs []RightsRequest, cal *calendar.Calendar, now time.Time) []string {
	var open []RightsRequest
	for _, r := range rs {
		if r.State != Closed {
			open = append(open, r)
		}
	}
	sort.SliceStable(open, func(i, j int) bool { return open[i].Deadline().Before(open[j].Deadline()) })
	var out []string
	for _, r := range open {
		s := fmt.Sprintf("%s (%s el %s): %s", r.ID, ReceivedPhrase(r.Type), r.Received.Format("2006-01-02"), r.Status(cal, now))
		if !r.Extended && !cal.AddBusinessDays(now, 0).After(r.Due) {
			s += fmt.Sprintf("; prorrogable hasta el %s avisando antes al titular", r.DueExtended.Format("2006-01-02"))
		}
		out = append(out, s)
	}
	return out
}

// Month counts the requests of a month for `mesa report`: received in it
// (by type), closed in it, and of those closed within the term.
type Month struct {
	Consultas, Reclamos, Closed, OnTime, Overdue int
}

// CountMonth counts the requests of the month starting at first (a date in
// loc); Overdue counts those open past their deadline at the month's end.
func CountMonth(rs []RightsRequest, first time.Time, cal *calendar.Calendar) Month {
	next := first.AddDate(0, 1, 0)
	var m Month
	in := func(t time.Time) bool { return !t.IsZero() && !t.Before(first) && t.Before(next) }
	for _, r := range rs {
		if in(r.Received) {
			if r.Type == Reclamo {
				m.Reclamos++
			} else {
				m.Consultas++
			}
		}
		if r.State == Closed && in(r.ClosedOn) {
			m.Closed++
			if !r.ClosedOn.After(r.Deadline()) {
				m.OnTime++
			}
		}
		if !r.Received.IsZero() && r.Received.Before(next) && (r.State != Closed || !r.ClosedOn.Before(next)) && next.AddDate(0, 0, -1).After(r.Deadline()) {
			m.Overdue++
		}
	}
	return m
}

// Line is the report's monthly line (Spanish).
func (m Month) Line() string {
	return fmt.Sprintf("Solicitudes de titulares (Ley 1581 de 2012): %s y %s recibidos; %s, %d dentro del término legal; %s sin respuesta al cierre del mes.",
		count(m.Consultas, "consulta", "consultas"), count(m.Reclamos, "reclamo", "reclamos"), count(m.Closed, "cerrado", "cerrados"),
		m.OnTime, count(m.Overdue, "vencido", "vencidos"))
}

// count is "1 consulta" or "2 consultas".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
