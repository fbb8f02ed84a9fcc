package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/worker"
)

func (a *app) explainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain CASE",
		Short: "Print a case's history, each step with its rule and procedure step (Spanish)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, ok := procedure.ParseCaseNumber(args[0])
			if !ok {
				return usageErr("«%s» no es un número de caso", args[0])
			}
			now, err := a.now()
			if err != nil {
				return err
			}
			return a.withWorker(cmd.Context(), func(ws *backend.Workspace, w *worker.Worker) error {
				b, loc, err := w.Book(cmd.Context(), now)
				if err != nil {
					return err
				}
				moved := archive.ExplainLine(b, n, loc)
				if moved != "" {
					// Its history is in its year's archive workbook.
					if b, loc, err = a.archivedBook(ws, w)(cmd.Context(), now); err != nil {
						return err
					}
				}
				text, ok := procedure.Explain(b, n, loc)
				if !ok {
					return fmt.Errorf("el caso %d no existe", n)
				}
				fmt.Fprint(a.out, text+moved)
				held, err := w.Held(cmd.Context(), now, n)
				if err != nil {
					return err
				}
				fmt.Fprint(a.out, worker.ExplainHeld(held, loc))
				return nil
			})
		},
	}
}
