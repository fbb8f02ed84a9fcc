package procedure_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	. "github.com/funza-tic/mesa/internal/procedure"
)

// A fold resumed from the last cycle's book (Engine.Resume) is the fold of
// the whole journal (Engine.Fold): the same decisions, notices and cases at
// every cycle of a random month, also when the Catálogo's service levels
// change between two cycles; and Result.Changed names every case whose
// Casos row changed since the cycle before.
func TestPropertyResumeEqualsFold(t *testing.T) {
	for _, p := range profiles {
		fold(t, p, nil, nil, at("2026-03-02 06:00")) // the profile's desk
		d := desks[p]
		for seed := range uint64(seeds) {
			r := rand.New(rand.NewPCG(seed, 7))
			rs := scenario(r, p)
			end := at("2026-04-30 12:00")
			var journal Journal
			var book *Book
			now := at("2026-03-02 06:00")
			for step := 0; now.Before(end); step++ {
				now = now.Add(time.Duration(1+r.IntN(72)) * time.Hour)
				if now.After(end) {
					now = end
				}
				var visible []Response
				for _, x := range rs {
					if !x.Submitted.After(now) {
						visible = append(visible, x)
					}
				}
				r.Shuffle(len(visible), func(i, j int) { visible[i], visible[j] = visible[j], visible[i] })
				cat := d.catalog
				if step%5 == 4 { // the administrator changes the Catálogo's ANS
					cat = slices.Clone(cat)
					cat[0].SLA.Amount++
				}
				in := Inputs{Journal: journal, Responses: visible, Agents: d.agents, Catalog: cat, Now: now}
				want := d.eng.Fold(in)
				what := fmt.Sprintf("%s seed %d step %d", p, seed, step)
				if book == nil {
					book = want.Book
					journal = want.Journal.Clone(0)
					continue
				}
				before := casosRows(p, book)
				got := d.eng.Resume(book, in)
				if !reflect.DeepEqual(got.New, want.New) || !reflect.DeepEqual(got.Notices, want.Notices) || !reflect.DeepEqual(got.Failures, want.Failures) {
					t.Fatalf("%s: the resumed fold decided %v, the full fold %v", what, kinds(got.New), kinds(want.New))
				}
				if !sameIDs(got.Journal, want.Journal) {
					t.Fatalf("%s: the resumed journal has %d events, the full one %d", what, got.Journal.Len(), want.Journal.Len())
				}
				sameBooks(t, what, got.Book, want.Book, p)
				after := casosRows(p, got.Book)
				old := map[string][]string{}
				for _, row := range before {
					old[row[0]] = row
				}
				for _, row := range after {
					var n int
					fmt.Sscan(row[0], &n)
					if !reflect.DeepEqual(old[row[0]], row) && !slices.Contains(got.Changed, n) {
						t.Fatalf("%s: case %d changed (%v → %v) but Changed is %v", what, n, old[row[0]], row, got.Changed)
					}
				}
				book = got.Book
				journal = got.Journal.Clone(0)
			}
		}
	}
}
