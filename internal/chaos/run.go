package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

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
	// Concurrent runs two workers at once on some steps.
	Concurrent bool
	// Timeout bounds each request of the worker's clients.
	Timeout time.Duration

	Dir      string // scratch directory for the two workspaces
	Agentes  string // CSV files of the admin tabs
	Catalogo string
}

// Outcome is what a schedule did and the invariants it broke.
type Outcome struct {
	Seed                                        uint64
	Responses, Cycles, Failed, Cancelled, Kill9 int
	Faults                                      int
	Violations                                  []string
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
	clock := Clock(rng, opt.Steps)
	dir := filepath.Join(opt.Dir, "chaos")
	o, err := OpenOffice(ctx, dir, opt.Timeout)
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

	var steps [][]Submission
	var ids []string
	notes := map[string]string{}
	prev := clock[0].Add(-24 * time.Hour)
	var faults atomic.Int64
	kill9P := opt.Kill9
	if opt.Binary == "" {
		kill9P = 0
	}
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
			sched := workspacefake.Schedule(rng.Uint64(), opt.Rates)
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
			case opt.Concurrent && x < kill9P+0.25:
				o.Fake.SetFault(counting)
				errs := twoWorkers(ctx, o, now)
				o.Fake.Quiesce()
				o.Fake.SetFault(nil)
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
					f = cancelAt(1+rng.IntN(40), cancel, counting)
				}
				o.Fake.SetFault(f)
				w, err := o.Worker(ctx, nil)
				if err != nil {
					cancel()
					return out, err
				}
				_, err = w.Cycle(cctx, now, false)
				cancel()
				o.Fake.Quiesce() // stragglers land long before the next cron tick, minutes later
				o.Fake.SetFault(nil)
				out.Cycles++
				if err != nil {
					out.Failed++
				}
			}
		}
	}
	out.Faults = int(faults.Load())
	out.Responses = len(ids)

	// Faults over: the next cron ticks finish whatever was left.
	final := clock[len(clock)-1].Add(time.Hour)
	if err := settle(ctx, o, nil, final); err != nil {
		out.Violations = append(out.Violations, fmt.Sprintf("fault-free cycles do not settle: %v", err))
	}
	out.Violations = append(out.Violations, o.Check(ctx, ids, notes)...)

	want, err := Replay(ctx, filepath.Join(opt.Dir, "replay"), opt, clock, steps, final)
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

// settle runs fault-free cycles at now until one has nothing left to do.
func settle(ctx context.Context, o *Office, mail worker.Mailer, now time.Time) error {
	w, err := o.Worker(ctx, mail)
	if err != nil {
		return err
	}
	for range 6 {
		rep, err := w.Cycle(ctx, now, false)
		if err != nil {
			return err
		}
		if rep.Events == 0 && rep.SheetWrites == 0 && rep.Mail.Sent == 0 && rep.Mail.Queued == 0 {
			return nil
		}
	}
	return fmt.Errorf("still busy after 6 cycles at %s", now)
}

// Replay folds the same responses, step by step at the same instants, in a
// fresh workspace with no faults, and returns its Casos by key.
func Replay(ctx context.Context, dir string, opt Options, clock []time.Time, steps [][]Submission, final time.Time) (map[string][]string, error) {
	o, err := OpenOffice(ctx, dir, 0)
	if err != nil {
		return nil, err
	}
	defer o.Close()
	if err := o.SeedAdmin(ctx, opt.Agentes, opt.Catalogo); err != nil {
		return nil, err
	}
	w, err := o.Worker(ctx, &nullMail{})
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
	if err := settle(ctx, o, &nullMail{}, final); err != nil {
		return nil, err
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

// twoWorkers runs two cycles at once on separate clients.
func twoWorkers(ctx context.Context, o *Office, now time.Time) []error {
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range errs {
		w, err := o.Worker(ctx, nil)
		if err != nil {
			errs[i] = err
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = w.Cycle(ctx, now, false)
		}()
	}
	wg.Wait()
	return errs
}

// kill9 closes the in-process office, runs `mesa sync` on its data
// directory, kills it with SIGKILL after delay (it may have finished), and
// opens the office again from what the killed process left on disk.
func kill9(ctx context.Context, o *Office, bin string, now time.Time, delay time.Duration) (*Office, error) {
	dir, timeout := o.Dir, o.Timeout
	if err := o.Close(); err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--data", dir, "--now", now.Format(time.RFC3339), "sync")
	cmd.Env = append(cleanEnv(), "MESA_LOG_LEVEL=error")
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	time.Sleep(delay)
	_ = cmd.Process.Kill() // SIGKILL: no deferred Close, no snapshot
	_ = cmd.Wait()
	return OpenOffice(ctx, dir, timeout)
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
