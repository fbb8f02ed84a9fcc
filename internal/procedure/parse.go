package procedure

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	unorm "golang.org/x/text/unicode/norm"
)

// norm folds case, accents and spacing so "Telefonía", "telefonia " and
// "TELEFONÍA" compare equal: people type answers and admin tabs by hand. It
// runs for every case of a fold, so plain ASCII skips the Unicode tables.
func norm(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			s = stripMarks(s)
			break
		}
	}
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// stripMarks removes accents: decompose, drop the combining marks, recompose.
func stripMarks(s string) string {
	d := unorm.NFD.String(s)
	d = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, d)
	return unorm.NFC.String(d)
}

// keys remembers norm of the values a fold sees over and over: services,
// categories, buildings and dependencias repeat across 100k cases, and each
// norm of a non-ASCII value ("Telefonía") runs the Unicode tables.
type keys map[string]string

// of returns norm(s).
func (m keys) of(s string) string {
	k, ok := m[s]
	if !ok {
		k = norm(s)
		m[s] = k
	}
	return k
}

// same reports whether two hand-typed values mean the same.
func same(a, b string) bool { return norm(a) == norm(b) }

// oneOf returns the option s means, as the procedure spells it.
func oneOf(s string, options ...string) (string, bool) {
	for _, o := range options {
		if same(s, o) {
			return o, true
		}
	}
	return "", false
}

// ParseCaseNumber reads a case number as people type it: "1024", "Caso 1024",
// "#1024", "caso No. 1024".
func ParseCaseNumber(s string) (int, bool) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsDigit)
	if i < 0 {
		return 0, false
	}
	prefix := norm(strings.Trim(s[:i], " #.:°º"))
	switch prefix {
	case "", "caso", "caso no", "caso nro", "caso n", "n", "no", "nro", "ticket", "caso ticket":
	default:
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(s[i:]))
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// ParseDate reads a date as Forms and people write it: 2026-03-25,
// 25/03/2026 or 25/3/2026.
func ParseDate(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "2/1/2006", "02/01/2006", "2-1-2006"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// yes reads a yes/no answer.
func yes(s string) bool {
	switch norm(s) {
	case "si", "sí", "yes", "true", "1", "x":
		return true
	}
	return false
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// SplitList splits an admin-tab list cell ("Edificio A; Edificio B").
func SplitList(s string) []string { return splitList(s) }

// Norm exposes the comparison key used for hand-typed values.
func Norm(s string) string { return norm(s) }
