package procedure_test

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/chaos"
	"github.com/funza-tic/mesa/internal/procedure"
)

// A fold that owns its journal appends its decisions into the journal's
// spare capacity instead of copying it (a busy cycle at 100k cases would
// copy ~170 MB), and decides exactly what a fold that does not own it
// decides; a fold that does not own it never writes past the journal's len.
func TestOwnedJournalAppendsInPlace(t *testing.T) {
	s := chaos.NewSynthetic(200, 1)
	reqs := chaos.Requests(rand.New(rand.NewPCG(3, 3)), 5, s.Now, 3*time.Minute)
	for i := range reqs {
		reqs[i].ID = "OWNED-" + reqs[i].ID
	}
	eng := &procedure.Engine{Cal: s.Cal, Set: s.Settings}
	now := reqs[len(reqs)-1].Submitted

	shared := s.Journal.Clone(100)
	plain := eng.Fold(procedure.Inputs{Journal: shared, Responses: reqs, Agents: s.Agents, Catalog: s.Catalog, Now: now})
	if len(plain.New) == 0 {
		t.Fatal("the requests decided nothing")
	}
	if !procedure.SpareIsZero(shared) {
		t.Fatal("a fold that does not own the journal wrote past its len")
	}
	if procedure.SameArray(plain.Journal, shared) {
		t.Error("a fold that does not own the journal appended into the caller's array")
	}

	owned := s.Journal.Clone(100)
	res := eng.Fold(procedure.Inputs{Journal: owned, Owned: true, Responses: reqs, Agents: s.Agents, Catalog: s.Catalog, Now: now})
	if !procedure.SameArray(res.Journal, owned) {
		t.Error("an owned journal with room was copied")
	}
	if !reflect.DeepEqual(res.Journal, plain.Journal) || !reflect.DeepEqual(res.New, plain.New) {
		t.Error("owning the journal changed what the fold decided")
	}

	// Without room, an owned journal is copied as before.
	tight := s.Journal.Clone(0)
	res = eng.Fold(procedure.Inputs{Journal: tight, Owned: true, Responses: reqs, Agents: s.Agents, Catalog: s.Catalog, Now: now})
	if !reflect.DeepEqual(res.Journal, plain.Journal) {
		t.Error("an owned journal without room folded differently")
	}
}
