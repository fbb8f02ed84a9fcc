package archive

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// SumsFile is the package's manifest, in the format of sha256sum.
const SumsFile = "SHA256SUMS"

// FUIDColumns are the columns of the Formato Único de Inventario
// Documental (AGN Acuerdo 042 de 2002, artículo 7 and its instructivo).
var FUIDColumns = []string{
	"Número de orden", "Código", "Nombre de la serie, subserie o asunto",
	"Fecha inicial", "Fecha final", "Unidad de conservación", "Número de folios (equivalente electrónico: registros)",
	"Soporte", "Frecuencia de consulta", "Notas",
}

// PackageSummary lists what Package wrote.
type PackageSummary struct {
	Title string
	Files []string // names inside the directory, the manifest last
	Cases int
}

// Package writes the transfer package of year's archive into dir: one CSV
// per tab (UTF-8, the workbook's headers), an XLSX of them all, the FUID
// inventory (FUID-YYYY.csv and .xlsx), an index.html and SHA256SUMS.
func Package(ctx context.Context, d Deps, year int, dir string, now time.Time) (PackageSummary, error) {
	var sum PackageSummary
	in, err := Of(ctx, d, year)
	if err != nil {
		return sum, err
	}
	sum.Title = in.Title
	sh := d.Open(in.ID)
	names := []string{FichaTab}
	for _, t := range Tabs {
		names = append(names, t.Name)
	}
	vals, err := sh.Read(ctx, names)
	if err != nil {
		return sum, fmt.Errorf("read %s: %w", in.Title, err)
	}
	sheets := make([]sheetData, len(names))
	for i, name := range names {
		sheets[i] = sheetData{Name: name, File: fileName(name) + ".csv", Rows: textRows(vals[i])}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return sum, err
	}
	write := func(name string, data []byte) error {
		sum.Files = append(sum.Files, name)
		return os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	for _, s := range sheets {
		b, err := csvBytes(s.Rows)
		if err != nil {
			return sum, err
		}
		if err := write(s.File, b); err != nil {
			return sum, err
		}
	}
	xlsxName := fmt.Sprintf("Archivo-%d.xlsx", year)
	b, err := xlsxBytes(sheets)
	if err != nil {
		return sum, err
	}
	if err := write(xlsxName, b); err != nil {
		return sum, err
	}
	var casos table
	for i, name := range names {
		if name == workbook.Casos.Name {
			t := workbook.NewTable(workbook.Casos, vals[i])
			casos = table{tab: workbook.Casos, header: t.Header, values: vals[i], rows: t.Rows}
		}
	}
	fuid := d.TRD.fuid(in.Title, casos, sheets)
	sum.Cases = len(fuid) - 1
	if b, err = csvBytes(fuid); err != nil {
		return sum, err
	}
	if err := write(fmt.Sprintf("FUID-%d.csv", year), b); err != nil {
		return sum, err
	}
	if b, err = xlsxBytes([]sheetData{{Name: "FUID", Rows: fuid}}); err != nil {
		return sum, err
	}
	if err := write(fmt.Sprintf("FUID-%d.xlsx", year), b); err != nil {
		return sum, err
	}
	var page bytes.Buffer
	err = indexPage.Execute(&page, indexData{Title: in.Title, Year: year, Ficha: sheets[0].Rows, Sheets: sheets, Files: append([]string(nil), sum.Files...),
		Cases: sum.Cases, At: now.Format("2006-01-02 15:04"), XLSX: xlsxName, FUID: fmt.Sprintf("FUID-%d", year)})
	if err != nil {
		return sum, err
	}
	if err := write("index.html", page.Bytes()); err != nil {
		return sum, err
	}
	var sums bytes.Buffer
	for _, name := range sum.Files {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return sum, err
		}
		h := sha256.Sum256(data)
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(h[:]), name)
	}
	if err := write(SumsFile, sums.Bytes()); err != nil {
		return sum, err
	}
	return sum, nil
}

// ErrNoArchive is returned when the year has no archive workbook.
var ErrNoArchive = errors.New("no archive")

