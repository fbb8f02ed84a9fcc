package report

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// Indicator is the configuration of one indicator: its name as registered
// in KAWAK, its target in percent, and which variant of its formula applies.
type Indicator struct {
	Name    string
	Target  float64
	Formula string
}

// Formula variants. The defaults are those of DESIGN.md §10.
const (
	// Oportunidad and Eficacia: what counts as closed or resolved.
	FormulaClosed   = "cerrados"  // every closing state of the procedure (procedure.State.Closed; F-5c included)
	FormulaResolved = "resueltos" // Resuelto only (F-5c included)
	// Satisfacción: which surveys count.
	FormulaAnswered   = "respondidas"           // surveys answered in the month
	FormulaUnanswered = "incluye_sin_respuesta" // scj-bogota: unanswered surveys closed as satisfactory count too
)

// Options are the report's settings (`report:` in the configuration).
type Options struct {
	Timeliness   Indicator // Oportunidad
	Efficacy     Indicator // Eficacia
	Satisfaction Indicator // Satisfacción
	TrendMonths  int       // months in the trend chart of the HTML report
}

// DefaultOptionsFor are the default options of a profile: Satisfacción
// counts a survey left unanswered as satisfied where the procedure says so
// (PD-GT-1 actividad 7), and the answered surveys only elsewhere (Funza
// paso 8).
func DefaultOptionsFor(p procedure.Profile) Options {
	o := DefaultOptions()
	if procedure.ProcedureOf(p).SilenceSatisfies {
		o.Satisfaction.Formula = FormulaUnanswered
	}
	return o
}

// DefaultOptions are the indicators of DESIGN.md §10 with a 90 % target,
// to be set from the office's Matriz de Indicadores in KAWAK.
func DefaultOptions() Options {
	return Options{
		Timeliness:   Indicator{Name: "Oportunidad", Target: 90, Formula: FormulaClosed},
		Efficacy:     Indicator{Name: "Eficacia", Target: 90, Formula: FormulaResolved},
		Satisfaction: Indicator{Name: "Satisfacción", Target: 90, Formula: FormulaAnswered},
		TrendMonths:  12,
	}
}

// Validate reports settings that would make the figures meaningless.
func (o Options) Validate() error {
	var errs []error
	check := func(key string, in Indicator, formulas ...string) {
		if strings.TrimSpace(in.Name) == "" {
			errs = append(errs, fmt.Errorf("report.%s.name is empty", key))
		}
		if in.Target < 0 || in.Target > 100 {
			errs = append(errs, fmt.Errorf("report.%s.target %v: want 0 to 100 (percent)", key, in.Target))
		}
		for _, f := range formulas {
			if in.Formula == f {
				return
			}
		}
		errs = append(errs, fmt.Errorf("report.%s.formula %q: want %s", key, in.Formula, strings.Join(formulas, " or ")))
	}
	check("timeliness", o.Timeliness, FormulaClosed, FormulaResolved)
	check("efficacy", o.Efficacy, FormulaResolved, FormulaClosed)
	check("satisfaction", o.Satisfaction, FormulaAnswered, FormulaUnanswered)
	if o.TrendMonths < 1 || o.TrendMonths > 36 {
		errs = append(errs, fmt.Errorf("report.trend_months %d: want 1 to 36", o.TrendMonths))
	}
	return errors.Join(errs...)
}

// Breakdowns of an indicator, as the Desglose column names them.
const (
	ByTotal      = "Total"
	ByAgent      = "Agente"
	ByDependency = "Dependencia"
	ByBuilding   = "Edificio"
	ByService    = "Tipo de servicio"
	ByCategory   = "Categoría" // where the procedure asks for it (PD-GT-1 actividad 26)
)

// breakdownsOf lists the breakdowns of a profile's report.
func breakdownsOf(set procedure.Settings) []string {
	out := []string{ByAgent, ByDependency, ByBuilding, ByService}
	if procedure.ProcedureOf(set.Profile).StatisticsByCategory {
		out = append(out, ByCategory)
	}
	return out
}

