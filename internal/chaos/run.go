package chaos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/retry"
	"github.com/funza-tic/mesa/internal/worker"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// Options describe one seeded schedule.
type Options struct {
	Seed  uint64
	Steps int                 // cycles of office life (business days)
	Rates workspacefake.Rates // faults injected during the chaotic cycles

	// Cancel is the chance that a cycle is killed in process: its context
	// is cancelled when the server receives a random request of the cycle.
	Cancel float64
	// Binary, if set, is a `mesa` binary; Kill9 is then the chance that a
	// step runs `mesa sync` in a subprocess and kills it with SIGKILL after
	// a random delay.
	Binary string
	Kill9  float64
	// Concurrent makes half the schedules (even seeds) start two workers at
	// once on some ticks, under the workbook lease as mesa takes it in
	// Google mode: both on host "localhost" with pid 1, as Cloud Run runs
	// every execution, and on some ticks with the same owner string (the
	// lease held twice, as before owners had a random part).
	Concurrent bool
	// People is the chance that a person sorts, inserts or deletes rows of
	// Casos or Notificaciones while a cycle runs.
	People float64
	// Archive makes one schedule in four (Archives) run from December to
	// January and archive the closed year at its last step.
	Archive bool
	// Cache makes one schedule in four (Cached) run its workers as `mesa
	// run` runs them on the local backend: exclusive, watching the
	// workbook's version, with one worker.Cache kept across the schedule's
	// cycles (also its fault-free ones), and some of its cancelled cycles
	// cancelled right after writing the workbook: at their first send, or
	// at the version read that would put the cache entry back.
	Cache bool
	// NoCache runs the cached schedules exclusive without the cache: the
	// control for a violation found in them.
	NoCache bool
	// Timeout bounds each request of the worker's clients.
	Timeout time.Duration
	// Retry is how the clients retry a failed call (zero: retry.Default()).
	Retry retry.Policy

	Dir      string // scratch directory for the two workspaces
	Agentes  string // CSV files of the admin tabs
	Catalogo string
	Log      io.Writer // the workers' logs; nil discards them
}

// Outcome is what a schedule did and the invariants it broke.
type Outcome struct {
	Seed                                        uint64
	Responses, Cycles, Failed, Cancelled, Kill9 int
	Faults                                      int
	Overlaps, PeopleEdits                       int // ticks with two workers at once; edits by people during cycles
	// Archive runs under faults (one per archive schedule), those crashed
	// between two steps, the cases in the archive at the end, and the
	// people's edits between a run's last read and its deletion.
	Archives, ArchiveCrashes, Archived, ArchiveEdits int
	SmallGrids                                       bool // the worker tabs started at 40 rows (SmallGrids)
	// Cached: the workers ran exclusive with one cache (Cached); CacheHits
	// counts the cycles that started from it.
	// AfterWrite counts the cycles cancelled right after writing the
	// workbook (cancelAfterWrite), PeopleBetween the people's edits made
	// between two cycles (person.between), Reconciles the ticks that ran
	// the daemon's reconcile instead of a cycle.
	Cached                                           bool
	CacheHits, AfterWrite, PeopleBetween, Reconciles int
	Violations                                       []string
}

