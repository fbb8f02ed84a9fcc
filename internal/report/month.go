package report

import (
	"fmt"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
)

// Month is a calendar month of the office. It runs from the 1st at 00:00
// to the 1st of the next month at 00:00, in America/Bogota: an event at
// 2026-04-01 00:00:00 belongs to April (the F-5c closures effective at
// midnight of the 1st do too).
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads "YYYY-MM".
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Month{}, fmt.Errorf("el mes «%s» no es válido: escriba AAAA-MM, por ejemplo 2026-03", s)
	}
	return Month{t.Year(), t.Month()}, nil
}

// MonthOf returns the month t falls in, in loc.
func MonthOf(t time.Time, loc *time.Location) Month {
	t = t.In(loc)
	return Month{t.Year(), t.Month()}
}

// String renders the month as "2026-03", the Periodo of KAWAK.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Start is the first instant of the month in loc.
func (m Month) Start(loc *time.Location) time.Time {
	return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, loc)
}

// End is the first instant of the next month in loc (exclusive).
func (m Month) End(loc *time.Location) time.Time {
	return time.Date(m.Year, m.Month+1, 1, 0, 0, 0, 0, loc)
}

// Contains reports whether t falls in the month.
func (m Month) Contains(t time.Time, loc *time.Location) bool {
	return !t.IsZero() && !t.Before(m.Start(loc)) && t.Before(m.End(loc))
}

// Add returns the month n months later (earlier when n < 0).
func (m Month) Add(n int) Month {
	t := time.Date(m.Year, m.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	return Month{t.Year(), t.Month()}
}

var meses = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
	"agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// Name is the month as people read it: "marzo de 2026".
func (m Month) Name() string { return fmt.Sprintf("%s de %d", meses[m.Month-1], m.Year) }

// Short is the month for a chart axis: "mar. 2026".
func (m Month) Short() string { return fmt.Sprintf("%s %d", meses[m.Month-1][:3], m.Year%100) }

// Scheduled says whether day is the n-th business day of its month, the day
// the report of the previous month is due (Funza paso 10: monthly; PD-GT-1
// actividad 26: within the first ten days of the next month), and which
// month that is. `mesa run` calls it from its daily report job.
func Scheduled(cal *calendar.Calendar, day time.Time, n int) (Month, bool) {
	n = max(n, 1)
	this := MonthOf(day, cal.Location())
	prev := this.Start(cal.Location()).AddDate(0, 0, -1)
	nth := cal.AddBusinessDays(prev, n)
	y1, m1, d1 := nth.Date()
	y2, m2, d2 := day.In(cal.Location()).Date()
	return this.Add(-1), y1 == y2 && m1 == m2 && d1 == d2
}
