package procedure_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	. "github.com/funza-tic/mesa/internal/procedure"
)

// served registers and resolves one case per user, all by Hugo, in the week
// of Monday 16 March 2026 (ISO 2026-W12).
func served(t *testing.T, users ...string) *desk {
	t.Helper()
	d := newDesk(t, Funza)
	var rs []Response
	for i, u := range users {
		when := fmt.Sprintf("2026-03-%02d 09:%02d", 16+i%5, i)
		rs = append(rs, req(fmt.Sprintf("r%02d", i), when, kv{FEmail: u}))
	}
	d.cycle("2026-03-20 18:00", rs...)
	var as []Response
	for i := range users {
		when := fmt.Sprintf("2026-03-%02d 15:%02d", 16+i%5, i)
		as = append(as, ans(when, "hugo@mesa.test", fmt.Sprint(i+1), "Resuelto", nil))
	}
	d.cycle("2026-03-20 18:00", as...)
	return d
}

func invited(evs []Event) []int {
	var out []int
	for _, e := range eventsOf(evs, KInvited) {
		out = append(out, e.Case)
	}
	return out
}

// F-8: each week, for each agent, at least three users served, drawn
// reproducibly by the first cycle after Monday 00:00.
func TestWeeklySample(t *testing.T) {
	users := []string{"u1@m.test", "u2@m.test", "u3@m.test", "u4@m.test", "u5@m.test", "u6@m.test"}
	t.Run("not drawn before the week ends", func(t *testing.T) {
		d := served(t, users...)
		if res := d.cycle("2026-03-22 23:59:59"); len(invited(res.New)) != 0 {
			t.Fatalf("invited %v during the week", invited(res.New))
		}
	})
	t.Run("drawn by the first cycle after monday, effective monday 00:00", func(t *testing.T) {
		d := served(t, users...)
		res := d.cycle("2026-03-23 06:10")
		inv := eventsOf(res.New, KInvited)
		if len(inv) != 3 {
			t.Fatalf("invited %v, want 3", invited(res.New))
		}
		for _, e := range inv {
			if !e.At.Equal(at("2026-03-23")) || e.Rule != F8 || e.Data.Week != "2026-W12" || e.Data.Agent != "Hugo Sol" {
				t.Errorf("invitation %+v", e)
			}
		}
		if w := eventsOf(res.New, KWeekSampled); len(w) != 1 || w[0].Data.Week != "2026-W12" {
			t.Errorf("week events %+v", w)
		}
		if got := len(res.Notices); got != 3 || res.Notices[0].Kind != NEncuesta {
			t.Errorf("notices %v", sent(res.Notices))
		}
		if again := d.cycle("2026-03-24 06:10"); len(invited(again.New)) != 0 {
			t.Errorf("a second cycle invited %v again", invited(again.New))
		}
	})
	t.Run("reproducible whatever the listing order", func(t *testing.T) {
		a := invited(served(t, users...).cycle("2026-03-23 06:10").New)
		d := served(t, users...)
		slices.Reverse(d.responses)
		b := invited(d.cycle("2026-03-23 06:10").New)
		if !slices.Equal(a, b) {
			t.Fatalf("%v then %v", a, b)
		}
	})
	t.Run("one case per user, fewer than three when fewer were served", func(t *testing.T) {
		d := served(t, "u1@m.test", "u1@m.test", "U1@m.test ", "u2@m.test")
		inv := eventsOf(d.cycle("2026-03-23 06:10").New, KInvited)
		var mails []string
		for _, e := range inv {
			mails = append(mails, strings.ToLower(strings.TrimSpace(e.Data.Email)))
		}
		slices.Sort(mails)
		if !slices.Equal(mails, []string{"u1@m.test", "u2@m.test"}) {
			t.Fatalf("invited users %v", mails)
		}
	})
	t.Run("missed weeks are caught up, each at its own monday", func(t *testing.T) {
		d := served(t, users...)
		// No cycle ran for two weeks; the next one applies week 13's
		// responses and draws both samples.
		res := d.cycle("2026-04-08 09:00",
			req("w13", "2026-03-24 09:00", kv{FEmail: "late@m.test"}),
			ans("2026-03-24 10:00", "hugo@mesa.test", "7", "Resuelto", nil))
		weeks := map[string]string{}
		for _, e := range eventsOf(res.New, KWeekSampled) {
			weeks[e.Data.Week] = e.At.In(bogota).Format("2006-01-02 15:04")
		}
		want := map[string]string{"2026-W12": "2026-03-23 00:00", "2026-W13": "2026-03-30 00:00"}
		if !mapsEqual(weeks, want) {
			t.Fatalf("weeks %v, want %v", weeks, want)
		}
		if inv := invited(res.New); len(inv) != 4 || !slices.Contains(inv, 7) {
			t.Fatalf("invited %v", inv)
		}
	})
	t.Run("each agent has their own sample", func(t *testing.T) {
		d := served(t, users[:2]...)
		d.cycle("2026-03-20 18:00", req("ana", "2026-03-17 08:00", kv{FEmail: "x@m.test", FBuilding: "Edificio A"}))
		d.cycle("2026-03-20 18:00", ans("2026-03-17 11:00", "ana@mesa.test", "3", "Resuelto", nil))
		by := map[string]int{}
		for _, e := range eventsOf(d.cycle("2026-03-23 06:10").New, KInvited) {
			by[e.Data.Agent]++
		}
		if by["Hugo Sol"] != 2 || by["Ana Ruiz"] != 1 {
			t.Fatalf("invitations by agent %v", by)
		}
	})
	t.Run("the count follows the settings", func(t *testing.T) {
		d := served(t, users...)
		d.eng.Set.SurveysPerAgent = 5
		if inv := invited(d.cycle("2026-03-23 06:10").New); len(inv) != 5 {
			t.Fatalf("invited %v", inv)
		}
	})
}

