package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/worker"
)

func (a *app) syncCmd() *cobra.Command {
	return a.cycleCmd("sync", "Run one cycle: apply new form responses, timers and mail", func(_ *backend.Workspace, w *worker.Worker, ctx context.Context, now time.Time, dryRun bool) (worker.Report, error) {
		return w.Cycle(ctx, now, dryRun)
	})
}

func (a *app) reconcileCmd() *cobra.Command {
	return a.cycleCmd("reconcile", "Rebuild every tab from the journal and all form responses, and repair drift", a.reconcile)
}

// reconcile is the full rebuild, after finishing the write-back of an
// archive run killed right after deleting rows (archive.Recover), as `mesa
// run` does at start and at each reconcile: a deployment of cron jobs has
// no daemon to do it.
func (a *app) reconcile(ws *backend.Workspace, w *worker.Worker, ctx context.Context, now time.Time, dryRun bool) (worker.Report, error) {
	if !dryRun {
		if err := archive.Recover(ctx, a.archiveDeps(ws, w)); err != nil {
			return worker.Report{}, fmt.Errorf("finish an interrupted archive run: %w", err)
		}
	}
	return w.Reconcile(ctx, now, dryRun)
}

// cycleCmd is a command that runs one cycle of the worker, under the lease.
func (a *app) cycleCmd(use, short string, run func(*backend.Workspace, *worker.Worker, context.Context, time.Time, bool) (worker.Report, error)) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			now, err := a.now()
			if err != nil {
				return err
			}
			return a.withWorker(cmd.Context(), func(ws *backend.Workspace, w *worker.Worker) error {
				return a.leased(cmd.Context(), ws, w, func(ctx context.Context) error {
					rep, err := run(ws, w, ctx, now, a.dryRun)
					if err != nil {
						return err
					}
					a.printReport(rep)
					if rep.Full {
						// Not a failure (the next cycle would fail the same way):
						// the operator's log has the English error, the
						// administrator has the notice by mail.
						fmt.Fprintln(a.errOut, "mesa: el libro llegó al límite de 10.000.000 celdas de Google; las solicitudes nuevas esperan en los formularios. "+
							"Archive un año cerrado (mesa archive --year AAAA), elimine pestañas que no se usen o borre filas y columnas vacías.")
					}
					return nil
				})
			})
		},
	}
}

// leased runs fn holding the workbook lease. Another instance holding it is
// not a failure: that instance does the work, and this run exits 0.
func (a *app) leased(ctx context.Context, ws *backend.Workspace, w *worker.Worker, fn func(context.Context) error) error {
	l := a.lease(ws, time.Now)
	if l == nil || a.dryRun {
		return fn(ctx)
	}
	err := w.WithLease(ctx, l, fn)
	if errors.Is(err, worker.ErrLeaseHeld) {
		a.log.Info("another instance is running a cycle; nothing to do", "err", err)
		return nil
	}
	return err
}

// printReport says what a cycle did, in Spanish: the administrator runs
// sync by hand too.
func (a *app) printReport(r worker.Report) {
	fmt.Fprintf(a.out, "%s, %s (%s), %s, %s, %s\n",
		plural(r.NewCases, "caso nuevo", "casos nuevos"), plural(r.Applied, "respuesta aplicada", "respuestas aplicadas"),
		plural(r.Rejected, "rechazada", "rechazadas"), plural(r.Timers, "decisión por plazo", "decisiones por plazo"),
		plural(r.Mail.Sent, "correo enviado", "correos enviados"), plural(r.Mail.Held, "correo en espera de horario", "correos en espera de horario"))
	if r.Mail.Deferred > 0 {
		fmt.Fprintf(a.out, "%s para el próximo ciclo\n", plural(r.Mail.Deferred, "correo queda", "correos quedan"))
	}
	if r.Repaired > 0 {
		fmt.Fprintf(a.out, "reconcile reparó %s\n", plural(r.Repaired, "rango", "rangos"))
	}
	if r.Planned != nil {
		tabs := make([]string, 0, len(r.Planned))
		for t, n := range r.Planned {
			tabs = append(tabs, fmt.Sprintf("%s %d", t, n))
		}
		sort.Strings(tabs)
		fmt.Fprintf(a.out, "--dry-run, no se escribió ni envió nada: se escribirían %s (%s) y se pondrían en cola %s\n",
			plural(len(tabs), "pestaña", "pestañas"), strings.Join(tabs, ", "), plural(r.Mail.Queued, "correo", "correos"))
	}
}
