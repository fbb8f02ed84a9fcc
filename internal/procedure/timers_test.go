package procedure_test

import (
	"strings"
	"testing"
	"time"

	. "github.com/funza-tic/mesa/internal/procedure"
)

// waitFrom puts case 1 En Espera por disponibilidad del usuario at when.
func waitFrom(t *testing.T, p Profile, when string) *desk {
	t.Helper()
	d := newDesk(t, p)
	d.cycle(when, req("a", at(when).Add(-time.Hour).Format("2006-01-02 15:04"), nil))
	d.cycle(when, ans(when, "hugo@mesa.test", "1", "En Espera", kv{FWaitReason: "Disponibilidad del usuario", FVisitDate: at(when).Format("02/01/2006")}))
	return d
}

// F-5c: eight business days counted from the day after the response; the
// case becomes Resuelto at 00:00 of the day after the 8th, whatever time the
// cycle runs (DESIGN.md §6).
func TestEightBusinessDays(t *testing.T) {
	tests := []struct {
		name     string
		waitAt   string
		deadline string
	}{
		// The worked example of DESIGN.md §6: Monday 23 March is San José.
		{"worked example", "2026-03-18 10:00", "2026-04-01 00:00"},
		{"time of day does not matter (late)", "2026-03-18 23:59:59", "2026-04-01 00:00"},
		{"time of day does not matter (midnight)", "2026-03-18 00:00", "2026-04-01 00:00"},
		// Friday before a long weekend: San José (Mon 23) and then Jueves and
		// Viernes Santo (2 and 3 April 2026).
		{"friday before a long weekend", "2026-03-20 16:00", "2026-04-07 00:00"},
		// Easter-based holidays: Jueves and Viernes Santo 2026.
		{"across semana santa", "2026-03-30 09:00", "2026-04-14 00:00"},
		// Ascensión 2026 (Easter+43, moved to Monday 18 May).
		{"across ascensión", "2026-05-13 09:00", "2026-05-27 00:00"},
		// A holiday on a Sunday (20 July 2025) is not moved and costs no day.
		{"holiday falling on a sunday", "2025-07-17 09:00", "2025-07-30 00:00"},
		// A holiday on a Saturday (1 January 2028) costs no day either; Reyes
		// 2028 moves to Monday 10 January.
		{"holiday falling on a saturday, across the year end", "2027-12-29 09:00", "2028-01-12 00:00"},
		// Navidad (Fri), Año Nuevo (Fri) and Reyes moved to Mon 11 Jan 2027.
		{"across the year end", "2026-12-22 15:00", "2027-01-06 00:00"},
		{"started on a saturday", "2026-03-21 10:00", "2026-04-07 00:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := waitFrom(t, Funza, tc.waitAt)
			deadline := at(tc.deadline)
			ev := eventsOf(d.journal, KAttended)[0]
			if got := ev.Data.Deadline; got != deadline.Format(time.RFC3339) {
				t.Fatalf("deadline = %s, want %s", got, deadline.Format(time.RFC3339))
			}
			// The calendar agrees: the 8th business day is the day before.
			if n := d.eng.Cal.BusinessDaysBetween(at(tc.waitAt), deadline.AddDate(0, 0, -1)); n != 8 {
				t.Fatalf("%d business days between, want 8", n)
			}
			res := d.cycle(deadline.Add(-time.Second).Format("2006-01-02 15:04:05"))
			if c := res.Case(1); c.State != EnEspera || len(res.New) != 0 {
				t.Fatalf("a second before the deadline: %s, new %v", c.State, kinds(res.New))
			}
			// The cycle runs days later, in the afternoon: the transition is
			// still recorded at the deadline.
			res = d.cycle(deadline.AddDate(0, 0, 3).Add(15 * time.Hour).Format("2006-01-02 15:04"))
			c := res.Case(1)
			if c.State != Resuelto || !c.StateAt.Equal(deadline) || !c.Solved.Equal(deadline) {
				t.Fatalf("after the deadline: %s at %v (solved %v), want Resuelto at %v", c.State, c.StateAt, c.Solved, deadline)
			}
			auto := eventsOf(res.New, KAutoSolved)
			if len(auto) != 1 || auto[0].Rule != F5c || !auto[0].At.Equal(deadline) || !strings.Contains(auto[0].Data.Note, "F-5c") {
				t.Fatalf("auto events %+v", auto)
			}
			if got := sent(res.Notices); len(got) != 1 || got[0] != "cierre_automatico→usuario@mesa.test" {
				t.Errorf("notices %v", got)
			}
			if len(eventsOf(d.cycle(deadline.AddDate(0, 0, 10).Format("2006-01-02")).New, KAutoSolved)) != 0 {
				t.Error("the timer fired twice")
			}
		})
	}
}