// Survey answers: Funza paso 8 (voluntary; results feed the indicator).
func TestSurveyAnswers(t *testing.T) {
	tests := []struct {
		name   string
		setup  []Response
		r      Response
		reject string
	}{
		{"answered", []Response{ans("2026-03-16 10:00", "hugo@mesa.test", "1", "Resuelto", nil)}, enc("2026-03-17 10:00", "1", "5"), ""},
		{"rating with spaces", []Response{ans("2026-03-16 10:00", "hugo@mesa.test", "1", "Resuelto", nil)}, enc("2026-03-17 10:00", "Caso 1", " 4 "), ""},
		{"rating out of range", []Response{ans("2026-03-16 10:00", "hugo@mesa.test", "1", "Resuelto", nil)}, enc("2026-03-17 10:00", "1", "6"), "de 1 a 5"},
		{"rating zero", []Response{ans("2026-03-16 10:00", "hugo@mesa.test", "1", "Resuelto", nil)}, enc("2026-03-17 10:00", "1", "0"), "de 1 a 5"},
		{"rating not a number", []Response{ans("2026-03-16 10:00", "hugo@mesa.test", "1", "Resuelto", nil)}, enc("2026-03-17 10:00", "1", "excelente"), "«excelente» no es válida"},
		{"duplicate", []Response{ans("2026-03-16 10:00", "hugo@mesa.test", "1", "Resuelto", nil), enc("2026-03-16 11:00", "1", "3")},
			enc("2026-03-17 10:00", "1", "5"), "ya fue respondida"},
		{"case not yet attended", nil, enc("2026-03-17 10:00", "1", "5"), "aún no ha sido atendido"},
		{"case en espera", []Response{ans("2026-03-16 10:00", "hugo@mesa.test", "1", "En Espera", kv{FWaitReason: "Garantía"})}, enc("2026-03-17 10:00", "1", "5"), "aún no ha sido atendido"},
		{"unknown case", nil, enc("2026-03-17 10:00", "77", "5"), "no existe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, Funza)
			d.cycle("2026-03-16 09:00", req("a", "2026-03-16 08:00", nil))
			d.cycle("2026-03-16 12:00", tc.setup...)
			res := d.cycle("2026-03-17 12:00", tc.r)
			rej := rejections(res.New)
			if tc.reject != "" {
				if len(rej) != 1 || !strings.Contains(rej[0], tc.reject) {
					t.Fatalf("rejections %q, want %q", rej, tc.reject)
				}
				return
			}
			if len(rej) != 0 {
				t.Fatalf("rejected %q", rej)
			}
			ev := eventsOf(res.New, KSurveyed)
			if len(ev) != 1 || ev[0].Rule != F8 || res.Case(1).Rating == 0 {
				t.Fatalf("events %+v", ev)
			}
			if len(res.Notices) != 0 {
				t.Errorf("funza notices %v", sent(res.Notices))
			}
		})
	}
}
