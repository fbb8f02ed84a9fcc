package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/forms"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
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
	cmd.AddCommand(responses, sheet)
	return cmd
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
