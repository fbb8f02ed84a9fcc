package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/imports"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/worker"
	"github.com/funza-tic/mesa/internal/workspace"
)

func (a *app) importCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "import", Short: "Import form responses, an admin tab or a hand-kept workbook's cases from CSV"}
	var form string
	responses := &cobra.Command{
		Use:   "responses --form solicitudes|respuestas|reasignaciones|encuestas|revisiones FILE.csv",
		Short: "Submit the rows of a Forms CSV export as form responses (local backend), all or none",
		Long: `responses reads the CSV that Google Forms ("Descargar respuestas (.csv)") or the
linked sheet exports, in Spanish or English, also after Excel saved it again
(semicolons, Windows-1252, CRLF, BOM), and submits its rows to the local
backend's form, exactly as if people had submitted them. The file is
imported whole or not at all: an unreadable line, or a missing required
column (DESIGN.md §5), refuses it with exit 2 and nothing written. Columns
the form does not have are ignored with a warning. Rows already in the form
(same time, e-mail and answers) are not submitted twice.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.importResponses(cmd.Context(), form, args[0])
		},
	}
	responses.Flags().StringVar(&form, "form", "", "which form the export comes from")
	_ = responses.MarkFlagRequired("form")
	sheet := &cobra.Command{
		Use:   "sheet agentes|catalogo|festivos FILE.csv",
		Short: "Replace an admin tab with the rows of a CSV file (header row first), all rows checked first",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.importSheet(cmd.Context(), args[0], args[1])
		},
	}
	cases := &cobra.Command{
		Use:   "cases FILE.csv",
		Short: "Adopt the cases of a hand-kept workbook (a CSV export of its Casos tab) without e-mailing anyone",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.importCases(cmd.Context(), args[0])
		},
	}
	cmd.AddCommand(responses, sheet, cases)
	return cmd
}

// refused makes a refusal of an internal package (imports.Refusal,
// privacy.Refusal: the caller's mistake, Spanish) a usage error (exit 2)
// with its text.
func refused(err error) error {
	var r interface{ Refused() }
	if errors.As(err, &r) {
		return usageError(err.Error())
	}
	return err
}

func (a *app) importResponses(ctx context.Context, form, path string) error {
	if !slices.Contains(procedure.Forms, procedure.Form(form)) {
		return usageErr("--form %q: use solicitudes, respuestas, reasignaciones, encuestas o revisiones", form)
	}
	if a.cfg.Backend != "local" {
		return usageErr("import responses solo funciona con el backend local: en Google Workspace las personas envían el formulario")
	}
	f := procedure.Form(form)
	file, err := imports.ReadResponses(path, f, a.cfg.Questions()[f], calendar.Bogota())
	if err != nil {
		return refused(err)
	}
	ws, err := a.workspace(ctx)
	if err != nil {
		return err
	}
	defer ws.Close()
	res, err := file.Submit(ctx, localForm{ws}, ws.FormIDs[f], a.dryRun)
	for _, h := range res.Unknown {
		fmt.Fprintf(a.errOut, "aviso: %s: el formulario %s no tiene la pregunta «%s»; esa columna se ignora\n", path, form, h)
	}
	if err != nil {
		return err
	}
	if a.dryRun {
		verb := "se enviarían"
		if res.Sent == 1 {
			verb = "se enviaría"
		}
		fmt.Fprintf(a.out, "--dry-run: %s: %s %s al formulario %s (%s); no se escribió nada\n",
			file.Describe(), verb, plural(res.Sent, "respuesta", "respuestas"), form, plural(res.Already, "respuesta ya estaba", "respuestas ya estaban"))
		return nil
	}
	fmt.Fprintf(a.out, "%s: %s al formulario %s", file.Describe(), plural(res.Sent, "respuesta enviada", "respuestas enviadas"), form)
	if res.Already > 0 {
		fmt.Fprintf(a.out, " (%s)", plural(res.Already, "respuesta ya estaba y no se repitió", "respuestas ya estaban y no se repitieron"))
	}
	fmt.Fprintln(a.out)
	if res.Older > 0 {
		fmt.Fprintf(a.errOut, "aviso: %s: %s anteriores a la más reciente que ya tenía el formulario (%s); mesa sync lee cada formulario desde la última respuesta aplicada y puede no verlas: ejecute mesa reconcile para aplicarlas\n",
			path, plural(res.Older, "respuesta es", "respuestas son"), res.Latest.In(calendar.Bogota()).Format("02/01/2006 15:04"))
	}
	return nil
}

// localForm is the local backend's forms: read through the Forms client,
// submitted to the fake as people submit them.
type localForm struct{ *backend.Workspace }

func (f localForm) Questions(ctx context.Context, id string, fresh bool) (map[string]string, error) {
	return f.Forms.Questions(ctx, id, fresh)
}

func (f localForm) Since(ctx context.Context, id string, t time.Time) ([]workspace.FormResponse, error) {
	return f.Forms.Since(ctx, id, t)
}

func (f localForm) Submit(id, email string, at time.Time, answers map[string]string) error {
	_, err := f.Fake.SubmitResponse(id, email, at, answers)
	return err
}

func (a *app) importSheet(ctx context.Context, name, path string) error {
	file, err := imports.ReadAdminTab(name, path)
	if err != nil {
		return refused(err)
	}
	rows := len(file.Rows) - 1
	if a.dryRun {
		fmt.Fprintf(a.out, "--dry-run: %s (%s): %s; se escribirían en %s; no se escribió nada\n", path, file.Describe, plural(rows, "fila revisada", "filas revisadas"), file.Tab.Name)
		return nil
	}
	ws, err := a.workspace(ctx)
	if err != nil {
		return err
	}
	defer ws.Close()
	if err := file.Write(ctx, ws.Sheets); err != nil {
		return err
	}
	fmt.Fprintf(a.out, "%s (%s): %s en %s\n", path, file.Describe, plural(rows, "fila escrita", "filas escritas"), file.Tab.Name)
	return nil
}

func (a *app) importCases(ctx context.Context, path string) error {
	hs, err := imports.ReadCases(path, calendar.Bogota())
	if err != nil {
		return refused(err)
	}
	if a.dryRun {
		fmt.Fprintf(a.out, "--dry-run: %s: %s; se adoptarían los que no estén ya en Historial; no se escribió nada\n", path, plural(len(hs), "caso leído", "casos leídos"))
		return nil
	}
	return a.withWorker(ctx, func(_ *backend.Workspace, w *worker.Worker) error {
		added, skipped, err := w.Adopt(ctx, hs)
		for _, s := range skipped {
			fmt.Fprintf(a.errOut, "%s: omitido: %s\n", path, s)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(a.out, "%s en Historial (regla F-I); el próximo sync los muestra en Casos\n", plural(added, "caso adoptado", "casos adoptados"))
		return nil
	})
}
