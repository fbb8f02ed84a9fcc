package report

import (
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// fact is what the report knows of one case at a cut-off instant. It is
// rebuilt from the case's journal events up to the cut-off, so the figures
// of a month do not move when its report is re-run after later events
// (a survey answered in April does not change March).
type fact struct {
	Number                                   int
	Dependencia, Building, Service, Category string

	Registered time.Time
	State      procedure.State
	WaitReason string
	Agent      string
	Closed     time.Time       // last Resuelto or No Resuelto; zero while open or after a reopening
	ClosedAs   procedure.State // Resuelto or No Resuelto
	AutoSolved bool            // F-5c: eight business days without the user's availability
	Due        time.Time       // service-level deadline (ANS), zero when unknown
	Reassigned int
	Reopened   int
	Warranty   bool // went En Espera por Garantía (Funza paso 6)
	Escalation bool // went En Espera por Escalamiento (Funza paso 7)
	Invited    bool
	Surveys    []answer  // answered surveys, in order
	current    int       // Surveys[current:] answer the current closure (after the last reopening)
	Unanswered time.Time // scj-bogota: survey window ran out, closed as satisfactory
}

// answer is one answered satisfaction survey.
type answer struct {
	At     time.Time
	Rating int
	Agent  string // agent of the case when it was answered
}

// Resolved reports whether the case was Resuelto at the cut-off (also when
// the scj-bogota survey later closed it as Cerrado).
func (f *fact) Resolved() bool { return !f.Closed.IsZero() && f.ClosedAs == procedure.Resuelto }

// WithinSLA reports whether a closed case was closed by its deadline. A
// case with no known deadline counts as within it: its clock was paused.
func (f *fact) WithinSLA() bool { return f.Due.IsZero() || !f.Closed.After(f.Due) }

// Overdue reports whether the case was past its deadline at the cut-off:
// closed late, or still open past it and not En Espera (the clock stops
// while a case waits, Funza paso 5).
func (f *fact) Overdue(cut time.Time) bool {
	switch {
	case f.Due.IsZero():
		return false
	case !f.Closed.IsZero():
		return f.Closed.After(f.Due)
	case f.State == procedure.EnEspera:
		return false
	}
	return cut.After(f.Due)
}

// unansweredDecision is how the journal records an scj-bogota survey closed
// as satisfactory for lack of an answer (PD-GT-1, políticas de operación).
const unansweredDecision = "satisfactorio_sin_respuesta"

// factsAt replays every case of the book up to cut (inclusive). Cases
// registered after cut are left out.
func factsAt(b *procedure.Book, cut time.Time) []*fact {
	var out []*fact
	for _, c := range b.Cases() {
		if c.Registered.IsZero() || c.Registered.After(cut) {
			continue
		}
		f := &fact{Number: c.Number, Dependencia: c.Dependencia, Building: c.Building, Service: c.Service,
			Category: c.Category, Due: c.Due, Agent: procedure.Unassigned}
		for _, e := range b.Events(c.Number) {
			if e.At.After(cut) {
				continue
			}
			f.apply(e)
		}
		if f.State == procedure.EnEspera {
			f.Due = time.Time{} // the clock was stopped at the cut-off: no deadline yet
		}
		out = append(out, f)
	}
	return out
}

func (f *fact) apply(e procedure.Event) {
	d := e.Data
	switch e.Kind {
	case procedure.KRegistered, procedure.KImported:
		f.Registered, f.State = e.At, procedure.Abierto
		if e.Kind == procedure.KImported {
			f.setAgent(d.Agent)
			f.setState(d.State, d.WaitReason, e.At)
		}
	case procedure.KAssigned:
		f.setAgent(d.Agent)
	case procedure.KReassigned:
		f.setAgent(d.Agent)
		f.Reassigned++
	case procedure.KAttended, procedure.KAwaiting:
		f.setState(d.State, d.WaitReason, e.At)
	case procedure.KAutoSolved:
		f.setState(procedure.Resuelto, "", e.At)
		f.AutoSolved = true
	case procedure.KInvited:
		f.Invited = true
	case procedure.KSurveyed:
		f.Surveys = append(f.Surveys, answer{At: e.At, Rating: d.Rating, Agent: f.Agent})
	case procedure.KSurveyClose:
		f.State = procedure.Cerrado
		if d.Decision == unansweredDecision {
			f.Unanswered = e.At
		}
	case procedure.KReviewed:
		if d.State == procedure.Reabierto {
			// PD-GT-1 actividad 23: the case is open again; it counts as
			// closed only at its final closure.
			f.State, f.Closed, f.ClosedAs, f.AutoSolved = procedure.Reabierto, time.Time{}, "", false
			f.Reopened++
			f.Invited, f.current, f.Unanswered = false, len(f.Surveys), time.Time{}
		} else {
			f.State = procedure.Cerrado
		}
	}
}

func (f *fact) setAgent(a string) {
	if a == "" {
		a = procedure.Unassigned
	}
	f.Agent = a
}

func (f *fact) setState(s procedure.State, reason string, at time.Time) {
	if s == "" {
		return
	}
	f.State, f.WaitReason = s, reason
	switch {
	case s == procedure.Resuelto || s == procedure.NoResuelto:
		f.Closed, f.ClosedAs, f.AutoSolved = at, s, false
	case s == procedure.EnEspera && reason == procedure.WaitWarranty:
		f.Warranty = true
	case s == procedure.EnEspera && reason == procedure.WaitEscalation:
		f.Escalation = true
	}
	if s != procedure.EnEspera {
		f.WaitReason = ""
	}
}

// lastSurvey returns the survey answered since the last reopening, if any.
func (f *fact) lastSurvey() (answer, bool) {
	if len(f.Surveys) <= f.current {
		return answer{}, false
	}
	return f.Surveys[len(f.Surveys)-1], true
}