// Verify checks the files of dir against its SHA256SUMS, as `sha256sum -c`
// does: every listed file must exist with that digest.
func Verify(dir string) error {
	f, err := os.Open(filepath.Join(dir, SumsFile))
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != 64 {
			return fmt.Errorf("%s: malformed line %q", SumsFile, line)
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		h := sha256.Sum256(data)
		if hex.EncodeToString(h[:]) != sum {
			return fmt.Errorf("%s: FAILED (checksum does not match)", name)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s lists no file", SumsFile)
	}
	return nil
}

type sheetData struct {
	Name, File string
	Rows       [][]string
}

func textRows(vals [][]any) [][]string {
	out := make([][]string, len(vals))
	for i, r := range vals {
		out[i] = make([]string, len(r))
		for j, v := range r {
			out[i][j] = workbook.Cell(v)
		}
	}
	return out
}

// fileName is a tab's name without accents or spaces, lower case.
func fileName(tab string) string {
	return strings.ReplaceAll(strings.ToLower(procedure.Norm(tab)), " ", "-")
}

func csvBytes(rows [][]string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func xlsxBytes(sheets []sheetData) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return nil, err
		}
		sw, err := f.NewStreamWriter(s.Name)
		if err != nil {
			return nil, err
		}
		for r, row := range s.Rows {
			cells := make([]any, len(row))
			for j, v := range row {
				cells[j] = excelCell(v)
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := sw.SetRow(cell, cells); err != nil {
				return nil, err
			}
		}
		if err := sw.Flush(); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// fuid builds the inventory: one row per archived case (the expediente of
// the series), its registros across the tabs as the electronic equivalent
// of folios.
func (t TRD) fuid(title string, casos table, sheets []sheetData) [][]string {
	rowsOf := map[string]int{}
	for _, s := range sheets {
		if len(s.Rows) == 0 {
			continue
		}
		col := -1
		for j, h := range s.Rows[0] {
			if h == "Caso" || h == "caso" {
				col = j
			}
		}
		if col < 0 {
			continue
		}
		for _, r := range s.Rows[1:] {
			if col < len(r) && r[col] != "" {
				rowsOf[r[col]]++
			}
		}
	}
	get := func(r []string, name string) string {
		if j := casos.col(name); j >= 0 && j < len(r) {
			return r[j]
		}
		return ""
	}
	rows := append([][]string(nil), casos.rows...)
	sort.Slice(rows, func(i, j int) bool {
		a, _ := strconv.Atoi(get(rows[i], "Caso"))
		b, _ := strconv.Atoi(get(rows[j], "Caso"))
		return a < b
	})
	series := t.Series
	if t.Subseries != "" {
		series += " / " + t.Subseries
	}
	out := [][]string{FUIDColumns}
	for i, r := range rows {
		n := get(r, "Caso")
		out = append(out, []string{
			strconv.Itoa(i + 1), t.Code,
			fmt.Sprintf("%s — Caso %s: %s", series, n, get(r, "Tipo de servicio")),
			day(get(r, "Fecha de registro")), day(get(r, "Fecha de estado")),
			"Otro: libro electrónico «" + title + "»", strconv.Itoa(rowsOf[n]),
			t.Medium, t.Frequency, "Estado final: " + get(r, "Estado") + ". Integridad: SHA256SUMS del paquete.",
		})
	}
	return out
}

type indexData struct {
	Title      string
	Year       int
	Ficha      [][]string
	Sheets     []sheetData
	Files      []string
	Cases      int
	At         string
	XLSX, FUID string
}

var indexPage = template.Must(template.New("index").Funcs(template.FuncMap{
	"rows": func(r [][]string) int { return max(len(r)-1, 0) },
}).Parse(`<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em;text-align:left}</style>
</head><body>
<h1>{{.Title}}</h1>
<p>Paquete de transferencia del archivo de la mesa de ayuda del año {{.Year}}: {{.Cases}} casos. Generado el {{.At}}.</p>
<h2>Ficha</h2>
<table>{{range .Ficha}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</table>
<h2>Archivos</h2>
<ul>
<li><a href="{{.FUID}}.csv">{{.FUID}}.csv</a> y <a href="{{.FUID}}.xlsx">{{.FUID}}.xlsx</a>: Formato Único de Inventario Documental (Acuerdo 042 de 2002).</li>
<li><a href="{{.XLSX}}">{{.XLSX}}</a>: todas las pestañas en un libro de Excel.</li>
{{range .Sheets}}<li><a href="{{.File}}">{{.File}}</a>: pestaña {{.Name}}, {{rows .Rows}} filas.</li>
{{end}}<li><a href="SHA256SUMS">SHA256SUMS</a>: suma SHA-256 de cada archivo.</li>
</ul>
<h2>Cómo verificar el paquete</h2>
<p>En la carpeta del paquete, en Linux o macOS: <code>sha256sum -c SHA256SUMS</code> (cada archivo debe decir «La suma coincide» u «OK»).
En Windows (PowerShell): <code>Get-FileHash -Algorithm SHA256 archivo</code> y compare con la línea del archivo en SHA256SUMS.</p>
</body></html>
`))

// excelMax is the most characters an Excel cell holds (Sheets holds
// 50,000): a longer text is cut in the XLSX with a note, and the CSV of
// the same tab keeps it whole.
const excelMax = 32_767

func excelCell(v string) string {
	if utf8.RuneCountInString(v) <= excelMax {
		return v
	}
	const note = " [recortado para Excel: el texto completo está en el CSV]"
	r := []rune(v)
	return string(r[:excelMax-utf8.RuneCountInString(note)]) + note
}
