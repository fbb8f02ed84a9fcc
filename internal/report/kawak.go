package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// kawakHeader are the columns of the KAWAK file: what the administrator
// types into KAWAK's monthly measurement of the procedure's indicator.
var kawakHeader = []string{"Indicador", "Periodo", "Numerador", "Denominador", "Resultado (%)", "Meta (%)", "Cumple", "Análisis", "Fórmula"}

// KAWAK returns the month's indicators as the KAWAK file registers them:
// the Total rows, and where the procedure asks for statistics by category
// (PD-GT-1 actividad 26) each indicator by category, named so in the
// Indicador column. No breakdown by person: the file carries no one's name
// (the other breakdowns stay in the Indicadores tab and the HTML report).
func (r *Report) KAWAK() []Result {
	out := r.Totals()
	for _, x := range r.Results {
		if x.Breakdown == ByCategory {
			x.Name = fmt.Sprintf("%s — %s: %s", x.Name, ByCategory, x.Value)
			out = append(out, x)
		}
	}
	return out
}

// KAWAKCSV renders the KAWAK file as CSV the way a Spanish-language Excel
// opens it with a double click: UTF-8 with a byte-order mark, ";" between
// fields and a decimal comma. The XLSX has the same data typed.
func (r *Report) KAWAKCSV() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.UseCRLF = true
	rows := [][]string{kawakHeader}
	for _, x := range r.KAWAK() {
		res := ""
		if p, ok := x.Percent(); ok {
			res = pctText(p)
		}
		rows = append(rows, []string{x.Name, x.Month.String(), strconv.Itoa(x.Num), strconv.Itoa(x.Den), res, pctText(x.Target), x.Met(), x.Analysis, x.Formula})
	}
	for _, row := range rows {
		for i := range row {
			row[i] = ExcelText(row[i]) // an indicator named "=..." in config stays text
		}
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, fmt.Errorf("kawak csv: %w", err)
	}
	return buf.Bytes(), nil
}

// KAWAKXLSX renders the KAWAK file as an Excel workbook with typed numbers.
// Its bytes depend only on the figures, so a re-run uploads the same file.
func (r *Report) KAWAKXLSX() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Indicadores " + r.Month.String()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDE6F0"}, Pattern: 1}})
	if err != nil {
		return nil, err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 2, Alignment: &excelize.Alignment{Vertical: "top"}}) // 0.00
	if err != nil {
		return nil, err
	}
	set := func(col, row int, v any) error {
		cell, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		return f.SetCellValue(sheet, cell, v)
	}
	for j, h := range kawakHeader {
		if err := set(j+1, 1, h); err != nil {
			return nil, err
		}
	}
	for i, x := range r.KAWAK() {
		row := i + 2
		var res any = ""
		if p, ok := x.Percent(); ok {
			res = p
		}
		for j, v := range []any{x.Name, x.Month.String(), x.Num, x.Den, res, x.Target, x.Met(), x.Analysis, x.Formula} {
			if err := set(j+1, row, v); err != nil {
				return nil, err
			}
		}
	}
	last := len(r.KAWAK()) + 1
	steps := []error{
		f.SetCellStyle(sheet, "A1", "I1", bold),
		f.SetCellStyle(sheet, "A2", fmt.Sprintf("I%d", last), wrap),
		f.SetCellStyle(sheet, "E2", fmt.Sprintf("F%d", last), pct),
		f.SetColWidth(sheet, "A", "A", 16),
		f.SetColWidth(sheet, "B", "G", 13),
		f.SetColWidth(sheet, "H", "I", 70),
		f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}),
	}
	for _, err := range steps {
		if err != nil {
			return nil, fmt.Errorf("kawak xlsx: %w", err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("kawak xlsx: %w", err)
	}
	return buf.Bytes(), nil
}

// FileNames are the names of the month's files, in the output directory and
// in the Drive folder.
func FileNames(m Month) (csvName, xlsxName, htmlName string) {
	s := m.String()
	return "kawak-" + s + ".csv", "kawak-" + s + ".xlsx", "informe-" + s + ".html"
}
