package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strconv"

	"github.com/funza-tic/mesa/internal/procedure"
)

//go:embed informe.html.tmpl
var informeTmpl string

var informe = template.Must(template.New("informe").Parse(informeTmpl))

type card struct{ Label, Value, Note string }

type indView struct {
	Name, Formula, Num, Den, Result, Target, Met, MetClass, Analysis string
}

type breakTable struct {
	Title string
	Rows  []breakRow
}

type breakRow struct {
	Value string
	Cells []breakCell // Oportunidad, Eficacia, Satisfacción
}

type breakCell struct{ Text, Class string }

type view struct {
	Office, Title, Month, Cut, Procedure, Profile string
	Cards                                         []card
	Indicators                                    []indView
	Names                                         []string
	States, Services, Agents, Categories          template.HTML
	SLA, SLAByService                             template.HTML
	Satisfaction, Ratings                         template.HTML
	TrendIndicators, TrendCases                   template.HTML
	TrendFrom                                     string
	Tables                                        []breakTable
	SatisfiedFrom                                 int
	SilenceSatisfies                              bool   // Satisfacción counts surveys closed by silence
	ResponseRate                                  string // the survey response rate with its Wilson interval
}

// HTML renders the self-contained monthly report: the local stand-in for
// the Looker Studio dashboard, for the head of office (Funza paso 10).
func (r *Report) HTML() ([]byte, error) {
	p := r.period
	v := view{
		Office: r.Office, Month: r.Month.Name(), Title: "Informe mensual de la " + procedure.ProcedureOf(r.Set.Profile).Desk,
		Cut:           r.Cut.In(r.Loc).Format("02/01/2006 15:04"),
		Procedure:     procedure.ProcedureOf(r.Set.Profile).Monthly,
		SatisfiedFrom: r.Set.SatisfiedFrom, ResponseRate: r.Response.Text(),
	}
	registered, closed := p.registered(), p.closed(FormulaClosed)
	open, overdue := 0, 0
	for _, f := range p.Cases {
		if f.Open() {
			open++
			if f.Overdue {
				overdue++
			}
		}
	}
	surveys := 0
	for _, f := range p.Cases {
		for _, a := range f.Surveys {
			if p.Month.Contains(a.At, r.Loc) {
				surveys++
			}
		}
	}
	v.Cards = []card{
		{"Casos registrados", strconv.Itoa(len(registered)), "en el mes"},
		{"Casos cerrados", strconv.Itoa(len(closed)), "en el mes"},
		{"Casos abiertos", strconv.Itoa(open), "al corte, de todos los meses"},
		{"Vencidos", strconv.Itoa(overdue), "abiertos fuera del ANS al corte"},
		{"Encuestas respondidas", strconv.Itoa(surveys), "en el mes"},
	}
	if procedure.ProcedureOf(r.Set.Profile).SilenceSatisfies {
		silent := 0
		for _, f := range p.Cases {
			if p.Month.Contains(f.Unanswered(), r.Loc) {
				silent++
			}
		}
		// PD-GT-1 actividad 7: "En caso del que el usuario no conteste la
		// encuesta, esta se dará por satisfactoria".
		v.Cards = append(v.Cards, card{"Encuestas sin respuesta", strconv.Itoa(silent), "en el mes; se dan por satisfactorias"})
		v.SilenceSatisfies = r.satisfaction == FormulaUnanswered
	}
	for _, x := range r.Totals() {
		iv := indView{Name: x.Name, Formula: x.Formula, Num: strconv.Itoa(x.Num), Den: strconv.Itoa(x.Den),
			Result: "—", Target: pctText(x.Target) + " %", Met: x.Met(), Analysis: x.Analysis}
		if pc, ok := x.Percent(); ok {
			iv.Result = pctText(pc) + " %"
		}
		iv.MetClass = map[string]string{"Sí": "si", "No": "no"}[x.Met()]
		if iv.MetClass == "" {
			iv.MetClass = "nd"
		}
		v.Indicators = append(v.Indicators, iv)
		v.Names = append(v.Names, x.Name)
	}
	v.States = hbars("Casos registrados en el mes por estado al corte", stateBars(registered))
	v.Services = hbars("Casos registrados en el mes por tipo de servicio", progressBars(registered, func(f *procedure.Case) string { return orNone(f.Service) }))
	v.Agents = hbars("Casos registrados en el mes por agente", progressBars(registered, func(f *procedure.Case) string { return f.Agent }))
	if procedure.ProcedureOf(r.Set.Profile).StatisticsByCategory {
		// PD-GT-1 actividad 26: "las estadísticas sobre las categorías,
		// incidentes y requerimientos generados en el mes".
		v.Categories = hbars("Casos registrados en el mes por categoría", progressBars(registered, func(f *procedure.Case) string { return orNone(f.Category) }))
	}
	within := 0
	for _, f := range closed {
		if f.WithinSLA() {
			within++
		}
	}
	v.SLA = donut("Casos cerrados en el mes dentro del ANS", within, len(closed)-within, "Dentro del ANS", "Fuera del ANS")
	v.SLAByService = hbars("Cumplimiento del ANS por tipo de servicio", slaBars(closed))
	ratings := make([]int, 5)
	sat := 0
	for _, f := range p.Cases {
		for _, a := range f.Surveys {
			if p.Month.Contains(a.At, r.Loc) && a.Rating >= 1 && a.Rating <= 5 {
				ratings[a.Rating-1]++
				if r.Set.Satisfied(a.Rating) {
					sat++
				}
			}
		}
	}
	v.Satisfaction = donut("Encuestas satisfechas", sat, surveys-sat, "Satisfechas", "No satisfechas")
	colors := make([]string, 5)
	for i := range colors {
		colors[i] = colRed
		if r.Set.Satisfied(i + 1) {
			colors[i] = colGreen
		}
	}
	v.Ratings = vbars("Calificaciones de las encuestas respondidas en el mes", []string{"1", "2", "3", "4", "5"}, ratings, colors)
	trend := r.trendWithData()
	v.TrendIndicators, v.TrendCases = trendCharts(trend)
	v.TrendFrom = trend[0].Month.Name()
	v.Tables = r.breakTables()
	var buf bytes.Buffer
	if err := informe.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("render report: %w", err)
	}
	return buf.Bytes(), nil
}

