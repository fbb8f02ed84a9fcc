package workspacefake

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"

	"google.golang.org/api/sheets/v4"
)

// A cell holds nil (empty), string, float64, bool, formula or dateValue
// (dates.go). Formulas are stored, not evaluated.
type formula string

// MarshalJSON keeps formulas apart from strings in the snapshot.
func (f formula) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"f": string(f)})
}

// row is one grid row; it may be shorter than the grid.
type row []any

// restoreFormulas turns the {"f": ...} and {"d": ...} objects a snapshot
// holds back into formulas and dates. Done in one pass after decoding,
// which is much faster than a custom UnmarshalJSON per row.
func (sh *sheet) restoreFormulas() {
	for _, rw := range sh.Rows {
		for j, c := range rw {
			if m, ok := c.(map[string]any); ok {
				if d, ok := restoreDate(m); ok {
					rw[j] = d
					continue
				}
				f, _ := m["f"].(string)
				rw[j] = formula(f)
			}
		}
	}
}

// maxCellChars is Google's limit on the text of one cell. Google answers
// a write that exceeds it with 400 INVALID_ARGUMENT and refuses the whole
// request (see FIDELITY.md, "Sheets: cell content and per-request limits").
const maxCellChars = 50000

// checkCellLength refuses a string longer than a cell may hold. Google does
// not say what a "character" is; its servers count Java strings, so the fake
// counts UTF-16 code units, which is never fewer than the runes: the strict
// side (a character outside the BMP, an emoji, counts as two).
func checkCellLength(s string) error {
	if len(s) <= maxCellChars { // bytes >= UTF-16 units: short strings pass at once
		return nil
	}
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	if n > maxCellChars {
		return errBadRequest("Your input contains more than the maximum of %d characters in a single cell.", maxCellChars)
	}
	return nil
}

func (sh *sheet) at(r, c int) any {
	if r >= len(sh.Rows) || c >= len(sh.Rows[r]) {
		return nil
	}
	return sh.Rows[r][c]
}

func (sh *sheet) set(r, c int, v any) {
	if r >= len(sh.Rows) {
		if v == nil {
			return
		}
		sh.Rows = append(sh.Rows, make([]row, r+1-len(sh.Rows))...)
	}
	rw := sh.Rows[r]
	if c >= len(rw) {
		if v == nil {
			return
		}
		rw = append(rw, make(row, c+1-len(rw))...)
	}
	rw[c] = v
	sh.Rows[r] = rw
}

// trim drops trailing empty cells and rows so storage tracks the data.
func (sh *sheet) trim() {
	for i, rw := range sh.Rows {
		n := len(rw)
		for n > 0 && rw[n-1] == nil {
			n--
		}
		if n < len(rw) {
			sh.Rows[i] = rw[:n]
		}
	}
	n := len(sh.Rows)
	for n > 0 && len(sh.Rows[n-1]) == 0 {
		n--
	}
	sh.Rows = sh.Rows[:n]
}

// extent is the number of rows and columns up to the last non-empty cell.
func (sh *sheet) extent() (rows, cols int) {
	for i, rw := range sh.Rows {
		for j := len(rw) - 1; j >= 0; j-- {
			if rw[j] != nil {
				rows = i + 1
				cols = max(cols, j+1)
				break
			}
		}
	}
	return rows, cols
}

// skip marks a null in written values: Google leaves that cell unchanged.
type skip struct{}

var numberRE = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

// convertInput turns one written value into a cell, following
// valueInputOption. RAW stores strings exactly (a leading '=' stays text);
// USER_ENTERED parses numbers, percentages, booleans, formulas and the
// dates locale reads (dates.go), and drops a leading apostrophe, as if
// typed into the UI.
func convertInput(v any, input, locale string) (any, error) {
	switch t := v.(type) {
	case nil:
		return skip{}, nil
	case bool:
		return t, nil
	case float64:
		return t, nil
	case json.Number:
		f, err := t.Float64()
		if err != nil {
			return nil, err
		}
		return f, nil
	case string:
		if err := checkCellLength(t); err != nil {
			return nil, err
		}
		if t == "" {
			return nil, nil
		}
		if input == "RAW" {
			return t, nil
		}
		return parseUserEntered(t, locale), nil
	}
	return nil, errBadRequest("Invalid value %v: only strings, numbers and booleans can be written", v)
}

