package forms

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/funza-tic/mesa/internal/workspace"
)

// Column titles of a Forms export.
const (
	TimestampColumn = "Marca temporal"
	EmailColumn     = "Dirección de correo electrónico"
)

// timestampColumns and emailColumns are the titles Google gives those two
// columns in the Spanish and English interfaces (Forms' "Descargar
// respuestas (.csv)" and the linked sheet's own export).
var (
	timestampColumns = []string{TimestampColumn, "Timestamp"}
	emailColumns     = []string{EmailColumn, "Email Address", "Email address", "Correo electrónico", "Nombre de usuario", "Username"}
)

// IsEmailColumn reports whether a header is the respondent's e-mail column
// of a Forms export, in any of the titles Google gives it.
func IsEmailColumn(h string) bool { return anyFold(h, emailColumns) }

// File is a Forms CSV export read whole: how it was encoded, its header and
// every response. A file is read entirely or not at all (ReadCSV).
type File struct {
	Encoding  string // "UTF-8", "UTF-8 con BOM", "Windows-1252", "UTF-16"
	Separator rune   // ',', ';' or '\t'
	Header    []string
	HasEmail  bool // the file has the respondent's e-mail column
	DayFirst  bool // d/M/yyyy (true) or M/d/yyyy timestamps
	Responses []workspace.FormResponse
}

// SeparatorName is the file's separator as an office person calls it.
func (f File) SeparatorName() string { return SeparatorName(f.Separator) }

// SeparatorName is a separator as an office person calls it.
func SeparatorName(sep rune) string {
	switch sep {
	case ';':
		return "punto y coma (;)"
	case '\t':
		return "tabulador"
	}
	return "coma (,)"
}

// LineErrors lists every line of a file that could not be read; the file is
// refused whole. Its message is Spanish: the office person who exported the
// file reads it.
type LineErrors struct {
	Lines []LineError
}

// LineError is one unreadable line.
type LineError struct {
	Line   int
	Reason string
}

func (e *LineErrors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s no se pudieron leer; no se importó nada:", len(e.Lines), map[bool]string{true: "línea", false: "líneas"}[len(e.Lines) == 1])
	for _, l := range e.Lines {
		fmt.Fprintf(&b, "\n  línea %d: %s", l.Line, l.Reason)
	}
	return b.String()
}

// ReadCSV reads the CSV that Google Forms and Sheets export, and the same
// file after a spreadsheet program saved it again:
//   - encoding: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode
//     text"), and otherwise Windows-1252 (Excel in Spanish on Windows);
//   - separator: comma, semicolon (Excel where the decimal mark is a comma,
//     as in Colombia) or tab, chosen from the header line; CRLF or LF;
//   - header: question titles, the first column "Marca temporal" or
//     "Timestamp", the respondent's e-mail under any title of emailColumns;
//   - timestamps: every layout of ParseTimestampOrder.
//
// It is all or nothing: any unreadable line refuses the whole file with a
// *LineErrors listing each of them, so an import never half happens.
func ReadCSV(r io.Reader, loc *time.Location) (File, error) {
	t, err := ReadTable(r)
	f := File{Encoding: t.Encoding, Separator: t.Separator}
	if err != nil {
		return f, err
	}
	if len(t.Rows) == 0 {
		return f, errors.New("el archivo está vacío")
	}
	header := t.Rows[0]
	f.Header = header
	if !anyFold(header[0], timestampColumns) {
		return f, fmt.Errorf("la primera columna es %q y debe ser %q (o \"Timestamp\"): no parece una exportación de Google Forms",
			header[0], TimestampColumn)
	}
	emailCol := -1
	for i, h := range header {
		if i > 0 && IsEmailColumn(h) {
			emailCol, f.HasEmail = i, true
			break
		}
	}
	rows, lines := t.Rows[1:], t.Lines[1:]
	stamps := make([]string, len(rows))
	for i, rec := range rows {
		stamps[i] = rec[0]
	}
	f.DayFirst = dayFirst(stamps, strings.EqualFold(header[0], TimestampColumn))
	var bad []LineError
	for i, rec := range rows {
		ts, err := ParseTimestampOrder(rec[0], loc, f.DayFirst)
		if err != nil {
			bad = append(bad, LineError{lines[i], err.Error()})
			continue
		}
		resp := workspace.FormResponse{Submitted: ts, Answers: map[string]string{}}
		for i := 1; i < len(rec) && i < len(header); i++ {
			v := strings.TrimSpace(rec[i])
			switch {
			case i == emailCol:
				resp.Email = v
			case header[i] == "" || v == "":
				// a column without a title answers no question
			default:
				resp.Answers[header[i]] = v
			}
		}
		f.Responses = append(f.Responses, resp)
	}
	if len(bad) > 0 {
		return f, &LineErrors{Lines: bad}
	}
	return f, nil
}