// noValue names a blank breakdown value.
const noValue = "(sin dato)"

// Result is one indicator for one month and one breakdown value: a row of
// the Indicadores tab.
type Result struct {
	Key       string // oportunidad, eficacia, satisfaccion
	Name      string
	Month     Month
	Breakdown string
	Value     string // blank for the Total row
	Num, Den  int
	Target    float64
	Formula   string
	Analysis  string
}

// Percent returns 100·Num/Den rounded to one decimal, and false when there
// is nothing to divide.
func (r Result) Percent() (float64, bool) {
	if r.Den == 0 {
		return 0, false
	}
	return math.Round(float64(r.Num)*1000/float64(r.Den)) / 10, true
}

// Met says whether the target was met: "Sí", "No", or "Sin datos".
func (r Result) Met() string {
	p, ok := r.Percent()
	switch {
	case !ok:
		return "Sin datos"
	case p >= r.Target:
		return "Sí"
	}
	return "No"
}

// item is one unit an indicator counts: a case or a survey.
type item struct {
	f     *procedure.Case
	hit   bool   // counts in the numerator
	agent string // the agent it is attributed to
}

func (it item) value(by string) string {
	v := ""
	switch by {
	case ByAgent:
		v = it.agent
	case ByDependency:
		v = it.f.Dependencia
	case ByBuilding:
		v = it.f.Building
	case ByService:
		v = it.f.Service
	case ByCategory:
		v = it.f.Category
	}
	if strings.TrimSpace(v) == "" {
		return noValue
	}
	return v
}

// period is the data of one month at its cut-off.
type period struct {
	Month Month
	Cut   time.Time
	Loc   *time.Location
	Cases []*procedure.Case // every case registered by Cut, as it stood at Cut
}

func newPeriod(b *procedure.Book, m Month, limit time.Time, loc *time.Location) period {
	cut := m.End(loc).Add(-time.Nanosecond)
	if limit.Before(cut) {
		cut = limit
	}
	return period{Month: m, Cut: cut, Loc: loc, Cases: b.CasesAt(cut)}
}

// registered are the cases registered in the month: Eficacia's population.
func (p period) registered() []*procedure.Case {
	var out []*procedure.Case
	for _, f := range p.Cases {
		if p.Month.Contains(f.Registered, p.Loc) {
			out = append(out, f)
		}
	}
	return out
}

// closed are the cases whose last closure falls in the month: Oportunidad's
// population. A case reopened (PD-GT-1 actividad 23) counts at its final
// closure, once.
func (p period) closed(formula string) []*procedure.Case {
	var out []*procedure.Case
	for _, f := range p.Cases {
		if p.Month.Contains(f.Solved, p.Loc) && (formula != FormulaResolved || f.Resolved()) {
			out = append(out, f)
		}
	}
	return out
}

// timeliness is Oportunidad: closed within the service level / closed.
func (p period) timeliness(in Indicator) []item {
	var out []item
	for _, f := range p.closed(in.Formula) {
		out = append(out, item{f: f, hit: f.WithinSLA(), agent: f.Agent})
	}
	return out
}

// efficacy is Eficacia: resolved at the cut-off / registered in the month.
func (p period) efficacy(in Indicator) []item {
	var out []item
	for _, f := range p.registered() {
		hit := f.Resolved()
		if in.Formula == FormulaClosed {
			hit = !f.Solved.IsZero()
		}
		out = append(out, item{f: f, hit: hit, agent: f.Agent})
	}
	return out
}

// satisfaction is Satisfacción: satisfied / surveys answered in the month.
// A survey belongs to the month it was answered in, whatever the month of
// its case.
func (p period) satisfaction(in Indicator, set procedure.Settings) []item {
	var out []item
	for _, f := range p.Cases {
		for _, a := range f.Surveys {
			if p.Month.Contains(a.At, p.Loc) {
				out = append(out, item{f: f, hit: set.Satisfied(a.Rating), agent: a.Agent})
			}
		}
		if in.Formula == FormulaUnanswered && p.Month.Contains(f.Unanswered(), p.Loc) {
			out = append(out, item{f: f, hit: true, agent: f.Agent})
		}
	}
	return out
}

