package workbook

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// Formatter writes instants and dates the way the workbook shows them.
type Formatter struct{ Loc *time.Location }

// Instant renders t as "2006-01-02 15:04:05" in the office's time zone.
func (f Formatter) Instant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	var buf [len(InstantLayout)]byte
	return string(appendInstant(buf[:0], t, f.Loc))
}

// appendInstant appends t in loc as InstantLayout, as t.In(loc).AppendFormat
// does, digit by digit: AppendFormat parses the layout on every call, and a
// busy cycle formats ~300k instants (Casos' four per case).
func appendInstant(b []byte, t time.Time, loc *time.Location) []byte {
	t = t.In(loc)
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, InstantLayout)
	}
	hour, minute, sec := t.Clock()
	b = append(b, byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-')
	b = append(b, byte('0'+int(month)/10), byte('0'+int(month)%10), '-', byte('0'+day/10), byte('0'+day%10), ' ')
	b = append(b, byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':')
	return append(b, byte('0'+sec/10), byte('0'+sec%10))
}

// InstantLayout is how instants read in the workbook.
const InstantLayout = "2006-01-02 15:04:05"

// casosTexts renders a Casos row's case number and its four instants (as
// Instant does) with one allocation for the five instead of one each (Casos
// has 100k rows): they are formatted into one buffer, made one string, and
// cut into parts.
func (f Formatter) casosTexts(r *caseRow) {
	var buf [20 + 4*len(InstantLayout)]byte
	b := strconv.AppendInt(buf[:0], int64(r.Number), 10)
	var ends [5]int
	ends[0] = len(b)
	for i, t := range [4]time.Time{r.Registered, r.StateAt, r.Due, r.Solved} {
		if !t.IsZero() {
			b = appendInstant(b, t, f.Loc)
		}
		ends[i+1] = len(b)
	}
	s := string(b)
	r.number, r.registered, r.stateAt, r.due, r.solved = s[:ends[0]], s[ends[0]:ends[1]], s[ends[1]:ends[2]], s[ends[2]:ends[3]], s[ends[3]:ends[4]]
}

func num(n int) string { return strconv.Itoa(n) }

func numOrBlank(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func siNo(b bool) string {
	if b {
		return "Sí"
	}
	return "No"
}

// caseRow is what a caseColumn reads: the case, and what its tab needs
// besides.
type caseRow struct {
	*procedure.Case
	set procedure.Settings
	f   Formatter
	// Casos' case number and four instants, formatted at once (casosTexts).
	number, registered, stateAt, due, solved string
}

func (r *caseRow) date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(r.f.Loc).Format("2006-01-02")
}

// month is the month t falls in, as the report's periods read: "2026-03".
func (r *caseRow) month(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(r.f.Loc).Format("2006-01")
}

