package archive

import (
	"testing"
	"time"
)

// TestAutoYear: `mesa run` with archive.auto archives the year before from
// archive.propose_from on, and never when the month is unset or auto off.
func TestAutoYear(t *testing.T) {
	bogota, err := time.LoadLocation("America/Bogota")
	if err != nil {
		t.Fatal(err)
	}
	firstOfMarch := time.Date(2026, 3, 1, 0, 30, 0, 0, bogota)
	for _, c := range []struct {
		name string
		now  time.Time
		from time.Month
		auto bool
		year int
		ok   bool
	}{
		{"from the month on", firstOfMarch, time.March, true, 2025, true},
		{"later in the year", time.Date(2026, 11, 30, 12, 0, 0, 0, bogota), time.March, true, 2025, true},
		{"before the month", time.Date(2026, 2, 28, 23, 59, 0, 0, bogota), time.March, true, 0, false},
		{"the month in Bogotá, not UTC", time.Date(2026, 3, 1, 4, 0, 0, 0, time.UTC), time.March, true, 0, false},
		{"auto off", firstOfMarch, time.March, false, 0, false},
		{"never proposed", firstOfMarch, 0, true, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			year, ok := AutoYear(c.now, bogota, c.from, c.auto)
			if year != c.year || ok != c.ok {
				t.Errorf("AutoYear = %d, %v; want %d, %v", year, ok, c.year, c.ok)
			}
		})
	}
}