// Run plays one schedule: office life with faults, crashes, human edits and
// sorts between cycles; then fault-free cycles; then the invariants, and a
// comparison with a clean replay of the same responses.
func Run(ctx context.Context, opt Options) (Outcome, error) {
	out := Outcome{Seed: opt.Seed}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x6368616f73))
	staff, err := LoadStaff(opt.Agentes)
	if err != nil {
		return out, err
	}
	gen := NewGenerator(opt.Seed, staff)
	archiving := opt.Archive && Archives(opt.Seed)
	clock := Clock(rng, opt.Steps)
	if archiving {
		clock = YearEndClock(rng, opt.Steps)
	}
	dir := filepath.Join(opt.Dir, "chaos")
	o, err := opt.open(ctx, dir)
	if err != nil {
		return out, err
	}
	defer func() {
		if o != nil {
			o.Close()
		}
	}()
	if err := o.SeedAdmin(ctx, opt.Agentes, opt.Catalogo); err != nil {
		return out, err
	}
	if SmallGrids(opt.Seed) {
		// Tabs of 40 rows: the journal passes its grid within days, so the
		// growth of grids (sheets/grid.go) runs under faults, kills, two
		// workers and people's edits, as a real journal's does past
		// Google's default 1,000 rows (which no schedule reaches).
		if err := o.SmallGrids(ctx, 40); err != nil {
			return out, err
		}
		out.SmallGrids = true
	}

	cached := opt.Cache && Cached(opt.Seed)
	if cached {
		o.Exclusive, out.Cached = true, true
		if !opt.NoCache {
			o.Cache = &worker.Cache{}
		}
	}

	var steps [][]Submission
	var ids []string
	notes := map[string]string{}
	dropped := map[string]bool{} // notifications whose rows people deleted
	prev := clock[0].Add(-24 * time.Hour)
	var faults, afterWrite atomic.Int64
	kill9P := opt.Kill9
	if opt.Binary == "" {
		kill9P = 0
	}
	// Two exclusive workers at once is no real configuration (the
	// directory lock): cached schedules (odd seeds) never overlap.
	overlap := opt.Concurrent && opt.Seed%2 == 0 && !cached
	for k, now := range clock {
		assigned, err := o.AssignedAgents(ctx)
		if err != nil {
			return out, err
		}
		subs := gen.Step(prev, now, assigned)
		prev = now
		steps = append(steps, subs)
		for _, s := range subs {
			id, err := o.Submit(s)
			if err != nil {
				return out, err
			}
			ids = append(ids, id)
		}
		if err := o.Human(ctx, rng, k, notes); err != nil {
			return out, err
		}

		// One to three cron ticks at this step's instant: any of them may die.
		for tick := 0; tick < 1+rng.IntN(3); tick++ {
			if cached {
				// `mesa run` on the local backend opens the workspace for
				// each job and closes it after: the cache outlives the
				// fake, which opens again from its directory.
				if o, err = o.reopen(ctx); err != nil {
					return out, err
				}
			}
			p := o.people(rng, opt.People)
			rates := opt.Rates
			if p.on && !cached {
				// Not both in one cycle: a write Google applies after its
				// client gave up, landing after a person's sort, lands on
				// the rows the sort put there. Sheets' values API has no
				// conditional write to stop it (FIDELITY.md, Concurrency).
				rates.Late = 0
			}
			sched := workspacefake.Schedule(rng.Uint64(), rates)
			counting := func(r *http.Request, m string) *workspacefake.Fault {
				f := sched(r, m)
				if f != nil {
					faults.Add(1)
				}
				return f
			}
			switch x := rng.Float64(); {
			case x < kill9P:
				out.Kill9++
				delay := time.Duration(rng.IntN(250)) * time.Millisecond
				if o, err = kill9(ctx, o, opt.Binary, now, delay); err != nil {
					return out, err
				}
			case overlap && x < kill9P+0.5:
				out.Overlaps++
				o.Fake.SetFault(p.during(counting))
				errs := twoWorkers(ctx, o, now, rng.IntN(2) == 0)
				o.Fake.Quiesce()
				o.Fake.SetFault(nil)
				out.PeopleEdits += p.done(notes, dropped)
				out.Cycles += 2
				for _, err := range errs {
					if err != nil {
						out.Failed++
					}
				}
			default:
				cctx, cancel := context.WithCancel(ctx)
				f := counting
				if rng.Float64() < opt.Cancel {
					out.Cancelled++
					switch {
					case cached && rng.IntN(2) == 0:
						// Right after writing the workbook: before the
						// mail, or before the cache entry is put back.
						at := "gmail.messages.send"
						if rng.IntN(2) == 0 {
							at = "drive.files.get"
						}
						f = cancelAfterWrite(at, func() { afterWrite.Add(1); cancel() }, counting)
					default:
						f = cancelAt(1+rng.IntN(40), cancel, counting)
					}
				}
				if !cached {
					f = p.during(f)
				}
				o.Fake.SetFault(f)
				w, err := o.Worker(ctx, nil)
				if err != nil {
					cancel()
					return out, err
				}
				switch {
				case cached && rng.IntN(6) == 0:
					// The daemon's nightly reconcile: it reads everything
					// and leaves an entry the next cycle starts from.
					out.Reconciles++
					_, err = w.Reconcile(cctx, now, false)
				case cached:
					_, err = w.Cycle(cctx, now, false) // the local daemon takes no lease
				default:
					err = o.leased(cctx, w, now, worker.NewOwner("localhost", 1))
				}
				cancel()
				o.Fake.Quiesce() // stragglers land long before the next cron tick, minutes later
				o.Fake.SetFault(nil)
				if cached && p.on {
					p.between()
					out.PeopleBetween += p.done(notes, dropped)
				} else {
					out.PeopleEdits += p.done(notes, dropped)
				}
				out.Cycles++
				if err != nil {
					out.Failed++
				}
			}
		}
		if archiving && k == len(clock)-1 {
			// `mesa archive --year 2025` after the last step's cycles,
			// under faults, and in every other archive schedule (seeds 2,
			// 10, 18, …) killed between two of its steps. Settling and a
			// rerun below finish the job.
			out.Archives++
			crash := archive.Steps[rng.IntN(len(archive.Steps))]
			if opt.Seed/4%2 != 0 {
				crash = ""
			}
			// In every other one of those, a person sorts, inserts or
			// deletes a row of Casos or Notificaciones in the instant
			// between the run's last read and its positional deletion
			// (drawn from a stream of its own: the schedule's draws stay).
			p := &person{o: o}
			rates := opt.Rates
			if opt.Seed/8%2 == 0 && opt.People > 0 {
				p = o.people(rand.New(rand.NewPCG(opt.Seed, 0x61726368)), 1)
				rates.Late = 0 // as in a cycle with a person's edit
			}
			sched := workspacefake.Schedule(rng.Uint64(), rates)
			o.Fake.SetFault(func(r *http.Request, m string) *workspacefake.Fault {
				f := sched(r, m)
				if f != nil {
					faults.Add(1)
				}
				return f
			})
			// A failed run is finished by the next.
			if _, crashed, _ := o.archive(ctx, now.Add(10*time.Minute), crash, p); crashed {
				out.ArchiveCrashes++
			}
			o.Fake.Quiesce()
			o.Fake.SetFault(nil)
			out.ArchiveEdits += p.doneArchive(dropped)
		}
	}
	out.Faults = int(faults.Load())
	out.Responses = len(ids)

	// Faults over: the next cron ticks finish whatever was left.
	final := clock[len(clock)-1].Add(time.Hour)
	if err := settle(ctx, o, nil, final); err != nil {
		out.Violations = append(out.Violations, fmt.Sprintf("fault-free cycles do not settle: %v", err))
	}
	if archiving {
		n, err := archiveAgain(ctx, o, nil, final)
		if err != nil {
			out.Violations = append(out.Violations, fmt.Sprintf("archive rerun: %v", err))
		}
		out.Archived = n
	}
	if cached {
		out.AfterWrite = int(afterWrite.Load())
		if o.Cache != nil {
			out.CacheHits = o.Cache.Hits()
		}
	}
	out.Violations = append(out.Violations, o.check(ctx, ids, notes, dropped)...)

	want, err := Replay(ctx, filepath.Join(opt.Dir, "replay"), opt, clock, steps, final, archiving)
	if err != nil {
		return out, fmt.Errorf("replay: %w", err)
	}
	got, err := o.casos(ctx)
	if err != nil {
		return out, err
	}
	out.Violations = append(out.Violations, compareCasos(got, want)...)
	return out, nil
}