// Table is a CSV file read whole, as a spreadsheet program may have saved
// it: the encoding and separator it was read with, its non-blank rows
// (cells trimmed, the header first) and each row's line in the file.
type Table struct {
	Encoding  string
	Separator rune
	Rows      [][]string
	Lines     []int
}

// ReadTable reads any CSV an office exports (Sheets, Forms, Excel in
// Spanish or English): it detects the encoding and the separator (see
// ReadCSV), skips blank rows and refuses the whole file, listing every
// broken line, if any line is not CSV.
func ReadTable(r io.Reader) (Table, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return Table{}, fmt.Errorf("no se pudo leer el archivo: %w", err)
	}
	text, enc, err := decode(raw)
	if err != nil {
		return Table{}, err
	}
	t := Table{Encoding: enc, Separator: separator(text)}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = t.Separator
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true // Excel leaves stray quotes in unquoted cells
	var bad []LineError
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			bad = append(bad, LineError{line, "el formato CSV está roto (" + err.Error() + ")"})
			continue
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if len(t.Rows) > 0 && !blank(rec[min(len(rec), len(t.Rows[0])):]) {
			// A separator typed in an answer and left unquoted: every
			// later answer would land in the wrong column.
			bad = append(bad, LineError{line, fmt.Sprintf("tiene %d celdas y la fila de títulos %d: un separador (%s) dentro de una respuesta sin comillas corre las columnas",
				len(rec), len(t.Rows[0]), SeparatorName(t.Separator))})
			continue
		}
		t.Rows = append(t.Rows, rec)
		t.Lines = append(t.Lines, line)
	}
	if len(bad) > 0 {
		return t, &LineErrors{Lines: bad}
	}
	return t, nil
}

// decode turns the file into text. A BOM says the encoding; without one,
// valid UTF-8 is UTF-8 and anything else is taken as Windows-1252, the
// encoding of Excel's "CSV (delimitado por comas)" on a Spanish Windows.
func decode(raw []byte) (text, enc string, err error) {
	switch {
	case bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")):
		return string(raw[3:]), "UTF-8 con BOM", nil
	case bytes.HasPrefix(raw, []byte("\xff\xfe")), bytes.HasPrefix(raw, []byte("\xfe\xff")):
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(raw)
		if err != nil {
			return "", "", fmt.Errorf("el archivo dice ser UTF-16 pero no lo es: %w", err)
		}
		return string(b), "UTF-16", nil
	case utf8.Valid(raw):
		return string(raw), "UTF-8", nil
	}
	b, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err != nil {
		return "", "", fmt.Errorf("codificación desconocida (ni UTF-8 ni Windows-1252): %w", err)
	}
	return string(b), "Windows-1252", nil
}