func flag01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// number renders a float the way the sheet reads it back (UNFORMATTED_VALUE),
// so a re-run finds nothing to change.
func number(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Views renders the tabs that are views of the fold, by tab name: every
// worker tab but Historial (the journal itself) and Notificaciones (the
// outbox). The worker writes them; the archive moves a case only once the
// live workbook shows them as rendered here.
func (f Formatter) Views(b *procedure.Book, set procedure.Settings) map[string][][]string {
	return map[string][][]string{
		Casos.Name:     f.CasosRows(b, set),
		Rechazos.Name:  f.RechazosRows(b),
		Encuestas.Name: f.EncuestasRows(b, set),
		Garantias.Name: f.WaitingRows(b, procedure.WaitWarranty),
		Escalam.Name:   f.WaitingRows(b, procedure.WaitEscalation),
		Lecciones.Name: f.LeccionesRows(b),
		Problemas.Name: f.ProblemasRows(b),
	}
}

// caseRows renders one row per case, a cell per column. The rows' cells
// share one array, as in NewTable.
func (f Formatter) caseRows(cols []caseColumn, cases []*procedure.Case, set procedure.Settings, prepare func(*caseRow)) [][]string {
	width := len(cols)
	cells := make([]string, len(cases)*width)
	out := make([][]string, len(cases))
	r := caseRow{set: set, f: f}
	for i, c := range cases {
		r.Case = c
		if prepare != nil {
			prepare(&r)
		}
		row := cells[i*width : (i+1)*width : (i+1)*width]
		for j, col := range cols {
			row[j] = col.cell(&r)
		}
		out[i] = row
	}
	return out
}

// CasosRows renders every case as a row of the Casos tab.
func (f Formatter) CasosRows(b *procedure.Book, set procedure.Settings) [][]string {
	return f.CasosRowsOf(b.Cases(), set)
}

// CasosRowsOf renders the given cases as CasosRows does: a cycle that
// resumed the last one's fold renders only the cases it changed.
func (f Formatter) CasosRowsOf(cases []*procedure.Case, set procedure.Settings) [][]string {
	return f.caseRows(casosColumns, cases, set, f.casosTexts)
}

// ParseCasos reads the cases of a hand-kept Casos tab (its CSV export) to
// adopt them (procedure.Adopt): rows[0] is the header, and the columns are
// found by their headers as mesa's own Casos tab names them (casosColumns,
// plus "Actividades realizadas"), in any order, case and accents aside. at
// reads an instant or a date ("Fecha de registro", "Fecha de estado",
// "Fecha de solución"). A blank state is Abierto. Every row that cannot be
// read is reported, in Spanish, by its line in the file.
func ParseCasos(rows [][]string, at func(string) time.Time) ([]*procedure.Case, []error) {
	if len(rows) < 2 {
		return nil, nil
	}
	pos := map[string]int{}
	for i, h := range rows[0] {
		pos[procedure.Norm(h)] = i
	}
	type source struct {
		at    int
		field func(c *procedure.Case) any
	}
	var from []source
	for _, col := range append(slices.Clip(casosColumns), handKept...) {
		if i, ok := pos[procedure.Norm(col.Name)]; ok && col.field != nil {
			from = append(from, source{i, col.field})
		}
	}
	var out []*procedure.Case
	var errs []error
	rowOf := map[int]int{} // case number -> its first line in the file
	for i, row := range rows[1:] {
		line := i + 2
		if slices.IndexFunc(row, func(s string) bool { return strings.TrimSpace(s) != "" }) < 0 {
			continue
		}
		c := &procedure.Case{}
		for _, src := range from {
			v := ""
			if src.at < len(row) {
				v = strings.TrimSpace(row[src.at])
			}
			switch p := src.field(c).(type) {
			case *string:
				*p = v
			case *procedure.State:
				*p = procedure.State(v)
			case *time.Time:
				if v != "" {
					*p = at(v)
				}
			case *int:
				*p, _ = procedure.ParseCaseNumber(v)
			}
		}
		if c.Number == 0 || c.Registered.IsZero() {
			errs = append(errs, fmt.Errorf("fila %d: se necesita un número de caso y una fecha de registro", line))
			continue
		}
		if first, dup := rowOf[c.Number]; dup {
			errs = append(errs, fmt.Errorf("fila %d: el caso %d ya está en la fila %d del archivo; cada caso va en una sola fila", line, c.Number, first))
			continue
		}
		rowOf[c.Number] = line
		if c.State == "" {
			c.State = procedure.Abierto
		}
		out = append(out, c)
	}
	return out, errs
}

// LookerRows renders the cases as rows of the Looker tab: cases as they
// stood at the report's cut (procedure.Book.CasesAt).
func (f Formatter) LookerRows(cases []*procedure.Case, set procedure.Settings) [][]string {
	return f.caseRows(lookerColumns, cases, set, nil)
}

func satisfaction(c *procedure.Case, set procedure.Settings) string {
	switch {
	case c.Rating > 0 && set.Satisfied(c.Rating):
		return strconv.Itoa(c.Rating) + " - Satisfecho"
	case c.Rating > 0:
		return strconv.Itoa(c.Rating) + " - No satisfecho"
	case c.AutoSatisfied:
		return "Satisfactorio (sin respuesta)"
	}
	return ""
}

// HistorialRows renders the journal.
func (f Formatter) HistorialRows(b *procedure.Book) [][]string {
	return f.JournalRows(b.Journal)
}

// JournalRows renders journal events as Historial rows.
func (f Formatter) JournalRows(j procedure.Journal) [][]string {
	out := make([][]string, 0, j.Len())
	for _, e := range j.All() {
		out = append(out, []string{
			e.ID, f.Instant(e.At), numOrBlank(e.Case), string(e.Rule), procedure.Rules[e.Rule].Step,
			string(e.Kind), e.Response, procedure.Describe(e, f.Loc), procedure.EncodeData(e.Data),
		})
	}
	return out
}

// RowError names a row of a tab that could not be read.
type RowError struct {
	Tab  string
	Line int
	Msg  string
}

func (e *RowError) Error() string { return e.Tab + " row " + strconv.Itoa(e.Line) + ": " + e.Msg }

// RechazosRows lists the rejected responses.
func (f Formatter) RechazosRows(b *procedure.Book) [][]string {
	return f.RejectionRows(b.Rejections())
}

// RejectionRows renders rejection events as Rechazos rows.
func (f Formatter) RejectionRows(events []procedure.Event) [][]string {
	var out [][]string
	for _, e := range events {
		if e.Kind != procedure.KRejected {
			continue
		}
		n := 0
		if len(e.Data.Cases) > 0 {
			n = e.Data.Cases[0]
		}
		out = append(out, []string{e.Response, f.Instant(e.At), string(e.Data.Form), e.Data.By, numOrBlank(n), e.Data.Reason})
	}
	return out
}

// EncuestasRows lists invited or answered surveys.
func (f Formatter) EncuestasRows(b *procedure.Book, set procedure.Settings) [][]string {
	return f.EncuestasRowsOf(b, set, b.Cases())
}

// EncuestasRowsOf is EncuestasRows of the given cases of b.
func (f Formatter) EncuestasRowsOf(b *procedure.Book, set procedure.Settings, cases []*procedure.Case) [][]string {
	var out [][]string
	for _, c := range cases {
		if !c.Invited && c.Rating == 0 && !c.AutoSatisfied {
			continue
		}
		var week, agent string
		var invited, answered time.Time
		for e := range b.EventsOf(c.Number) {
			switch e.Kind {
			case procedure.KInvited:
				week, agent, invited = e.Data.Week, e.Data.Agent, e.At
			case procedure.KSurveyed:
				answered = e.At
			}
		}
		if agent == "" {
			agent = c.Agent
		}
		result := satisfaction(c, set)
		if result == "" {
			result = "Pendiente"
		}
		out = append(out, []string{num(c.Number), week, agent, c.Email, f.Instant(invited), f.Instant(answered),
			numOrBlank(c.Rating), c.SurveySolved, c.Comments, result})
	}
	return out
}

// WaitingRows lists the cases that went En Espera for a reason (Garantía:
// Funza paso 6, procedure.WaitWarranty; Escalamiento: paso 7,
// procedure.WaitEscalation), from the last time they did, with their
// current state until they are resolved.
func (f Formatter) WaitingRows(b *procedure.Book, reason string) [][]string {
	return f.WaitingRowsOf(b, reason, b.Cases())
}

// WaitingRowsOf is WaitingRows of the given cases of b.
func (f Formatter) WaitingRowsOf(b *procedure.Book, reason string, cases []*procedure.Case) [][]string {
	var out [][]string
	for _, c := range cases {
		since := c.WarrantyFrom
		if reason == procedure.WaitEscalation {
			since = c.EscalationFrom
		}
		if since.IsZero() {
			continue
		}
		closed := ""
		if c.State != procedure.EnEspera || c.WaitReason != reason {
			closed = f.Instant(c.StateAt)
		}
		out = append(out, []string{num(c.Number), f.Instant(since), c.Agent, c.Dependencia, c.Building, c.Service, c.Description, string(c.State), closed})
	}
	return out
}

// LeccionesRows lists the cases an agent flagged for a lesson learned (Funza paso 9).
func (f Formatter) LeccionesRows(b *procedure.Book) [][]string {
	return f.LeccionesRowsOf(b.Cases())
}

// LeccionesRowsOf is LeccionesRows of the given cases.
func (f Formatter) LeccionesRowsOf(cases []*procedure.Case) [][]string {
	var out [][]string
	for _, c := range cases {
		if !c.Lesson {
			continue
		}
		out = append(out, []string{num(c.Number), f.Instant(c.StateAt), c.Agent, c.Service, c.Activities, c.Concept, string(c.State)})
	}
	return out
}

// ProblemasRows lists the Problemas detected (scj-bogota, rule S-P): one row
// per group and window, with every case of the group reported in that window
// so far (the count keeps growing after the threshold is reached).
func (f Formatter) ProblemasRows(b *procedure.Book) [][]string {
	var out [][]string
	for _, e := range b.Problems() {
		d := e.Data
		from := e.At
		for _, n := range d.Cases {
			if c := b.Case(n); c != nil && c.Registered.Before(from) {
				from = c.Registered
			}
		}
		until, _ := time.Parse(time.RFC3339, d.Until)
		var cases []string
		for _, c := range b.Cases() {
			if procedure.Norm(c.Category) == procedure.Norm(d.Category) && procedure.Norm(c.Service) == procedure.Norm(d.Service) &&
				!c.Registered.Before(from) && (until.IsZero() || c.Registered.Before(until)) {
				cases = append(cases, num(c.Number))
			}
		}
		out = append(out, []string{e.ID, d.Category, d.Service, f.Instant(from), f.Instant(until), num(len(cases)), strings.Join(cases, ", ")})
	}
	return out
}
