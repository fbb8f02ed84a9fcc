package procedure

import (
	"sort"
	"time"
)

// Case is the state of one case, as the Casos tab shows it.
type Case struct {
	Number      int
	Registered  time.Time
	Response    string // the Solicitudes response that opened it
	Requester   string
	Email       string
	Phone       string
	Dependencia string
	Building    string
	Service     string
	Category    string
	Description string

	State         State
	WaitReason    string
	VisitDate     string // YYYY-MM-DD, agreed new visit
	Agent         string // name, or Unassigned
	AgentEmail    string
	StateAt       time.Time
	Solved        time.Time // zero while not solved
	Reassignments int
	Activities    string
	Concept       string
	Lesson        bool
	Rating        int // satisfaction survey, 0 = not answered
	SurveySolved  string
	Comments      string
	Reopened      int
	Note          string // last "Observaciones del sistema"
	Invited       bool   // satisfaction survey sent
	AutoSatisfied bool   // scj-bogota: survey unanswered, closed as satisfactory
	imported      bool

	// Service level, computed by the fold at its now.
	Due     time.Time // zero while the clock is paused (En Espera)
	Overdue bool

	pauses    []interval // closed En Espera intervals: the SLA clock stops
	waitSince time.Time
	deadline  time.Time // F-5c / S-7 timer, zero when none
	solvedBy  string    // agent who resolved it, for the weekly survey sample
	events    []int     // positions in Book.Journal
}

type interval struct{ from, to time.Time }

// Open reports whether the case still needs work.
func (c *Case) Open() bool { return !c.State.Closed() }

// Book is the whole state rebuilt from the journal.
type Book struct {
	Journal []Event
	cases   map[int]*Case
	numbers []int // sorted case numbers
	last    int   // last case number given
	applied map[string]bool
	ids     map[string]bool
	weeks   map[string]bool // weeks whose survey sample was drawn
	timers  map[int]bool    // cases with a pending deadline
	open    map[string]int  // open cases per agent, for ties in F-3
}

func newBook(start int) *Book {
	return &Book{
		cases:   map[int]*Case{},
		last:    start - 1,
		applied: map[string]bool{},
		ids:     map[string]bool{},
		weeks:   map[string]bool{},
		timers:  map[int]bool{},
		open:    map[string]int{},
	}
}

// Case returns case n, or nil.
func (b *Book) Case(n int) *Case { return b.cases[n] }

// Cases returns every case in number order.
func (b *Book) Cases() []*Case {
	out := make([]*Case, 0, len(b.numbers))
	for _, n := range b.numbers {
		out = append(out, b.cases[n])
	}
	return out
}

// Events returns the journal events of case n, in order.
func (b *Book) Events(n int) []Event {
	c := b.cases[n]
	if c == nil {
		return nil
	}
	out := make([]Event, len(c.events))
	for i, p := range c.events {
		out[i] = b.Journal[p]
	}
	return out
}

// Rejections returns the rejected responses, in journal order.
func (b *Book) Rejections() []Event {
	var out []Event
	for _, e := range b.Journal {
		if e.Kind == KRejected {
			out = append(out, e)
		}
	}
	return out
}

// Applied reports whether a form response was already consumed.
func (b *Book) Applied(responseID string) bool { return b.applied[responseID] }

