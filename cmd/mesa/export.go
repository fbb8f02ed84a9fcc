package main

import (
	"encoding/csv"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

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
