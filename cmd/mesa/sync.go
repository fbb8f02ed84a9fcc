package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/worker"
)

func (a *app) syncCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "sync",
		Short: "Run one cycle: apply new form responses, timers and mail",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			now, err := a.now()
			if err != nil {
				return err
			}
			return a.withWorker(cmd.Context(), func(_ *backend.Workspace, w *worker.Worker) error {
				rep, err := w.Cycle(cmd.Context(), now, a.dryRun)
				if err != nil {
					return err
				}
				a.printReport(rep)
				return nil
			})
		},
	}
}

func (a *app) reconcileCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "reconcile",
		Short: "Rebuild every tab from the journal and all form responses, and repair drift",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			now, err := a.now()
			if err != nil {
				return err
			}
			return a.withWorker(cmd.Context(), func(_ *backend.Workspace, w *worker.Worker) error {
				rep, err := w.Reconcile(context.WithoutCancel(cmd.Context()), now, a.dryRun)
				if err != nil {
					return err
				}
				a.printReport(rep)
				return nil
			})
		},
	}
}

func (a *app) printReport(r worker.Report) {
	fmt.Fprintf(a.out, "%s, %s applied (%s), %s, %s sent, %s queued for later\n",
		plural(r.NewCases, "new case", "new cases"), plural(r.Applied, "response", "responses"),
		plural(r.Rejected, "rejected", "rejected"), plural(r.Timers, "timed decision", "timed decisions"),
		plural(r.Mail.Sent, "mail", "mails"), plural(r.Mail.Deferred, "mail", "mails"))
	if r.Repaired > 0 {
		fmt.Fprintf(a.out, "reconcile repaired %s\n", plural(r.Repaired, "range", "ranges"))
	}
}
