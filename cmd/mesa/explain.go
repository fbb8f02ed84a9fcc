package main

import (
	"errors"
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
				text, err := archive.Explain(cmd.Context(), a.archiveDeps(ws, w), w, n, now)
				if errors.Is(err, archive.ErrNoCase) {
					return fmt.Errorf("el caso %d no existe", n)
				}
				fmt.Fprint(a.out, text)
				return err
			})
		},
	}
}
