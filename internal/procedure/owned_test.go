package procedure_test

import (
	"math/rand/v2"
	"reflect"
	"slices"
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

	shared := slices.Grow(slices.Clone(s.Journal), 100)
	spare := shared[len(shared):cap(shared)]
	plain := eng.Fold(procedure.Inputs{Journal: shared, Responses: reqs, Agents: s.Agents, Catalog: s.Catalog, Now: now})
	if len(plain.New) == 0 {
		t.Fatal("the requests decided nothing")
	}
	for i := range spare {
		if !reflect.DeepEqual(spare[i], procedure.Event{}) {
			t.Fatalf("a fold that does not own the journal wrote past its len: %+v", spare[i])
		}
	}
	if &plain.Journal[0] == &shared[0] {
		t.Error("a fold that does not own the journal appended into the caller's array")
	}

	owned := slices.Grow(slices.Clone(s.Journal), 100)
	res := eng.Fold(procedure.Inputs{Journal: owned, Owned: true, Responses: reqs, Agents: s.Agents, Catalog: s.Catalog, Now: now})
	if &res.Journal[0] != &owned[0] {
		t.Error("an owned journal with room was copied")
	}
	if !reflect.DeepEqual(res.Journal, plain.Journal) || !reflect.DeepEqual(res.New, plain.New) {
		t.Error("owning the journal changed what the fold decided")
	}

	// Without room, an owned journal is copied as before.
	tight := slices.Clip(slices.Clone(s.Journal))
	res = eng.Fold(procedure.Inputs{Journal: tight, Owned: true, Responses: reqs, Agents: s.Agents, Catalog: s.Catalog, Now: now})
	if !reflect.DeepEqual(res.Journal, plain.Journal) {
		t.Error("an owned journal without room folded differently")
	}
}
