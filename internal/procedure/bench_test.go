package procedure_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/chaos"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// sizes are the office sizes of the benchmarks (DESIGN.md §11 targets 100k).
var sizes = []int{1_000, 10_000, 100_000}

var (
	officesMu sync.Mutex
	offices   = map[int]*chaos.Synthetic{}
)

func office(b *testing.B, n int) *chaos.Synthetic {
	b.Helper()
	officesMu.Lock()
	defer officesMu.Unlock()
	if s, ok := offices[n]; ok {
		return s
	}
	clear(offices) // keep one office in memory, so the heap figures are about it
	start := time.Now()
	s := chaos.NewSynthetic(n, 1)
	b.Logf("built %d cases, %d journal events in %v", n, s.Journal.Len(), time.Since(start).Round(time.Millisecond))
	offices[n] = s
	return s
}

// BenchmarkFold is the full fold of a cycle with nothing new: replay the
// whole journal, fire timers, compute service levels.
func BenchmarkFold(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			s := office(b, n)
			base, peak := watchHeap()
			b.ReportAllocs()
			b.ResetTimer()
			var res *procedure.Result
			for b.Loop() {
				res = s.Fold()
				if len(res.Cases()) != n {
					b.Fatalf("fold has %d cases, want %d", len(res.Cases()), n)
				}
			}
			b.StopTimer()
			p := peak()
			b.ReportMetric(float64(s.Journal.Len()), "events")
			b.ReportMetric(p/(1<<20), "peak-heap-MB")
			b.ReportMetric((p-base)/(1<<20), "fold-heap-MB")
			b.ReportMetric(liveSince(base, res)/(1<<20), "live-MB")
		})
	}
}

// BenchmarkFoldBusy is the fold of a busy cycle: the whole journal and 20
// new requests, whose decisions are appended to the journal. As the worker
// does, the journal read has room after its events and the fold owns it
// (Inputs.Owned), so the decisions are appended in place, not to a copy.
func BenchmarkFoldBusy(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			s := office(b, n)
			reqs := chaos.Requests(rand.New(rand.NewPCG(9, 9)), 20, s.Now, 3*time.Minute)
			for i := range reqs {
				reqs[i].ID = "BUSY-" + reqs[i].ID
			}
			journal := s.Journal.Clone(1024)
			in := procedure.Inputs{Journal: journal, Owned: true, Responses: reqs, Agents: s.Agents, Catalog: s.Catalog, Now: reqs[len(reqs)-1].Submitted}
			eng := &procedure.Engine{Cal: s.Cal, Set: s.Settings}
			base, peak := watchHeap()
			b.ReportAllocs()
			b.ResetTimer()
			var res *procedure.Result
			for b.Loop() {
				res = eng.Fold(in)
				if len(res.Cases()) != n+len(reqs) {
					b.Fatalf("fold has %d cases, want %d", len(res.Cases()), n+len(reqs))
				}
			}
			b.StopTimer()
			p := peak()
			b.ReportMetric(float64(len(res.New)), "new-events")
			b.ReportMetric(p/(1<<20), "peak-heap-MB")
			b.ReportMetric((p-base)/(1<<20), "fold-heap-MB")
			b.ReportMetric(liveSince(base, res, in)/(1<<20), "live-MB")
		})
	}
}

// BenchmarkFoldDiff is the target of DESIGN.md §11: the full fold and the
// diff of Casos against the sheet (as read, sorted by people, 1% changed).
// peak-heap-MB counts everything live, inputs included (the journal and the
// sheet as a cycle holds them); fold-heap-MB only what fold and diff add.
func BenchmarkFoldDiff(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			s := office(b, n)
			f := workbook.Formatter{Loc: s.Cal.Location()}
			rows := f.CasosRows(s.Book, s.Settings)
			for i := 0; i < len(rows); i += 100 {
				rows[i] = append([]string(nil), rows[i]...)
				rows[i][10] = "Abierto"
			}
			values := chaos.SheetValues(workbook.Casos, rows)
			rows = nil
			base, peak := watchHeap()
			b.ReportAllocs()
			b.ResetTimer()
			var ups []workbook.Update
			var res *procedure.Result
			var after workbook.Table
			for b.Loop() {
				res = s.Fold()
				desired := f.CasosRows(res.Book, s.Settings)
				ups, after = workbook.Plan(workbook.NewTable(workbook.Casos, values), desired)
			}
			b.StopTimer()
			p := peak()
			b.ReportMetric(float64(len(ups)), "ranges")
			b.ReportMetric(p/(1<<20), "peak-heap-MB")
			b.ReportMetric((p-base)/(1<<20), "fold-heap-MB")
			b.ReportMetric(liveSince(base, res, ups, after, values)/(1<<20), "live-MB")
		})
	}
}

// watchHeap returns the live heap now, and samples it every millisecond
// until the returned function is called, which returns the highest value.
func watchHeap() (float64, func() float64) {
	runtime.GC()
	base := heapNow()
	done := make(chan struct{})
	var peak float64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, float64(sample[0].Value.Uint64()))
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return base, func() float64 {
		close(done)
		wg.Wait()
		return peak
	}
}

// liveSince returns what the results of the last iteration hold: the live
// heap after a collection, minus the heap before the loop (pass the inputs
// too, so that they stay live). Unlike fold-heap-MB it does not depend on
// when the collector last ran.
func liveSince(base float64, results ...any) float64 {
	runtime.GC()
	live := heapNow()
	runtime.KeepAlive(results)
	return live - base
}

func heapNow() float64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	return float64(sample[0].Value.Uint64())
}