// Cached says whether a schedule runs its workers exclusive with one cache
// (with Options.Cache): one in four, seeds 1, 5, 9, …, odd so that none has
// two workers at once and none archives (seeds 2, 6, 10, …).
func Cached(seed uint64) bool { return seed%4 == 1 }

// SmallGrids says whether a schedule starts its worker tabs at 40 rows
// (one in five).
func SmallGrids(seed uint64) bool { return seed%5 == 3 }

// settle runs fault-free cycles, as the next cron ticks would, 20 minutes
// apart from now until one has nothing left to do (claims a slow cycle
// abandoned go stale after 15 minutes and are recovered), then one more at
// now+3h, so that a run and its replay render Casos at the same instant.
func settle(ctx context.Context, o *Office, mail worker.Mailer, now time.Time) error {
	// Faults are over, and so are client deadlines: on a busy machine (or
	// under the race detector) a big write may take longer than the
	// chaotic cycles' 250 ms, which would fail every settle cycle.
	patient := *o
	patient.Timeout = 0
	w, err := patient.Worker(ctx, mail)
	if err != nil {
		return err
	}
	done := false
	for i := range 6 {
		rep, err := w.Cycle(ctx, now.Add(time.Duration(i)*20*time.Minute), false)
		if err != nil {
			return err
		}
		if rep.Mail.Deferred > 0 {
			// On a busy machine a claim can take longer than the settle
			// time and is abandoned: be more patient.
			w.Config.ClaimSettle = min(2*w.Config.ClaimSettle, time.Second)
		}
		if rep.Events == 0 && rep.SheetWrites == 0 && rep.Mail.Sent == 0 && rep.Mail.Queued == 0 {
			done = true
			break
		}
	}
	if !done {
		return fmt.Errorf("still busy after 6 cycles from %s", now)
	}
	_, err = w.Cycle(ctx, now.Add(3*time.Hour), false)
	return err
}

