package report

import (
	"strconv"
	"strings"
)

// ExcelText neutralizes a cell of a CSV meant to be opened in Excel: text
// that starts with =, +, -, @, a tab or a carriage return would be taken for
// a formula (CSV injection, OWASP), so it gets a leading apostrophe, which
// Excel shows as text. Numbers (also with a decimal comma, e.g. "-2,5")
// stay as they are.
func ExcelText(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64); err == nil {
		return s
	}
	return "'" + s
}
