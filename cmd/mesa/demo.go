package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/demo"
	"github.com/funza-tic/mesa/internal/report"
	"github.com/funza-tic/mesa/internal/worker"
)

func (a *app) demoCmd() *cobra.Command {
	opt := demo.DefaultOptions()
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Seed a realistic office on the local backend and run it through simulated weeks",
		Long: `demo plays six weeks of the Alcaldía de Funza's help desk on the local
backend: it seeds the Agentes, Catálogo and Festivos tabs, has people submit
about two hundred requests, agents answer them, the Administrador reassign and
users answer surveys — all through the forms and the Google clients — while
the worker runs three cycles per business day. It runs the monthly report of
each month fully played, and leaves the workbook as workbook.xlsx, the sent
mail under correo/ and the reports under informes/ in the data directory.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.cfg.Backend != "local" {
				return usageErr("la demostración solo corre en el espacio local (backend: local), no en «%s»", a.cfg.Backend)
			}
			if opt.Weeks < 1 || opt.Requests < 1 {
				return usageErr("--weeks %d --requests %d: se necesita al menos 1 de cada uno", opt.Weeks, opt.Requests)
			}
			if err := a.refuseDryRun("demo plays weeks of a help desk and writes the workbook, mail and reports; it has no plan to print"); err != nil {
				return err
			}
			return a.withWorker(cmd.Context(), func(ws *backend.Workspace, w *worker.Worker) error {
				if a.cfg.Log.Level == "info" {
					// A hundred cycles: keep their logs for warnings.
					w.Log = slog.New(slog.NewTextHandler(a.errOut, &slog.HandlerOptions{Level: slog.LevelWarn}))
				}
				opt.Progress = a.out
				opt.Report = func(ctx context.Context, month, now time.Time) (string, error) {
					m := report.MonthOf(month, calendar.Bogota())
					out := filepath.Join(a.cfg.Data, "informes", m.String())
					fmt.Fprintf(a.out, "\nmesa report --month %s:\n", m)
					return out, a.runReport(ctx, ws, w, m, now, out)
				}
				sum, err := demo.Run(cmd.Context(), ws, w, a.cfg.Data, opt)
				if errors.Is(err, demo.ErrNotEmpty) {
					return usageErr("%s ya tiene una mesa de ayuda: bórrela o elija otra carpeta con --data", a.cfg.Data)
				}
				if err != nil {
					return err
				}
				sum.Print(a.out)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&opt.Weeks, "weeks", opt.Weeks, "weeks during which people file requests")
	f.IntVar(&opt.Requests, "requests", opt.Requests, "requests filed over those weeks")
	f.Uint64Var(&opt.Seed, "seed", opt.Seed, "random seed: the same seed plays the same demo")
	return cmd
}
