package procedure

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
)

// Profile selects the procedure a deployment follows.
type Profile string

const (
	Funza     Profile = "funza"
	SCJBogota Profile = "scj-bogota"
)

// Settings are the knobs of the rules; defaults come from the procedures.
type Settings struct {
	Profile             Profile
	NumberingStart      int      // first case number, to continue a hand-kept workbook
	NonBuildingServices []string // Funza definición 14, nota 1
	LocativeServices    []string // scj-bogota: service types of a locativo requirement, routed by Servicios
	WaitDays            int      // F-5c: business days of unavailability before Resuelto
	SurveysPerAgent     int      // F-8: users sampled per agent and week (at least three)
	SurveyRestWeeks     int      // F-8: users invited in the last N weeks are drawn only when no one else is left (0: no preference)
	SurveyDays          int      // S-7: business days a survey stays open
	SatisfiedFrom       int      // rating from which a survey counts as satisfied
	ProblemThreshold    int      // S-P: reports that make a Problema
	ProblemWindowDays   int
	DefaultSLA          SLA           // for services missing from the Catálogo
	DayLength           time.Duration // business time of a "día hábil" in an SLA
}

// DefaultSettings returns the settings of a profile as its procedure states them.
func DefaultSettings(p Profile) Settings {
	s := Settings{
		Profile:             p,
		NumberingStart:      1,
		NonBuildingServices: []string{"Redes", "Telefonía", "Cuentas de correo", "Copias de seguridad"},
		WaitDays:            8,
		SurveysPerAgent:     3,
		SurveyRestWeeks:     4,
		SurveyDays:          3,
		SatisfiedFrom:       4,
		ProblemThreshold:    20,
		ProblemWindowDays:   30,
		DefaultSLA:          SLA{Amount: 3, Days: true},
		DayLength:           9 * time.Hour, // Funza: lun-vie 08:00-17:00
	}
	if p == SCJBogota {
		s.LocativeServices = []string{"Locativo", "Requerimiento locativo"}
		s.DayLength = 12 * time.Hour // PD-GT-1 políticas de operación: lun-vie 07:00-19:00
	}
	return s
}

// Engine applies a profile's rules on a business calendar.
type Engine struct {
	Cal *calendar.Calendar
	Set Settings
}

// Inputs is everything a fold reads. Responses may include ones already
// applied: the journal says which, and they are skipped. The result's
// Book.Journal refers to Journal's events: do not change them afterwards.
type Inputs struct {
	Journal Journal
	// Owned says the caller gives the fold Journal's spare capacity (the
	// array past len): the fold's decisions are appended there when they
	// fit, instead of copying the whole journal. Leave it false when
	// another slice may share that array.
	Owned     bool
	Responses []Response
	Agents    []Agent
	Catalog   []Service
	Now       time.Time
}

// Result is the state after the fold and the decisions it made now.
type Result struct {
	*Book
	New      []Event   // decisions to append to the journal
	Notices  []Notice  // notifications those decisions call for
	Failures []Failure // responses a fault in mesa kept from being applied (rejected instead)
	// Changed is set by Resume: the numbers of the cases whose state or
	// service level this fold changed, in order. Nil after Fold: every case
	// may differ from any earlier state.
	Changed []int
}

// Fold replays the journal, applies every pending response in time order,
// fires the timers that fell due in between, and computes service levels at
// in.Now. It is deterministic: same inputs, same result.
func (e *Engine) Fold(in Inputs) *Result {
	f := e.newFold(in)
	f.book.replay(in.Journal, in.Owned)
	return f.run(true)
}

// Resume is Fold of prev's journal and in, starting from prev, the book of
// an earlier fold, instead of replaying the journal: it applies only in's
// responses and the timers due since. The result is the one Fold would
// give (in.Journal is ignored: the journal is prev's). prev becomes the
// result's book: do not use it, or a Result holding it, afterwards.
//
// When the earlier fold had another profile, calendar, catalog or service
// level settings, the service levels of every case are computed again;
// otherwise only those of the cases the new events touch, and every
// case's Overdue at in.Now. Result.Changed lists the cases whose row may
// differ from the earlier fold's, so a caller can render only those.
func (e *Engine) Resume(prev *Book, in Inputs) *Result {
	if prev.proc != ProcedureOf(e.Set.Profile) {
		in.Journal, in.Owned = prev.Journal, prev.owned
		return e.Fold(in)
	}
	f := &fold{Engine: e, in: in, proc: prev.proc, book: prev}
	f.index()
	b := f.book
	b.decided, b.changed = nil, map[int]bool{}
	return f.run(!b.levels.same(e, in.Catalog))
}

