package procedure

import (
	"encoding/binary"
	"iter"
	"slices"
	"time"
)

// Journal is the journal as a fold holds it: the events in order, each with
// its Data packed into one string, and unpacked when read. An Event is ~600
// bytes, most of them the headers of Data's ~30 texts, of which an event
// sets three or four: at 100,000 cases (~300,000 events) the packed journal
// is ~150 MB smaller, which is what lets `mesa sync` of a large office run
// in 512 MiB (issue 17).
//
// A Journal is a value like a slice: Append may write into spare capacity
// that another Journal sharing the array sees past its own length, never
// into its events.
type Journal struct{ events []stored }

// stored is an Event with its Data packed (pack).
type stored struct {
	ID       string
	At       time.Time
	Case     int
	Rule     Rule
	Kind     Kind
	Response string
	data     string
}

// NewJournal returns a journal of the events, with room for room more.
func NewJournal(events []Event, room int) Journal {
	j := Journal{events: make([]stored, 0, len(events)+room)}
	j.Append(events...)
	return j
}

// JournalOf returns a journal of the events.
func JournalOf(events ...Event) Journal { return NewJournal(events, 0) }

// Len returns the number of events.
func (j Journal) Len() int { return len(j.events) }

// Event returns event i.
func (j Journal) Event(i int) Event {
	var e Event
	j.read(i, &e)
	return e
}

// read sets e to event i, for loops over many events: an Event is ~600
// bytes, and returning one copies it.
func (j Journal) read(i int, e *Event) {
	s := &j.events[i]
	e.ID, e.At, e.Case, e.Rule, e.Kind, e.Response = s.ID, s.At, s.Case, s.Rule, s.Kind, s.Response
	unpack(s.data, &e.Data)
}

// All yields every event with its position, in order.
func (j Journal) All() iter.Seq2[int, Event] {
	return func(yield func(int, Event) bool) {
		for i := range j.events {
			if !yield(i, j.Event(i)) {
				return
			}
		}
	}
}

// Events returns every event, unpacked.
func (j Journal) Events() []Event {
	out := make([]Event, len(j.events))
	for i := range j.events {
		out[i] = j.Event(i)
	}
	return out
}

// Append adds the events at the end.
func (j *Journal) Append(events ...Event) {
	j.events = slices.Grow(j.events, len(events))
	for i := range events {
		j.events = append(j.events, store(&events[i]))
	}
}

// Set replaces event i (an anonymization rewrites the journal in place).
func (j Journal) Set(i int, e Event) { j.events[i] = store(&e) }

// Kind, ID, Case, At and Response read one field of event i without
// unpacking its Data.
func (j Journal) Kind(i int) Kind       { return j.events[i].Kind }
func (j Journal) ID(i int) string       { return j.events[i].ID }
func (j Journal) Case(i int) int        { return j.events[i].Case }
func (j Journal) At(i int) time.Time    { return j.events[i].At }
func (j Journal) Response(i int) string { return j.events[i].Response }

// Consumed returns the form responses the journal's events consumed: their
// own, and those an archived case's snapshot lists (ArchiveEvent). Only
// the snapshots are unpacked.
func (j Journal) Consumed() map[string]bool {
	out := map[string]bool{}
	for i := range j.events {
		if r := j.events[i].Response; r != "" {
			out[r] = true
		}
		if j.events[i].Kind != KArchived {
			continue
		}
		for _, r := range j.Event(i).Data.Responses {
			out[r] = true
		}
	}
	return out
}

// Clone returns a copy of the journal with room for room more events.
func (j Journal) Clone(room int) Journal {
	out := make([]stored, len(j.events), len(j.events)+room)
	copy(out, j.events)
	return Journal{events: out}
}

func (j Journal) capped() Journal { return Journal{events: slices.Clip(j.events)} }
func (j Journal) room() int       { return cap(j.events) - len(j.events) }

// firstOfEach returns the events without the repeats of an ID.
func (j Journal) firstOfEach() Journal {
	out := Journal{events: make([]stored, 0, len(j.events))}
	seen := make(map[string]bool, len(j.events))
	for _, s := range j.events {
		if !seen[s.ID] {
			seen[s.ID] = true
			out.events = append(out.events, s)
		}
	}
	return out
}

