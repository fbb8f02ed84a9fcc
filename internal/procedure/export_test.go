package procedure

// SameArray reports whether two journals hold their events in one array
// (an owned journal appended in place).
func SameArray(a, b Journal) bool {
	return len(a.events) > 0 && len(b.events) > 0 && &a.events[0] == &b.events[0]
}

// SpareIsZero reports whether nothing was written past the journal's
// length, in its array's spare capacity.
func SpareIsZero(j Journal) bool {
	for _, s := range j.events[len(j.events):cap(j.events)] {
		if s != (stored{}) {
			return false
		}
	}
	return true
}
