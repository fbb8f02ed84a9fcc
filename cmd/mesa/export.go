package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/export"
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
An empty tab prints its header row. Tabs: ` + strings.Join(export.Names(), ", ") + `.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			tab, ok := export.Find(args[0])
			if !ok {
				return usageErr("la pestaña %q no existe; use una de: %s", args[0], strings.Join(export.Names(), ", "))
			}
			opt := export.Options{Tab: tab, Out: a.out, DryRun: a.dryRun, Loc: calendar.Bogota()}
			switch {
			case format != "csv" && format != "xlsx":
				return usageErr("--format %q: use csv o xlsx", format)
			case excel && format != "csv":
				return usageErr("--excel es una variante de CSV: quite --format xlsx o --excel")
			case excel:
				opt.Format = export.ExcelCSV
			case format == "xlsx":
				opt.Format = export.XLSX
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
			res, err := export.Tab(cmd.Context(), sh, opt)
			if res.Rows == 0 && (err == nil || res.File != "") {
				fmt.Fprintf(a.errOut, "la pestaña %s está vacía: solo se exporta la fila de títulos\n", tab.Name)
			}
			switch {
			case err != nil:
				return err
			case res.File == "":
			case a.dryRun:
				fmt.Fprintf(a.out, "--dry-run: se escribiría %s (%s); no se escribió nada\n", res.File, plural(res.Rows, "fila", "filas"))
			default:
				fmt.Fprintln(a.out, res.File)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "csv", "csv or xlsx")
	cmd.Flags().IntVar(&year, "year", 0, "export the tab of that year's archive workbook (mesa archive) instead of the live one")
	cmd.Flags().BoolVar(&excel, "excel", false, "CSV for a Spanish-language Excel: BOM, \";\", CRLF, formulas neutralized")
	return cmd
}