// run applies the pending responses and the timers onto the book (replayed
// or resumed) and computes the service levels: of every case when all,
// else of the cases changed.
func (f *fold) run(all bool) *Result {
	for _, r := range f.pending() {
		f.fireTimers(r.Submitted)
		if !f.book.Applied(r.ID) { // the same response listed twice
			f.alone(r, f.decide)
		}
	}
	f.fireTimers(f.in.Now)
	f.sampleSurveys(f.in.Now)
	f.serviceLevels(f.in.Now, all)
	f.book.finish()
	res := &Result{Book: f.book, New: f.book.decided, Notices: f.notices, Failures: f.failures}
	if f.book.changed != nil {
		res.Changed = make([]int, 0, len(f.book.changed))
		for n := range f.book.changed {
			res.Changed = append(res.Changed, n)
		}
		sort.Ints(res.Changed)
	}
	f.book.changed = nil
	return res
}

// Failure is a response the rules could not apply because of a fault in
// mesa itself (a panic), not in the response: it was rejected so that the
// rest of the cycle goes on. Err never quotes the response's answers.
type Failure struct {
	Response string
	Form     Form
	Err      string
}

// alone applies one response (with decide) so that a fault while applying it stops
// only that response: what it had decided stands (events are facts), and if
// nothing had been decided it goes to Rechazos, where the administrator sees
// it. The same response fails the same way on every run, so the rejection's
// ID is as stable as any other.
func (f *fold) alone(r Response, decide func(Response)) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		f.failures = append(f.failures, Failure{Response: r.ID, Form: r.Form, Err: panicText(v)})
		if !f.book.Applied(r.ID) {
			f.reject(r, 0, InternalErrorReason)
		}
	}()
	decide(r)
}

// InternalErrorReason is the Rechazos reason of a response that a fault in
// mesa kept from being applied.
const InternalErrorReason = "La mesa de ayuda no pudo procesar esta respuesta por un error interno. El administrador debe revisarla en el formulario y avisar al soporte de mesa."

// panicText describes a recovered panic without the values involved (they
// may be a person's answers): a runtime error's message names no value.
func panicText(v any) string {
	if err, ok := v.(runtime.Error); ok {
		return err.Error()
	}
	return fmt.Sprintf("panic of type %T", v)
}

// newFold prepares a fold of in, before the journal is replayed.
func (e *Engine) newFold(in Inputs) *fold {
	f := &fold{Engine: e, in: in, proc: ProcedureOf(e.Set.Profile), book: newBook(max(e.Set.NumberingStart, 1), in.Journal.Len()+2*len(in.Responses))}
	f.book.proc = f.proc
	f.book.grouping = f.proc.Has(SP)
	f.index()
	return f
}

type fold struct {
	*Engine
	in       Inputs
	proc     *Procedure // the rules of the profile: a rule it lacks never fires
	book     *Book
	notices  []Notice
	failures []Failure
	byEmail  map[string]*Agent
	byName   map[string]*Agent
	catalog  map[string]Service       // by norm(Type)
	budgets  map[string]time.Duration // service level budget by Case.Service as typed, for due
	serves   map[*Agent]serves        // what each agent serves, normalized once per fold
}

// serves holds an agent's Edificios and Servicios as norm keys (Funza paso 3).
type serves struct{ buildings, services map[string]bool }

func keySet(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		if k := norm(s); k != "" {
			m[k] = true
		}
	}
	return m
}

// has reports whether the profile's procedure has rule r.
func (f *fold) has(r Rule) bool { return f.proc.Has(r) }

func (f *fold) index() {
	f.byEmail, f.byName, f.catalog = map[string]*Agent{}, map[string]*Agent{}, map[string]Service{}
	f.budgets = map[string]time.Duration{}
	f.serves = map[*Agent]serves{}
	for i := range f.in.Agents {
		a := &f.in.Agents[i]
		f.byEmail[norm(a.Email)] = a
		f.byName[norm(a.Name)] = a
		f.serves[a] = serves{keySet(a.Buildings), keySet(a.Services)}
	}
	for _, s := range f.in.Catalog {
		f.catalog[norm(s.Type)] = s
	}
}

