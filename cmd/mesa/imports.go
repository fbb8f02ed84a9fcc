package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/forms"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
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

// requiredFields are the questions without which no response of a form
// could be applied (DESIGN.md §5); the respondent's e-mail is required on
// every form besides, since it is what authorizes the answer.
var requiredFields = map[procedure.Form][]procedure.Field{
	procedure.Solicitudes:    {procedure.FDescription},
	procedure.Respuestas:     {procedure.FCase, procedure.FState},
	procedure.Reasignaciones: {procedure.FCase, procedure.FNewAgent, procedure.FCriterion},
	procedure.Encuestas:      {procedure.FCase, procedure.FRating},
	// The procedure is silent on a review's CSV: without the decision the
	// Coordinador's answer cannot be applied, so it is required too.
	procedure.Revisiones: {procedure.FCase, procedure.FDecision},
}

// readFormsCSV reads a Forms export whole; any problem is a usage error
// (exit 2) in Spanish, naming the file.
func readFormsCSV(path string) (forms.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return forms.File{}, usageErr("no se pudo abrir %s: %v", path, err)
	}
	defer f.Close()
	file, err := forms.ReadCSV(f, calendar.Bogota())
	if err != nil {
		return file, usageErr("%s (leído como %s, separado por %s): %v", path, orUnknown(file.Encoding), file.SeparatorName(), err)
	}
	return file, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "codificación desconocida"
	}
	return s
}

// checkColumns refuses a file that lacks a required column of the form
// (titles compared ignoring case and accents), naming each missing one.
func checkColumns(file forms.File, form procedure.Form, titles map[procedure.Field]string) error {
	have := map[string]string{}
	for _, h := range file.Header[1:] {
		have[procedure.Norm(h)] = h
	}
	var missing []string
	if !file.HasEmail {
		missing = append(missing, forms.EmailColumn)
	}
	for _, f := range requiredFields[form] {
		if _, ok := have[procedure.Norm(titles[f])]; !ok {
			missing = append(missing, titles[f])
		}
	}
	if len(missing) > 0 {
		return usageErr("al archivo le %s %s, sin %s ninguna respuesta del formulario %s se puede aplicar; no se importó nada",
			map[bool]string{true: "falta la columna", false: "faltan las columnas"}[len(missing) == 1],
			quoteList(missing), map[bool]string{true: "ella", false: "ellas"}[len(missing) == 1], form)
	}
	return nil
}

// mapQuestions maps each header to the form's own question title; headers
// the form has no question for are returned apart (ignored with a warning).
func mapQuestions(file forms.File, formTitles map[string]string) (map[string]string, []string) {
	byNorm := map[string]string{}
	for _, t := range formTitles {
		byNorm[procedure.Norm(t)] = t
	}
	to := map[string]string{}
	var unknown []string
	for _, h := range file.Header[1:] {
		if h == "" || forms.IsEmailColumn(h) {
			continue
		}
		if t, ok := byNorm[procedure.Norm(h)]; ok {
			to[h] = t
			continue
		}
		unknown = append(unknown, h)
	}
	return to, unknown
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "«" + x + "»"
	}
	return strings.Join(q, ", ")
}

