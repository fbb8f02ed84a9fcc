package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/metrics"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/schedule"
	"github.com/funza-tic/mesa/internal/worker"
)

func (a *app) runCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "Run as a daemon: scheduled cycles, /healthz and /metrics",
		Long: `run schedules the jobs of the configuration (schedule.sync, schedule.reconcile,
schedule.report) in America/Bogota, serves /healthz and
Prometheus /metrics on server.listen, and takes the lease in the workbook's
Control tab before every cycle so that two instances never run one at once.
It syncs once at start-up. On SIGTERM it stops scheduling, lets the running
cycle finish (up to server.shutdown_grace) and exits.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.nowFlag != "" {
				return usageErr("--now cannot be used with run: the daemon follows the clock")
			}
			if err := a.refuseDryRun("run schedules real cycles; use mesa sync --dry-run to see one cycle's plan"); err != nil {
				return err
			}
			return a.run(cmd.Context(), nil)
		},
	}
}

// daemon is `mesa run`: one workspace, one worker, many cycles. On the
// local backend the workspace is opened for each job and closed after it,
// so the data directory is held only during a cycle and import, export,
// explain, doctor and report work beside a running daemon.
type daemon struct {
	a       *app
	ws      *backend.Workspace
	w       *worker.Worker
	m       *metrics.Metrics
	lease   *worker.Lease
	sched   *schedule.Scheduler
	now     func() time.Time
	started time.Time

	mu        sync.Mutex
	lastStats time.Time
	cache     worker.Cache // local backend: kept between jobs (with)
	recoverMu sync.Mutex
	recovered bool // an interrupted archive's write-back is done (archive.Recover)
}

// runHooks let tests see the daemon once it is up.
type runHooks struct {
	now   func() time.Time
	ready func(addr string, d *daemon)
}

func (a *app) run(ctx context.Context, hooks *runHooks) error {
	if hooks == nil {
		hooks = &runHooks{}
	}
	if hooks.now == nil {
		hooks.now = time.Now
	}
	m := metrics.New()
	d := &daemon{a: a, m: m, now: hooks.now, started: hooks.now()}
	if a.cfg.Backend == "google" {
		ws, err := a.workspaceWith(ctx, m.Transport)
		if err != nil {
			return err
		}
		defer ws.Close()
		if d.w, err = a.worker(ctx, ws); err != nil {
			return err
		}
		d.ws = ws
		d.lease = a.lease(ws, hooks.now)
	} else if _, err := notify.LoadTemplates(a.templatesDir()); err != nil {
		return usageErr("mail templates: %v", err) // found at start-up, not at the first cycle
	}
	d.sched = schedule.New(schedule.Options{
		Location: calendar.Bogota(), Log: a.log, Grace: a.cfg.Server.ShutdownGrace, Now: hooks.now,
		Observe: d.observe,
	})
	if err := d.schedule(); err != nil {
		return usageErr("%v", err)
	}

	var srv *http.Server
	addr := ""
	if a.cfg.Server.Listen != "" {
		ln, err := net.Listen("tcp", a.cfg.Server.Listen)
		if err != nil {
			return fmt.Errorf("server.listen: %w", err)
		}
		addr = ln.Addr().String()
		mux := http.NewServeMux()
		mux.HandleFunc("/healthz", d.healthz)
		mux.Handle("/metrics", m.Handler())
		srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(ln) }()
	}
	a.log.Info("mesa run started", "backend", a.cfg.Backend, "profile", a.cfg.Profile, "listen", addr,
		"sync", a.cfg.Schedule.Sync, "reconcile", a.cfg.Schedule.Reconcile, "lease", d.lease != nil)
	if hooks.ready != nil {
		hooks.ready(addr, d)
	}
	// A start finishes whatever the previous process left half-done.
	d.sched.RunNow("sync")
	d.sched.Run(ctx)
	if srv != nil {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}
	a.log.Info("mesa run stopped")
	return nil
}

// schedule adds the configured jobs.
func (d *daemon) schedule() error {
	cfg := d.a.cfg.Schedule
	jobs := []schedule.Job{
		{Name: "sync", Spec: cfg.Sync, Run: d.cycle(false)},
		{Name: "reconcile", Spec: cfg.Reconcile, Run: d.cycle(true)},
	}
	if cfg.Report != "" {
		jobs = append(jobs, schedule.Job{Name: "report", Spec: cfg.Report, Run: d.locked(func(ctx context.Context, now time.Time) error {
			return d.with(ctx, func(ws *backend.Workspace, w *worker.Worker) error {
				if err := d.a.scheduledReport(ctx, ws, w, now); err != nil {
					return err
				}
				return d.a.scheduledArchive(ctx, ws, w, now)
			})
		})})
	}
	for _, j := range jobs {
		if err := d.sched.Add(j); err != nil {
			return err
		}
	}
	return nil
}

// locked runs fn holding the workbook lease (when enabled); a lease held
// by another instance makes the run a skip, not a failure.
func (d *daemon) locked(fn func(ctx context.Context, now time.Time) error) func(context.Context, time.Time) error {
	return func(ctx context.Context, now time.Time) error {
		if d.lease == nil {
			return fn(ctx, now)
		}
		err := d.w.WithLease(ctx, d.lease, func(ctx context.Context) error { return fn(ctx, now) })
		var held *worker.HeldError
		if errors.As(err, &held) {
			return schedule.Skip{Reason: held.Error()}
		}
		return err
	}
}

// with runs fn on the daemon's workspace (google), or on the local
// backend's, opened for the job and closed after it.
func (d *daemon) with(ctx context.Context, fn func(*backend.Workspace, *worker.Worker) error) error {
	if d.ws != nil {
		return fn(d.ws, d.w)
	}
	ws, err := d.a.workspaceWith(ctx, d.m.Transport)
	if err != nil {
		return err
	}
	defer ws.Close()
	w, err := d.a.worker(ctx, ws)
	if err != nil {
		return err
	}
	// The local backend's worker is exclusive (directory lock): its busy
	// cycles start from the tabs the last one left (worker.Cache).
	w.Cache = &d.cache
	return fn(ws, w)
}

// cycle is the sync (full=false) or reconcile (full=true) job.
func (d *daemon) cycle(full bool) func(context.Context, time.Time) error {
	return d.locked(func(ctx context.Context, now time.Time) error {
		return d.with(ctx, func(ws *backend.Workspace, w *worker.Worker) error {
			// An archive run killed right after deleting rows may have
			// taken rows it did not mean to: they go back before any cycle.
			if err := d.recover(ctx, ws, w, full); err != nil {
				return err
			}
			var rep worker.Report
			var err error
			if full {
				rep, err = w.Reconcile(ctx, now, d.a.dryRun)
			} else {
				rep, err = w.Cycle(ctx, now, d.a.dryRun)
			}
			if err != nil {
				return err
			}
			if full && rep.Repaired > 0 {
				d.a.log.Info("reconcile repaired drift", "ranges", rep.Repaired)
			}
			d.refreshStats(ctx, w, now, full)
			return nil
		})
	})
}

// recover finishes the write-back of an archive run killed right after
// deleting rows (archive.Recover): it may have taken rows it did not mean
// to, and they go back before the first cycle, and at every reconcile (a
// `mesa archive` killed while this daemon runs).
func (d *daemon) recover(ctx context.Context, ws *backend.Workspace, w *worker.Worker, always bool) error {
	d.recoverMu.Lock()
	defer d.recoverMu.Unlock()
	if (d.recovered && !always) || d.a.dryRun {
		return nil
	}
	if err := d.a.recoverArchive(ctx, ws, w); err != nil {
		return err
	}
	d.recovered = true
	return nil
}

// refreshStats re-counts cases and the outbox every server.stats_every
// (and after every reconcile): one Sheets read, kept off the idle cycle.
func (d *daemon) refreshStats(ctx context.Context, w *worker.Worker, now time.Time, force bool) {
	d.mu.Lock()
	due := force || d.lastStats.IsZero() || now.Sub(d.lastStats) >= d.a.cfg.Server.StatsEvery
	if due {
		d.lastStats = now
	}
	d.mu.Unlock()
	if !due {
		return
	}
	st, err := w.Stats(ctx)
	if err != nil {
		d.a.log.Warn("could not count cases for the metrics", "err", err)
		return
	}
	metrics.SetCounts(d.m.Cases, st.Cases)
	metrics.SetCounts(d.m.MailQueue, st.Mail)
	if st.CellLimit > 0 {
		d.m.Cells.Set(float64(st.Cells))
		d.m.CellLimit.Set(float64(st.CellLimit))
	}
}

func (d *daemon) observe(o schedule.Outcome) {
	outcome := metrics.OK
	switch {
	case o.Panicked:
		outcome = metrics.Panic
	case o.Skipped:
		outcome = metrics.Skipped
	case o.Err != nil:
		outcome = metrics.Failed
	}
	d.m.Observe(o.Job, outcome, o.Took, o.Start.Add(o.Took))
}

// healthz answers 200 while the last successful cycle is recent
// (schedule.HealthAt), 503 when it is stale.
func (d *daemon) healthz(w http.ResponseWriter, _ *http.Request) {
	h := schedule.HealthAt(d.a.cfg.Schedule.Sync, calendar.Bogota(), d.a.cfg.Server.HealthMisses, d.started, d.m.LastOK(), d.now())
	body := map[string]any{"missed_syncs": h.Missed, "status": "ok"}
	if !h.LastSuccess.IsZero() {
		body["last_success"] = h.LastSuccess.In(calendar.Bogota()).Format(time.RFC3339)
	}
	code := http.StatusOK
	if h.Stale {
		code = http.StatusServiceUnavailable
		body["status"] = "stale"
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}

// lease is the workbook lease that keeps two instances (a CronJob and a
// Deployment, say) from running a cycle at once; nil when disabled, and with
// the local backend, whose data directory lock already lets one process in
// at a time.
func (a *app) lease(ws *backend.Workspace, now func() time.Time) *worker.Lease {
	if !a.cfg.Lease.Enabled || ws.Exclusive {
		return nil
	}
	// A configured owner names the deployment; the random part still tells
	// two executions of it apart.
	owner := worker.NewOwner(a.cfg.Lease.Owner, os.Getpid())
	if a.cfg.Lease.Owner == "" {
		host, _ := os.Hostname()
		owner = worker.NewOwner(host, os.Getpid())
	}
	return &worker.Lease{Sheet: ws.Sheets, Owner: owner, TTL: a.cfg.Lease.TTL, Settle: a.cfg.Lease.Settle, Now: now}
}