// indicators computes the three indicators of a period with their
// breakdowns. prev is the previous month's totals, for the analysis.
func (p period) indicators(o Options, set procedure.Settings, prev map[string]Result) []Result {
	type def struct {
		key   string
		in    Indicator
		items []item
	}
	defs := []def{
		{"oportunidad", o.Timeliness, p.timeliness(o.Timeliness)},
		{"eficacia", o.Efficacy, p.efficacy(o.Efficacy)},
		{"satisfaccion", o.Satisfaction, p.satisfaction(o.Satisfaction, set)},
	}
	var out []Result
	for _, d := range defs {
		base := Result{Key: d.key, Name: d.in.Name, Month: p.Month, Target: d.in.Target, Formula: formulaText(d.key, d.in, set)}
		total := base
		total.Breakdown = ByTotal
		for _, it := range d.items {
			total.Den++
			if it.hit {
				total.Num++
			}
		}
		total.Analysis = p.analysis(total, d.in, d.items, prev[d.key], set)
		out = append(out, total)
		for _, by := range breakdownsOf(set) {
			counts := map[string]*Result{}
			var values []string
			for _, it := range d.items {
				v := it.value(by)
				r := counts[v]
				if r == nil {
					r = &Result{}
					*r = base
					r.Breakdown, r.Value = by, v
					counts[v] = r
					values = append(values, v)
				}
				r.Den++
				if it.hit {
					r.Num++
				}
			}
			sort.Strings(values)
			for _, v := range values {
				r := counts[v]
				r.Analysis = breakdownAnalysis(*r)
				out = append(out, *r)
			}
		}
	}
	return out
}

// formulaText states the formula in the words of the indicator sheet.
func formulaText(key string, in Indicator, set procedure.Settings) string {
	switch key {
	case "oportunidad":
		if in.Formula == FormulaResolved {
			return "Casos resueltos en el mes dentro del ANS / casos resueltos en el mes × 100"
		}
		return "Casos cerrados (" + closingStates(set) + ") en el mes dentro del ANS / casos cerrados en el mes × 100"
	case "eficacia":
		if in.Formula == FormulaClosed {
			return "Casos registrados en el mes y cerrados (" + closingStates(set) + ") al corte / casos registrados en el mes × 100"
		}
		return "Casos registrados en el mes y resueltos al corte / casos registrados en el mes × 100"
	}
	s := fmt.Sprintf("Encuestas respondidas en el mes con calificación de %d o más / encuestas respondidas en el mes × 100", set.SatisfiedFrom)
	if in.Formula == FormulaUnanswered {
		s += " (las encuestas no respondidas en el plazo cuentan como satisfechas, PD-GT-1)"
	}
	return s
}

// closingStates names the states that close a case under the profile's
// procedure, as the Fórmula column reads: Resuelto and No Resuelto (Funza
// paso 5), and in PD-GT-1 also Información insuficiente and No procedente
// (actividades 8 and 9: "Fin del procedimiento").
func closingStates(set procedure.Settings) string {
	p := procedure.ProcedureOf(set.Profile)
	states := []string{string(procedure.Resuelto), string(procedure.NoResuelto)}
	if p.Has(procedure.S8) {
		states = append(states, string(procedure.InfoInsuficiente))
	}
	if p.Has(procedure.S9) {
		states = append(states, string(procedure.NoProcedente))
	}
	last := len(states) - 1
	if last == 0 {
		return states[0]
	}
	return strings.Join(states[:last], ", ") + " o " + states[last]
}

