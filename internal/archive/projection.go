package archive

import (
	"context"
	"math"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/workbook"
)

// growth lists the tabs that grow with the cases and the column that dates
// each of their rows.
var growth = []struct {
	tab  workbook.Tab
	date string
}{
	{workbook.Historial, "Fecha efectiva"},
	{workbook.Casos, "Fecha de registro"},
	{workbook.Notificaciones, "Fecha"},
	{workbook.Rechazos, "Fecha"},
	{workbook.Encuestas, "Invitación"},
}

// Window is how far back the fill rate is measured.
const Window = 90 * 24 * time.Hour

// Projection estimates when the live workbook reaches limit cells, at the
// rate of the last 90 days: the rows dated in that window in the tabs that
// grow with the cases, times each tab's width. ok is false when nothing
// grew in the window (no date to give).
func Projection(ctx context.Context, live Sheet, used, limit int, now time.Time) (time.Time, float64, bool, error) {
	names := make([]string, len(growth))
	for i, g := range growth {
		names[i] = g.tab.Name
	}
	vals, err := live.Read(ctx, names)
	if err != nil {
		return time.Time{}, 0, false, err
	}
	from := now.Add(-Window)
	cells := 0
	for i, g := range growth {
		t := workbook.NewTable(g.tab, vals[i])
		col := -1
		for j, h := range t.Header {
			if h == g.date {
				col = j
			}
		}
		if col < 0 {
			continue
		}
		for _, r := range t.Rows {
			if col >= len(r) {
				continue
			}
			at, err := time.ParseInLocation(workbook.InstantLayout, r[col], calendar.Bogota())
			if err == nil && at.After(from) && !at.After(now) {
				cells += len(t.Header)
			}
		}
	}
	if cells == 0 {
		return time.Time{}, 0, false, nil
	}
	perDay := float64(cells) / Window.Hours() * 24
	if used >= limit {
		return now, perDay, true, nil
	}
	// By whole days: a slow office's date lies centuries away, past what a
	// time.Duration holds (292 years), and would wrap into the past.
	days := math.Ceil(float64(limit-used) / perDay)
	return now.AddDate(0, 0, int(min(days, 1e7))), perDay, true, nil
}
