package worker_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/chaos"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/worker"
)

// BenchmarkCycle runs whole cycles through the official clients against
// the fake, with an office of n cases already in the workbook (written
// once, not submitted): "busy" applies 20 new requests and 20 answers per
// cycle (and sends their mail), "idle" finds nothing new. API calls per
// cycle are reported next to time and memory.
func BenchmarkCycle(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		for _, kind := range []string{"busy", "idle"} {
			b.Run(fmt.Sprintf("%s/cases=%d", kind, n), func(b *testing.B) { benchCycle(b, n, kind == "busy") })
		}
	}
}

func benchCycle(b *testing.B, n int, busy bool) {
	ctx := context.Background()
	s := chaos.NewSynthetic(n, 1)
	o, err := chaos.OpenOffice(ctx, b.TempDir(), 0)
	if err != nil {
		b.Fatal(err)
	}
	defer o.Close()
	start := time.Now()
	if err := s.Load(ctx, o); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d cases (%d journal rows) into the fake in %v", n, len(s.Journal), time.Since(start).Round(time.Millisecond))
	w, err := o.Worker(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	w.Config.Exclusive = true // as mesa runs on the local backend: the directory lock (Google mode: TestSheetsCallsAreConstant)
	o.Watching(w)
	w.Cache = &worker.Cache{} // as mesa run keeps it between cycles (cache.go)
	now := s.Now
	// Settle what the load left (timers, surveys), and read once more: the
	// cycle after one that wrote reads the workbook again (idle.go).
	for range 2 {
		if _, err := w.Cycle(ctx, now, false); err != nil {
			b.Fatal(err)
		}
	}
	agents := s.Agents
	q := procedure.DefaultQuestions
	next := n
	b.ReportAllocs()
	b.ResetTimer()
	var calls, sheets, mail float64
	for b.Loop() {
		b.StopTimer()
		now = now.Add(30 * time.Minute)
		if busy {
			for i := range 20 {
				at := now.Add(-time.Duration(20-i) * time.Minute)
				if _, err := o.Submit(chaos.Submission{Form: procedure.Solicitudes, Email: fmt.Sprintf("nuevo%d@funza-cundinamarca.gov.co", i), At: at,
					Answers: map[string]string{q[procedure.Solicitudes][procedure.FName]: "Nuevo", q[procedure.Solicitudes][procedure.FBuilding]: "Sede 3",
						q[procedure.Solicitudes][procedure.FService]: "Soporte de hardware", q[procedure.Solicitudes][procedure.FDescription]: "No enciende"}}); err != nil {
					b.Fatal(err)
				}
				c := s.Book.Case(next - i)
				if c == nil {
					continue
				}
				by := agents[0].Email
				for _, a := range agents {
					if a.Name == c.Agent {
						by = a.Email
					}
				}
				if _, err := o.Submit(chaos.Submission{Form: procedure.Respuestas, Email: by, At: at.Add(30 * time.Second),
					Answers: map[string]string{q[procedure.Respuestas][procedure.FCase]: fmt.Sprint(c.Number), q[procedure.Respuestas][procedure.FState]: "Resuelto",
						q[procedure.Respuestas][procedure.FActivities]: "Cambio de fuente"}}); err != nil {
					b.Fatal(err)
				}
			}
			next -= 20
		}
		o.Fake.ResetCalls()
		b.StartTimer()
		rep, err := w.Cycle(ctx, now, false)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if busy && rep.NewCases != 20 {
			b.Fatalf("busy cycle: %+v", rep)
		}
		cs := o.Fake.Calls()
		if calls == 0 {
			b.Logf("calls of one cycle: %v", cs)
		}
		calls, sheets, mail = 0, 0, 0
		for k, v := range cs {
			calls += float64(v)
			if len(k) > 7 && k[:7] == "sheets." {
				sheets += float64(v)
			}
			if k == "gmail.messages.send" {
				mail += float64(v)
			}
		}
		b.StartTimer()
	}
	b.ReportMetric(calls, "calls/cycle")
	b.ReportMetric(sheets, "sheets-calls/cycle")
	b.ReportMetric(mail, "mails/cycle")
	b.ReportMetric(float64(w.Cache.Hits()), "cache-hits")
}
