package chaos_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/chaos"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

var load = flag.Bool("chaos.load", false, "run the month-long load scenario (TestLoadMonth)")

// TestLoadMonth replays March 2026 of a 2,000-employee office: about 3,000
// requests, 20 agents answering most cases within a day or so, a cycle
// every 30 simulated minutes during office hours, with the fake enforcing
// Sheets' per-user quota (60 reads and 60 writes per minute).
//
// The quota is measured on a hybrid clock: the cycle's simulated instant
// plus the real time elapsed since the cycle started. Between cycles 30
// simulated minutes pass, as in production; within a cycle requests are as
// close together as they really are. A wall clock would compress a month
// of cycles into minutes and measure the simulation, not mesa.
func TestLoadMonth(t *testing.T) {
	if !*load {
		t.Skip("run with -chaos.load (make chaos-load is not a target: go test -run TestLoadMonth ./internal/chaos -chaos.load -v)")
	}
	ctx := context.Background()
	o, err := chaos.OpenOffice(ctx, t.TempDir(), 0, chaos.FastRetry())
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	o.Fake.SetDailySendLimit(1 << 30) // the fake counts Gmail's day on the wall clock; the worker's DailyLimit counts simulated days
	s := chaos.NewSynthetic(1, 1)     // just the agents and catalogue
	if err := o.WS.Sheets.Replace(ctx, "Agentes", s.AgentesRows()); err != nil {
		t.Fatal(err)
	}
	if err := o.WS.Sheets.Replace(ctx, "Catálogo", s.CatalogoRows()); err != nil {
		t.Fatal(err)
	}
	w, err := o.Worker(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Config.Exclusive = true // as mesa runs on the local backend: the directory lock
	o.Watching(w)

	var simNow time.Time
	var cycleStart time.Time
	q := workspacefake.NewQuota(workspacefake.Limits{SheetsReadsPerMinute: 60, SheetsWritesPerMinute: 60,
		Clock: func() time.Time { return simNow.Add(time.Since(cycleStart)) }})

	rng := rand.New(rand.NewPCG(2026, 3))
	loc := calendar.Bogota()
	reqs := chaos.Requests(rng, 3000, time.Date(2026, 3, 2, 7, 59, 0, 0, loc), 90*time.Second)
	email := map[string]string{}
	for _, a := range s.Agents {
		email[a.Name] = a.Email
	}
	sq, rq := procedure.DefaultQuestions[procedure.Solicitudes], procedure.DefaultQuestions[procedure.Respuestas]
	var ids []string
	submit := func(sub chaos.Submission) {
		id, err := o.Submit(sub)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	type answer struct {
		at   time.Time
		caso int
		by   string
	}
	var answers []answer
	planned := map[int]bool{}
	next := 0
	start := time.Now()
	cycles, calls := 0, 0
	var slowest time.Duration
	end := time.Date(2026, 4, 1, 0, 0, 0, 0, loc)
	for day := time.Date(2026, 3, 2, 0, 0, 0, 0, loc); day.Before(end); day = day.AddDate(0, 0, 1) {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		// Each morning agents plan their answers to the open cases.
		assigned, err := o.AssignedAgents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for c, agent := range assigned {
			if planned[c] || email[agent] == "" {
				continue
			}
			planned[c] = true
			if rng.IntN(10) < 8 {
				answers = append(answers, answer{at: day.Add(8*time.Hour + time.Duration(rng.IntN(9*3600))*time.Second), caso: c, by: email[agent]})
			}
		}
		for now := day.Add(8*time.Hour + 30*time.Minute); now.Before(day.Add(17*time.Hour + time.Minute)); now = now.Add(30 * time.Minute) {
			for next < len(reqs) && !reqs[next].Submitted.After(now) {
				r := reqs[next]
				a := map[string]string{}
				for f, v := range r.Answers {
					a[sq[f]] = v
				}
				submit(chaos.Submission{Form: procedure.Solicitudes, Email: r.Email, At: r.Submitted, Answers: a})
				next++
			}
			rest := answers[:0]
			for _, a := range answers {
				if a.at.After(now) {
					rest = append(rest, a)
					continue
				}
				submit(chaos.Submission{Form: procedure.Respuestas, Email: a.by, At: a.at, Answers: map[string]string{
					rq[procedure.FCase]: fmt.Sprint(a.caso), rq[procedure.FState]: "Resuelto", rq[procedure.FActivities]: "Atendido en sitio"}})
			}
			answers = rest
			simNow, cycleStart = now, time.Now()
			o.Fake.ResetCalls()
			o.Fake.SetFault(q.Fault)
			_, err := w.Cycle(ctx, now, false)
			o.Fake.SetFault(nil)
			if err != nil {
				t.Fatalf("cycle at %s: %v", now, err)
			}
			slowest = max(slowest, time.Since(cycleStart))
			for _, n := range o.Fake.Calls() {
				calls += n
			}
			cycles++
		}
	}
	st := q.Stats()
	elapsed := time.Since(start)
	t.Logf("load: %d responses (%d requests) in %d cycles over March 2026; %v real (slowest cycle %v); %d API calls (%.1f per cycle); Sheets quota: %d reads and %d writes refused, peak %d reads and %d writes in a minute",
		len(ids), next, cycles, elapsed.Round(time.Millisecond), slowest.Round(time.Millisecond), calls, float64(calls)/float64(cycles),
		st.Refused["read"], st.Refused["write"], st.Peak["read"], st.Peak["write"])
	if st.Refused["read"]+st.Refused["write"] > 0 {
		t.Errorf("the Sheets quota refused %v", st.Refused)
	}
	if next != len(reqs) {
		t.Errorf("submitted %d of %d requests", next, len(reqs))
	}
	for _, v := range o.Check(ctx, ids, nil) {
		t.Error(v)
	}
}