var stateColors = map[procedure.State]string{
	procedure.Abierto: colBlue, procedure.EnEspera: colYellow, procedure.Reabierto: colNavy,
	procedure.Resuelto: colGreen, procedure.NoResuelto: colRed, procedure.Cerrado: "#5E8C6A",
	procedure.InfoInsuficiente: colGrey, procedure.NoProcedente: "#6B7280",
}

// stateOrder lists every state a case can be in, so that no case is left
// out of the chart (PD-GT-1 actividades 8 and 9 close a case as
// Información insuficiente or No procedente).
var stateOrder = []procedure.State{procedure.Abierto, procedure.EnEspera, procedure.Reabierto, procedure.Resuelto, procedure.NoResuelto,
	procedure.InfoInsuficiente, procedure.NoProcedente, procedure.Cerrado}

func stateBars(fs []*procedure.Case) []bar {
	n := map[procedure.State]int{}
	for _, f := range fs {
		n[f.State]++
	}
	var out []bar
	for _, s := range stateOrder {
		if n[s] > 0 {
			out = append(out, bar{Label: string(s), Segs: []seg{{float64(n[s]), stateColors[s], "casos"}}})
		}
	}
	return out
}

// progressBars groups cases and splits each bar into resolved and pending.
func progressBars(fs []*procedure.Case, key func(*procedure.Case) string) []bar {
	type acc struct{ done, pending int }
	m := map[string]*acc{}
	for _, f := range fs {
		k := key(f)
		if m[k] == nil {
			m[k] = &acc{}
		}
		if f.Solved.IsZero() {
			m[k].pending++
		} else {
			m[k].done++
		}
	}
	var out []bar
	for k, a := range m {
		out = append(out, bar{Label: k, Segs: []seg{{float64(a.done), colGreen, "cerrados"}, {float64(a.pending), colBlue, "pendientes al corte"}},
			Note: fmt.Sprintf("%d (%d pend.)", a.done+a.pending, a.pending)})
	}
	sortBars(out)
	return out
}