func (a *app) importResponses(ctx context.Context, form, path string) error {
	if !knownForm(form) {
		return usageErr("--form %q: use solicitudes, respuestas, reasignaciones, encuestas o revisiones", form)
	}
	if a.cfg.Backend != "local" {
		return usageErr("import responses solo funciona con el backend local: en Google Workspace las personas envían el formulario")
	}
	file, err := readFormsCSV(path)
	if err != nil {
		return err
	}
	f := procedure.Form(form)
	if err := checkColumns(file, f, a.cfg.questions()[f]); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	ws, err := a.workspace(ctx)
	if err != nil {
		return err
	}
	defer ws.Close()
	id := ws.FormIDs[f]
	titles, err := ws.Forms.Questions(ctx, id, true)
	if err != nil {
		return err
	}
	to, unknown := mapQuestions(file, titles)
	for _, h := range unknown {
		fmt.Fprintf(a.errOut, "aviso: %s: el formulario %s no tiene la pregunta «%s»; esa columna se ignora\n", path, form, h)
	}
	// Rows already in the form are not submitted again: a re-run after a
	// failure finishes the import instead of doubling it.
	existing, err := ws.Forms.Since(ctx, id, time.Time{})
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, r := range existing {
		seen[responseKey(r.Submitted, r.Email, r.Answers)] = true
	}
	var todo []workspace.FormResponse
	for _, r := range file.Responses {
		answers := map[string]string{}
		for h, v := range r.Answers {
			if t, ok := to[h]; ok {
				answers[t] = v
			}
		}
		r.Answers = answers
		if seen[responseKey(r.Submitted, r.Email, r.Answers)] {
			continue
		}
		todo = append(todo, r)
	}
	already := len(file.Responses) - len(todo)
	desc := fmt.Sprintf("%s (%s, separado por %s)", path, file.Encoding, file.SeparatorName())
	if a.dryRun {
		verb := "se enviarían"
		if len(todo) == 1 {
			verb = "se enviaría"
		}
		fmt.Fprintf(a.out, "--dry-run: %s: %s %s al formulario %s (%s); no se escribió nada\n",
			desc, verb, plural(len(todo), "respuesta", "respuestas"), form, plural(already, "respuesta ya estaba", "respuestas ya estaban"))
		return nil
	}
	for i, r := range todo {
		if _, err := ws.Fake.SubmitResponse(id, r.Email, r.Submitted, r.Answers); err != nil {
			return fmt.Errorf("submit response %d of %d (run the same import again to finish it: the ones submitted are not repeated): %w", i+1, len(todo), err)
		}
	}
	fmt.Fprintf(a.out, "%s: %s al formulario %s", desc, plural(len(todo), "respuesta enviada", "respuestas enviadas"), form)
	if already > 0 {
		fmt.Fprintf(a.out, " (%s)", plural(already, "respuesta ya estaba y no se repitió", "respuestas ya estaban y no se repitieron"))
	}
	fmt.Fprintln(a.out)
	// A cycle reads each form from its latest applied response on, as
	// responses reach Google in order; older ones wait for reconcile.
	var latest time.Time
	for _, r := range existing {
		if r.Submitted.After(latest) {
			latest = r.Submitted
		}
	}
	older := 0
	for _, r := range todo {
		if r.Submitted.Before(latest) {
			older++
		}
	}
	if older > 0 {
		fmt.Fprintf(a.errOut, "aviso: %s: %s anteriores a la más reciente que ya tenía el formulario (%s); mesa sync lee cada formulario desde la última respuesta aplicada y puede no verlas: ejecute mesa reconcile para aplicarlas\n",
			path, plural(older, "respuesta es", "respuestas son"), latest.In(calendar.Bogota()).Format("02/01/2006 15:04"))
	}
	return nil
}

// responseKey identifies a response by what its submitter gave.
func responseKey(at time.Time, email string, answers map[string]string) string {
	keys := make([]string, 0, len(answers))
	for k := range answers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%d\x00%s", at.Unix(), strings.ToLower(email))
	for _, k := range keys {
		fmt.Fprintf(&b, "\x00%s\x01%s", k, answers[k])
	}
	return b.String()
}

func (a *app) importSheet(ctx context.Context, name, path string) error {
	tab, ok := workbook.ByName(name)
	if !ok || !isAdminTab(tab) {
		return usageErr("la pestaña %q no se importa: use agentes, catalogo o festivos", name)
	}
	rows, info, err := readSheetCSV(path)
	if err != nil {
		return err
	}
	if probs := worker.CheckAdmin(tab, rows); len(probs) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: la pestaña %s no se cambió, %s:", path, tab.Name, plural(len(probs), "problema", "problemas"))
		for _, p := range probs {
			fmt.Fprintf(&b, "\n  %s", p)
		}
		return usageErr("%s", b.String())
	}
	if a.dryRun {
		fmt.Fprintf(a.out, "--dry-run: %s (%s): %s; se escribirían en %s; no se escribió nada\n", path, info, plural(len(rows)-1, "fila revisada", "filas revisadas"), tab.Name)
		return nil
	}
	ws, err := a.workspace(ctx)
	if err != nil {
		return err
	}
	defer ws.Close()
	if _, err := ws.Sheets.EnsureTabs(ctx, []string{tab.Name}); err != nil {
		return err
	}
	if err := ws.Sheets.Replace(ctx, tab.Name, rows); err != nil {
		return err
	}
	fmt.Fprintf(a.out, "%s (%s): %s en %s\n", path, info, plural(len(rows)-1, "fila escrita", "filas escritas"), tab.Name)
	return nil
}

