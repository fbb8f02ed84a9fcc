package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/privacy"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/report"
	"github.com/funza-tic/mesa/internal/workbook"
)

func (a *app) exportCmd() *cobra.Command {
	var format string
	var excel bool
	var year int
	cmd := &cobra.Command{
		Use:   "export TAB",
		Short: "Write a tab to stdout (csv) or to TAB.xlsx (xlsx)",
		Long: `export writes a tab of the workbook: as CSV on stdout (RFC 3339 instants,
YYYY-MM-DD dates), or with --format xlsx to TAB.xlsx in the current
directory. --excel writes the CSV the way a Spanish-language Excel opens it
with a double click (UTF-8 with BOM, ";" between fields, CRLF) and
neutralizes cells that Excel would take for a formula (=, +, -, @).
An empty tab prints its header row. Tabs: ` + strings.Join(exportTabs(), ", ") + `.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			tab, ok := workbook.ByName(args[0])
			if !ok {
				tab, ok = reportTab(args[0]) // Indicadores, Looker: written by mesa report
			}
			if !ok && procedure.Norm(args[0]) == procedure.Norm(privacy.RightsTab.Name) {
				tab, ok = privacy.RightsTab, true // written by mesa privacy request
			}
			if !ok {
				return usageErr("la pestaña %q no existe; use una de: %s", args[0], strings.Join(exportTabs(), ", "))
			}
			if format != "csv" && format != "xlsx" {
				return usageErr("--format %q: use csv o xlsx", format)
			}
			if excel && format != "csv" {
				return usageErr("--excel es una variante de CSV: quite --format xlsx o --excel")
			}
			ws, err := a.workspace(cmd.Context())
			if err != nil {
				return err
			}
			defer ws.Close()
			sh, err := a.exportSheet(cmd.Context(), ws, year)
			if err != nil {
				return err
			}
			have, err := sh.Tabs(cmd.Context())
			if err != nil {
				return err
			}
			var vals [][]any
			if slices.Contains(have, tab.Name) {
				read, err := sh.Read(cmd.Context(), []string{tab.Name})
				if err != nil {
					return err
				}
				vals = read[0]
			}
			t := workbook.NewTable(tab, vals)
			if len(t.Header) == 0 {
				t.Header = headers(tab) // a tab not written yet has the schema's columns
			}
			if len(t.Rows) == 0 {
				fmt.Fprintf(a.errOut, "la pestaña %s está vacía: solo se exporta la fila de títulos\n", tab.Name)
			}
			rows := exportRows(t, calendar.Bogota())
			if format == "csv" {
				if excel {
					return writeExcelCSV(a.out, rows)
				}
				w := csv.NewWriter(a.out)
				return w.WriteAll(rows)
			}
			name := strings.ToLower(procedure.Norm(tab.Name)) + ".xlsx"
			if a.dryRun {
				fmt.Fprintf(a.out, "--dry-run: se escribiría %s (%s); no se escribió nada\n", name, plural(len(rows)-1, "fila", "filas"))
				return nil
			}
			if err := writeXLSX(name, tab.Name, rows); err != nil {
				return err
			}
			fmt.Fprintln(a.out, name)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "csv", "csv or xlsx")
	cmd.Flags().IntVar(&year, "year", 0, "export the tab of that year's archive workbook (mesa archive) instead of the live one")
	cmd.Flags().BoolVar(&excel, "excel", false, "CSV for a Spanish-language Excel: BOM, \";\", CRLF, formulas neutralized")
	return cmd
}

// exportTabs are the tab names export accepts, as people type them.
func exportTabs() []string {
	var out []string
	for _, group := range [][]workbook.Tab{workbook.Worker, workbook.Admin, workbook.Reports} {
		for _, t := range group {
			out = append(out, strings.ToLower(procedure.Norm(t.Name)))
		}
	}
	return append(out, strings.ToLower(procedure.Norm(privacy.RightsTab.Name)))
}

func headers(t workbook.Tab) []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// writeExcelCSV writes rows as a Spanish-language Excel opens them with a
// double click, every cell neutralized against CSV injection (a form
// answer "=HYPERLINK(...)" must stay text in the administrator's Excel).
func writeExcelCSV(out io.Writer, rows [][]string) error {
	if _, err := io.WriteString(out, "\uFEFF"); err != nil {
		return err
	}
	w := csv.NewWriter(out)
	w.Comma = ';'
	w.UseCRLF = true
	for _, row := range rows {
		safe := make([]string, len(row))
		for i, v := range row {
			safe[i] = report.ExcelText(v)
		}
		if err := w.Write(safe); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
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
	if err := f.SaveAs(path); err != nil {
		return err
	}
	// A file for people to open and share: readable by all, like any
	// document (excelize creates it owner-only).
	return os.Chmod(path, 0o644)
}
