package procedure_test

import (
	"testing"
	"time"

	. "github.com/funza-tic/mesa/internal/procedure"
)

// Service levels from the Catálogo (DESIGN.md §6): business hours or days,
// the clock stopped while En Espera, Vencido when past due.
func TestServiceLevels(t *testing.T) {
	tests := []struct {
		name    string
		profile Profile
		request kv
		reqAt   string
		later   []Response // responses on case 1
		now     string
		due     string // "" = paused
		overdue bool
	}{
		{"hours, across the night", Funza, kv{FService: "Soporte"}, "2026-03-16 16:00", nil, "2026-03-17 10:59", "2026-03-17 11:00", false},
		{"hours, past due", Funza, kv{FService: "Soporte"}, "2026-03-16 16:00", nil, "2026-03-17 11:01", "2026-03-17 11:00", true},
		{"hours, registered at night start next morning", Funza, kv{FService: "Soporte"}, "2026-03-16 20:00", nil, "2026-03-17 09:00", "2026-03-17 12:00", false},
		// 2 días = 18 business hours; Monday 23 March is San José.
		{"days, across a long weekend", Funza, kv{FService: "Instalación de software"}, "2026-03-20 10:00", nil, "2026-03-20 12:00", "2026-03-25 10:00", false},
		// A deadline that uses up a day's window ends at its close (17:00).
		{"service missing from the Catálogo takes the default (3 días)", Funza, kv{FService: "Otro"}, "2026-03-16 08:00", nil, "2026-03-16 09:00", "2026-03-18 17:00", false},
		{"catalogue match ignores accents and case", Funza, kv{FService: "INSTALACION DE SOFTWARE"}, "2026-03-16 08:00", nil, "2026-03-16 09:00", "2026-03-17 17:00", false},
		{"paused while en espera", Funza, kv{FService: "Soporte"}, "2026-03-16 08:00",
			[]Response{ans("2026-03-16 10:00", "hugo@mesa.test", "1", "En Espera", kv{FWaitReason: "Garantía"})}, "2026-03-30 09:00", "", false},
		// Two business hours used before the wait; the wait (Mon 10:00 to
		// Wed 10:00) does not count: due two more hours after Wednesday 10:00.
		{"resumes after the wait", Funza, kv{FService: "Soporte"}, "2026-03-16 08:00",
			[]Response{ans("2026-03-16 10:00", "hugo@mesa.test", "1", "En Espera", kv{FWaitReason: "Garantía"}),
				ans("2026-03-18 10:00", "hugo@mesa.test", "1", "Resuelto", nil)}, "2026-03-30 09:00", "2026-03-18 12:00", false},
		{"solved late stays overdue", Funza, kv{FService: "Soporte"}, "2026-03-16 08:00",
			[]Response{ans("2026-03-16 13:00", "hugo@mesa.test", "1", "Resuelto", nil)}, "2026-03-30 09:00", "2026-03-16 12:00", true},
		{"solved in time is never overdue", Funza, kv{FService: "Soporte"}, "2026-03-16 08:00",
			[]Response{ans("2026-03-16 11:00", "hugo@mesa.test", "1", "Resuelto", nil)}, "2026-03-30 09:00", "2026-03-16 12:00", false},
		// SCJ hours: Mon–Fri 07–19, Sat–Sun 08–12, holidays like Sundays.
		{"scj: weekend hours count", SCJBogota, kv{FService: "Redes"}, "2026-03-20 17:00", nil, "2026-03-20 18:00", "2026-03-22 10:00", false},
		// Sun 11–12 (1 h), Monday 23 March (San José) 08–12 (4 h), Tue 07–10.
		{"scj: a holiday has weekend hours", SCJBogota, kv{FService: "Redes"}, "2026-03-22 11:00", nil, "2026-03-22 11:30", "2026-03-24 10:00", false},
		// 2 días with 12-hour SCJ days = 24 h: Wed 09:00 + 10 h, Thu 12 h, Fri 2 h.
		{"scj: days are the office's twelve-hour days", SCJBogota, kv{FService: "Instalación de software"}, "2026-03-18 09:00", nil, "2026-03-18 09:30", "2026-03-20 09:00", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, tc.profile)
			d.cycle(tc.reqAt, req("a", tc.reqAt, tc.request))
			res := d.cycle(tc.now, tc.later...)
			c := res.Case(1)
			if tc.due == "" {
				if !c.Due.IsZero() || c.Overdue {
					t.Fatalf("due %v overdue %v, want paused", c.Due, c.Overdue)
				}
				return
			}
			if !c.Due.Equal(at(tc.due)) || c.Overdue != tc.overdue {
				t.Fatalf("due %v overdue %v, want %s %v", c.Due.In(bogota), c.Overdue, tc.due, tc.overdue)
			}
		})
	}
}

// The Catálogo's ANS in hours and days as SLA values.
func TestSLADuration(t *testing.T) {
	if got := (SLA{Amount: 3, Days: true}).Duration(9 * time.Hour); got != 27*time.Hour {
		t.Errorf("3 días = %v", got)
	}
	if got := (SLA{Amount: 5}).Duration(9 * time.Hour); got != 5*time.Hour {
		t.Errorf("5 horas = %v", got)
	}
}