// pending returns the responses not yet applied and already submitted at
// now, ordered by submission time; ties go by form (a request before an
// answer to it) and then by response ID, so the order the API listed them in
// never matters.
func (f *fold) pending() []Response {
	var out []Response
	for _, r := range f.in.Responses {
		if !f.book.Applied(r.ID) && !r.Submitted.After(f.in.Now) {
			out = append(out, r)
		}
	}
	rank := map[Form]int{}
	for i, fm := range Forms {
		rank[fm] = i
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.Submitted.Equal(b.Submitted) {
			return a.Submitted.Before(b.Submitted)
		}
		if a.Form != b.Form {
			return rank[a.Form] < rank[b.Form]
		}
		return a.ID < b.ID
	})
	return out
}

// emit records a decision: applied to the state, appended to the journal,
// and turned into the notifications it calls for.
func (f *fold) emit(ev Event) {
	ev.Data = fitData(ev.Data, ev.Response)
	if !f.book.record(ev) {
		return
	}
	f.notify(ev)
}

func (f *fold) decide(r Response) {
	switch r.Form {
	case Solicitudes:
		f.register(r)
	case Respuestas:
		f.attend(r)
	case Reasignaciones:
		f.reassign(r)
	case Encuestas:
		f.survey(r)
	case Revisiones:
		f.review(r)
	default:
		f.reject(r, 0, "El formulario no es conocido por la mesa de ayuda.")
	}
}

// reject records a response that cannot be applied, with a reason a person
// understands. The case, if any, is not touched.
func (f *fold) reject(r Response, n int, reason string) {
	f.emit(Event{
		ID: eventID(string(FR), r.ID), At: r.Submitted, Rule: f.proc.Validate, Kind: KRejected, Response: r.ID,
		Data: Data{Form: r.Form, By: r.Email, Reason: reason, Cases: nonZero(n)},
	})
}

func nonZero(n int) []int {
	if n == 0 {
		return nil
	}
	return []int{n}
}

// fireTimers applies every timer rule due at or before t, earliest first
// (ties by case number). A timer may set another one (the S-7 reminder is
// followed by the closing, an F-5c resolution opens an S-7 survey), so it
// loops until nothing more is due.
func (f *fold) fireTimers(t time.Time) {
	for {
		var next *Case
		for n := range f.book.timers {
			c := f.book.caseOf(n)
			at := c.nextTimer()
			if at.After(t) {
				continue
			}
			if next == nil || at.Before(next.nextTimer()) || at.Equal(next.nextTimer()) && c.Number < next.Number {
				next = c
			}
		}
		if next == nil {
			return
		}
		f.timer(next)
	}
}

// serviceLevels sets Due and Overdue at now from the Catálogo's ANS (or the
// default one): the ANS runs in business time from registration, and every
// interval the case spent En Espera is added back, because the provider's or
// the user's time does not count (Funza paso 5). While En Espera the clock is
// stopped and there is no due date.
func (f *fold) serviceLevels(now time.Time, all bool) {
	b := f.book
	for _, c := range b.all {
		due, overdue := c.Due, c.Overdue
		if all || b.changed[c.Number] {
			c.Due = f.due(c)
		}
		end := now
		if !c.Solved.IsZero() {
			end = c.Solved
		}
		c.Overdue = !c.Due.IsZero() && end.After(c.Due)
		if b.changed != nil && (!c.Due.Equal(due) || c.Overdue != overdue) {
			b.changed[c.Number] = true
		}
	}
	b.levels = levels{cal: f.Cal, catalog: f.in.Catalog, def: f.Set.DefaultSLA, day: f.Set.DayLength}
}

// due is the case's service level deadline; zero while En Espera.
func (f *fold) due(c *Case) time.Time {
	if c.State == EnEspera || c.Registered.IsZero() {
		return time.Time{}
	}
	budget, ok := f.budgets[c.Service]
	if !ok {
		sla := f.Set.DefaultSLA
		if s, ok := f.catalog[f.book.keys.of(c.Service)]; ok {
			sla = s.SLA
		}
		budget = sla.Duration(f.Set.DayLength)
		f.budgets[c.Service] = budget
	}
	for _, p := range c.pauses {
		budget += f.Cal.BusinessDuration(p.from, p.to)
	}
	return f.Cal.AddBusinessDuration(c.Registered, budget)
}

// levels is what the book's service levels were computed with.
type levels struct {
	cal     *calendar.Calendar
	catalog []Service
	def     SLA
	day     time.Duration
}

// same reports whether service levels computed by e with catalog would
// give every case the deadline it has.
func (l levels) same(e *Engine, catalog []Service) bool {
	return l.cal != nil && l.cal == e.Cal && l.def == e.Set.DefaultSLA && l.day == e.Set.DayLength && slices.Equal(l.catalog, catalog)
}

func caseKey(n int) string { return strconv.Itoa(n) }
