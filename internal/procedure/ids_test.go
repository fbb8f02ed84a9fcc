package procedure

import "testing"

// An ID kept by its number and the same text typed differently (uppercase
// digits, a person's own ID) are different IDs, as the strings are.
func TestIDSetKeepsIDsApart(t *testing.T) {
	s := newIDSet(0)
	id := eventID("F2", "resp-1")
	for _, add := range []string{id, "E3CD433668E17AAB0", "E3cd433668e17ag00", "mi-id", ""} {
		if !s.add(add) {
			t.Fatalf("add(%q) = false on first add", add)
		}
		if s.add(add) {
			t.Fatalf("add(%q) = true on second add", add)
		}
	}
	for id, want := range map[string]bool{
		id: true, "E3CD433668E17AAB0": true, "e3cd433668e17aab0": false, "E3cd433668e17aab0": false,
		"mi-id": true, "": true, eventID("F2", "resp-2"): false, id + "0": false,
	} {
		if got := s.has(id); got != want {
			t.Errorf("has(%q) = %v, want %v", id, got, want)
		}
	}
}