func store(e *Event) stored {
	return stored{ID: e.ID, At: e.At, Case: e.Case, Rule: e.Rule, Kind: e.Kind, Response: e.Response, data: pack(&e.Data)}
}

// text returns Data's text field number f, in the order pack numbers them
// (nil past the last). Adding a field to Data means adding it here
// (TestPackKeepsEveryField fails otherwise); the numbers live only in
// memory, so the order may change. A switch, not a table of accessors: a
// call through a function value makes the Data it is given escape, one
// allocation per event unpacked.
func text(d *Data, f int) *string {
	switch f {
	case 0:
		return (*string)(&d.Form)
	case 1:
		return &d.Requester
	case 2:
		return &d.Email
	case 3:
		return &d.Phone
	case 4:
		return &d.Dependencia
	case 5:
		return &d.Building
	case 6:
		return &d.Service
	case 7:
		return &d.Category
	case 8:
		return &d.Description
	case 9:
		return &d.Agent
	case 10:
		return &d.Previous
	case 11:
		return &d.Criterion
	case 12:
		return &d.By
	case 13:
		return (*string)(&d.State)
	case 14:
		return &d.WaitReason
	case 15:
		return &d.VisitDate
	case 16:
		return &d.Activities
	case 17:
		return &d.Concept
	case 18:
		return &d.Deadline
	case 19:
		return &d.Reminder
	case 20:
		return &d.Location
	case 21:
		return &d.Reason
	case 22:
		return &d.Solved
	case 23:
		return &d.Comments
	case 24:
		return &d.Decision
	case 25:
		return &d.Week
	case 26:
		return &d.Until
	case 27:
		return &d.Note
	case 28:
		return &d.Archive
	case 29:
		return &d.Subject
	}
	return nil
}

const nTexts = 30

// The fields that are not texts, numbered after them.
const (
	fLesson = nTexts + iota
	fRating
	fCases
	fResponses
)

// pack writes the fields of d that are set, each as its number, then its
// value: a text as its length and bytes, Rating as a number, Cases and
// Responses as a count and their items, Lesson as nothing. Numbers are
// uvarints (a negative one wraps, and reads back the same).
func pack(d *Data) string {
	var buf [256]byte // most events' data fits: one allocation, the string
	b := buf[:0]
	num := func(n int) { b = binary.AppendUvarint(b, uint64(n)) }
	str := func(s string) {
		num(len(s))
		b = append(b, s...)
	}
	for f := range nTexts {
		if s := *text(d, f); s != "" {
			b = append(b, byte(f))
			str(s)
		}
	}
	if d.Lesson {
		b = append(b, byte(fLesson))
	}
	if d.Rating != 0 {
		b = append(b, byte(fRating))
		num(d.Rating)
	}
	if len(d.Cases) > 0 {
		b = append(b, byte(fCases))
		num(len(d.Cases))
		for _, n := range d.Cases {
			num(n)
		}
	}
	if len(d.Responses) > 0 {
		b = append(b, byte(fResponses))
		num(len(d.Responses))
		for _, r := range d.Responses {
			str(r)
		}
	}
	return string(b)
}

// unpack sets d to what pack wrote. Its texts are parts of p: unpacking
// allocates nothing but Cases and Responses.
func unpack(p string, d *Data) {
	*d = Data{}
	i := 0
	num := func() int {
		var x uint64
		for s := uint(0); i < len(p); s += 7 {
			c := p[i]
			i++
			x |= uint64(c&0x7f) << s
			if c < 0x80 {
				break
			}
		}
		return int(x)
	}
	str := func() string {
		n := num()
		i += n
		return p[i-n : i]
	}
	for i < len(p) {
		f := int(p[i])
		i++
		switch {
		case f < nTexts:
			*text(d, f) = str()
		case f == fLesson:
			d.Lesson = true
		case f == fRating:
			d.Rating = num()
		case f == fCases:
			d.Cases = make([]int, num())
			for c := range d.Cases {
				d.Cases[c] = num()
			}
		case f == fResponses:
			d.Responses = make([]string, num())
			for r := range d.Responses {
				d.Responses[r] = str()
			}
		}
	}
}
