package forms_test

import (
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/forms"
)

// Every timestamp layout Google writes for the Spanish and English locales
// (testdata/forms/README.md), and what Excel leaves after re-saving, reads
// as the same instant; impossible dates are refused.
func TestParseTimestampOrder(t *testing.T) {
	at := time.Date(2026, 3, 16, 20, 2, 11, 0, calendar.Bogota())
	for _, c := range []struct {
		in       string
		dayFirst bool
		want     time.Time
	}{
		{"16/3/2026 20:02:11", true, at},
		{"16/03/2026 20:02:11", true, at},
		{"3/16/2026 20:02:11", false, at},
		{"2026/03/16 8:02:11 p. m. GMT-5", true, at},
		{"2026/03/16 8:02:11 p.m. GMT-5", true, at},
		{"2026/03/16 8:02:11 PM GMT-5", false, at},
		{"2026/03/16 8:02:11 PM GMT-05:00", false, at},
		{"2026/03/17 1:02:11 AM GMT", false, at},
		{"16/03/2026 8:02:11 p. m.", true, at},
		{"2026-03-16 20:02:11", true, at},
		{"2026-03-16T20:02:11-05:00", true, at},
		{"2026-03-17T01:02:11Z", true, at},
		{"16/3/2026 20:02", true, at.Truncate(time.Minute)},
		{"2026/03/16 12:00:00 a. m. GMT-5", true, time.Date(2026, 3, 16, 0, 0, 0, 0, calendar.Bogota())},
		{"2026/03/16 12:30:00 p. m. GMT-5", true, time.Date(2026, 3, 16, 12, 30, 0, 0, calendar.Bogota())},
	} {
		got, err := forms.ParseTimestampOrder(c.in, calendar.Bogota(), c.dayFirst)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("%q: %v %v, want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"31/2/2026 8:00:00", "16/3/2026 25:00:00", "2026/03/16 13:02:11 p. m. GMT-5", "ayer", "16/3/26 8:00", ""} {
		if got, err := forms.ParseTimestampOrder(bad, calendar.Bogota(), true); err == nil {
			t.Errorf("%q read as %v, want an error", bad, got)
		}
	}
}
