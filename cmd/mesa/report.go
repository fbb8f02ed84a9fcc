package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/report"
	"github.com/funza-tic/mesa/internal/worker"
)

func (a *app) reportCmd() *cobra.Command {
	var month, out string
	cmd := &cobra.Command{
		Use:   "report --month YYYY-MM [--out DIR]",
		Short: "Monthly indicators, Looker rows, KAWAK files and HTML report",
		Long: `report computes a month's indicators (Oportunidad, Eficacia, Satisfacción) as of
the month's end (or now, if earlier), writes the Indicadores and Looker tabs,
the KAWAK file (CSV and XLSX) and the HTML report into --out (default
<data>/informes/YYYY-MM), and uploads the files to the Drive folder
(google.folder). Running it again changes nothing. Without --month it reports
the previous month.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			now, err := a.now()
			if err != nil {
				return err
			}
			m := report.MonthOf(now, calendar.Bogota()).Add(-1)
			if month != "" {
				if m, err = report.ParseMonth(month); err != nil {
					return usageErr("--month: %v", err)
				}
			}
			if m.Start(calendar.Bogota()).After(now) {
				return usageErr("--month %s has not started yet", m)
			}
			if _, err := a.cfg.Report.Options(); err != nil {
				return usageErr("%v", err)
			}
			return a.withWorker(cmd.Context(), func(ws *backend.Workspace, w *worker.Worker) error {
				return a.runReport(cmd.Context(), ws, w, m, now, out)
			})
		},
	}
	cmd.Flags().StringVar(&month, "month", "", "month to report, YYYY-MM (default: the previous month)")
	cmd.Flags().StringVar(&out, "out", "", "directory for the files (default <data>/informes/YYYY-MM)")
	return cmd
}

// runReport runs the month's report and prints what it did.
func (a *app) runReport(ctx context.Context, ws *backend.Workspace, w *worker.Worker, m report.Month, now time.Time, out string) error {
	opts, err := a.cfg.Report.Options()
	if err != nil {
		return usageErr("%v", err)
	}
	if out == "" {
		out = filepath.Join(a.cfg.Data, "informes", m.String())
	}
	deps := report.Deps{Book: a.archivedBook(ws, w), Sheet: ws.Sheets, Drive: ws.Drive, Folder: a.reportFolder(ws),
		Settings: w.Config.Settings, Options: opts, Office: a.cfg.Office.Name, Log: a.log}
	sum, err := report.Run(ctx, deps, report.Request{Month: m, Now: now, Out: out, DryRun: a.dryRun})
	if err != nil {
		return err
	}
	r := sum.Report
	fmt.Fprintf(a.out, "%s (corte %s)\n", r.Month.Name(), r.Cut.In(calendar.Bogota()).Format("2006-01-02 15:04"))
	for _, x := range r.Totals() {
		res := "sin datos"
		if p, ok := x.Percent(); ok {
			res = fmt.Sprintf("%.1f %%", p)
		}
		fmt.Fprintf(a.out, "  %-14s %4d / %-4d %10s  meta %g %%  cumple: %s\n", x.Name, x.Num, x.Den, res, x.Target, x.Met())
	}
	fmt.Fprintf(a.out, "  %s\n", r.Response.Text())
	a.printRightsLine(ctx, w, m.Start(calendar.Bogota()))
	if a.dryRun {
		fmt.Fprintf(a.out, "--dry-run: se escribirían %s en Indicadores y Looker; no se escribió ningún archivo\n", plural(sum.SheetRanges, "rango", "rangos"))
		return nil
	}
	fmt.Fprintf(a.out, "Indicadores y Looker: %s\n", plural(sum.SheetRanges, "rango escrito", "rangos escritos"))
	for _, f := range sum.Files {
		fmt.Fprintln(a.out, f)
	}
	if len(sum.Uploaded) > 0 {
		fmt.Fprintf(a.out, "%s a la carpeta de Drive %s\n", plural(len(sum.Uploaded), "archivo subido", "archivos subidos"), deps.Folder)
	}
	return nil
}

// reportFolder is where the files go in Drive: google.folder; the local
// backend keeps them in its fake Drive's root when none is set, so the
// upload path runs in local mode too.
func (a *app) reportFolder(ws *backend.Workspace) string {
	if ws.Folder == "" && a.cfg.Backend == "local" {
		return "root"
	}
	return ws.Folder
}

// scheduledReport is the monthly job of `mesa run` (schedule.report fires
// it daily in the first days of the month): on the report.day-th business
// day it reports the previous month; on other days it does nothing.
func (a *app) scheduledReport(ctx context.Context, ws *backend.Workspace, w *worker.Worker, now time.Time) error {
	cal := calendar.New(calendar.Bogota(), nil, calendar.Hours{})
	m, due := report.Scheduled(cal, now, a.cfg.Report.Day)
	if !due {
		return nil
	}
	return a.runReport(ctx, ws, w, m, now, "")
}
