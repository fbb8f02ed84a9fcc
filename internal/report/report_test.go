package report

import (
	"bytes"
	"encoding/csv"
	"flag"

	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/funza-tic/mesa/internal/procedure"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/report")

var march = Month{2026, time.March}

// endOfMarch is the cut-off of the March report.
var endOfMarch = march.End(bogota).Add(-time.Nanosecond)

type want struct {
	key      string
	num, den int
	result   string
	met      string
}

func checkTotals(t *testing.T, r *Report, wants []want) {
	t.Helper()
	got := map[string]Result{}
	for _, x := range r.Totals() {
		got[x.Key] = x
	}
	for _, w := range wants {
		x := got[w.key]
		p, ok := x.Percent()
		res := "—"
		if ok {
			res = pctText(p)
		}
		if x.Num != w.num || x.Den != w.den || res != w.result || x.Met() != w.met {
			t.Errorf("%s %s = %d/%d = %s (cumple %s), want %d/%d = %s (cumple %s)\nanálisis: %s",
				x.Month, w.key, x.Num, x.Den, res, x.Met(), w.num, w.den, w.result, w.met, x.Analysis)
		}
	}
}

// The hand-computed figures: see testdata/report/README.md.
func TestFunzaMarchFigures(t *testing.T) {
	s := funzaMarch(t)
	r := Compute(s.fold(endOfMarch), march, endOfMarch, bogota, DefaultOptions(), s.eng.Set, "Alcaldía de Funza")
	checkTotals(t, r, []want{
		{"oportunidad", 3, 5, "60", "No"},
		{"eficacia", 3, 7, "42,9", "No"},
		{"satisfaccion", 2, 3, "66,7", "No"},
	})
	feb := r.Trend[len(r.Trend)-2]
	if feb.Month != (Month{2026, time.February}) || feb.Registered != 2 || feb.Closed != 1 {
		t.Errorf("February trend point = %+v", feb)
	}
	checkTotals(t, &Report{Results: []Result{feb.Totals["oportunidad"], feb.Totals["eficacia"], feb.Totals["satisfaccion"]}}, []want{
		{"oportunidad", 1, 1, "100", "Sí"},
		{"eficacia", 1, 2, "50", "No"},
		{"satisfaccion", 0, 0, "—", "Sin datos"},
	})
	golden(t, "funza-2026-03", r)

	// April, once it is over: case 7 closed by F-5c at 00:00 of April 1st
	// and case 9 straddle the month end; case 5's survey was answered in April.
	april := Month{2026, time.April}
	end := april.End(bogota).Add(-time.Nanosecond)
	ra := Compute(s.fold(end), april, end, bogota, DefaultOptions(), s.eng.Set, "Alcaldía de Funza")
	checkTotals(t, ra, []want{
		{"oportunidad", 2, 2, "100", "Sí"},
		{"eficacia", 0, 0, "—", "Sin datos"},
		{"satisfaccion", 1, 1, "100", "Sí"},
	})
}

func TestSCJMarchReopenedFigures(t *testing.T) {
	s := scjMarch(t)
	r := Compute(s.fold(endOfMarch), march, endOfMarch, bogota, DefaultOptionsFor(procedure.SCJBogota), s.eng.Set, "Secretaría Distrital de Seguridad, Convivencia y Justicia")
	// PD-GT-1 actividad 7: "En caso del que el usuario no conteste la
	// encuesta, esta se dará por satisfactoria": case 1's unanswered survey
	// counts as satisfied by default.
	checkTotals(t, r, []want{
		{"oportunidad", 1, 3, "33,3", "No"},
		{"eficacia", 2, 2, "100", "Sí"},
		{"satisfaccion", 2, 3, "66,7", "No"},
	})
	feb := r.Trend[len(r.Trend)-2].Totals
	checkTotals(t, &Report{Results: []Result{feb["oportunidad"], feb["eficacia"], feb["satisfaccion"]}}, []want{
		{"oportunidad", 0, 1, "0", "No"},
		{"eficacia", 1, 1, "100", "Sí"},
		{"satisfaccion", 0, 1, "0", "No"},
	})
	golden(t, "scj-2026-03", r)

	// An office may still configure the answered surveys only.
	r = Compute(s.fold(endOfMarch), march, endOfMarch, bogota, DefaultOptions(), s.eng.Set, "SCJ")
	checkTotals(t, r, []want{{"satisfaccion", 1, 2, "50", "No"}})
}

// A month's report says the same when it is re-run after later events:
// the worker then folds a journal that holds April's events too.
func TestMonthIsStableAfterLaterEvents(t *testing.T) {
	for name, mk := range map[string]func(*testing.T) *scenario{"funza": funzaMarch, "scj": scjMarch} {
		t.Run(name, func(t *testing.T) {
			s := mk(t)
			then := Compute(s.fold(endOfMarch), march, endOfMarch, bogota, DefaultOptions(), s.eng.Set, "X")
			later := s.fold(at("2026-05-10 12:00"))
			now := at("2026-05-10 12:00")
			again := Compute(s.refold(later.Journal, endOfMarch), march, now, bogota, DefaultOptions(), s.eng.Set, "X")
			if !reflect.DeepEqual(then.IndicadoresRows(), again.IndicadoresRows()) {
				t.Errorf("Indicadores changed on a later re-run:\n%v\n%v", then.IndicadoresRows(), again.IndicadoresRows())
			}
			if !reflect.DeepEqual(then.LookerRows(), again.LookerRows()) {
				t.Errorf("Looker changed on a later re-run:\n%v\n%v", then.LookerRows(), again.LookerRows())
			}
		})
	}
}

