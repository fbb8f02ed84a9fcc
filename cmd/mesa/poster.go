package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

func (a *app) surveyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "survey",
		Short: "The satisfaction survey of Funza paso 8",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(a.surveyPosterCmd())
	return cmd
}

func (a *app) surveyPosterCmd() *cobra.Command {
	var agent, out string
	cmd := &cobra.Command{
		Use:   "poster --agent NAME --out FILE",
		Short: "Write a printable HTML page with the survey's QR code for an agent's desk (Funza paso 8)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if strings.TrimSpace(agent) == "" || out == "" {
				return usageErr("--agent NAME and --out FILE are required")
			}
			return a.withWorker(cmd.Context(), func(_ *backend.Workspace, w *worker.Worker) error {
				vals, err := w.Sheet.Read(cmd.Context(), []string{workbook.Agentes.Name})
				if err != nil {
					return err
				}
				name := ""
				for _, r := range workbook.NewTable(workbook.Agentes, vals[0]).Records() {
					if procedure.Norm(r.Get("Nombre")) == procedure.Norm(agent) {
						name = r.Get("Nombre")
					}
				}
				if name == "" {
					return usageErr("no hay un agente llamado %q en la pestaña Agentes", agent)
				}
				link := notify.PosterLink(w.Config.Office.SurveyURL)
				if link == "" {
					return usageErr("no hay enlace de la encuesta: configure office.survey_url o el formulario de encuestas")
				}
				page, err := notify.Poster(w.Config.Office, name, link)
				if err != nil {
					return err
				}
				if a.dryRun {
					fmt.Fprintf(a.out, "--dry-run: se escribiría el cartel de la encuesta para %s en %s; no se escribió nada\n", name, out)
					return nil
				}
				if err := os.WriteFile(out, page, 0o644); err != nil {
					return err
				}
				fmt.Fprintf(a.out, "Cartel de la encuesta para %s: %s (ábralo en el navegador e imprímalo)\n", name, out)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&agent, "agent", "", "the agent's name, as in the Agentes tab")
	cmd.Flags().StringVar(&out, "out", "", "the HTML file to write")
	return cmd
}
