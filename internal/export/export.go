// Package export writes a tab of the workbook for `mesa export`: as CSV
// (RFC 3339 instants, YYYY-MM-DD dates), as CSV the way a Spanish-language
// Excel opens it with a double click, or as an .xlsx file.
package export

import (
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/funza-tic/mesa/internal/privacy"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/report"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Sheet is the workbook (live or an archive) a tab is read from.
type Sheet interface {
	Tabs(ctx context.Context) ([]string, error)
	Read(ctx context.Context, tabs []string) ([][][]any, error)
}

// Find finds a tab by the name a person types (lower case, without
// accents): the worker's and administrator's tabs, the report's
// (Indicadores, Looker: written by mesa report) and Derechos (written by
// mesa privacy request).
func Find(name string) (workbook.Tab, bool) {
	if t, ok := workbook.ByName(name); ok {
		return t, true
	}
	for _, t := range workbook.Reports {
		if procedure.Norm(t.Name) == procedure.Norm(name) {
			return t, true
		}
	}
	if procedure.Norm(name) == procedure.Norm(privacy.RightsTab.Name) {
		return privacy.RightsTab, true
	}
	return workbook.Tab{}, false
}

// Names are the tab names Find accepts, as people type them.
func Names() []string {
	var out []string
	for _, group := range [][]workbook.Tab{workbook.Worker, workbook.Admin, workbook.Reports} {
		for _, t := range group {
			out = append(out, strings.ToLower(procedure.Norm(t.Name)))
		}
	}
	return append(out, strings.ToLower(procedure.Norm(privacy.RightsTab.Name)))
}

// Format is how a tab is written.
type Format int

const (
	CSV      Format = iota // RFC 4180 on Out
	ExcelCSV               // UTF-8 with BOM, ";", CRLF, formulas neutralized, on Out
	XLSX                   // an .xlsx file in Dir
)

// Options say what to export and where.
type Options struct {
	Tab    workbook.Tab
	Format Format
	Out    io.Writer      // CSV and ExcelCSV
	Dir    string         // XLSX: the file is Dir/<tab>.xlsx
	DryRun bool           // XLSX: write no file
	Loc    *time.Location // the workbook's time zone (instants are written in it)
}

// Result says what was exported.
type Result struct {
	Rows int    // data rows, the header not counted
	File string // XLSX: the file written (or, in a dry run, that would be)
}

// Tab reads the tab and writes it. A tab not written yet (or missing from
// the workbook) is exported as its schema's header row.
func Tab(ctx context.Context, sh Sheet, opt Options) (Result, error) {
	tab := opt.Tab
	have, err := sh.Tabs(ctx)
	if err != nil {
		return Result{}, err
	}
	var vals [][]any
	if slices.Contains(have, tab.Name) {
		read, err := sh.Read(ctx, []string{tab.Name})
		if err != nil {
			return Result{}, err
		}
		vals = read[0]
	}
	t := workbook.NewTable(tab, vals)
	if len(t.Header) == 0 {
		t.Header = headers(tab)
	}
	rows := Rows(t, opt.Loc)
	res := Result{Rows: len(rows) - 1}
	switch opt.Format {
	case CSV:
		return res, csv.NewWriter(opt.Out).WriteAll(rows)
	case ExcelCSV:
		return res, writeExcelCSV(opt.Out, rows)
	}
	res.File = filepath.Join(opt.Dir, strings.ToLower(procedure.Norm(tab.Name))+".xlsx")
	if opt.DryRun {
		return res, nil
	}
	return res, writeXLSX(res.File, tab.Name, rows)
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

// Rows renders a tab for export: instants as RFC 3339 with offset,
// dates as YYYY-MM-DD, columns people added kept as they are.
func Rows(t workbook.Table, loc *time.Location) [][]string {
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
