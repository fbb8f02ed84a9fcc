package schedule

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

var bogota = func() *time.Location {
	l, err := time.LoadLocation("America/Bogota")
	if err != nil {
		panic(err)
	}
	return l
}()

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, bogota)
	if err != nil {
		panic(err)
	}
	return t
}

// clock is a test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// mesa's default schedules fire when the configuration says, in Bogotá.
func TestEachScheduleFires(t *testing.T) {
	specs := map[string]string{"sync": "*/5 6-20 * * *", "reconcile": "30 2 * * *", "digest": "0 7 * * 1-5", "report": "0 6 1-7 * *"}
	cases := []struct {
		name, at string
		want     []string
	}{
		{"nightly reconcile", "2026-03-16 02:30", []string{"reconcile"}},
		{"first sync of the day", "2026-03-16 06:00", []string{"sync"}},
		{"weekday digest", "2026-03-16 07:00", []string{"digest", "sync"}},
		{"no digest on Saturday", "2026-03-21 07:00", []string{"sync"}},
		{"monthly report window", "2026-04-01 06:00", []string{"report", "sync"}},
		{"between syncs", "2026-03-16 10:03", nil},
		{"no sync at night", "2026-03-16 21:00", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clk := &clock{t: at(c.at)}
			var mu sync.Mutex
			var ran []string
			s := New(Options{Location: bogota, Now: clk.Now})
			for name, spec := range specs {
				if err := s.Add(Job{Name: name, Spec: spec, Run: func(_ context.Context, now time.Time) error {
					if !now.Equal(clk.Now()) {
						t.Errorf("%s ran at %v, want the clock's %v", name, now, clk.Now())
					}
					mu.Lock()
					ran = append(ran, name)
					mu.Unlock()
					return nil
				}}); err != nil {
					t.Fatal(err)
				}
			}
			fired := s.RunDue(clk.Now())
			s.running.Wait()
			slices.Sort(fired)
			slices.Sort(ran)
			if !slices.Equal(fired, c.want) || !slices.Equal(ran, c.want) {
				t.Errorf("fired %v, ran %v; want %v", fired, ran, c.want)
			}
		})
	}
}

// A panicking job is recovered by cron.Recover; the scheduler goes on and
// the next run (of it and of others) happens.
func TestPanickingJobIsRecovered(t *testing.T) {
	clk := &clock{t: at("2026-03-16 08:00")}
	var outcomes []Outcome
	var mu sync.Mutex
	s := New(Options{Location: bogota, Now: clk.Now, Observe: func(o Outcome) { mu.Lock(); outcomes = append(outcomes, o); mu.Unlock() }})
	var calls atomic.Int32
	must(t, s.Add(Job{Name: "sync", Spec: "*/5 * * * *", Run: func(context.Context, time.Time) error {
		if calls.Add(1) == 1 {
			panic("boom")
		}
		return nil
	}}))
	s.RunDue(clk.Now())
	s.running.Wait()
	clk.Set(at("2026-03-16 08:05"))
	s.RunDue(clk.Now())
	s.running.Wait()
	if calls.Load() != 2 {
		t.Fatalf("job ran %d times, want 2", calls.Load())
	}
	if len(outcomes) != 2 || !outcomes[0].Panicked || outcomes[1].Panicked || outcomes[1].Err != nil {
		t.Errorf("outcomes = %+v", outcomes)
	}
}

// SkipIfStillRunning: a run that comes while the previous one still runs is skipped.
func TestOverlappingRunIsSkipped(t *testing.T) {
	clk := &clock{t: at("2026-03-16 08:00")}
	s := New(Options{Location: bogota, Now: clk.Now})
	release := make(chan struct{})
	started := make(chan struct{}, 2)
	var calls atomic.Int32
	must(t, s.Add(Job{Name: "sync", Spec: "*/5 * * * *", Run: func(context.Context, time.Time) error {
		calls.Add(1)
		started <- struct{}{}
		<-release
		return nil
	}}))
	s.RunDue(clk.Now())
	<-started
	clk.Set(at("2026-03-16 08:05"))
	s.RunDue(clk.Now())
	time.Sleep(20 * time.Millisecond)
	close(release)
	s.running.Wait()
	if calls.Load() != 1 {
		t.Errorf("job ran %d times, want 1 (the overlapping run skipped)", calls.Load())
	}
}

