package workspacefake

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// open marks an A1 range end that runs to the edge of the grid ("Tab!A:C"
// has open row ends, "Tab!2:5" open column ends).
const open = -1

// maxColumns is column ZZZ, the widest A1 notation can name.
const maxColumns = 18278

// a1 is a parsed A1 range. Indexes are zero-based; starts are inclusive and
// ends exclusive, as in the API's GridRange.
type a1 struct {
	Sheet    string // sheet title; "" when the range names no sheet
	HasSheet bool
	Whole    bool // only a sheet name ("Tab"): the whole grid
	R0, C0   int
	R1, C1   int  // exclusive, or open
	Cell     bool // a single cell ("Tab!B2"): an anchor for writes
	Text     string
}

// parseA1 parses 'Quoted Tab'!A1:Z9, Tab!A:Z, Tab!A2:C, Tab!2:5, Tab!B2,
// Tab (a whole sheet) and A1:C3 (no sheet: the first sheet). A bare word
// that is not a cell reference is taken as a sheet name; whether such a
// sheet exists is decided by the caller.
func parseA1(s string) (a1, error) {
	r := a1{Text: s}
	rest := s
	switch {
	case strings.HasPrefix(s, "'"):
		title, after, err := unquoteTitle(s)
		if err != nil {
			return r, err
		}
		r.Sheet, r.HasSheet = title, true
		if after == "" {
			r.Whole = true
			return r, nil
		}
		if after[0] != '!' {
			return r, fmt.Errorf("unable to parse range: %s", s)
		}
		rest = after[1:]
	case strings.Contains(s, "!"):
		i := strings.LastIndexByte(s, '!')
		r.Sheet, r.HasSheet, rest = s[:i], true, s[i+1:]
		if r.Sheet == "" {
			return r, fmt.Errorf("unable to parse range: %s", s)
		}
	}
	if err := r.parseCells(rest); err != nil {
		if r.HasSheet || s == "" {
			return r, fmt.Errorf("unable to parse range: %s", s)
		}
		// "Casos": a sheet name alone.
		r.Sheet, r.HasSheet, r.Whole = s, true, true
		return r, nil
	}
	return r, nil
}

func unquoteTitle(s string) (title, rest string, err error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		if b.Len() == 0 {
			break
		}
		return b.String(), s[i+1:], nil
	}
	return "", "", fmt.Errorf("unable to parse range: %s", s)
}

func (r *a1) parseCells(s string) error {
	if s == "" {
		return fmt.Errorf("empty range")
	}
	from, to, isPair := strings.Cut(s, ":")
	c0, r0, err := parseEndpoint(from)
	if err != nil {
		return err
	}
	if !isPair {
		if c0 < 0 || r0 < 0 {
			return fmt.Errorf("incomplete cell %q", s)
		}
		r.R0, r.C0, r.R1, r.C1, r.Cell = r0, c0, r0+1, c0+1, true
		return nil
	}
	c1, r1, err := parseEndpoint(to)
	if err != nil {
		return err
	}
	// "A:2" and "1:B" mix a column with a row: not A1 notation.
	if (c0 < 0) != (c1 < 0) && (r0 < 0) != (r1 < 0) {
		return fmt.Errorf("mixed range %q", s)
	}
	// Google accepts reversed corners (C5:A1) and normalizes them.
	if c0 >= 0 && c1 >= 0 && c1 < c0 {
		c0, c1 = c1, c0
	}
	if r0 >= 0 && r1 >= 0 && r1 < r0 {
		r0, r1 = r1, r0
	}
	r.C0, r.R0 = max(c0, 0), max(r0, 0)
	r.C1, r.R1 = open, open
	if c1 >= 0 {
		r.C1 = c1 + 1
	}
	if r1 >= 0 {
		r.R1 = r1 + 1
	}
	if r.C1 == 1+r.C0 && r.R1 == 1+r.R0 && c0 >= 0 && r0 >= 0 {
		r.Cell = true // "B2:B2"
	}
	return nil
}

// parseEndpoint parses "B12", "B", "12" or "$B$12" into zero-based column
// and row, -1 for a missing part.
func parseEndpoint(s string) (col, row int, err error) {
	s = strings.ReplaceAll(s, "$", "")
	i := 0
	for i < len(s) && isLetter(s[i]) {
		i++
	}
	letters, digits := s[:i], s[i:]
	if letters == "" && digits == "" {
		return 0, 0, fmt.Errorf("empty endpoint")
	}
	col, row = -1, -1
	if letters != "" {
		if len(letters) > 3 {
			return 0, 0, fmt.Errorf("bad column %q", letters)
		}
		n := 0
		for _, ch := range strings.ToUpper(letters) {
			n = n*26 + int(ch-'A'+1)
		}
		if n > maxColumns {
			return 0, 0, fmt.Errorf("bad column %q", letters)
		}
		col = n - 1
	}
	if digits != "" {
		n, err := strconv.Atoi(digits)
		if err != nil || n < 1 || digits[0] == '+' || digits[0] == '-' {
			return 0, 0, fmt.Errorf("bad row %q", digits)
		}
		row = n - 1
	}
	return col, row, nil
}

func isLetter(b byte) bool { return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' }

// colName turns a zero-based column index into letters (0 -> A, 26 -> AA).
func colName(c int) string {
	var b []byte
	for n := c + 1; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}

// quoteTitle quotes a sheet title for A1 notation the way Google writes it
// in responses: bare when it is a plain identifier, quoted otherwise.
func quoteTitle(t string) string {
	plain := t != ""
	for i := 0; i < len(t); i++ {
		ch := t[i]
		if !(isLetter(ch) || ch == '_' || ch >= '0' && ch <= '9') {
			plain = false
			break
		}
	}
	// A title that reads as a cell ("A1", "R1C1") or starts with a digit
	// must be quoted.
	if plain && (cellLikeRE.MatchString(t) || t[0] >= '0' && t[0] <= '9') {
		plain = false
	}
	if plain {
		return t
	}
	return "'" + strings.ReplaceAll(t, "'", "''") + "'"
}

var cellLikeRE = regexp.MustCompile(`^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$`)

// formatA1 writes Title!A1:C3 (or Title!B2 for one cell).
func formatA1(title string, r0, c0, r1, c1 int) string {
	start := colName(c0) + strconv.Itoa(r0+1)
	if r1-r0 == 1 && c1-c0 == 1 {
		return quoteTitle(title) + "!" + start
	}
	return quoteTitle(title) + "!" + start + ":" + colName(c1-1) + strconv.Itoa(r1)
}
