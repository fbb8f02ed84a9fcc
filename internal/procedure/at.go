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
func (b *Book) CasesAt(cut time.Time) []*Case {
	slab := make([]Case, 0, len(b.numbers))
	out := make([]*Case, 0, len(b.numbers))
	for _, n := range b.numbers {
		now := b.cases[n]
		if now.Registered.IsZero() || now.Registered.After(cut) {
			continue
		}
		slab = append(slab, Case{Number: n, State: Abierto, Agent: Unassigned})
		c := &slab[len(slab)-1]
		for _, p := range now.events {
			if e := &b.Journal[p]; !e.At.After(cut) {
				c.applyTo(e)
			}
		}
		if c.State != EnEspera {
			c.Due = now.Due
		}
		end := cut
		if !c.Solved.IsZero() {
			end = c.Solved
		}
		c.Overdue = !c.Due.IsZero() && end.After(c.Due)
		out = append(out, c)
	}
	return out
}