// archiveAgain reruns the archive fault-free after settling, as an operator
// reruns `mesa archive` after a crash: at final+4h, then one cycle at the
// same instant (the worker after the archive). It returns the cases in the
// archive.
func archiveAgain(ctx context.Context, o *Office, mail worker.Mailer, final time.Time) (int, error) {
	at := final.Add(4 * time.Hour)
	patient := *o
	patient.Timeout = 0
	sum, _, err := patient.Archive(ctx, at, "")
	if err != nil {
		return 0, err
	}
	w, err := patient.Worker(ctx, mail)
	if err != nil {
		return 0, err
	}
	_, err = w.Cycle(ctx, at, false)
	return len(sum.Cases), err
}

// Replay folds the same responses, step by step at the same instants, in a
// fresh workspace with no faults, and returns its Casos by key, live and
// archived (with archiving, it archives once, after settling).
func Replay(ctx context.Context, dir string, opt Options, clock []time.Time, steps [][]Submission, final time.Time, archiving bool) (map[string][]string, error) {
	clean := opt
	clean.Timeout = 0
	o, err := clean.open(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer o.Close()
	if err := o.SeedAdmin(ctx, opt.Agentes, opt.Catalogo); err != nil {
		return nil, err
	}
	// One stand-in for Gmail for every worker of the replay: its message
	// ids are unique, as Gmail's are (the outbox checks that no two rows
	// read Enviado with one id).
	mail := &nullMail{}
	w, err := o.Worker(ctx, mail)
	if err != nil {
		return nil, err
	}
	for k, now := range clock {
		for _, s := range steps[k] {
			if _, err := o.Submit(s); err != nil {
				return nil, err
			}
		}
		if _, err := w.Cycle(ctx, now, false); err != nil {
			return nil, err
		}
	}
	if err := settle(ctx, o, mail, final); err != nil {
		return nil, err
	}
	if archiving {
		if _, err := archiveAgain(ctx, o, mail, final); err != nil {
			return nil, err
		}
	}
	return o.casos(ctx)
}

// cancelAt wraps f so that the n-th request the server receives cancels the
// cycle's context: the request itself may or may not be applied, as when a
// process dies with a request in flight.
func cancelAt(n int, cancel context.CancelFunc, f workspacefake.FaultFunc) workspacefake.FaultFunc {
	var seen atomic.Int64
	return func(r *http.Request, m string) *workspacefake.Fault {
		if int(seen.Add(1)) == n {
			cancel()
		}
		return f(r, m)
	}
}

// cancelAfterWrite wraps f so that the first request of method (counted as
// the fake counts it) after a write of the workbook cancels the cycle's
// context. After a write, "gmail.messages.send" is the cycle's first send,
// and "drive.files.get" the version read after its last write, which puts
// the cache entry back.
func cancelAfterWrite(method string, cancel func(), f workspacefake.FaultFunc) workspacefake.FaultFunc {
	var wrote, done atomic.Bool
	return func(r *http.Request, m string) *workspacefake.Fault {
		switch {
		case m == "sheets.values.batchUpdate" || m == "sheets.values.update" || m == "sheets.values.append" || m == "sheets.batchUpdate":
			wrote.Store(true)
		case m == method && wrote.Load() && done.CompareAndSwap(false, true):
			cancel()
		}
		return f(r, m)
	}
}

// open opens the schedule's office with its options.
func (opt Options) open(ctx context.Context, dir string) (*Office, error) {
	p := opt.Retry
	if p == (retry.Policy{}) {
		p = retry.Default()
	}
	o, err := OpenOffice(ctx, dir, opt.Timeout, p)
	if err != nil {
		return nil, err
	}
	if opt.Log != nil {
		o.Log = opt.Log
	}
	return o, nil
}

// twoWorkers runs two cycles at once on separate clients, each under the
// workbook lease, both on host "localhost" with pid 1 as Cloud Run runs
// every execution. With sameOwner both use the same owner string, as
// mesa did before owners had a random part: both hold the lease.
func twoWorkers(ctx context.Context, o *Office, now time.Time, sameOwner bool) []error {
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range errs {
		w, err := o.Worker(ctx, nil)
		if err != nil {
			errs[i] = err
			continue
		}
		owner := worker.NewOwner("localhost", 1)
		if sameOwner {
			owner = "localhost:1"
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = o.leased(ctx, w, now, owner)
		}()
	}
	wg.Wait()
	return errs
}

// leased runs one cycle of w at now under the workbook lease, as `mesa
// sync` does in Google mode (a lease held by another is a skip). The lease
// expires on the simulated clock, so a lease a killed cycle kept is free by
// the next step.
func (o *Office) leased(ctx context.Context, w *worker.Worker, now time.Time, owner string) error {
	l := &worker.Lease{Sheet: w.Sheet, Owner: owner, TTL: 10 * time.Minute, Settle: o.ClaimSettle,
		Now: func() time.Time { return now }}
	err := w.WithLease(ctx, l, func(ctx context.Context) error {
		_, err := w.Cycle(ctx, now, false)
		return err
	})
	if errors.Is(err, worker.ErrLeaseHeld) {
		return nil
	}
	return err
}

// kill9 closes the in-process office, runs `mesa sync` on its data
// directory, kills it with SIGKILL after delay (it may have finished), and
// opens the office again from what the killed process left on disk.
func kill9(ctx context.Context, o *Office, bin string, now time.Time, delay time.Duration) (*Office, error) {
	dir := o.Dir
	if err := o.Close(); err != nil {
		return nil, err
	}
	// The binary runs on its defaults but for the working-hours hold: the
	// in-process workers an Office builds hold nothing (WorkerConfig), and
	// a mail the killed process held for the next working hour would still
	// be waiting when the schedule's fault-free cycles end, in the evening.
	cfg := filepath.Join(dir, "kill9.yaml")
	if err := os.WriteFile(cfg, []byte("mail:\n  held_kinds: []\n"), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--config", cfg, "--data", dir, "--now", now.Format(time.RFC3339), "sync")
	cmd.Env = append(cleanEnv(), "MESA_LOG_LEVEL=error")
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	time.Sleep(delay)
	_ = cmd.Process.Kill() // SIGKILL: no deferred Close, no snapshot
	_ = cmd.Wait()
	return o.open(ctx) // with this process's cache: the killed one had its own
}

// reopen closes the office and opens it again from its directory.
func (o *Office) reopen(ctx context.Context) (*Office, error) {
	if err := o.Close(); err != nil {
		return nil, err
	}
	return o.open(ctx)
}

// open opens the workspace of o's directory again, with o's settings.
func (o *Office) open(ctx context.Context) (*Office, error) {
	n, err := OpenOffice(ctx, o.Dir, o.Timeout, o.Retry)
	if err != nil {
		return nil, err
	}
	n.ClaimSettle, n.Log, n.Exclusive, n.Cache = o.ClaimSettle, o.Log, o.Exclusive, o.Cache
	return n, nil
}

// cleanEnv is the environment without MESA_ variables of the caller.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if len(kv) < 5 || kv[:5] != "MESA_" {
			out = append(out, kv)
		}
	}
	return out
}