// No e-mail address, phone number or person's name from the inputs reaches
// the Looker tab or the KAWAK files (Ley 1581 de 2012).
func TestNoPersonalData(t *testing.T) {
	for name, mk := range map[string]func(*testing.T) *scenario{"funza": funzaMarch, "scj": scjMarch} {
		t.Run(name, func(t *testing.T) {
			s := mk(t)
			r := Compute(s.fold(endOfMarch), march, endOfMarch, bogota, DefaultOptions(), s.eng.Set, "X")
			looker := r.LookerRows()
			if len(looker) == 0 {
				t.Fatal("no Looker rows")
			}
			c, err := r.KAWAKCSV()
			if err != nil {
				t.Fatal(err)
			}
			x, err := r.KAWAKXLSX()
			if err != nil {
				t.Fatal(err)
			}
			texts := map[string]string{"Looker": join(looker), "KAWAK CSV": string(c), "KAWAK XLSX": xlsxText(t, x)}
			for where, text := range texts {
				words := map[string]bool{}
				for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '@' && r != '.' }) {
					words[strings.Trim(w, ".")] = true
				}
				if strings.Contains(text, "@") {
					t.Errorf("%s holds an @: an e-mail address?", where)
				}
				for _, p := range s.personal() {
					if strings.Contains(p, " ") || strings.Contains(p, "@") || len(p) > 6 && strings.ContainsAny(p, "0123456789") {
						if strings.Contains(text, p) {
							t.Errorf("%s holds %q", where, p)
						}
					} else if words[p] {
						t.Errorf("%s holds the name %q", where, p)
					}
				}
			}
		})
	}
}

func join(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t"))
		b.WriteString("\n")
	}
	return b.String()
}

func xlsxText(t *testing.T, data []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(sh + "\n" + join(rows))
	}
	return b.String()
}

// golden compares the report's rows with testdata/report/NAME.*.
func golden(t *testing.T, name string, r *Report) {
	t.Helper()
	c, err := r.KAWAKCSV()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		name + ".indicadores.csv": csvBytes(t, r.IndicadoresRows()),
		name + ".looker.csv":      csvBytes(t, r.LookerRows()),
		name + ".kawak.csv":       c,
	}
	for file, got := range files {
		path := filepath.Join("..", "..", "testdata", "report", file)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		w, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
		}
		if !bytes.Equal(w, got) {
			t.Errorf("%s differs from the golden file; got:\n%s", file, got)
		}
	}
}

