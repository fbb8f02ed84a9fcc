package procedure

import (
	"iter"
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
	Location    string // scj-bogota locativo: LocPropia, LocArriendo or ""

	State         State
	WaitReason    string
	VisitDate     string // YYYY-MM-DD, agreed new visit
	Agent         string // name, or Unassigned
	AgentEmail    string
	StateAt       time.Time
	Solved        time.Time // when an agent (or F-5c) closed it; zero while open
	SolvedAs      State     // the state Solved closed it as (Resuelto, No Resuelto, ...); Cerrado keeps it
	AutoSolved    bool      // F-5c closed it: eight business days without the user's availability
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
	Reminded      bool   // scj-bogota: survey reminder sent
	AutoSatisfied bool   // scj-bogota: survey unanswered, closed as satisfactory
	imported      bool

	// What the monthly report counts besides the state (internal/report).
	Surveys        []Survey     // every survey answered, in order, also those before a reopening
	Invitations    []Invitation // every survey invitation, in order, and when it was answered
	WarrantyFrom   time.Time    // it last went En Espera por Garantía (Funza paso 6); zero if never
	EscalationFrom time.Time    // it last went En Espera por Escalamiento (Funza paso 7); zero if never
	surveysFrom    int          // Surveys[surveysFrom:] answer the current closure (after the last reopening)

	// Service level, computed by the fold at its now.
	Due     time.Time // zero while the clock is paused (En Espera)
	Overdue bool

	pauses    []interval // closed En Espera intervals: the SLA clock stops
	waitSince time.Time
	deadline  time.Time // F-5c or S-7 closing timer, zero when none
	remindAt  time.Time // S-7 reminder timer, zero when none
	solvedBy  string    // agent who resolved it, for the weekly survey sample
	events    []int     // positions in Book.Journal
}

type interval struct{ from, to time.Time }

// Survey is one answered satisfaction survey.
type Survey struct {
	At     time.Time
	Rating int
	Agent  string // the case's agent when it was answered
}

// Invitation is one survey invitation (F-8, S-7) and when it was answered:
// by the first survey after it and before the next invitation; zero while
// unanswered.
type Invitation struct{ At, Answered time.Time }

// LastSurvey returns the survey answered since the case's last reopening,
// if any.
func (c *Case) LastSurvey() (Survey, bool) {
	if len(c.Surveys) <= c.surveysFrom {
		return Survey{}, false
	}
	return c.Surveys[len(c.Surveys)-1], true
}

// Resolved reports whether the case was closed as Resuelto (by its agent
// or by F-5c), also when the scj-bogota survey later closed it as Cerrado.
func (c *Case) Resolved() bool { return !c.Solved.IsZero() && c.SolvedAs == Resuelto }

// WithinSLA reports whether a closed case was closed by its deadline. A
// case with no known deadline counts as within it: its clock was paused.
func (c *Case) WithinSLA() bool { return c.Due.IsZero() || !c.Solved.After(c.Due) }

// Unanswered returns when an unanswered survey closed the case as
// satisfactory (PD-GT-1 actividad 7), or zero.
func (c *Case) Unanswered() time.Time {
	if c.AutoSatisfied && c.State == Cerrado {
		return c.StateAt
	}
	return time.Time{}
}

// Open reports whether the case still needs work.
func (c *Case) Open() bool { return !c.State.Closed() }

// nextTimer returns the earliest pending timer of the case, or zero.
func (c *Case) nextTimer() time.Time {
	switch {
	case c.remindAt.IsZero():
		return c.deadline
	case c.deadline.IsZero() || c.remindAt.Before(c.deadline):
		return c.remindAt
	}
	return c.deadline
}