// readSheetCSV reads an admin tab's CSV with the same encoding and
// separator detection as a Forms export.
func readSheetCSV(path string) ([][]string, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", usageErr("no se pudo abrir %s: %v", path, err)
	}
	defer f.Close()
	t, err := forms.ReadTable(f)
	if err != nil {
		return nil, "", usageErr("%s: %v", path, err)
	}
	if len(t.Rows) == 0 {
		return nil, "", usageErr("%s está vacío", path)
	}
	return t.Rows, fmt.Sprintf("%s, separado por %s", t.Encoding, forms.SeparatorName(t.Separator)), nil
}

func (a *app) importCases(ctx context.Context, path string) error {
	rows, _, err := readSheetCSV(path)
	if err != nil {
		return err
	}
	hs, errs := readHistoric(rows, calendar.Bogota())
	if len(errs) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: %s no se %s leer; no se adoptó nada:", path, plural(len(errs), "fila", "filas"), map[bool]string{true: "pudo", false: "pudieron"}[len(errs) == 1])
		for _, e := range errs {
			fmt.Fprintf(&b, "\n  %v", e)
		}
		return usageErr("%s", b.String())
	}
	if len(hs) == 0 {
		return usageErr("%s: no hay casos debajo de la fila de títulos", path)
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

// readHistoric reads a CSV export of a hand-kept Casos tab, columns found by
// their Spanish headers (Caso, Fecha de registro, Estado, ... as in mesa's
// own Casos tab). Every row that cannot be read is reported.
func readHistoric(rows [][]string, loc *time.Location) ([]procedure.Historic, []error) {
	if len(rows) < 2 {
		return nil, nil
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[procedure.Norm(h)] = i
	}
	get := func(row []string, name string) string {
		if i, ok := col[procedure.Norm(name)]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	when := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		if t, err := forms.ParseTimestamp(s, loc); err == nil {
			return t
		}
		t, _ := procedure.ParseDate(s, loc)
		return t
	}
	var out []procedure.Historic
	var errs []error
	rowOf := map[int]int{} // case number -> its first row in the file
	for i, row := range rows[1:] {
		if slices.IndexFunc(row, func(s string) bool { return strings.TrimSpace(s) != "" }) < 0 {
			continue
		}
		n, ok := procedure.ParseCaseNumber(get(row, "Caso"))
		reg := when(get(row, "Fecha de registro"))
		if !ok || reg.IsZero() {
			errs = append(errs, fmt.Errorf("fila %d: se necesita un número de caso y una fecha de registro", i+2))
			continue
		}
		if first, dup := rowOf[n]; dup {
			errs = append(errs, fmt.Errorf("fila %d: el caso %d ya está en la fila %d del archivo; cada caso va en una sola fila", i+2, n, first))
			continue
		}
		rowOf[n] = i + 2
		closed := when(get(row, "Fecha de solución"))
		if closed.IsZero() {
			closed = when(get(row, "Fecha de estado"))
		}
		state := get(row, "Estado")
		if state == "" {
			state = string(procedure.Abierto)
		}
		out = append(out, procedure.Historic{
			Number: n, Registered: reg, Requester: get(row, "Solicitante"), Email: get(row, "Correo"), Phone: get(row, "Teléfono"),
			Dependencia: get(row, "Dependencia"), Building: get(row, "Edificio"), Service: get(row, "Tipo de servicio"),
			Category: get(row, "Categoría"), Description: get(row, "Descripción"), State: procedure.State(state),
			WaitReason: get(row, "Motivo de espera"), Agent: get(row, "Agente asignado"), Closed: closed,
			Activities: get(row, "Actividades realizadas"),
		})
	}
	return out, errs
}

func isAdminTab(t workbook.Tab) bool {
	for _, at := range workbook.Admin {
		if at.Name == t.Name {
			return true
		}
	}
	return false
}