// A new agent response restarts the count, or ends it.
func TestEightBusinessDaysRestart(t *testing.T) {
	t.Run("a new en espera restarts the count", func(t *testing.T) {
		d := waitFrom(t, Funza, "2026-03-18 10:00")
		d.cycle("2026-03-25 12:00", ans("2026-03-25 11:00", "hugo@mesa.test", "1", "En Espera",
			kv{FWaitReason: "Disponibilidad del usuario", FVisitDate: "30/03/2026"}))
		res := d.cycle("2026-04-01 08:00")
		if c := res.Case(1); c.State != EnEspera {
			t.Fatalf("the first deadline fired: %s", c.State)
		}
		// From Wed 25 March: 26, 27, 30, 31 March, 1, 6, 7, 8 April.
		res = d.cycle("2026-04-09 08:00")
		if c := res.Case(1); c.State != Resuelto || !c.StateAt.Equal(at("2026-04-09")) {
			t.Fatalf("%s at %v, want Resuelto at 2026-04-09 00:00", c.State, c.StateAt)
		}
	})
	t.Run("an en espera for another reason stops it", func(t *testing.T) {
		d := waitFrom(t, Funza, "2026-03-18 10:00")
		d.cycle("2026-03-25 12:00", ans("2026-03-25 11:00", "hugo@mesa.test", "1", "En Espera", kv{FWaitReason: "Garantía"}))
		if c := d.cycle("2026-06-01").Case(1); c.State != EnEspera || c.WaitReason != WaitWarranty {
			t.Fatalf("%s %s", c.State, c.WaitReason)
		}
	})
	t.Run("a response after the deadline is rejected: the timer fired first", func(t *testing.T) {
		d := waitFrom(t, Funza, "2026-03-18 10:00")
		// One cycle, run after both: the timer fires at its instant, then the
		// late response finds the case closed.
		res := d.cycle("2026-04-02 10:00", ans("2026-04-01 09:00", "hugo@mesa.test", "1", "En Espera",
			kv{FWaitReason: "Disponibilidad del usuario", FVisitDate: "02/04/2026"}))
		if got := kinds(res.New); len(got) != 2 || got[0] != KAutoSolved || got[1] != KRejected {
			t.Fatalf("events %v, want the timer then the rejection", got)
		}
		if rej := rejections(res.New); !strings.Contains(rej[0], "ya está Resuelto desde el 01/04/2026") {
			t.Errorf("reason %q", rej[0])
		}
		if c := res.Case(1); c.State != Resuelto || !c.StateAt.Equal(at("2026-04-01")) {
			t.Fatalf("%s at %v", c.State, c.StateAt)
		}
	})
	t.Run("a response at the deadline instant comes after the timer", func(t *testing.T) {
		d := waitFrom(t, Funza, "2026-03-18 10:00")
		res := d.cycle("2026-04-01 10:00", ans("2026-04-01 00:00", "hugo@mesa.test", "1", "Resuelto", nil))
		if got := kinds(res.New); len(got) != 2 || got[0] != KAutoSolved || got[1] != KRejected {
			t.Fatalf("events %v", got)
		}
	})
	t.Run("a response submitted before the deadline but observed late restarts the count", func(t *testing.T) {
		d := waitFrom(t, Funza, "2026-03-18 10:00")
		// Forms lists the response only after the deadline passed; it was
		// submitted on Tuesday 31 March, so it applies first.
		res := d.cycle("2026-04-02 10:00", ans("2026-03-31 16:00", "hugo@mesa.test", "1", "En Espera",
			kv{FWaitReason: "Disponibilidad del usuario", FVisitDate: "06/04/2026"}))
		if got := kinds(res.New); len(got) != 1 || got[0] != KAttended {
			t.Fatalf("events %v, want only the response", got)
		}
		// From Tue 31 March: 1, 6, 7, 8, 9, 10, 13, 14 April.
		want := at("2026-04-15").Format(time.RFC3339)
		if got := res.New[0].Data.Deadline; got != want {
			t.Fatalf("new deadline %s, want %s", got, want)
		}
		if c := res.Case(1); c.State != EnEspera {
			t.Fatalf("%s", c.State)
		}
	})
	t.Run("a resuelto by the agent before the deadline ends the count", func(t *testing.T) {
		d := waitFrom(t, Funza, "2026-03-18 10:00")
		d.cycle("2026-03-20 12:00", ans("2026-03-20 11:00", "hugo@mesa.test", "1", "Resuelto", nil))
		if res := d.cycle("2026-04-10"); len(eventsOf(res.New, KAutoSolved)) != 0 || !res.Case(1).StateAt.Equal(at("2026-03-20 11:00")) {
			t.Fatalf("new %v", kinds(res.New))
		}
	})
}

// Extra closures from the Festivos tab count like national holidays.
func TestEightBusinessDaysWithFestivos(t *testing.T) {
	d := newDesk(t, Funza)
	d.eng.Cal = newCalendarWith(t, "2026-03-19", "2026-03-20")
	d.cycle("2026-03-18 10:00", req("a", "2026-03-18 09:00", nil))
	d.cycle("2026-03-18 10:00", ans("2026-03-18 10:00", "hugo@mesa.test", "1", "En Espera", kv{FWaitReason: "Disponibilidad del usuario", FVisitDate: "18/03/2026"}))
	want := at("2026-04-07").Format(time.RFC3339) // two more days than the worked example, and Semana Santa
	if got := eventsOf(d.journal, KAttended)[0].Data.Deadline; got != want {
		t.Fatalf("deadline %s, want %s", got, want)
	}
}