// Book is the whole state rebuilt from the journal.
type Book struct {
	Journal  Journal
	proc     *Procedure // the procedure the fold applied
	decided  []Event    // the fold's new decisions, added to Journal when it ends
	owned    bool       // Journal's spare capacity is the fold's (Inputs.Owned)
	cases    map[int]*Case
	all      []*Case // every case, in the order added (pointers into slabs)
	slab     []Case  // the cases are allocated in chunks (addCase)
	spans    []int   // room for the first events of the cases (addCase)
	numbers  []int   // sorted case numbers
	last     int     // last case number given
	applied  map[string]bool
	ids      idSet
	weeks    map[string]bool      // weeks whose survey sample was drawn
	timers   map[int]bool         // cases with a pending timer
	open     map[string]int       // open cases per agent, for ties in F-3
	problems map[string]time.Time // S-P: start of the last Problema's window, by group
	groups   map[string][]*Case   // S-P: cases by category and service, in registration order
	keys     keys                 // norm of services, categories and buildings
	archived map[int]string       // case -> archive it moved to (archive.go)
	changed  map[int]bool         // cases an event changed, while Resume folds (nil otherwise)
	levels   levels               // what the service levels were computed with
	// dense holds case first+i at i, for the numbers given in order (the
	// usual book): apply finds an event's case there, without hashing.
	dense []*Case
	first int
	// lastApplied is the response of the last event applied: a response's
	// decisions follow each other in the journal, and the applied set
	// needs only the first.
	lastApplied string
	grouping    bool // the procedure has S-P: keep groups
}

// newBook returns an empty book whose first case will be start, sized for
// about events journal events.
func newBook(start, events int) *Book {
	return &Book{
		cases:    map[int]*Case{}, // only the cases not in dense (addCase)
		all:      make([]*Case, 0, events/3),
		numbers:  make([]int, 0, events/3),
		last:     start - 1,
		first:    start,
		weeks:    map[string]bool{},
		timers:   map[int]bool{},
		open:     map[string]int{},
		problems: map[string]time.Time{},
		groups:   map[string][]*Case{},
		keys:     keys{},
	}
}

// Procedure returns the procedure the book was folded under.
func (b *Book) Procedure() *Procedure {
	if b.proc == nil {
		return ProcedureOf(Funza)
	}
	return b.proc
}

// Case returns case n, or nil.
func (b *Book) Case(n int) *Case { return b.caseOf(n) }

// Cases returns every case in number order.
func (b *Book) Cases() []*Case {
	out := make([]*Case, 0, len(b.numbers))
	for _, n := range b.numbers {
		out = append(out, b.caseOf(n))
	}
	return out
}

// Events returns the journal events of case n, in order.
func (b *Book) Events(n int) []Event {
	c := b.caseOf(n)
	if c == nil {
		return nil
	}
	out := make([]Event, len(c.events))
	for i, p := range c.events {
		out[i] = b.Journal.Event(p)
	}
	return out
}

// EventsOf yields the journal events of case n, in order, as Events
// returns them but one at a time: views that look at every case's events
// (Encuestas, Garantías) would otherwise hold the whole journal unpacked.
func (b *Book) EventsOf(n int) iter.Seq[Event] {
	return func(yield func(Event) bool) {
		c := b.caseOf(n)
		if c == nil {
			return
		}
		for _, p := range c.events {
			if !yield(b.Journal.Event(p)) {
				return
			}
		}
	}
}

// Rejections returns the rejected responses, in journal order.
func (b *Book) Rejections() []Event { return b.ofKind(KRejected) }

// Problems returns the Problemas detected (S-P), in journal order.
func (b *Book) Problems() []Event { return b.ofKind(KProblem) }

func (b *Book) ofKind(k Kind) []Event {
	var out []Event
	for i := range b.Journal.Len() {
		if b.Journal.Kind(i) == k {
			out = append(out, b.Journal.Event(i))
		}
	}
	return out
}

// Applied reports whether a form response was already consumed.
//
// The set is made at the first question: a fold with no response to apply
// (a report, `mesa explain`, a timer-only cycle) never needs it, and at
// 100k cases it holds ~200,000 IDs.
func (b *Book) Applied(responseID string) bool {
	if b.applied == nil {
		b.applied = b.Journal.Consumed()
		for i := range b.decided {
			b.markApplied(&b.decided[i])
		}
	}
	return b.applied[responseID]
}

// markApplied adds the responses an event consumed to the applied set,
// once it is made (Applied).
func (b *Book) markApplied(e *Event) {
	if b.applied == nil {
		return
	}
	if e.Response != "" && e.Response != b.lastApplied {
		b.applied[e.Response] = true
		b.lastApplied = e.Response
	}
	if e.Kind == KArchived { // an archived case's (archive.go)
		for _, r := range e.Data.Responses {
			b.applied[r] = true
		}
	}
}

