// Package schedule runs mesa's jobs on cron schedules in America/Bogota:
// robfig/cron with SkipIfStillRunning (a job never overlaps itself) and
// Recover (a panicking job is logged and the next one runs), one job at a
// time across jobs (a reconcile waits for a running sync), and a graceful
// stop that lets the running job finish.
package schedule

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// Job is one scheduled task. Run gets a context that outlives the
// shutdown signal by the grace period, and the instant it runs at.
type Job struct {
	Name string // sync, reconcile, digest, report
	Spec string // five-field cron expression, in the scheduler's location
	Run  func(ctx context.Context, now time.Time) error
}

// Outcome is reported after every job.
type Outcome struct {
	Job      string
	Err      error
	Panicked bool
	Skipped  bool // the job's own Run decided so (e.g. lease held); see Skip
	Start    time.Time
	Took     time.Duration
}

// Skip marks an error as "did not run, and that is fine" (another
// instance holds the lease): the outcome is counted as skipped.
type Skip struct{ Reason string }

func (s Skip) Error() string { return "skipped: " + s.Reason }

// Options configure a Scheduler.
type Options struct {
	Location *time.Location
	Log      *slog.Logger
	// Grace is how long Run waits for a running job after the stop signal
	// before cancelling its context.
	Grace time.Duration
	// Now is the clock (time.Now when nil); tests inject a fake one.
	Now func() time.Time
	// Observe is called after every job (metrics).
	Observe func(Outcome)
}

// Scheduler is a cron with mesa's jobs.
type Scheduler struct {
	Cron *cron.Cron
	opts Options

	jobCtx    context.Context
	cancelJob context.CancelFunc
	turn      chan struct{} // one job at a time, across jobs
	stopping  chan struct{} // closed by Stop: jobs waiting for their turn give up
	stopOnce  sync.Once
	running   sync.WaitGroup

	mu      sync.Mutex
	entries map[string]cron.EntryID
	last    time.Time // RunDue's previous instant
}

// Parser reads the five-field specs of the configuration.
var Parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// New builds a scheduler; add jobs with Add, then Run.
func New(opts Options) *Scheduler {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Observe == nil {
		opts.Observe = func(Outcome) {}
	}
	l := Logger{opts.Log}
	s := &Scheduler{
		// SkipIfStillRunning goes outside Recover: in cron v3.0.1 it hands
		// its token back only when the job returns normally (chain.go), so
		// with Recover outside, one panic would skip every later run of
		// that job forever. Inside it, Recover turns the panic into a
		// return first.
		Cron: cron.New(cron.WithLocation(opts.Location), cron.WithParser(Parser),
			cron.WithChain(cron.SkipIfStillRunning(l), cron.Recover(l)), cron.WithLogger(l)),
		opts:     opts,
		turn:     make(chan struct{}, 1),
		stopping: make(chan struct{}),
		entries:  map[string]cron.EntryID{},
	}
	s.jobCtx, s.cancelJob = context.WithCancel(context.Background())
	return s
}

// Add schedules a job. An empty spec leaves the job unscheduled.
func (s *Scheduler) Add(j Job) error {
	if j.Spec == "" {
		return nil
	}
	id, err := s.Cron.AddJob(j.Spec, cron.FuncJob(func() { s.run(j) }))
	if err != nil {
		return fmt.Errorf("schedule.%s %q: %w", j.Name, j.Spec, err)
	}
	s.mu.Lock()
	s.entries[j.Name] = id
	s.mu.Unlock()
	return nil
}

// run is the innermost layer, inside Recover and SkipIfStillRunning.
func (s *Scheduler) run(j Job) {
	select {
	case s.turn <- struct{}{}:
	case <-s.stopping:
		return
	}
	defer func() { <-s.turn }()
	select {
	case <-s.stopping:
		return // stopped while this job waited for its turn
	default:
	}
	start := s.opts.Now()
	out := Outcome{Job: j.Name, Start: start}
	defer func() {
		if r := recover(); r != nil {
			out.Panicked, out.Took = true, s.opts.Now().Sub(start)
			s.opts.Observe(out)
			panic(r) // cron.Recover logs it with the stack and keeps the scheduler going
		}
	}()
	err := j.Run(s.jobCtx, start)
	out.Took = s.opts.Now().Sub(start)
	if _, ok := err.(Skip); ok {
		out.Skipped = true
		s.opts.Log.Info("job skipped", "job", j.Name, "reason", err.(Skip).Reason)
	} else if err != nil {
		out.Err = err
		s.opts.Log.Error("job failed", "job", j.Name, "err", err, "took", out.Took)
	} else {
		s.opts.Log.Info("job done", "job", j.Name, "took", out.Took)
	}
	s.opts.Observe(out)
}