func csvBytes(t *testing.T, rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestMonth(t *testing.T) {
	m, err := ParseMonth("2026-03")
	if err != nil || m != march {
		t.Fatalf("ParseMonth = %v, %v", m, err)
	}
	if _, err := ParseMonth("2026-13"); err == nil {
		t.Error("ParseMonth accepted month 13")
	}
	cases := []struct {
		at   string
		want bool
	}{
		{"2026-02-28 23:59:59", false},
		{"2026-03-01 00:00:00", true},
		{"2026-03-31 23:59:59", true},
		{"2026-04-01 00:00:00", false}, // F-5c closures effective at midnight belong to April
	}
	for _, c := range cases {
		if got := march.Contains(at(c.at), bogota); got != c.want {
			t.Errorf("March contains %s = %v, want %v", c.at, got, c.want)
		}
	}
	if m := (Month{2026, time.January}).Add(-1); m != (Month{2025, time.December}) {
		t.Errorf("January - 1 = %v", m)
	}
	if n := march.Name(); n != "marzo de 2026" {
		t.Errorf("Name = %q", n)
	}
}

func TestScheduled(t *testing.T) {
	cal := engine(t, procedure.Funza).Cal
	cases := []struct {
		day  string
		n    int
		want bool
		prev Month
	}{
		{"2026-04-01", 1, true, march},                       // Wednesday
		{"2026-04-02", 1, false, march},                      // Jueves Santo
		{"2026-04-06", 2, true, march},                       // Thursday and Friday are holidays
		{"2026-06-01", 1, true, Month{2026, time.May}},       // Monday
		{"2026-03-02", 1, true, Month{2026, time.February}},  // Sunday the 1st
		{"2026-03-01", 1, false, Month{2026, time.February}}, // a Sunday is no business day
		{"2026-01-02", 1, true, Month{2025, time.December}},  // January 1st is a holiday
	}
	for _, c := range cases {
		m, ok := Scheduled(cal, at(c.day+" 06:00"), c.n)
		if ok != c.want || m != c.prev {
			t.Errorf("Scheduled(%s, %d) = %v %v, want %v %v", c.day, c.n, m, ok, c.prev, c.want)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	if err := DefaultOptions().Validate(); err != nil {
		t.Fatal(err)
	}
	o := DefaultOptions()
	o.Timeliness.Target, o.Efficacy.Formula, o.TrendMonths = 120, "todos", 0
	err := o.Validate()
	for _, s := range []string{"timeliness.target", "efficacy.formula", "trend_months"} {
		if err == nil || !strings.Contains(err.Error(), s) {
			t.Errorf("Validate() = %v, want it to name %s", err, s)
		}
	}
}

// Issue 13 item 6: PD-GT-1 actividad 26 asks for "un reporte en el cual se
// indiquen las estadísticas sobre las categorías, incidentes y
// requerimientos generados en el mes", and actividad 7 says an unanswered
// survey "se dará por satisfactoria"; Funza paso 8 and 10 ask for neither.
func TestStatisticsAsEachProcedureAsks(t *testing.T) {
	tests := []struct {
		name       string
		quote      string
		scenario   func(*testing.T) *scenario
		profile    procedure.Profile
		byCategory bool
		kawakRow   string // a row of the KAWAK file; "" = none by category
		satisfied  [2]int // Satisfacción's numerator and denominator by default
	}{
		{"scj-bogota: by category, and silence satisfies", "PD-GT-1 actividad 26 y actividad 7", scjMarch, procedure.SCJBogota,
			true, "Eficacia — Categoría: Incidente;2026-03;1;1;100", [2]int{2, 3}},
		{"funza: no category breakdown, answered surveys only", "Funza paso 8: «El usuario es autónomo de participar en el diligenciamiento de la encuesta»; paso 10", funzaMarch, procedure.Funza,
			false, "", [2]int{2, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.scenario(t)
			r := Compute(s.fold(endOfMarch), march, endOfMarch, bogota, DefaultOptionsFor(tc.profile), s.eng.Set, "X")
			got := false
			for _, row := range r.IndicadoresRows() {
				got = got || row[3] == ByCategory
			}
			if got != tc.byCategory {
				t.Errorf("Indicadores by category: %v, want %v (%s)", got, tc.byCategory, tc.quote)
			}
			k, err := r.KAWAKCSV()
			if err != nil {
				t.Fatal(err)
			}
			if has := strings.Contains(string(k), "Categoría"); has != tc.byCategory || tc.kawakRow != "" && !strings.Contains(string(k), tc.kawakRow) {
				t.Errorf("KAWAK file by category: %v, want %v with %q (%s):\n%s", has, tc.byCategory, tc.kawakRow, tc.quote, k)
			}
			html, err := r.HTML()
			if err != nil {
				t.Fatal(err)
			}
			if has := strings.Contains(string(html), "Por categoría"); has != tc.byCategory {
				t.Errorf("HTML report by category: %v, want %v (%s)", has, tc.byCategory, tc.quote)
			}
			if has := strings.Contains(string(html), "se dan por satisfactorias"); has != tc.byCategory {
				t.Errorf("HTML report card of surveys closed by silence: %v, want %v (%s)", has, tc.byCategory, tc.quote)
			}
			for _, x := range r.Totals() {
				if x.Key == "satisfaccion" && (x.Num != tc.satisfied[0] || x.Den != tc.satisfied[1]) {
					t.Errorf("Satisfacción %d/%d, want %d/%d (%s)", x.Num, x.Den, tc.satisfied[0], tc.satisfied[1], tc.quote)
				}
			}
		})
	}
}

// A locativo requirement in a rented location is En Espera from its
// registration (PD-GT-1 actividad 13: «La solicitud queda en espera hasta
// que se reciba el correo por parte del área de técnica»): so the Looker
// tab shows it, and it is not overdue while it waits.
func TestLocativoEnArriendoWaitsInTheReport(t *testing.T) {
	eng := engine(t, procedure.SCJBogota)
	agents := []procedure.Agent{{Name: "Luis Vega", Email: "luis@scj.test", Active: true, Role: procedure.RoleAgent, Services: []string{"Requerimiento locativo"}}}
	rs := []procedure.Response{{Form: procedure.Solicitudes, ID: "s1", Submitted: at("2026-03-02 08:00"), Email: "p@scj.test", Answers: kv{
		procedure.FEmail: "p@scj.test", procedure.FService: "Requerimiento locativo", procedure.FLocation: "En arriendo", procedure.FDescription: "Filtración en el techo"}}}
	b := eng.Fold(procedure.Inputs{Responses: rs, Agents: agents, Now: endOfMarch}).Book
	r := Compute(b, march, endOfMarch, bogota, DefaultOptionsFor(procedure.SCJBogota), eng.Set, "SCJ")
	rows := r.LookerRows()
	if len(rows) != 1 || rows[0][8] != string(procedure.EnEspera) || rows[0][9] != procedure.WaitTechnical || rows[0][18] != "0" {
		t.Fatalf("Looker row %v, want En Espera (%s), not overdue", rows, procedure.WaitTechnical)
	}
}