// SIGTERM (the context's cancel) while a cycle runs: Run stops scheduling,
// waits for the cycle to finish on its own, and returns.
func TestCancelWaitsForRunningCycle(t *testing.T) {
	s := New(Options{Location: bogota, Grace: 10 * time.Second})
	started, release := make(chan struct{}), make(chan struct{})
	var finished, cancelled atomic.Bool
	must(t, s.Add(Job{Name: "sync", Spec: "*/5 * * * *", Run: func(ctx context.Context, _ time.Time) error {
		close(started)
		<-release
		cancelled.Store(ctx.Err() != nil)
		finished.Store(true)
		return nil
	}}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	s.RunNow("sync")
	<-started
	cancel()
	select {
	case <-done:
		t.Fatal("Run returned while the cycle was running")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the cycle finished")
	}
	if !finished.Load() || cancelled.Load() {
		t.Errorf("finished=%v cancelled=%v; want the cycle to complete uncancelled", finished.Load(), cancelled.Load())
	}
}

// A cycle that outlives the grace period gets its context cancelled, and
// Run still returns once it has.
func TestCancelAfterGrace(t *testing.T) {
	s := New(Options{Location: bogota, Grace: 30 * time.Millisecond})
	started := make(chan struct{})
	var sawCancel atomic.Bool
	must(t, s.Add(Job{Name: "reconcile", Spec: "30 2 * * *", Run: func(ctx context.Context, _ time.Time) error {
		close(started)
		<-ctx.Done()
		sawCancel.Store(true)
		return ctx.Err()
	}}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	s.RunNow("reconcile")
	<-started
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
	if !sawCancel.Load() {
		t.Error("the job's context was not cancelled after the grace period")
	}
}

// Jobs never overlap, even different ones: a reconcile waits for a sync.
func TestOneJobAtATime(t *testing.T) {
	clk := &clock{t: at("2026-03-16 02:30")}
	s := New(Options{Location: bogota, Now: clk.Now})
	var running, most atomic.Int32
	job := func(context.Context, time.Time) error {
		n := running.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
		running.Add(-1)
		return nil
	}
	must(t, s.Add(Job{Name: "sync", Spec: "30 2 * * *", Run: job}))
	must(t, s.Add(Job{Name: "reconcile", Spec: "30 2 * * *", Run: job}))
	if fired := s.RunDue(clk.Now()); len(fired) != 2 {
		t.Fatalf("fired %v", fired)
	}
	s.running.Wait()
	if most.Load() != 1 {
		t.Errorf("%d jobs ran at once, want 1", most.Load())
	}
}

func TestMissed(t *testing.T) {
	spec := "*/5 6-20 * * *"
	cases := []struct {
		since, now string
		want       int
	}{
		{"2026-03-16 10:00", "2026-03-16 10:04", 0},
		{"2026-03-16 10:00", "2026-03-16 10:20", 4},
		{"2026-03-16 20:55", "2026-03-17 05:59", 0}, // the night is not missed
		{"2026-03-16 20:55", "2026-03-17 06:10", 3},
	}
	for _, c := range cases {
		got, err := Missed(spec, bogota, at(c.since), at(c.now))
		if err != nil || got != c.want {
			t.Errorf("Missed(%s, %s) = %d, %v; want %d", c.since, c.now, got, err, c.want)
		}
	}
}

func TestBadSpec(t *testing.T) {
	s := New(Options{})
	if err := s.Add(Job{Name: "sync", Spec: "every five minutes"}); err == nil {
		t.Error("a bad spec was accepted")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Why New puts SkipIfStillRunning outside Recover: in the other order a
// single panic leaves SkipIfStillRunning's token taken, and every later
// run of the job is skipped (robfig/cron v3.0.1 chain.go).
func TestRecoverInsideSkipIfStillRunning(t *testing.T) {
	l := Logger{L: discard()}
	var calls atomic.Int32
	job := cron.FuncJob(func() {
		if calls.Add(1) == 1 {
			panic("boom")
		}
	})
	wedged := cron.NewChain(cron.Recover(l), cron.SkipIfStillRunning(l)).Then(job)
	wedged.Run()
	wedged.Run()
	if calls.Load() != 1 {
		t.Skipf("cron's SkipIfStillRunning now survives panics (%d calls): the order no longer matters", calls.Load())
	}
	calls.Store(0)
	ours := cron.NewChain(cron.SkipIfStillRunning(l), cron.Recover(l)).Then(job)
	ours.Run()
	ours.Run()
	if calls.Load() != 2 {
		t.Errorf("after a panic the job ran %d times, want 2", calls.Load())
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestHealthAt: a daemon is stale once more scheduled syncs than allowed
// have passed since its last success, counting from start-up before the
// first, and never with no sync schedule.
func TestHealthAt(t *testing.T) {
	bogota, err := time.LoadLocation("America/Bogota")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, bogota)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	const every5 = "*/5 6-20 * * *"
	for _, c := range []struct {
		name            string
		spec            string
		started, lastOK string
		now             string
		missed          int
		stale           bool
	}{
		{"recent success", every5, "2026-03-02 08:00", "2026-03-02 09:00", "2026-03-02 09:12", 2, false},
		{"four syncs missed", every5, "2026-03-02 08:00", "2026-03-02 09:00", "2026-03-02 09:20", 4, true},
		{"no success yet: from start-up", every5, "2026-03-02 09:00", "", "2026-03-02 09:16", 3, false},
		{"the night does not count", every5, "2026-03-02 08:00", "2026-03-02 20:55", "2026-03-03 06:01", 1, false},
		{"no schedule", "", "2026-03-02 08:00", "", "2026-03-09 08:00", 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var last time.Time
			if c.lastOK != "" {
				last = at(c.lastOK)
			}
			h := HealthAt(c.spec, bogota, 3, at(c.started), last, at(c.now))
			if h.Missed != c.missed || h.Stale != c.stale || !h.LastSuccess.Equal(last) {
				t.Errorf("HealthAt = %+v, want %d missed, stale %v", h, c.missed, c.stale)
			}
		})
	}
}