// replay applies the journal read from the sheet. The book keeps the
// journal itself instead of a copy, until finish adds the fold's decisions
// to it: into the journal's spare capacity when owned (see Inputs.Owned),
// else into a copy. A journal holding an ID twice (a row pasted twice) is
// copied without the repeats.
func (b *Book) replay(journal Journal, owned bool) {
	repeated := b.ids.readAll(journal)
	// Capped, so that appending to a result's Journal copies it instead of
	// writing into the caller's array.
	b.Journal = journal.capped()
	if owned {
		b.Journal, b.owned = journal, true
	}
	if repeated {
		b.Journal = journal.firstOfEach()
	}
	var e Event
	for i := range b.Journal.Len() {
		b.Journal.read(i, &e)
		b.apply(&e, i)
	}
}

// Journaled reports whether the journal holds the event with this ID, read
// or decided by this fold.
func (b *Book) Journaled(id string) bool { return b.ids.has(id) }

// record applies a new decision, to be journaled after the journal read; it
// returns false, changing nothing, when the journal already holds its ID.
func (b *Book) record(e Event) bool {
	if !b.ids.add(e.ID) {
		return false
	}
	b.decided = append(b.decided, e)
	b.apply(&b.decided[len(b.decided)-1], b.Journal.Len()+len(b.decided)-1)
	return true
}

// finish appends the fold's decisions to the journal: in place when the
// journal's array has room (an owned journal), else one copy of the journal
// read, exactly sized, or with room again when owned (the worker's Cache
// hands the result's journal to the next cycle's fold); nothing when
// nothing was decided (a caller's array that is not owned is never
// written).
func (b *Book) finish() {
	switch {
	case len(b.decided) == 0:
		return
	case b.Journal.room() >= len(b.decided):
	case b.owned:
		n := b.Journal.Len()
		b.Journal = b.Journal.Clone(len(b.decided) + 1024 + n/64)
	default:
		b.Journal = b.Journal.Clone(len(b.decided))
	}
	b.Journal.Append(b.decided...)
}

