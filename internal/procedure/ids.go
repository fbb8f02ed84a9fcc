package procedure

// idSet is the set of the journal's event IDs. An ID eventID made ("E" and
// sixteen lowercase hex digits) is kept as the 64-bit number it spells,
// without hashing or storing the string: at 100k cases the set holds
// ~300,000 IDs, rebuilt every fold, and a map of strings is also ~300,000
// pointers for the collector to follow. Any other ID (a row a person
// typed) is kept as the string.
type idSet struct {
	hashes map[uint64]struct{}
	others map[string]struct{}
}

func newIDSet(n int) idSet {
	return idSet{hashes: make(map[uint64]struct{}, n), others: map[string]struct{}{}}
}

// add adds id and reports whether it was new.
func (s idSet) add(id string) bool {
	if h, ok := idHash(id); ok {
		n := len(s.hashes)
		s.hashes[h] = struct{}{}
		return len(s.hashes) > n
	}
	n := len(s.others)
	s.others[id] = struct{}{}
	return len(s.others) > n
}

// has reports whether id was added.
func (s idSet) has(id string) bool {
	if h, ok := idHash(id); ok {
		_, in := s.hashes[h]
		return in
	}
	_, in := s.others[id]
	return in
}

// idHash returns the number an ID of eventID's form spells. Only lowercase
// digits count, as eventID writes them, so that two different strings never
// share a number. The digits are looked up, not compared: hex digits are
// random, and a branch per digit mispredicted half the time.
func idHash(id string) (uint64, bool) {
	if len(id) != 17 || id[0] != 'E' {
		return 0, false
	}
	var h uint64
	bad := byte(0)
	for i := 1; i < 17; i++ {
		v := hexDigit[id[i]]
		bad |= v
		h = h<<4 | uint64(v&0xf)
	}
	return h, bad&0x10 == 0
}

// hexDigit is the value of a lowercase hex digit, 0x10 for any other byte.
var hexDigit = func() (t [256]byte) {
	for i := range t {
		t[i] = 0x10
	}
	for i := byte(0); i < 10; i++ {
		t['0'+i] = i
	}
	for i := byte(0); i < 6; i++ {
		t['a'+i] = 10 + i
	}
	return t
}()
