package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/forms"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

func (a *app) importCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "import", Short: "Import form responses or an admin tab from CSV"}
	var form string
	responses := &cobra.Command{
		Use:   "responses --form solicitudes|respuestas|reasignaciones|encuestas FILE.csv",
		Short: "Submit the rows of a Forms CSV export as form responses (local backend)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !knownForm(form) {
				return usageErr("--form %q: want solicitudes, respuestas, reasignaciones, encuestas or revisiones", form)
			}
			if a.cfg.Backend != "local" {
				return usageErr("import responses works with the local backend only: in Google Workspace people submit the form")
			}
			f, err := os.Open(args[0])
			if err != nil {
				return usageErr("%v", err)
			}
			defer f.Close()
			rs, errs := forms.ParseCSV(f, calendar.Bogota())
			for _, e := range errs {
				fmt.Fprintf(a.errOut, "%s: %v\n", args[0], e)
			}
			if len(rs) == 0 && len(errs) > 0 {
				return usageErr("%s: no row could be read", args[0])
			}
			ws, err := a.workspace(cmd.Context())
			if err != nil {
				return err
			}
			defer ws.Close()
			id := ws.FormIDs[procedure.Form(form)]
			for _, r := range rs {
				if _, err := ws.Fake.SubmitResponse(id, r.Email, r.Submitted, r.Answers); err != nil {
					return fmt.Errorf("submit response: %w", err)
				}
			}
			fmt.Fprintf(a.out, "%s submitted to the %s form\n", plural(len(rs), "response", "responses"), form)
			return nil
		},
	}
	responses.Flags().StringVar(&form, "form", "", "which form the export comes from")
	_ = responses.MarkFlagRequired("form")
	sheet := &cobra.Command{
		Use:   "sheet agentes|catalogo|festivos FILE.csv",
		Short: "Replace an admin tab with the rows of a CSV file (header row first)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			tab, ok := workbook.ByName(args[0])
			if !ok || !isAdminTab(tab) {
				return usageErr("tab %q: want agentes, catalogo or festivos", args[0])
			}
			f, err := os.Open(args[1])
			if err != nil {
				return usageErr("%v", err)
			}
			defer f.Close()
			r := csv.NewReader(f)
			r.FieldsPerRecord = -1
			rows, err := r.ReadAll()
			if err != nil {
				return usageErr("%s: %v", args[1], err)
			}
			if len(rows) == 0 {
				return usageErr("%s is empty", args[1])
			}
			ws, err := a.workspace(cmd.Context())
			if err != nil {
				return err
			}
			defer ws.Close()
			if _, err := ws.Sheets.EnsureTabs(cmd.Context(), []string{tab.Name}); err != nil {
				return err
			}
			if err := ws.Sheets.Replace(cmd.Context(), tab.Name, rows); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "%s written to %s\n", plural(len(rows)-1, "row", "rows"), tab.Name)
			return nil
		},
	}
	cases := &cobra.Command{
		Use:   "cases FILE.csv",
		Short: "Adopt the cases of a hand-kept workbook (a CSV export of its Casos tab) without e-mailing anyone",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return usageErr("%v", err)
			}
			defer f.Close()
			hs, errs := readHistoric(f, calendar.Bogota())
			for _, e := range errs {
				fmt.Fprintf(a.errOut, "%s: %v\n", args[0], e)
			}
			if len(hs) == 0 {
				return usageErr("%s: no case could be read", args[0])
			}
			return a.withWorker(cmd.Context(), func(_ *backend.Workspace, w *worker.Worker) error {
				added, skipped, err := w.Adopt(cmd.Context(), hs)
				for _, s := range skipped {
					fmt.Fprintf(a.errOut, "%s: skipped: %s\n", args[0], s)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(a.out, "%s adopted into Historial (rule F-I); the next sync shows them in Casos\n", plural(added, "case", "cases"))
				return nil
			})
		},
	}
	cmd.AddCommand(responses, sheet, cases)
	return cmd
}

// readHistoric reads a CSV export of a hand-kept Casos tab, columns found by
// their Spanish headers (Caso, Fecha de registro, Estado, ... as in mesa's
// own Casos tab). A row that cannot be read is reported and left out.
func readHistoric(r io.Reader, loc *time.Location) ([]procedure.Historic, []error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, []error{err}
	}
	if len(rows) < 2 {
		return nil, []error{fmt.Errorf("no rows below the header")}
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[procedure.Norm(strings.TrimPrefix(h, "\ufeff"))] = i
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
	for i, row := range rows[1:] {
		n, ok := procedure.ParseCaseNumber(get(row, "Caso"))
		reg := when(get(row, "Fecha de registro"))
		if !ok || reg.IsZero() {
			errs = append(errs, fmt.Errorf("line %d: want a case number and a registration date", i+2))
			continue
		}
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

func (a *app) exportCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "export TAB",
		Short: "Write a tab to stdout (csv) or to TAB.xlsx (xlsx)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			tab, ok := workbook.ByName(args[0])
			if !ok {
				tab, ok = reportTab(args[0]) // Indicadores, Looker: written by mesa report
			}
			if !ok {
				return usageErr("unknown tab %q", args[0])
			}
			if format != "csv" && format != "xlsx" {
				return usageErr("--format %q: want csv or xlsx", format)
			}
			ws, err := a.workspace(cmd.Context())
			if err != nil {
				return err
			}
			defer ws.Close()
			vals, err := ws.Sheets.Read(cmd.Context(), []string{tab.Name})
			if err != nil {
				return err
			}
			rows := exportRows(workbook.NewTable(tab, vals[0]), calendar.Bogota())
			if format == "csv" {
				w := csv.NewWriter(a.out)
				if err := w.WriteAll(rows); err != nil {
					return err
				}
				return nil
			}
			name := strings.ToLower(procedure.Norm(tab.Name)) + ".xlsx"
			if err := writeXLSX(name, tab.Name, rows); err != nil {
				return err
			}
			fmt.Fprintln(a.out, name)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "csv", "csv or xlsx")
	return cmd
}

// exportRows renders a tab for export: instants as RFC 3339 with offset,
// dates as YYYY-MM-DD, columns people added kept as they are.
func exportRows(t workbook.Table, loc *time.Location) [][]string {
	types := map[int]workbook.Type{}
	for i, h := range t.Header {
		if j := t.Tab.Index(h); j >= 0 {
			types[i] = t.Tab.Columns[j].Type
		}
	}
	out := [][]string{t.Header}
	for _, row := range t.Rows {
		line := make([]string, len(t.Header))
		for i := range line {
			if i < len(row) {
				line[i] = row[i]
			}
			if types[i] == workbook.Instant && line[i] != "" {
				if ts, err := time.ParseInLocation(workbook.InstantLayout, line[i], loc); err == nil {
					line[i] = ts.Format(time.RFC3339)
				}
			}
		}
		out = append(out, line)
	}
	return out
}

func writeXLSX(path, sheet string, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
		}
	}
	return f.SaveAs(path)
}
