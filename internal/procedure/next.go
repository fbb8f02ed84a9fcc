package procedure

import "time"

// NextChange returns the earliest instant after now at which the cases could
// change with no new input: a timer rule falls due (F-5c, S-7), an open
// case passes its service level (Vencido flips), or — for the weekly survey
// sample of Funza paso 8 — a new week starts. An idle worker may skip
// reading the workbook until then.
func (b *Book) NextChange(now time.Time, loc *time.Location, set Settings) time.Time {
	next := time.Time{}
	earlier := func(t time.Time) {
		if t.After(now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for n := range b.timers {
		earlier(b.caseOf(n).nextTimer())
	}
	for _, c := range b.all {
		if c.Open() && !c.Overdue && !c.Due.IsZero() {
			earlier(c.Due)
		}
	}
	if ProcedureOf(set.Profile).Has(F8) {
		earlier(weekStart(now, loc).AddDate(0, 0, 7))
	}
	return next
}