// slaBars shows, per service, the share of closed cases within the service
// level: every bar is 100 % long and split in and out of the ANS, so a
// service with few cases compares with a busy one; the order is by number
// of cases, and the tooltip gives the counts.
func slaBars(fs []*procedure.Case) []bar {
	type acc struct{ in, out int }
	m := map[string]*acc{}
	for _, f := range fs {
		k := orNone(f.Service)
		if m[k] == nil {
			m[k] = &acc{}
		}
		if f.WithinSLA() {
			m[k].in++
		} else {
			m[k].out++
		}
	}
	var out []bar
	n := map[string]int{}
	for k, a := range m {
		total := a.in + a.out
		in := math.Round(float64(a.in)*1000/float64(total)) / 10
		out = append(out, bar{Label: k, Segs: []seg{
			{in, colGreen, fmt.Sprintf("dentro del ANS (%d de %d casos), %%", a.in, total)},
			{100 - in, colRed, fmt.Sprintf("fuera del ANS (%d de %d casos), %%", a.out, total)}},
			Note: pctText(in) + " %"})
		n[k] = total
	}
	sort.Slice(out, func(i, j int) bool {
		if n[out[i].Label] != n[out[j].Label] {
			return n[out[i].Label] > n[out[j].Label]
		}
		return out[i].Label < out[j].Label
	})
	return out
}

func sortBars(bs []bar) {
	sort.Slice(bs, func(i, j int) bool {
		if ti, tj := total(bs[i]), total(bs[j]); ti != tj {
			return ti > tj
		}
		return bs[i].Label < bs[j].Label
	})
}

func orNone(s string) string {
	if s == "" {
		return noValue
	}
	return s
}

// trendWithData is the trend from its first month with a case registered
// or closed: months before the desk started would draw an empty stretch
// and say "Tendencia desde" a month with nothing in it. The report's month
// always stays.
func (r *Report) trendWithData() []Point {
	t := r.Trend
	for len(t) > 1 && t[0].Registered == 0 && t[0].Closed == 0 {
		t = t[1:]
	}
	return t
}

func trendCharts(trend []Point) (template.HTML, template.HTML) {
	labels := make([]string, len(trend))
	reg := make([]float64, len(trend))
	clo := make([]float64, len(trend))
	keys := []string{"oportunidad", "eficacia", "satisfaccion"}
	colors := []string{colBlue, colGreen, colYellow}
	ind := make([]series, len(keys))
	maxCases := 0.0
	for i, pt := range trend {
		labels[i] = pt.Month.Short()
		reg[i], clo[i] = float64(pt.Registered), float64(pt.Closed)
		maxCases = math.Max(maxCases, math.Max(reg[i], clo[i]))
		for k, key := range keys {
			x := pt.Totals[key]
			ind[k].Name, ind[k].Color = x.Name, colors[k]
			val := math.NaN()
			if pc, ok := x.Percent(); ok {
				val = pc
			}
			ind[k].Values = append(ind[k].Values, val)
		}
	}
	top := math.Max(4, math.Ceil(maxCases/4)*4)
	cases := []series{{Name: "Registrados", Color: colNavy, Values: reg}, {Name: "Cerrados", Color: colGreen, Values: clo}}
	return lines("Indicadores de los últimos meses (%)", labels, ind, 100, " %"),
		lines("Casos registrados y cerrados por mes", labels, cases, top, "")
}

// breakTables shows each breakdown with the three indicators side by side.
func (r *Report) breakTables() []breakTable {
	titles := map[string]string{ByAgent: "Por agente", ByDependency: "Por dependencia", ByBuilding: "Por edificio", ByService: "Por tipo de servicio", ByCategory: "Por categoría"}
	order := map[string]int{"oportunidad": 0, "eficacia": 1, "satisfaccion": 2}
	var out []breakTable
	for _, by := range breakdownsOf(r.Set) {
		rows := map[string]*breakRow{}
		var values []string
		for _, x := range r.Results {
			if x.Breakdown != by {
				continue
			}
			row := rows[x.Value]
			if row == nil {
				row = &breakRow{Value: x.Value, Cells: make([]breakCell, 3)}
				for i := range row.Cells {
					row.Cells[i] = breakCell{Text: "—", Class: "nd"}
				}
				rows[x.Value] = row
				values = append(values, x.Value)
			}
			pc, _ := x.Percent()
			row.Cells[order[x.Key]] = breakCell{Text: fmt.Sprintf("%s %% (%d/%d)", pctText(pc), x.Num, x.Den), Class: map[string]string{"Sí": "si", "No": "no"}[x.Met()]}
		}
		sort.Strings(values)
		t := breakTable{Title: titles[by]}
		for _, val := range values {
			t.Rows = append(t.Rows, *rows[val])
		}
		out = append(out, t)
	}
	return out
}
