package procedure_test

import (
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
)

// FuzzParseCaseNumber: whatever people type in "Número de caso", the parser
// never panics, accepts only positive numbers, and reads back the plain and
// prefixed forms of any number it accepts.
func FuzzParseCaseNumber(f *testing.F) {
	for _, s := range []string{"1024", "Caso 1024", "#1024", "caso No. 1024", "Caso Nº 7", "ticket 3", " 0 ", "-5", "12abc",
		"99999999999999999999", "caso\u00a0no.\u00a012", "١٢٣", "Caso 1024 y 1025", "CASO #0001", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var n int
		var ok bool
		within(t, s, func() { n, ok = procedure.ParseCaseNumber(s) })
		if !ok {
			return
		}
		if n <= 0 {
			t.Fatalf("ParseCaseNumber(%q) = %d, true: want a positive number", s, n)
		}
		for _, form := range []string{strconv.Itoa(n), "Caso " + strconv.Itoa(n), "#" + strconv.Itoa(n), " caso No. " + strconv.Itoa(n) + " "} {
			if m, ok := procedure.ParseCaseNumber(form); !ok || m != n {
				t.Fatalf("ParseCaseNumber(%q) = %d, %v; want %d (read %q first)", form, m, ok, n, s)
			}
		}
	})
}

// FuzzParseDate: a date the parser accepts is a midnight in the office's
// zone and reads the same in ISO form.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-25", "25/03/2026", "25/3/2026", "25-3-2026", "31/02/2026", "0000-01-01", "2026-3-25", " 1/1/2026 ", "9999-12-31", ""} {
		f.Add(s)
	}
	loc := calendar.Bogota()
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := procedure.ParseDate(s, loc)
		if !ok {
			return
		}
		if h, m, sec := d.Clock(); h != 0 || m != 0 || sec != 0 || d.Location() != loc {
			t.Fatalf("ParseDate(%q) = %v: want midnight in %v", s, d, loc)
		}
		iso := d.Format("2006-01-02")
		again, ok := procedure.ParseDate(iso, loc)
		if d.Year() >= 0 && d.Year() <= 9999 && (!ok || !again.Equal(d)) {
			t.Fatalf("ParseDate(%q) = %v, but its ISO form %q reads %v, %v", s, d, iso, again, ok)
		}
	})
}

// FuzzNorm: the comparison key of hand-typed names and answers is
// idempotent, lower case, single-spaced and accent-free, and never panics
// on invalid UTF-8.
func FuzzNorm(f *testing.F) {
	for _, s := range []string{"Telefonía", "  TELEFONÍA  ", "Ángela\tMuñoz", "Jhon Fredy Ríos", "\xff\xfe", "ǅemal", "İstanbul", "ß", "e\u0301", "\u00a0x\u2028y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var n string
		within(t, s, func() { n = procedure.Norm(s) })
		if again := procedure.Norm(n); again != n {
			t.Fatalf("Norm(%q) = %q, Norm of that = %q", s, n, again)
		}
		if strings.Join(strings.Fields(n), " ") != n {
			t.Fatalf("Norm(%q) = %q: want single spaces, trimmed", s, n)
		}
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Fatalf("Norm(%q) = %q: invalid UTF-8 from valid input", s, n)
		}
		for _, l := range procedure.SplitList(s) {
			if l == "" || l != strings.TrimSpace(l) || strings.ContainsAny(l, ";\n") {
				t.Fatalf("SplitList(%q) has item %q", s, l)
			}
		}
	})
}

// within fails the test when fn takes more than a second: the fuzzing
// engine has no per-input timeout, and a hang shows only as 0 execs/sec.
func within(t *testing.T, input string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { fn(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatalf("no answer after 1s for %q (%d bytes)", input, len(input))
	}
}