// analysis drafts the sentence the administrator completes before
// registering the indicator in KAWAK (Funza paso 10).
func (p period) analysis(r Result, in Indicator, items []item, prev Result, set procedure.Settings) string {
	mes := p.Month.Name()
	pct, ok := r.Percent()
	if !ok {
		switch r.Key {
		case "oportunidad":
			return fmt.Sprintf("En %s no se cerraron casos: el indicador no se puede calcular este mes.", mes)
		case "eficacia":
			return fmt.Sprintf("En %s no se registraron casos: el indicador no se puede calcular este mes.", mes)
		}
		return fmt.Sprintf("En %s no se respondieron encuestas de satisfacción: el indicador no se puede calcular este mes; conviene reforzar la invitación a los usuarios (Funza paso 8).", mes)
	}
	var s string
	switch r.Key {
	case "oportunidad":
		s = fmt.Sprintf("En %s se %s %s y %d dentro del ANS (%s %%)", mes, verb(r.Den, "cerró", "cerraron"), plural(r.Den, "caso", "casos"), r.Num, pctText(pct))
	case "eficacia":
		s = fmt.Sprintf("De %s en %s, %d %s al corte (%s %%)", plural(r.Den, "caso registrado", "casos registrados"), mes, r.Num, verb(r.Num, "quedó resuelto", "quedaron resueltos"), pctText(pct))
	case "satisfaccion":
		if in.Formula == FormulaUnanswered {
			// PD-GT-1 actividad 7: an unanswered survey "se dará por satisfactoria".
			s = fmt.Sprintf("En %s se %s %s de satisfacción (respondidas, o sin respuesta en el plazo, que cuentan como satisfechas) y %d %s (%s %%)",
				mes, verb(r.Den, "cerró", "cerraron"), plural(r.Den, "encuesta", "encuestas"), r.Num, verb(r.Num, "fue satisfecha", "fueron satisfechas"), pctText(pct))
			break
		}
		fallthrough
	default:
		s = fmt.Sprintf("En %s se %s %s de satisfacción y %d %s el servicio con %d o más (%s %%)",
			mes, verb(r.Den, "respondió", "respondieron"), plural(r.Den, "encuesta", "encuestas"), r.Num, verb(r.Num, "calificó", "calificaron"), set.SatisfiedFrom, pctText(pct))
	}
	if pp, ok := prev.Percent(); ok {
		s += fmt.Sprintf(", frente a %s %% en %s", pctText(pp), prev.Month.Name())
	}
	if r.Met() == "Sí" {
		return s + fmt.Sprintf("; se cumple la meta del %s %%.", pctText(r.Target))
	}
	s += fmt.Sprintf("; no se alcanza la meta del %s %%.", pctText(r.Target))
	if svc, n := worst(items); n > 0 {
		switch r.Key {
		case "oportunidad":
			s += fmt.Sprintf(" Los casos fuera del ANS se concentran en «%s» (%d).", svc, n)
		case "eficacia":
			s += fmt.Sprintf(" Los casos sin resolver se concentran en «%s» (%d).", svc, n)
		default:
			s += fmt.Sprintf(" Las encuestas no satisfechas se concentran en «%s» (%d).", svc, n)
		}
	}
	return s + " Se deben documentar acciones correctivas o de mejora en KAWAK."
}

// worst returns the service type with the most misses.
func worst(items []item) (string, int) {
	miss := map[string]int{}
	for _, it := range items {
		if !it.hit {
			miss[it.value(ByService)]++
		}
	}
	best, n := "", 0
	for k, v := range miss {
		if v > n || v == n && k < best {
			best, n = k, v
		}
	}
	return best, n
}

func breakdownAnalysis(r Result) string {
	pct, _ := r.Percent()
	what := map[string]string{
		"oportunidad":  "casos cerrados dentro del ANS",
		"eficacia":     "casos registrados resueltos al corte",
		"satisfaccion": "encuestas satisfechas",
	}[r.Key]
	verdict := "cumple la meta"
	if r.Met() == "No" {
		verdict = "por debajo de la meta"
	}
	return fmt.Sprintf("%s: %d de %d %s (%s %%), %s.", r.Value, r.Num, r.Den, what, pctText(pct), verdict)
}

// pctText renders a percentage the Colombian way: 92,9 or 90.
func pctText(p float64) string {
	return strings.Replace(strconv.FormatFloat(p, 'f', -1, 64), ".", ",", 1)
}

// verb is the form of a verb (or a phrase) that agrees with n.
func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
