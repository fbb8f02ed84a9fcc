// Package report builds the monthly figures of the help desk (Funza paso
// 10; PD-GT-1 actividad 26): the Indicadores tab and the KAWAK file with
// Oportunidad, Eficacia and Satisfacción and their breakdowns, the tidy
// Looker tab for Looker Studio, and a self-contained HTML report.
//
// Month boundaries (America/Bogota, from the 1st 00:00 inclusive to the 1st
// of the next month 00:00 exclusive):
//   - Eficacia counts a case in the month it was registered, resolved or
//     not as of the month's cut-off (its last instant, or now if earlier).
//   - Oportunidad counts a case in the month it was closed, in any state
//     that closes it under the procedure (procedure.State.Closed: Resuelto
//     or No Resuelto by the agent, Resuelto by F-5c, and in scj-bogota
//     Información insuficiente and No procedente); a case reopened by the
//     Coordinador (scj-bogota) counts at its final closure.
//   - Satisfacción counts a survey in the month it was answered, whatever
//     the month of its case.
//
// Every figure is read from the procedure's own state of each case at the
// cut-off (procedure.Book.CasesAt: the journal events up to it, applied by
// the fold's state machine), so a month's report says the same when it is
// re-run later, and a rule and its indicator cannot disagree.
package report

import (
	"strconv"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Report is everything the monthly outputs show.
type Report struct {
	Office  string
	Month   Month
	Cut     time.Time // the figures are as of this instant
	Loc     *time.Location
	Set     procedure.Settings
	Results []Result // the month's indicators: Total rows first, then breakdowns
	Trend   []Point  // the last months, oldest first, ending with Month
	period  period

	satisfaction string // the formula Satisfacción was computed with

	// Response is the month's survey response rate (response.go), shown
	// next to Satisfacción.
	Response ResponseRate
}

// Point is one month of the trend.
type Point struct {
	Month      Month
	Registered int
	Closed     int
	Totals     map[string]Result // by indicator key
}

// Compute builds the report of month m from a book, with figures as of the
// end of the month or limit, whichever comes first.
func Compute(b *procedure.Book, m Month, limit time.Time, loc *time.Location, o Options, set procedure.Settings, office string) *Report {
	r := &Report{Office: office, Month: m, Loc: loc, Set: set, satisfaction: o.Satisfaction.Formula}
	prev := map[string]Result{}
	for k := o.TrendMonths - 1; k >= 0; k-- {
		p := newPeriod(b, m.Add(-k), limit, loc)
		res := p.indicators(o, set, prev)
		pt := Point{Month: p.Month, Registered: len(p.registered()), Closed: len(p.closed(FormulaClosed)), Totals: map[string]Result{}}
		for _, x := range res {
			if x.Breakdown == ByTotal {
				pt.Totals[x.Key] = x
			}
		}
		r.Trend = append(r.Trend, pt)
		prev = pt.Totals
		if k == 0 {
			r.Results, r.Cut, r.period = res, p.Cut, p
			r.Response = responseRate(p.Cases, p.Month, loc)
		}
	}
	return r
}

// Totals returns the Total row of each indicator, in order.
func (r *Report) Totals() []Result {
	var out []Result
	for _, x := range r.Results {
		if x.Breakdown == ByTotal {
			out = append(out, x)
		}
	}
	return out
}

// ID is the key of an Indicadores row: period, indicator, breakdown, value.
func (x Result) ID() string {
	id := x.Month.String() + " · " + x.Name + " · " + x.Breakdown
	if x.Value != "" {
		id += " · " + x.Value
	}
	return id
}

// IndicadoresRows renders the month's results in the column order of
// workbook.Indicadores. Agent names appear only here, in the Agente
// breakdown: agents are public servants acting in their role, and the
// procedure asks for their figures; their e-mails never appear.
func (r *Report) IndicadoresRows() [][]string {
	f := workbook.Formatter{Loc: r.Loc}
	out := make([][]string, 0, len(r.Results))
	for _, x := range r.Results {
		res := ""
		if p, ok := x.Percent(); ok {
			res = number(p)
		}
		out = append(out, []string{x.ID(), x.Month.String(), x.Name, x.Breakdown, x.Value,
			strconv.Itoa(x.Num), strconv.Itoa(x.Den), res, number(x.Target), x.Met(), x.Analysis, x.Formula, f.Instant(r.Cut)})
	}
	return out
}

// LookerRows renders one row per case registered by the cut-off, as it
// stood at the cut-off, in the columns of workbook.Looker: no personal
// data (Ley 1581 de 2012).
func (r *Report) LookerRows() [][]string {
	return workbook.Formatter{Loc: r.Loc}.LookerRows(r.period.Cases, r.Set)
}

// number renders a float the way the sheet reads it back (UNFORMATTED_VALUE),
// so a re-run finds nothing to change.
func number(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
