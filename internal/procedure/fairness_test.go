package procedure_test

import (
	"fmt"
	"sort"
	"testing"
	"time"

	. "github.com/funza-tic/mesa/internal/procedure"
)

// quarter simulates 13 weeks of Hugo serving the same users every week
// (one case each, on Tuesday) and returns, per user, the weeks (0-12) in
// which they were invited, and the number invited each week.
func quarter(t *testing.T, users int, rest int) (map[string][]int, []int) {
	t.Helper()
	d := newDesk(t, Funza)
	d.eng.Set.SurveyRestWeeks = rest
	monday := at("2026-01-05") // ISO 2026-W02
	caso := 0
	byCase := map[int]string{}
	perWeek := make([]int, 13)
	weeks := map[string][]int{}
	for w := range 13 {
		tue := monday.AddDate(0, 0, 7*w+1)
		var rs []Response
		for i := range users {
			u := fmt.Sprintf("usuario%02d@mesa.test", i)
			rs = append(rs, req(fmt.Sprintf("w%02d-u%02d", w, i), tue.Add(9*time.Hour+time.Duration(i)*time.Minute).Format("2006-01-02 15:04"), kv{FEmail: u}))
		}
		d.cycle(tue.Add(12*time.Hour).Format("2006-01-02 15:04"), rs...)
		var as []Response
		for i := range users {
			caso++
			byCase[caso] = fmt.Sprintf("usuario%02d@mesa.test", i)
			as = append(as, ans(tue.Add(15*time.Hour+time.Duration(i)*time.Minute).Format("2006-01-02 15:04"), "hugo@mesa.test", fmt.Sprint(caso), "Resuelto", nil))
		}
		d.cycle(tue.Add(18*time.Hour).Format("2006-01-02 15:04"), as...)
		res := d.cycle(monday.AddDate(0, 0, 7*(w+1)).Add(6*time.Hour + 10*time.Minute).Format("2006-01-02 15:04"))
		seen := map[string]bool{}
		for _, e := range eventsOf(res.New, KInvited) {
			u := byCase[e.Case]
			if seen[u] {
				t.Errorf("week %d: %s invited twice by the same agent", w, u)
			}
			seen[u] = true
			weeks[u] = append(weeks[u], w)
			perWeek[w]++
		}
	}
	// Never the same case twice, whatever the weeks.
	cases := map[int]int{}
	for _, e := range d.journal {
		if e.Kind == KInvited {
			cases[e.Case]++
			if cases[e.Case] > 1 {
				t.Errorf("case %d invited twice", e.Case)
			}
		}
	}
	return weeks, perWeek
}

// streak is the longest run of consecutive weeks in which a user was invited.
func streak(weeks map[string][]int) int {
	best := 0
	for _, ws := range weeks {
		run := 0
		for i, w := range ws {
			if i > 0 && ws[i-1] == w-1 {
				run++
			} else {
				run = 1
			}
			best = max(best, run)
		}
	}
	return best
}

func spread(weeks map[string][]int, users int) (lo, hi int) {
	var counts []int
	for i := range users {
		counts = append(counts, len(weeks[fmt.Sprintf("usuario%02d@mesa.test", i)]))
	}
	sort.Ints(counts)
	return counts[0], counts[len(counts)-1]
}

// Funza paso 8: "Cada agente solicita durante la semana aleatoriamente
// mínimo a tres de los usuarios que recibieron el servicio, el
// diligenciamiento de la encuesta de satisfacción";
// DESIGN §10c: F-8 invites a user at most once per agent and week. Issue
// 16: the draw prefers users not invited in the last 4 weeks, still reaches
// three per agent when three users were served, and never invites a case
// twice. Simulated over a quarter (13 weeks) of the same regular users.
func TestFairSurveysOverAQuarter(t *testing.T) {
	t.Run("six regulars: every other week each, three a week", func(t *testing.T) {
		weeks, perWeek := quarter(t, 6, 4)
		for w, n := range perWeek {
			if n != 3 {
				t.Errorf("week %d: %d invited, want 3", w, n)
			}
		}
		if s := streak(weeks); s != 1 {
			t.Errorf("a user was invited %d weeks in a row; with six users and three a week, nobody needs two: %v", s, weeks)
		}
		if lo, hi := spread(weeks, 6); hi-lo > 1 {
			t.Errorf("invitations per user from %d to %d over the quarter: %v", lo, hi, weeks)
		}
		naive, _ := quarter(t, 6, 0)
		lo, hi := spread(naive, 6)
		t.Logf("6 users, 3 a week, 13 weeks: fair draw longest streak %d; plain random draw longest streak %d, invitations per user %d to %d",
			streak(weeks), streak(naive), lo, hi)
	})
	t.Run("twelve regulars: nobody again within four weeks", func(t *testing.T) {
		weeks, perWeek := quarter(t, 12, 4)
		for w, n := range perWeek {
			if n != 3 {
				t.Errorf("week %d: %d invited, want 3", w, n)
			}
		}
		for u, ws := range weeks {
			for i := 1; i < len(ws); i++ {
				if ws[i]-ws[i-1] < 4 {
					t.Errorf("%s invited in weeks %v: again within 4 weeks", u, ws)
				}
			}
		}
	})
	t.Run("three regulars: still three a week", func(t *testing.T) {
		_, perWeek := quarter(t, 3, 4)
		for w, n := range perWeek {
			if n != 3 {
				t.Errorf("week %d: %d invited, want all 3 even though they were invited last week", w, n)
			}
		}
	})
	t.Run("two served: both, the minimum cannot be reached", func(t *testing.T) {
		_, perWeek := quarter(t, 2, 4)
		for w, n := range perWeek {
			if n != 2 {
				t.Errorf("week %d: %d invited, want 2", w, n)
			}
		}
	})
	t.Run("one week of rest: nobody two weeks in a row", func(t *testing.T) {
		// rules.survey_rest_weeks: 1 must differ from 0 (no preference): the
		// users invited by last week's sample, taken exactly seven days
		// before, are invited in last week, so they rest this week.
		weeks, _ := quarter(t, 6, 1)
		if s := streak(weeks); s != 1 {
			t.Errorf("with one week of rest a user was invited %d weeks in a row: %v", s, weeks)
		}
	})
}
