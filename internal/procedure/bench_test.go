package procedure_test

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/chaos"
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
	start := time.Now()
	s := chaos.NewSynthetic(n, 1)
	b.Logf("built %d cases, %d journal events in %v", n, len(s.Journal), time.Since(start).Round(time.Millisecond))
	offices[n] = s
	return s
}

// BenchmarkFold is the full fold of a cycle with nothing new: replay the
// whole journal, fire timers, compute service levels.
func BenchmarkFold(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			s := office(b, n)
			peak := watchHeap()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				res := s.Fold()
				if len(res.Cases()) != n {
					b.Fatalf("fold has %d cases, want %d", len(res.Cases()), n)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(len(s.Journal)), "events")
			b.ReportMetric(peak()/(1<<20), "peak-heap-MB")
		})
	}
}

// watchHeap samples the live heap every millisecond until the returned
// function is called, which returns the highest value seen.
func watchHeap() func() float64 {
	runtime.GC()
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
	return func() float64 {
		close(done)
		wg.Wait()
		return peak
	}
}