// Next is when the named job runs next after t (zero if unscheduled).
func (s *Scheduler) Next(name string, t time.Time) time.Time {
	s.mu.Lock()
	id, ok := s.entries[name]
	s.mu.Unlock()
	if !ok {
		return time.Time{}
	}
	return s.Cron.Entry(id).Schedule.Next(t.In(s.opts.Location))
}

// RunNow starts the named job at once, through the same chain as a
// scheduled run (at start-up, mesa syncs without waiting for the schedule).
func (s *Scheduler) RunNow(name string) bool {
	s.mu.Lock()
	id, ok := s.entries[name]
	s.mu.Unlock()
	if !ok {
		return false
	}
	s.start(s.Cron.Entry(id).WrappedJob)
	return true
}

func (s *Scheduler) start(j cron.Job) {
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		j.Run()
	}()
}

// RunDue starts, as cron's own loop does at each instant, every job whose
// schedule fires in (previous call, now] — once per job even if several
// instants passed. It lets tests drive the same entries, schedules and
// chain with a fake clock; `mesa run` uses cron's loop (Run).
func (s *Scheduler) RunDue(now time.Time) []string {
	s.mu.Lock()
	from := s.last
	if from.IsZero() {
		from = now.Add(-time.Second)
	}
	s.last = now
	s.mu.Unlock()
	var fired []string
	for name, id := range s.snapshot() {
		e := s.Cron.Entry(id)
		if next := e.Schedule.Next(from.In(s.opts.Location)); !next.After(now) {
			fired = append(fired, name)
			s.start(e.WrappedJob)
		}
	}
	return fired
}

func (s *Scheduler) snapshot() map[string]cron.EntryID {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]cron.EntryID, len(s.entries))
	for k, v := range s.entries {
		out[k] = v
	}
	return out
}

// Run starts cron's loop and blocks until ctx is done; then it stops
// scheduling, waits up to the grace period for the running job, cancels
// it if it is still running, and returns once it has returned. A cycle cut
// short is finished by the next start: the worker is idempotent.
func (s *Scheduler) Run(ctx context.Context) {
	s.Cron.Start()
	<-ctx.Done()
	s.Stop()
}

// Stop stops scheduling and waits for running jobs (see Run).
func (s *Scheduler) Stop() {
	s.stopOnce.Do(func() { close(s.stopping) })
	stopped := s.Cron.Stop()
	done := make(chan struct{})
	go func() {
		<-stopped.Done()
		s.running.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(s.opts.Grace):
		s.opts.Log.Warn("running job did not finish within the grace period: cancelling it; the next start resumes it", "grace", s.opts.Grace)
		s.cancelJob()
		<-done
	}
	s.cancelJob()
}

// Missed counts the firings of spec in (since, now]: how many syncs have
// come and gone since the last success. It follows the schedule, so the
// night without syncs does not count against health.
func Missed(spec string, loc *time.Location, since, now time.Time) (int, error) {
	sch, err := Parser.Parse(spec)
	if err != nil {
		return 0, err
	}
	n := 0
	for t := sch.Next(since.In(loc)); !t.IsZero() && !t.After(now) && n < 1000; t = sch.Next(t) {
		n++
	}
	return n, nil
}

// Health is a daemon's health: healthy while the last successful sync is
// recent, that is while no more than the allowed misses of the sync
// schedule have passed since it (or since start-up, before the first one).
// It follows the schedule, so nights and weekends without syncs do not make
// the daemon unhealthy.
type Health struct {
	Missed      int       // scheduled syncs since the last success
	LastSuccess time.Time // zero before the first
	Stale       bool      // more than the allowed misses
}

// HealthAt is the health at now of a daemon started at started whose last
// successful sync was at lastOK (zero: none yet); sync is the sync
// schedule ("" none: never stale).
func HealthAt(sync string, loc *time.Location, misses int, started, lastOK, now time.Time) Health {
	since := lastOK
	if since.IsZero() {
		since = started
	}
	h := Health{LastSuccess: lastOK}
	if sync != "" {
		h.Missed, _ = Missed(sync, loc, since, now)
	}
	h.Stale = h.Missed > misses
	return h
}

// Logger adapts slog to cron's logger interface.
type Logger struct{ L *slog.Logger }

// Info logs cron's routine messages (start, wake, run, ...) at debug
// level, they are chatty; a skipped overlapping run at info.
func (l Logger) Info(msg string, kv ...any) {
	if msg == "skip" {
		l.L.Info("cron: skipped a run, the previous one is still running", kv...)
		return
	}
	l.L.Debug("cron: "+msg, kv...)
}

// Error logs cron's errors, recovered panics among them.
func (l Logger) Error(err error, msg string, kv ...any) {
	l.L.Error("cron: "+msg, append([]any{"err", err}, kv...)...)
}
