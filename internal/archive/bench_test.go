package archive_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/chaos"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/retry"
)

// BenchmarkArchiveOldestYear loads chaos's synthetic office (registered
// from 2024-01-01 at about 150 cases a business day: 2024 and part of
// 2025), measures a busy cycle (20 requests, 20 answers), archives 2024,
// and measures a busy cycle again. It reports the workbook's cells (every
// grid cell, as Google counts them) before and after, the two cycle times
// and the archive run's time. One iteration is the whole story: run it with
// -benchtime 1x. MESA_BENCH_ARCHIVE_CASES sets the office's size (default
// 50,000).
func BenchmarkArchiveOldestYear(b *testing.B) {
	n := 50_000
	if v, err := strconv.Atoi(os.Getenv("MESA_BENCH_ARCHIVE_CASES")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s := chaos.NewSynthetic(n, 1)
		o, err := chaos.OpenOffice(ctx, b.TempDir(), 0, retry.Default())
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Load(ctx, o); err != nil {
			b.Fatal(err)
		}
		w, err := o.Worker(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		w.Config.Exclusive = true
		now := s.Now
		if _, err := w.Cycle(ctx, now, false); err != nil { // settle what the load left
			b.Fatal(err)
		}
		cells := func() int {
			bd, err := o.WS.Sheets.Budget(ctx)
			if err != nil {
				b.Fatal(err)
			}
			return bd.Cells
		}
		next := n
		busy := func() time.Duration {
			now = now.Add(30 * time.Minute)
			q := procedure.DefaultQuestions
			for i := range 20 {
				at := now.Add(-time.Duration(20-i) * time.Minute)
				if _, err := o.Submit(chaos.Submission{Form: procedure.Solicitudes, Email: fmt.Sprintf("nuevo%d@funza-cundinamarca.gov.co", i), At: at,
					Answers: map[string]string{q[procedure.Solicitudes][procedure.FName]: "Nuevo", q[procedure.Solicitudes][procedure.FBuilding]: "Sede 3",
						q[procedure.Solicitudes][procedure.FService]: "Soporte de hardware", q[procedure.Solicitudes][procedure.FDescription]: "No enciende"}}); err != nil {
					b.Fatal(err)
				}
				if c := s.Book.Case(next - i); c != nil {
					by := s.Agents[0].Email
					for _, a := range s.Agents {
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
			}
			next -= 20
			start := time.Now()
			rep, err := w.Cycle(ctx, now, false)
			if err != nil {
				b.Fatal(err)
			}
			if rep.NewCases != 20 {
				b.Fatalf("busy cycle: %+v", rep)
			}
			return time.Since(start)
		}
		before, busyBefore := cells(), busy()
		d := archive.Deps{Live: o.WS.Sheets, Open: func(id string) archive.Sheet { return o.WS.Sheets.Other(id) }, Files: o.WS.Drive,
			Book: w.BookAhead, Settings: w.Config.Settings, TRD: archive.DefaultTRD()}
		b.StartTimer()
		start := time.Now()
		sum, err := archive.Run(ctx, d, archive.Request{Year: 2024, Now: now.Add(time.Minute)})
		took := time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		after, busyAfter := cells(), busy()
		b.Logf("office of %d cases: archived %d cases of 2024 (%d kept live) in %v; cells %d -> %d; busy cycle %v -> %v; rows deleted %v",
			n, len(sum.New), sum.Kept, took.Round(time.Millisecond), before, after, busyBefore.Round(time.Millisecond), busyAfter.Round(time.Millisecond), sum.Deleted)
		b.ReportMetric(float64(before), "cells-before")
		b.ReportMetric(float64(after), "cells-after")
		b.ReportMetric(float64(busyBefore.Milliseconds()), "busy-ms-before")
		b.ReportMetric(float64(busyAfter.Milliseconds()), "busy-ms-after")
		b.ReportMetric(float64(len(sum.New)), "archived-cases")
		o.Close()
		b.StartTimer()
	}
}
