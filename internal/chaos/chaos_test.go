package chaos_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/chaos"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

var (
	schedules  = flag.Int("chaos.schedules", 20, "seeded schedules to run (make chaos runs 1000)")
	firstSeed  = flag.Uint64("chaos.seed", 1, "seed of the first schedule")
	steps      = flag.Int("chaos.steps", 6, "business days of office life per schedule")
	kill9      = flag.Int("chaos.kill9", 1, "schedules of seeds 1 to N also run `mesa sync` subprocesses and kill -9 them (by seed, not by position in the run, so that a seed run alone replays the schedule it played in a batch)")
	concurrent = flag.Bool("chaos.concurrent", true, "start two workers at once on some ticks of half the schedules")
	archiving  = flag.Bool("chaos.archive", true, "run one schedule in four from December to January and archive the closed year at its last step")
	people     = flag.Float64("chaos.people", 0.5, "chance that a person sorts, inserts or deletes rows while a cycle runs")
	faultRate  = flag.Float64("chaos.faults", 0.12, "chance that a request fails or is slow")
	lateShare  = flag.Float64("chaos.late", 4, "share (in % of -chaos.faults) of faults that land a request after its client gave up")
	verbose    = flag.Bool("chaos.v", false, "log every schedule")
	parallel   = flag.Int("chaos.parallel", 3, "schedules run at once (most of a schedule's time is waiting: settle times, slow and late replies)")
	logs       = flag.Bool("chaos.log", false, "print the workers' logs (to debug one schedule)")
	onlyArch   = flag.Bool("chaos.archive.only", false, "run only archive schedules (seeds 2, 6, 10, …, from -chaos.seed on)")
	caching    = flag.Bool("chaos.cache", true, "run one schedule in four (seeds 1, 5, 9, …) with an exclusive worker and one cycle cache kept across its cycles, as `mesa run` on the local backend")
	onlyCache  = flag.Bool("chaos.cache.only", false, "run only cached schedules (seeds 1, 5, 9, …, from -chaos.seed on)")
	noCache    = flag.Bool("chaos.cache.control", false, "run the cached schedules exclusive but without the cache (the control for a violation found in them)")
)

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(m.Run())
}

// rates are the faults of a chaotic cycle: every kind the fake can inject,
// with timeouts just beyond the clients' deadline. 429 with Retry-After
// costs a whole second per hit, so it is rare.
func rates(total float64) workspacefake.Rates {
	p := total / 100
	return workspacefake.Rates{
		Quota: 25 * p, QuotaWait: 0.05 * p, ServerError: 25 * p, LostReply: 20 * p, Reset: 15 * p,
		Timeout: 3 * p, TimeoutDelay: 400 * time.Millisecond, Slow: 12 * p, SlowDelay: 5 * time.Millisecond,
		// Applied after the client gave up (its deadline is 250 ms), long
		// after the 20 ms claim settle and lease settle.
		Late: *lateShare * p, LateDelay: 300 * time.Millisecond,
	}
}

