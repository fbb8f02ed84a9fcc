package worker_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/chaos"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/retry"
	"github.com/funza-tic/mesa/internal/sheets"
	"github.com/funza-tic/mesa/internal/workbook"
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
			b.Run(fmt.Sprintf("%s/cases=%d", kind, n), func(b *testing.B) { benchCycle(b, n, kind == "busy", false) })
		}
	}
}

// BenchmarkCycleFallback is the busy cycle of BenchmarkCycle when the cycle
// cache cannot be used (cache.go): before each cycle a person types into a
// worker cell, which changes the workbook's version, so the cycle reads and
// folds everything, as every cycle did before the cache and as a one-shot
// `mesa sync` does.
func BenchmarkCycleFallback(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("busy/cases=%d", n), func(b *testing.B) { benchCycle(b, n, true, true) })
	}
}

func benchCycle(b *testing.B, n int, busy, invalidate bool) {
	ctx := context.Background()
	s := chaos.NewSynthetic(n, 1)
	o, err := chaos.OpenOffice(ctx, b.TempDir(), 0, retry.Default())
	if err != nil {
		b.Fatal(err)
	}
	defer o.Close()
	start := time.Now()
	if err := s.Load(ctx, o); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d cases (%d journal rows) into the fake in %v", n, s.Journal.Len(), time.Since(start).Round(time.Millisecond))
	w, err := o.Worker(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	w.Config.Exclusive = true // as mesa runs on the local backend: the directory lock (Google mode: TestSheetsCallsAreConstant)
	o.Watching(w)
	w.Cache = &worker.Cache{} // as mesa run keeps it between cycles (cache.go)
	counted := &countingSheet{Client: w.Sheet.(*sheets.Client)}
	w.Sheet = counted
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
	var calls, sheetCalls, mail float64
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
		if invalidate {
			// A person's edit of Casos' Estado of the first case.
			if _, err := o.WS.Sheets.Write(ctx, []workbook.Update{{Range: "'Casos'!K2", Values: [][]any{{"Cerrado a mano"}}}}); err != nil {
				b.Fatal(err)
			}
		}
		o.Fake.ResetCalls()
		counted.cells = 0
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
		calls, sheetCalls, mail = 0, 0, 0
		for k, v := range cs {
			calls += float64(v)
			if len(k) > 7 && k[:7] == "sheets." {
				sheetCalls += float64(v)
			}
			if k == "gmail.messages.send" {
				mail += float64(v)
			}
		}
		b.StartTimer()
	}
	b.ReportMetric(calls, "calls/cycle")
	b.ReportMetric(sheetCalls, "sheets-calls/cycle")
	b.ReportMetric(mail, "mails/cycle")
	b.ReportMetric(float64(w.Cache.Hits()), "cache-hits")
	b.ReportMetric(float64(counted.cells), "cells-read/cycle")
}

// countingSheet counts the cells the worker reads (a benchmark figure).
type countingSheet struct {
	*sheets.Client
	cells int
}

func (c *countingSheet) Read(ctx context.Context, tabs []string) ([][][]any, error) {
	v, err := c.Client.Read(ctx, tabs)
	c.count(v)
	return v, err
}

func (c *countingSheet) ReadRanges(ctx context.Context, ranges []string) ([][][]any, error) {
	v, err := c.Client.ReadRanges(ctx, ranges)
	c.count(v)
	return v, err
}

func (c *countingSheet) ReadPaged(ctx context.Context, tabs []string, rows int, fn func(tab, first int, values [][]any)) error {
	return c.Client.ReadPaged(ctx, tabs, rows, func(tab, first int, values [][]any) {
		c.count([][][]any{values})
		fn(tab, first, values)
	})
}

func (c *countingSheet) count(v [][][]any) {
	for _, tab := range v {
		for _, row := range tab {
			c.cells += len(row)
		}
	}
}
