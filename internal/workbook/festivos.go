package workbook

import (
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
)

// Holidays reads the Festivos tab as the rules use it: each row's Fecha
// (d/M/yyyy, yyyy-MM-dd or a Sheets date serial, procedure.ParseDate) and
// Nombre. Rows whose date cannot be read are returned apart, to be
// reported and skipped.
func Holidays(t Table, loc *time.Location) ([]calendar.Holiday, []Record) {
	var out []calendar.Holiday
	var bad []Record
	for _, r := range t.Records() {
		d, ok := procedure.ParseDate(r.Get("Fecha"), loc)
		if !ok {
			bad = append(bad, r)
			continue
		}
		out = append(out, calendar.Holiday{Date: d, Name: r.Get("Nombre")})
	}
	return out, bad
}