// TestChaos runs seeded schedules of office life under faults, in-process
// crashes, kill -9 of `mesa sync`, human edits and sorts, and checks the
// invariants of DESIGN.md §11 after each. `make chaos` runs 1000.
func TestChaos(t *testing.T) {
	n := *schedules
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "chaos.schedules" })
	switch {
	case testing.Short() && n > 8:
		n = 8
	case raceEnabled && !explicit:
		n = 10 // make test runs with -race: keep it under a minute on 2 cores
	}
	var bin string
	if *kill9 > 0 && *firstSeed <= uint64(*kill9) {
		bin = buildMesa(t)
	}
	ctx := context.Background()
	start := time.Now()
	tried, broken, violations, overlapping, archived, small := 0, 0, 0, 0, 0, 0
	cachedN, hits, afterWrite, between, reconciles := 0, 0, 0, 0, 0
	var totals chaos.Outcome
	kinds := map[string]int{}
	tally := func(out chaos.Outcome) {
		tried++
		totals.Responses += out.Responses
		totals.Cycles += out.Cycles
		totals.Failed += out.Failed
		totals.Cancelled += out.Cancelled
		totals.Kill9 += out.Kill9
		totals.Faults += out.Faults
		totals.Overlaps += out.Overlaps
		totals.PeopleEdits += out.PeopleEdits
		totals.Archives += out.Archives
		totals.ArchiveCrashes += out.ArchiveCrashes
		totals.Archived += out.Archived
		totals.ArchiveEdits += out.ArchiveEdits
		if out.Overlaps > 0 {
			overlapping++
		}
		if out.SmallGrids {
			small++
		}
		if out.Archives > 0 {
			archived++
		}
		if out.Cached {
			cachedN++
			hits += out.CacheHits
			afterWrite += out.AfterWrite
			between += out.PeopleBetween
			reconciles += out.Reconciles
		}
		if len(out.Violations) > 0 {
			broken++
			violations += len(out.Violations)
			for _, v := range out.Violations {
				kinds[kind(v)]++
			}
			shown := out.Violations
			if len(shown) > 12 {
				shown = append(shown[:12:12], fmt.Sprintf("... and %d more", len(out.Violations)-12))
			}
			t.Errorf("schedule %d (-chaos.seed=%d -chaos.schedules=1): %d violations:\n  %s", out.Seed, out.Seed, len(out.Violations), strings.Join(shown, "\n  "))
		} else if *verbose {
			t.Logf("schedule %d: %+v", out.Seed, out)
		}
	}
	var mu sync.Mutex // guards tally
	slots := make(chan struct{}, max(*parallel, 1))
	var wg sync.WaitGroup
	for i := range n {
		seed := *firstSeed + uint64(i)
		if *onlyArch {
			// The i-th archive seed from the first seed on (chaos.Archives).
			seed = *firstSeed + (6-*firstSeed%4)%4 + 4*uint64(i)
		}
		if *onlyCache {
			// The i-th cached seed from the first seed on (chaos.Cached).
			seed = *firstSeed + (5-*firstSeed%4)%4 + 4*uint64(i)
		}
		dir := filepath.Join(t.TempDir(), fmt.Sprint(seed))
		opt := chaos.Options{
			Seed: seed, Steps: *steps, Rates: rates(*faultRate), Cancel: 0.35, Concurrent: *concurrent, People: *people, Archive: *archiving, Cache: *caching || *onlyCache, NoCache: *noCache,
			Timeout: 250 * time.Millisecond, Retry: chaos.FastRetry(), Dir: dir,
			Agentes: chaos.Testdata("sheets/agentes.csv"), Catalogo: chaos.Testdata("sheets/catalogo.csv"),
		}
		if *logs {
			opt.Log = os.Stderr
		}
		if seed <= uint64(max(*kill9, 0)) {
			opt.Binary, opt.Kill9 = bin, 0.5
		}
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			out, err := chaos.Run(ctx, opt)
			os.RemoveAll(dir)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("schedule %d: %v", seed, err)
				return
			}
			tally(out)
		}()
	}
	wg.Wait()
	t.Logf("chaos: %d schedules tried, %d with violations, %d violations; %d responses, %d cycles (%d failed, %d cancelled in process), %d kill -9, %d ticks with two workers, %d edits by people during cycles, %d archive runs (%d killed between steps, %d with a person's edit before the deletion, %d cases archived), %d with worker tabs of 40 rows, %d cached (%d reconciles, %d cycles from the cache, %d cancelled right after writing the workbook, %d edits by people between its cycles), %d faults injected, in %v",
		tried, broken, violations, totals.Responses, totals.Cycles, totals.Failed, totals.Cancelled, totals.Kill9, totals.Overlaps, totals.PeopleEdits, totals.Archives, totals.ArchiveCrashes, totals.ArchiveEdits, totals.Archived, small, cachedN, reconciles, hits, afterWrite, between, totals.Faults, time.Since(start).Round(time.Millisecond))
	for k, n := range kinds {
		t.Logf("  %5d × %s", n, k)
	}
	fmt.Printf("chaos: %d schedules (%d with two workers at once, %d with archive runs, %d cached), %d violations\n", tried, overlapping, archived, cachedN, violations)
}

// kind names the class of a violation: its text without ids and numbers.
func kind(v string) string {
	v = regexp.MustCompile(`N[0-9a-f]{16}|E[0-9a-f]{16}`).ReplaceAllString(v, "ID")
	v = regexp.MustCompile(`"[^"]*"`).ReplaceAllString(v, `"…"`)
	return regexp.MustCompile(`[0-9]+`).ReplaceAllString(v, "N")
}

// buildMesa builds cmd/mesa once into the test's temp dir, with the race
// detector when the test has it, so the build reuses the test's packages.
func buildMesa(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mesa")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	gobin := "go"
	cmd := exec.Command(gobin, append(args, "../../cmd/mesa")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build cmd/mesa: %v\n%s", err, out)
	}
	return bin
}
