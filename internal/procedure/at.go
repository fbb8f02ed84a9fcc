package procedure

import "time"

// CasesAt returns, in number order, every case registered by cut as it
// stood at cut: each case's journal events effective by then, applied by
// the same applyTo that built the book, so that the monthly report
// (internal/report) and the rules can never disagree on what a state
// means. A month's figures are taken at its last instant; an event after
// it (a survey answered in April) does not move March.
//
// The service level is the book's own, computed by the fold at its now
// with the Catálogo it read: a case En Espera at cut has no deadline (the
// clock was stopped), and Overdue is computed at cut.
//
// A case with no event after cut is the book's own case when it reads the
// same at cut (the usual closed case), else a copy of it: the book's case
// is what its events built. The cases returned are to be read only.
func (b *Book) CasesAt(cut time.Time) []*Case {
	out := make([]*Case, 0, len(b.numbers))
	var slab []Case
	next := func() *Case {
		if len(slab) == cap(slab) {
			slab = make([]Case, 0, caseChunk)
		}
		slab = append(slab, Case{})
		return &slab[len(slab)-1]
	}
	for _, n := range b.numbers {
		now := b.caseOf(n)
		if now.Registered.IsZero() || now.Registered.After(cut) {
			continue
		}
		if b.settledBy(now, cut) && overdueAt(now, now.Due, cut) == now.Overdue {
			out = append(out, now)
			continue
		}
		c := next()
		if b.settledBy(now, cut) {
			*c = *now
		} else {
			*c = Case{Number: n, State: Abierto, Agent: Unassigned}
			for _, p := range now.events {
				if !b.Journal.At(p).After(cut) {
					e := b.Journal.Event(p)
					c.applyTo(&e)
				}
			}
			c.Due = time.Time{}
			if c.State != EnEspera {
				c.Due = now.Due
			}
		}
		c.Overdue = overdueAt(c, c.Due, cut)
		out = append(out, c)
	}
	return out
}

// overdueAt reports whether case c, due at due, is past it at cut: closed
// after it, or still open at cut after it (serviceLevels at now = cut).
func overdueAt(c *Case, due, cut time.Time) bool {
	end := cut
	if !c.Solved.IsZero() {
		end = c.Solved
	}
	return !due.IsZero() && end.After(due)
}

// settledBy reports whether every journal event of c is effective by cut.
func (b *Book) settledBy(c *Case, cut time.Time) bool {
	for _, p := range c.events {
		if b.Journal.At(p).After(cut) {
			return false
		}
	}
	return true
}