// apply folds an event into the state; i is its position in the journal. It
// never fails: an event is a fact. It is the only place the state changes,
// so replaying the journal rebuilds exactly what the decisions built.
func (b *Book) apply(e *Event, i int) {
	b.markApplied(e)
	d := &e.Data
	switch e.Kind {
	case KArchived:
		b.archive(e)
		return
	case KWeekSampled:
		b.weeks[d.Week] = true
	case KProblem:
		b.problems[b.problemKey(d.Category, d.Service)] = firstCaseTime(b, d.Cases)
	}
	c := b.caseOf(e.Case)
	if c == nil && e.Case > 0 && (e.Kind == KRegistered || e.Kind == KImported) {
		c = b.addCase(e.Case)
	}
	if c == nil {
		return
	}
	c.events = append(c.events, i)
	if b.changed != nil {
		b.changed[c.Number] = true
	}
	wasOpen, agent := c.Open() && c.Agent != Unassigned, c.Agent
	c.applyTo(e)
	if b.grouping && (e.Kind == KRegistered || e.Kind == KImported) {
		k := b.problemKey(c.Category, c.Service)
		b.groups[k] = append(b.groups[k], c)
	}
	if c.nextTimer().IsZero() {
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

// caseChunk is how many cases addCase allocates at once; caseEvents the
// room for each case's events: the usual registered, assigned, attended,
// surveyed, instead of growing the list one event at a time.
const caseChunk, caseEvents = 1024, 4

func (b *Book) addCase(n int) *Case {
	// The cases are allocated in chunks, next to each other, and so are
	// their first events: at 100k cases one allocation each was a tenth of
	// the fold, and the loops over every case (serviceLevels,
	// sampleSurveys) read them in memory order.
	if len(b.slab) == cap(b.slab) {
		b.slab = make([]Case, 0, caseChunk)
		b.spans = make([]int, 0, caseChunk*caseEvents)
	}
	// The slab's cases are zero: set the fields a new case has, instead
	// of copying a whole Case into it.
	b.slab = b.slab[:len(b.slab)+1]
	c := &b.slab[len(b.slab)-1]
	c.Number, c.State, c.Agent = n, Abierto, Unassigned
	// Capped: a case with more events grows into its own array.
	l := len(b.spans)
	b.spans = b.spans[:l+caseEvents]
	c.events = b.spans[l : l : l+caseEvents]
	// A case given in order is found in dense (caseOf), the others in
	// the map.
	if n-b.first == len(b.dense) {
		b.dense = append(b.dense, c)
	} else {
		b.cases[n] = c
	}
	b.all = append(b.all, c)
	i := sort.SearchInts(b.numbers, n)
	b.numbers = append(b.numbers, 0)
	copy(b.numbers[i+1:], b.numbers[i:])
	b.numbers[i] = n
	b.last = max(b.last, n)
	return c
}

// caseOf is Case, first in dense; a number past the last one given (the
// case a registration is about to add) is no case, without hashing.
func (b *Book) caseOf(n int) *Case {
	if i := n - b.first; i >= 0 && i < len(b.dense) {
		return b.dense[i]
	}
	if n > b.last {
		return nil
	}
	return b.cases[n]
}

func firstCaseTime(b *Book, cases []int) time.Time {
	var first time.Time
	for _, n := range cases {
		if c := b.caseOf(n); c != nil && (first.IsZero() || c.Registered.Before(first)) {
			first = c.Registered
		}
	}
	return first
}

// applyTo changes the case as the event says.
func (c *Case) applyTo(e *Event) {
	d := &e.Data
	switch e.Kind {
	case KRegistered, KImported:
		c.Registered, c.Response = e.At, e.Response
		c.Requester, c.Email, c.Phone = d.Requester, d.Email, d.Phone
		c.Dependencia, c.Building, c.Service = d.Dependencia, d.Building, d.Service
		c.Category, c.Description, c.Location = d.Category, d.Description, d.Location
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
		if !c.Solved.IsZero() {
			c.solvedBy = c.Agent
		}
		// Any response replaces the pending timer: F-5c restarts its count
		// only when the new response is again En Espera por disponibilidad.
		c.deadline, c.remindAt = parseTime(d.Deadline), time.Time{}
	case KAwaiting:
		c.setState(EnEspera, d.WaitReason, e.At)
		c.deadline, c.remindAt = time.Time{}, time.Time{}
	case KAutoSolved:
		c.setState(Resuelto, "", e.At)
		c.AutoSolved = true
		c.solvedBy = c.Agent
		c.deadline = time.Time{}
	case KInvited:
		c.Invited = true
		c.Invitations = append(c.Invitations, Invitation{At: e.At})
		if d.Deadline != "" { // S-7 at closure; the Funza weekly sample has no window
			c.deadline, c.remindAt = parseTime(d.Deadline), parseTime(d.Reminder)
		}
	case KReminded:
		c.Reminded, c.remindAt = true, time.Time{}
	case KSurveyed:
		c.Rating, c.SurveySolved, c.Comments = d.Rating, d.Solved, d.Comments
		c.Surveys = append(c.Surveys, Survey{At: e.At, Rating: d.Rating, Agent: c.Agent})
		if n := len(c.Invitations); n > 0 && c.Invitations[n-1].Answered.IsZero() {
			c.Invitations[n-1].Answered = e.At
		}
		c.deadline, c.remindAt = time.Time{}, time.Time{}
	case KSurveyClose:
		c.setState(Cerrado, "", e.At)
		c.AutoSatisfied = d.Decision == decisionUnanswered
		c.deadline, c.remindAt = time.Time{}, time.Time{}
	case KReviewed:
		if d.State == Reabierto {
			c.setState(Reabierto, "", e.At)
			c.Solved, c.SolvedAs, c.AutoSolved, c.solvedBy = time.Time{}, "", false, ""
			c.Reopened++
			c.Rating, c.SurveySolved, c.Comments = 0, "", ""
			c.Invited, c.Reminded, c.AutoSatisfied = false, false, false
			c.surveysFrom = len(c.Surveys)
		} else {
			c.setState(Cerrado, "", e.At)
		}
		c.deadline, c.remindAt = time.Time{}, time.Time{}
	}
	if d.Note != "" && e.Kind != KAttended {
		c.Note = d.Note
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
	switch {
	case s == EnEspera && reason == WaitWarranty:
		c.WarrantyFrom = at
	case s == EnEspera && reason == WaitEscalation:
		c.EscalationFrom = at
	}
	c.State, c.WaitReason, c.StateAt = s, reason, at
	if s != EnEspera {
		c.WaitReason, c.VisitDate = "", ""
	}
	// Cerrado keeps the resolution it closes (S-7, S-25).
	if s.Closed() && s != Cerrado {
		c.Solved, c.SolvedAs, c.AutoSolved = at, s, false
	}
}

func orUnassigned(agent string) string {
	if agent == "" {
		return Unassigned
	}
	return agent
}

func parseTime(s string) time.Time {
	if s == "" { // most events have no timer: skip building a parse error
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339, s)
	return t
}
