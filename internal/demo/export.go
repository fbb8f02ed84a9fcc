package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/workbook"
)

// export leaves the workbook and the mail under dir for a person to open.
func export(ctx context.Context, ws *backend.Workspace, dir string, sum *Summary) error {
	sum.Workbook = filepath.Join(dir, "workbook.xlsx")
	if err := writeWorkbook(ctx, ws, sum.Workbook); err != nil {
		return fmt.Errorf("write %s: %w", sum.Workbook, err)
	}
	sum.MailDir = filepath.Join(dir, "correo")
	n, err := copyMail(filepath.Join(ws.Fake.Dir(), "mail"), sum.MailDir, sum.mailNames)
	if err != nil {
		return fmt.Errorf("copy mail to %s: %w", sum.MailDir, err)
	}
	sum.MailFiles = n
	sum.Workspace = ws.Fake.Dir()
	sum.Files = append([]File{
		{"libro", sum.Workbook, "todas las pestañas, Casos primero"},
		{"correo", sum.MailDir + string(filepath.Separator), fmt.Sprintf("%d archivos .eml", n)},
	}, sum.Files...)
	sum.Files = append(sum.Files, File{"espacio", sum.Workspace + string(filepath.Separator), "el Google Workspace local: mesa --data " + dir + " lo sigue usando"})
	return nil
}

// writeWorkbook reads every tab through the Sheets client and writes them
// to an .xlsx file, one sheet per tab, Casos first: bold frozen header with
// a filter, dates as dates, numbers as numbers.
func writeWorkbook(ctx context.Context, ws *backend.Workspace, path string) error {
	tabs, err := ws.Sheets.Tabs(ctx)
	if err != nil {
		return err
	}
	sort.SliceStable(tabs, func(i, j int) bool { return tabs[i] == workbook.Casos.Name && tabs[j] != workbook.Casos.Name })
	vals, err := ws.Sheets.Read(ctx, tabs)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E2F3"}}})
	if err != nil {
		return err
	}
	instantFmt, dateFmt := "yyyy-mm-dd hh:mm", "yyyy-mm-dd"
	instant, err := f.NewStyle(&excelize.Style{CustomNumFmt: &instantFmt})
	if err != nil {
		return err
	}
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	for i, name := range tabs {
		if i == 0 {
			err = f.SetSheetName("Sheet1", name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return err
		}
		if err := writeSheet(f, name, vals[i], styles{bold: bold, instant: instant, date: date}); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.SaveAs(path); err != nil {
		return err
	}
	return os.Chmod(path, 0o644) // excelize creates it executable
}

type styles struct{ bold, instant, date int }

func writeSheet(f *excelize.File, name string, values [][]any, st styles) error {
	if len(values) == 0 {
		return nil
	}
	tab, _ := workbook.ByName(name)
	header := values[0]
	types := make([]workbook.Type, len(header))
	widths := make([]int, len(header))
	for j, h := range header {
		if k := tab.Index(workbook.Cell(h)); k >= 0 {
			types[j] = tab.Columns[k].Type
		}
		col, _ := excelize.ColumnNumberToName(j + 1)
		switch types[j] {
		case workbook.Instant:
			widths[j] = 17
			if err := f.SetColStyle(name, col, st.instant); err != nil {
				return err
			}
		case workbook.Date:
			widths[j] = 11
			if err := f.SetColStyle(name, col, st.date); err != nil {
				return err
			}
		}
	}
	for i, row := range values {
		out := make([]any, len(row))
		for j, v := range row {
			out[j] = cellValue(v, typeAt(types, j), i == 0)
			if j < len(widths) {
				widths[j] = max(widths[j], utf8.RuneCountInString(workbook.Cell(v))+2)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(name, cell, &out); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(max(len(header), 1))
	if err := f.SetCellStyle(name, "A1", last+"1", st.bold); err != nil {
		return err
	}
	for j, w := range widths {
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(name, col, col, float64(min(max(w, 8), 60))); err != nil {
			return err
		}
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.AutoFilter(name, "A1:"+last+"1", nil)
}

func typeAt(types []workbook.Type, j int) workbook.Type {
	if j < len(types) {
		return types[j]
	}
	return workbook.Text
}

// cellValue turns a value read from Sheets into what the .xlsx cell holds:
// instants and dates as spreadsheet dates (wall clock in Bogotá).
func cellValue(v any, t workbook.Type, header bool) any {
	s, ok := v.(string)
	if header || !ok || s == "" {
		return v
	}
	switch t {
	case workbook.Instant:
		if ts, err := time.ParseInLocation(workbook.InstantLayout, s, time.UTC); err == nil {
			return ts
		}
	case workbook.Date:
		if ts, err := time.ParseInLocation("2006-01-02", s, time.UTC); err == nil {
			return ts
		}
	}
	return s
}

// copyMail links (or copies) the .eml files the fake wrote into dst with
// names a person can read, e.g. 0001-acuse-caso-12.eml. names maps a Gmail
// message id to its label; the fake names its files NNNNN-<id>.eml.
func copyMail(src, dst string, names map[string]string) (int, error) {
	entries, err := os.ReadDir(src)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".eml") {
			continue
		}
		_, id, _ := strings.Cut(strings.TrimSuffix(e.Name(), ".eml"), "-")
		label := names[id]
		if label == "" {
			label = "correo"
		}
		n++
		from, to := filepath.Join(src, e.Name()), filepath.Join(dst, fmt.Sprintf("%04d-%s.eml", n, label))
		if err := os.Link(from, to); err != nil {
			if err := copyFile(from, to); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
