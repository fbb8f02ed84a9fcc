package calendar_test

import (
	"testing"

	"github.com/funza-tic/mesa/internal/calendar"
)

func TestNextOpen(t *testing.T) {
	funza := calendar.New(bogota, nil, hours(t, calendar.FunzaHours, false))
	scj := calendar.New(bogota, nil, hours(t, calendar.SCJHours, true))
	split := calendar.New(bogota, nil, hours(t, "lun-vie 08:00-12:00, 14:00-17:00", false))
	closure := calendar.New(bogota, []calendar.Holiday{{Date: date(t, "2026-03-24"), Name: "Cierre"}}, hours(t, calendar.FunzaHours, false))
	for _, tc := range []struct {
		name     string
		cal      *calendar.Calendar
		from     string
		want     string
		wantOpen bool
	}{
		{"inside a window stays", funza, "2026-03-18 10:15", "2026-03-18 10:15", true},
		{"window start is open", funza, "2026-03-18 08:00", "2026-03-18 08:00", true},
		{"window end is closed", funza, "2026-03-18 17:00", "2026-03-19 08:00", false},
		{"evening goes to next morning", funza, "2026-03-18 19:30", "2026-03-19 08:00", false},
		{"early morning waits for 08:00", funza, "2026-03-18 06:59", "2026-03-18 08:00", false},
		{"Friday evening goes to Monday", funza, "2026-03-27 19:30", "2026-03-30 08:00", false},
		// Lunes 23 de marzo de 2026 is San José (19 Mar moved to Monday).
		{"weekend and Monday holiday go to Tuesday", funza, "2026-03-20 19:30", "2026-03-24 08:00", false},
		{"an extra closure day counts too", closure, "2026-03-20 19:30", "2026-03-25 08:00", false},
		{"lunch break", split, "2026-03-18 12:30", "2026-03-18 14:00", false},
		{"SCJ serves on Saturday mornings", scj, "2026-03-20 19:30", "2026-03-21 08:00", false},
		{"SCJ holiday has weekend hours", scj, "2026-03-23 06:00", "2026-03-23 08:00", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from := at(t, tc.from)
			if got := tc.cal.NextOpen(from); !got.Equal(at(t, tc.want)) {
				t.Errorf("NextOpen(%s) = %s, want %s", tc.from, got.Format("Mon 2006-01-02 15:04"), tc.want)
			}
			if got := tc.cal.Open(from); got != tc.wantOpen {
				t.Errorf("Open(%s) = %v, want %v", tc.from, got, tc.wantOpen)
			}
		})
	}
	if got := calendar.New(bogota, nil, calendar.Hours{}).NextOpen(at(t, "2026-03-18 10:00")); !got.IsZero() {
		t.Errorf("no hours: NextOpen = %s, want the zero time", got)
	}
}