func parseUserEntered(s, locale string) any {
	switch {
	case strings.HasPrefix(s, "'"):
		if s == "'" {
			return nil
		}
		return s[1:]
	case strings.HasPrefix(s, "="):
		return formula(s)
	}
	t := strings.TrimSpace(s)
	if numberRE.MatchString(t) {
		if f, err := strconv.ParseFloat(t, 64); err == nil {
			return f
		}
	}
	if p, ok := strings.CutSuffix(t, "%"); ok && numberRE.MatchString(p) {
		if f, err := strconv.ParseFloat(p, 64); err == nil {
			return f / 100
		}
	}
	switch strings.ToUpper(t) {
	case "TRUE":
		return true
	case "FALSE":
		return false
	}
	if d, ok := parseDate(t, locale); ok {
		return d
	}
	return s
}

// renderCell returns a cell as valueRenderOption asks. FORMATTED_VALUE
// gives strings; UNFORMATTED_VALUE and FORMULA give typed values, dates as
// serial numbers unless dateTimeRenderOption is FORMATTED_STRING. An empty
// cell is "" either way (Google writes "" for empty cells inside a row).
func renderCell(v any, o readOpts, locale string) any {
	render := o.render
	switch t := v.(type) {
	case nil:
		return ""
	case dateValue:
		if render == "FORMATTED_VALUE" || o.dateTime == "FORMATTED_STRING" {
			return t.format(locale)
		}
		return t.Serial
	case formula:
		return string(t)
	case float64:
		if render == "FORMATTED_VALUE" {
			return formatNumber(t)
		}
		return t
	case bool:
		if render == "FORMATTED_VALUE" {
			if t {
				return "TRUE"
			}
			return "FALSE"
		}
		return t
	}
	return v
}

// formatNumber imitates the "Automatic" number format: integers in full,
// other numbers with up to 10 significant digits, huge or tiny ones in
// scientific notation.
func formatNumber(f float64) string {
	a := math.Abs(f)
	switch {
	case f == math.Trunc(f) && a < 1e15:
		return strconv.FormatFloat(f, 'f', 0, 64)
	case a >= 1e15 || a < 1e-4:
		return strings.Replace(strconv.FormatFloat(f, 'E', -1, 64), "E+0", "E+", 1)
	}
	p, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 10, 64), 64)
	return strconv.FormatFloat(p, 'f', -1, 64)
}

// cellData is the GridData view of a cell: values, and the number format
// of a date (the only format the fake keeps).
func cellData(v any, locale string) *sheets.CellData {
	cd := &sheets.CellData{}
	switch t := v.(type) {
	case dateValue:
		cd.UserEnteredValue = &sheets.ExtendedValue{NumberValue: &t.Serial}
		cd.EffectiveValue = &sheets.ExtendedValue{NumberValue: &t.Serial}
		cd.FormattedValue = t.format(locale)
		nf := &sheets.NumberFormat{Type: t.Kind, Pattern: datePattern(t.Kind, locale)}
		cd.UserEnteredFormat = &sheets.CellFormat{NumberFormat: nf}
		cd.EffectiveFormat = &sheets.CellFormat{NumberFormat: nf}
	case string:
		cd.UserEnteredValue = &sheets.ExtendedValue{StringValue: &t}
		cd.EffectiveValue = &sheets.ExtendedValue{StringValue: &t}
		cd.FormattedValue = t
	case formula:
		f := string(t)
		cd.UserEnteredValue = &sheets.ExtendedValue{FormulaValue: &f}
	case float64:
		cd.UserEnteredValue = &sheets.ExtendedValue{NumberValue: &t}
		cd.EffectiveValue = &sheets.ExtendedValue{NumberValue: &t}
		cd.FormattedValue = formatNumber(t)
	case bool:
		cd.UserEnteredValue = &sheets.ExtendedValue{BoolValue: &t}
		cd.EffectiveValue = &sheets.ExtendedValue{BoolValue: &t}
		cd.FormattedValue = renderCell(t, readOpts{render: "FORMATTED_VALUE"}, locale).(string)
	}
	return cd
}