// apply folds one event into the state. It never fails: an event is a fact.
func (b *Book) apply(e Event) {
	if b.ids[e.ID] {
		return
	}
	b.ids[e.ID] = true
	b.Journal = append(b.Journal, e)
	if e.Response != "" {
		b.applied[e.Response] = true
	}
	d := e.Data
	c := b.cases[e.Case]
	if c == nil && e.Case > 0 && (e.Kind == KRegistered || e.Kind == KImported) {
		c = &Case{Number: e.Case, State: Abierto, Agent: Unassigned}
		b.cases[e.Case] = c
		i := sort.SearchInts(b.numbers, e.Case)
		b.numbers = append(b.numbers, 0)
		copy(b.numbers[i+1:], b.numbers[i:])
		b.numbers[i] = e.Case
		if e.Case > b.last {
			b.last = e.Case
		}
	}
	if e.Kind == KWeekSampled {
		b.weeks[d.Week] = true
	}
	if c == nil {
		return
	}
	c.events = append(c.events, len(b.Journal)-1)
	wasOpen := c.Open() && c.Agent != Unassigned
	agent := c.Agent
	switch e.Kind {
	case KRegistered, KImported:
		c.Registered, c.Response = e.At, e.Response
		c.Requester, c.Email, c.Phone = d.Requester, d.Email, d.Phone
		c.Dependencia, c.Building, c.Service = d.Dependencia, d.Building, d.Service
		c.Category, c.Description = d.Category, d.Description
		c.StateAt = e.At
		if e.Kind == KImported {
			c.imported = true
			c.Agent = orUnassigned(d.Agent)
			c.setState(d.State, d.WaitReason, e.At)
			c.Activities = d.Activities
		}
	case KAssigned, KReassigned:
		c.Agent, c.AgentEmail = orUnassigned(d.Agent), d.Email
		if e.Kind == KReassigned {
			c.Reassignments++
		}
	case KAttended:
		c.setState(d.State, d.WaitReason, e.At)
		c.VisitDate = d.VisitDate
		if d.Activities != "" {
			c.Activities = d.Activities
		}
		if d.Concept != "" {
			c.Concept = d.Concept
		}
		c.Lesson = c.Lesson || d.Lesson
		if d.State == Resuelto || d.State == NoResuelto {
			c.solvedBy = c.Agent
		}
		c.deadline = parseTime(d.Deadline)
	case KAutoSolved:
		c.setState(Resuelto, "", e.At)
		c.solvedBy = c.Agent
		c.deadline = time.Time{}
		c.Note = d.Note
	case KInvited:
		c.Invited = true
		c.deadline = parseTime(d.Deadline)
	case KSurveyed:
		c.Rating, c.SurveySolved, c.Comments = d.Rating, d.Solved, d.Comments
		c.deadline = time.Time{}
	case KSurveyClose:
		c.setState(Cerrado, "", e.At)
		c.AutoSatisfied = d.Decision == "satisfactorio_sin_respuesta"
		c.deadline = time.Time{}
		c.Note = d.Note
	case KReviewed:
		if d.State != Reabierto {
			c.setState(Cerrado, "", e.At)
		}
		if d.State == Reabierto {
			c.setState(Reabierto, "", e.At)
			c.Solved = time.Time{}
			c.Reopened++
			c.Rating, c.SurveySolved = 0, ""
		}
		c.Note = d.Note
	}
	if d.Note != "" && e.Kind != KAttended {
		c.Note = d.Note
	}
	if c.deadline.IsZero() {
		delete(b.timers, c.Number)
	} else {
		b.timers[c.Number] = true
	}
	if wasOpen {
		b.open[agent]--
	}
	if c.Open() && c.Agent != Unassigned {
		b.open[c.Agent]++
	}
}

// setState moves the case to s, keeping the SLA pauses right: the clock
// stops while the case is En Espera.
func (c *Case) setState(s State, reason string, at time.Time) {
	if c.State == EnEspera && s != EnEspera && !c.waitSince.IsZero() {
		c.pauses = append(c.pauses, interval{c.waitSince, at})
		c.waitSince = time.Time{}
	}
	if s == EnEspera && c.waitSince.IsZero() {
		c.waitSince = at
	}
	c.State, c.WaitReason, c.StateAt = s, reason, at
	if s != EnEspera {
		c.WaitReason, c.VisitDate = "", ""
	}
	if s == Resuelto || s == NoResuelto {
		c.Solved = at
	}
}

func orUnassigned(agent string) string {
	if agent == "" {
		return Unassigned
	}
	return agent
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}