// separator picks the separator that occurs most often outside quotes in
// the header line; a comma when none occurs.
func separator(text string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range text {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if !quoted && (c == '\n' || c == '\r') {
			break
		}
		if !quoted {
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// dayFirst decides how the file writes dates like 3/4/2026. A timestamp
// that reads only one way (16/3 or 3/16) decides for the whole file, since
// one export has one locale; when none does, a Spanish header ("Marca
// temporal") means d/M and an English one ("Timestamp") M/d, as the en-US
// locale writes them.
func dayFirst(stamps []string, spanishHeader bool) bool {
	onlyDay, onlyMonth := false, false
	for _, s := range stamps {
		d := validOrder(s, true)
		m := validOrder(s, false)
		onlyDay = onlyDay || d && !m
		onlyMonth = onlyMonth || m && !d
	}
	switch {
	case onlyDay && !onlyMonth:
		return true
	case onlyMonth && !onlyDay:
		return false
	}
	return spanishHeader
}

func validOrder(s string, dayFirst bool) bool {
	_, err := ParseTimestampOrder(s, time.UTC, dayFirst)
	return err == nil
}

// ParseTimestamp reads a "Marca temporal" as the Spanish locale writes it
// (day before month); see ParseTimestampOrder.
func ParseTimestamp(s string, loc *time.Location) (time.Time, error) {
	return ParseTimestampOrder(s, loc, true)
}

var stampRE = regexp.MustCompile(`^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?\s*(?:(gmt|utc)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?)?$`)

// meridiem turns the Spanish and English AM/PM markers into "am"/"pm":
// "a. m.", "a.m.", "a. m", "AM", "p. m.", ...
var meridiemRE = regexp.MustCompile(`\b([ap])\.?\s?m\.?(\s|$)`)

// ParseTimestampOrder reads a form timestamp in every layout Google writes
// for the Spanish and English locales, plus what a spreadsheet program
// leaves after saving the file again:
//
//	16/3/2026 8:02:11                 Sheets export, Spanish (d/M/yyyy H:mm:ss)
//	16/03/2026 08:02                  Excel (es-CO) after re-saving
//	3/16/2026 8:02:11                 Sheets export, English US (M/d/yyyy)
//	2026/03/16 8:02:11 a. m. GMT-5    Forms "Descargar respuestas (.csv)", Spanish
//	2026/03/16 8:02:11 AM GMT-5       Forms "Download responses (.csv)", English
//	2026-03-16 08:02:11               ISO-like
//	2026-03-16T08:02:11-05:00         RFC 3339
//
// dayFirst says which of d/M and M/d a date without the year first means.
// Without a GMT offset the time is in loc.
func ParseTimestampOrder(s string, loc *time.Location, dayFirst bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	norm := strings.ToLower(strings.Join(strings.Fields(s), " "))
	norm = meridiemRE.ReplaceAllString(norm, "${1}m$2")
	norm = strings.TrimSpace(norm)
	m := stampRE.FindStringSubmatch(norm)
	bad := fmt.Errorf("la marca temporal %q no tiene un formato conocido (por ejemplo 16/3/2026 8:02:11 o 2026/03/16 8:02:11 a. m. GMT-5)", s)
	if m == nil {
		return time.Time{}, bad
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	var y, mo, d int
	switch {
	case len(m[1]) == 4:
		y, mo, d = n(1), n(2), n(3)
	case len(m[3]) != 4:
		return time.Time{}, bad
	case dayFirst:
		d, mo, y = n(1), n(2), n(3)
	default:
		mo, d, y = n(1), n(2), n(3)
	}
	h, mi, sec := n(4), n(5), 0
	if m[6] != "" {
		sec = n(6)
	}
	switch m[7] {
	case "am", "pm":
		if h < 1 || h > 12 {
			return time.Time{}, bad
		}
		h %= 12
		if m[7] == "pm" {
			h += 12
		}
	}
	zone := loc
	if m[8] != "" { // "GMT-5"; a bare "GMT" is UTC
		off := n(10)*3600 + n(11)*60
		if m[9] == "-" {
			off = -off
		}
		zone = time.FixedZone("", off)
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, zone)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d || t.Hour() != h || t.Minute() != mi || t.Second() != sec {
		return time.Time{}, bad // 31/2/2026, 25:00 and the like
	}
	return t, nil
}

func anyFold(s string, list []string) bool {
	for _, x := range list {
		if strings.EqualFold(s, x) {
			return true
		}
	}
	return false
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}
