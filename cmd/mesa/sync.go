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
	return a.cycleCmd("sync", "Run one cycle: apply new form responses, timers and mail", (*worker.Worker).Cycle)
}

func (a *app) reconcileCmd() *cobra.Command {
	return a.cycleCmd("reconcile", "Rebuild every tab from the journal and all form responses, and repair drift", (*worker.Worker).Reconcile)
}

// cycleCmd is a command that runs one cycle of the worker, under the lease.
//
// A cycle that is not idle first finishes the write-back of an archive run
// killed right after deleting rows (recoverArchive), as `mesa run` does at
// start: a deployment of cron or Cloud Run jobs has no daemon. The
// archive's deletion changed the workbook, so the cycle after it is not
// idle.
func (a *app) cycleCmd(use, short string, run func(*worker.Worker, context.Context, time.Time, bool) (worker.Report, error)) *cobra.Command {
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
					w.BeforeRead = func(ctx context.Context) error { return a.recoverArchive(ctx, ws, w) }
					rep, err := run(w, ctx, now, a.dryRun)
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

// recoverArchive finishes the write-back of an archive run killed between
// its deletion and its write-back (archive.Recover). It costs one
// spreadsheets.get of the live title, a Drive listing and one
// spreadsheets.get per archive workbook.
func (a *app) recoverArchive(ctx context.Context, ws *backend.Workspace, w *worker.Worker) error {
	if err := archive.Recover(ctx, a.archiveDeps(ws, w)); err != nil {
		return fmt.Errorf("finish an interrupted archive run: %w", err)
	}
	return nil
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
