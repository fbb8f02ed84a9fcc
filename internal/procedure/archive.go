package procedure

import (
	"fmt"
	"slices"
	"time"
)

// Archiving (DESIGN.md §10b): the rows of a case that no rule can change any
// more move to its year's archive workbook, and the live journal keeps one
// snapshot event per case (rule A-1, kind KArchived) in their place. The
// snapshot carries what the live fold still needs of the case: its number,
// so numbering continues past it (F-2: "nunca se reutiliza"), and the form
// responses it consumed, so that a reconcile, which re-reads every response
// of every form, does not apply them again. A fold of the archive's journal
// followed by the live one rebuilds the case exactly as it was: the
// snapshot changes nothing of a case it finds.

// archive records a snapshot event.
func (b *Book) archive(e *Event) {
	if b.archived == nil {
		b.archived = map[int]string{}
	}
	if e.Case > 0 {
		b.archived[e.Case] = e.Data.Archive
		b.last = max(b.last, e.Case)
	}
}

// Archived reports whether case n has moved to an archive workbook, and
// which one (its title).
func (b *Book) Archived(n int) (string, bool) {
	where, ok := b.archived[n]
	return where, ok
}

// ArchivedCases returns the numbers of the archived cases, in order.
func (b *Book) ArchivedCases() []int {
	out := make([]int, 0, len(b.archived))
	for n := range b.archived {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Settled reports whether no rule of the book's procedure can change case c
// any more at now, so that it may leave the live workbook:
//   - it is closed (no agent response is accepted: State.Closed) and no
//     timer of it is pending (F-5c, the S-7 survey window and reminder);
//   - PD-GT-1 actividades 21 and 23: a case whose survey was unsatisfactory
//     waits for the Coordinador, who may reopen it;
//   - Funza paso 8: a case solved in a week whose sample is not drawn yet
//     may still be invited. Paso 8 sets no window for the answer ("El
//     usuario es autónomo de participar"); mesa's choice is that an
//     invitation unanswered when its year is archived stays unanswered:
//     the answer arriving later is rejected, so the archived month's
//     figures do not move (DESIGN.md §10b);
//   - PD-GT-1 definición de Problema: while the case is within a
//     Problema's counting window of now (rules.problem_window_days), a new
//     case could still count it.
func (b *Book) Settled(c *Case, now time.Time, loc *time.Location, set Settings) bool {
	if !c.State.Closed() || !c.nextTimer().IsZero() {
		return false
	}
	p := b.Procedure()
	if p.Has(S23) && c.Rating != 0 && !set.Satisfied(c.Rating) && (c.State == Resuelto || c.State == NoResuelto) {
		return false
	}
	if p.Has(F8) && !c.Invited && !c.imported && c.solvedBy != "" && c.solvedBy != Unassigned && !c.Solved.IsZero() {
		if !b.weeks[ISOWeek(weekStart(c.Solved, loc), loc)] {
			return false
		}
	}
	if p.Has(SP) && set.ProblemWindowDays > 0 && now.Before(c.Registered.Add(time.Duration(set.ProblemWindowDays)*24*time.Hour)) {
		return false
	}
	return !now.Before(c.StateAt)
}

// Archivable returns, in number order, the cases that reached their final
// state in year (in loc) and are settled at now.
func (b *Book) Archivable(year int, now time.Time, loc *time.Location, set Settings) []int {
	var out []int
	for _, n := range b.numbers {
		c := b.caseOf(n)
		if _, gone := b.archived[n]; gone || c.StateAt.In(loc).Year() != year {
			continue
		}
		if b.Settled(c, now, loc, set) {
			out = append(out, n)
		}
	}
	return out
}

// ArchiveEvent is the snapshot that stands in the live journal for case n
// once its rows are in the archive workbook titled archive. Its ID depends
// on the case only: archiving a case twice journals it once.
func ArchiveEvent(b *Book, n int, archive string, at time.Time) (Event, error) {
	c := b.caseOf(n)
	if c == nil {
		return Event{}, fmt.Errorf("case %d is not in the book", n)
	}
	var responses []string
	for _, e := range b.Events(n) {
		if e.Response != "" && !slices.Contains(responses, e.Response) {
			responses = append(responses, e.Response)
		}
	}
	note := fmt.Sprintf("Caso %d (%s desde el %s) trasladado al libro de archivo «%s».", n, c.State, c.StateAt.In(at.Location()).Format("02/01/2006"), archive)
	return Event{ID: eventID(string(A1), caseKey(n)), At: at, Case: n, Rule: A1, Kind: KArchived,
		Data: Data{State: c.State, Archive: archive, Responses: responses, Note: note}}, nil
}
