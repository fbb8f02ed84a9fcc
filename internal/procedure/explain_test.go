package procedure_test

import (
	"strings"
	"testing"

	. "github.com/funza-tic/mesa/internal/procedure"
)

// Every rule names the procedure step it implements.
func TestRulesNameTheirStep(t *testing.T) {
	for id, info := range Rules {
		if info.Step == "" || info.Title == "" {
			t.Errorf("rule %s: %+v", id, info)
		}
		if !strings.HasPrefix(info.Step, "Funza") && !strings.HasPrefix(info.Step, "PD-GT-1") && id != FI && id != A1 && id != HD1 { // A-1 and HD-1 implement laws, not a procedure step
			t.Errorf("rule %s cites %q, not a procedure step", id, info.Step)
		}
	}
}

// mesa explain prints each step with its rule and procedure step, in Spanish.
func TestExplain(t *testing.T) {
	d := waitFrom(t, Funza, "2026-03-18 10:00")
	res := d.cycle("2026-04-02 09:00")
	out, ok := Explain(res.Book, 1, bogota)
	if !ok {
		t.Fatal("case 1 not found")
	}
	for _, want := range []string{
		"Caso 1 — Soporte — estado actual: Resuelto",
		"Procedimiento: Alcaldía de Funza — Gestión TIC, procedimiento Mesa de Ayuda (versión 5, 2025)",
		"[F-2 · Funza paso 2]", "[F-3 · Funza paso 3]", "[F-5 · Funza paso 5]",
		"si no hay disponibilidad pasa a Resuelto el 01/04/2026 00:00",
		"2026-04-01 00:00  [F-5c · Funza definición 7 y paso 5]",
		"Resuelto automáticamente el 01/04/2026 00:00",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
	if _, ok := Explain(res.Book, 99, bogota); ok {
		t.Error("explained a case that does not exist")
	}
}

// Every event of the scenarios has a Spanish description.
func TestDescribeEveryKind(t *testing.T) {
	d := scjSolved(t)
	d.cycle("2026-03-19 12:00", enc("2026-03-19 11:00", "1", "1"), ans("2026-03-19 11:00", "x@y.test", "1", "Resuelto", nil))
	d.cycle("2026-03-20 10:00", rev("2026-03-20 09:00", "olga@mesa.test", "1", "Reabrir"))
	d.cycle("2026-04-10 10:00", ans("2026-03-24 11:00", "hugo@mesa.test", "1", "Resuelto", nil))
	for _, e := range d.journal {
		if s := Describe(e, bogota); s == "" || s == string(e.Kind) {
			t.Errorf("%s: %q", e.Kind, s)
		}
	}
}

func TestParseCaseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"1024", 1024}, {" 1024 ", 1024}, {"Caso 1024", 1024}, {"#1024", 1024}, {"caso No. 1024", 1024},
		{"Ticket 7", 7}, {"N° 12", 12}, {"", 0}, {"uno", 0}, {"0", 0}, {"-3", 0}, {"12 y 13", 0}, {"factura 12", 0}, {"12abc", 0},
	}
	for _, tc := range tests {
		got, ok := ParseCaseNumber(tc.in)
		if got != tc.want || ok != (tc.want > 0) {
			t.Errorf("ParseCaseNumber(%q) = %d, %v; want %d", tc.in, got, ok, tc.want)
		}
	}
}
