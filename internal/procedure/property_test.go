package procedure_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	. "github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// scenario draws a random month of a help desk: requests, agent responses
// (valid and not), reassignments, surveys and reviews, on whole minutes with
// many equal timestamps, so that ties are common.
func scenario(r *rand.Rand, p Profile) []Response {
	start := at("2026-03-02 07:00")
	minute := func() time.Time { return start.Add(time.Duration(r.IntN(6*24*4)) * 15 * time.Minute) }
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	agents := []string{"hugo@mesa.test", "ana@mesa.test", "beto@mesa.test", "carla@mesa.test", "luis@mesa.test", "eva@mesa.test", "dora@mesa.test", "gus@mesa.test"}
	var rs []Response
	n := 10 + r.IntN(25)
	for i := range n {
		rs = append(rs, Response{Form: Solicitudes, ID: fmt.Sprintf("s%03d", i), Submitted: minute(), Email: "x@mesa.test", Answers: kv{
			FEmail: pick("u1@mesa.test", "u2@mesa.test", "u3@mesa.test", "u4@mesa.test", "bad"), FName: "U",
			FBuilding: pick("Edificio A", "Edificio B", "Edificio C"), FService: pick("Soporte", "Redes", "Requerimiento locativo", "Instalación de software"),
			FCategory: pick("", "Incidente"), FDescription: pick("Falla", "Falla", ""), FLocation: pick("", "Propia", "En arriendo")}})
	}
	states := []string{"Resuelto", "No Resuelto", "En Espera", "En Espera", "Cerrado"}
	if p == SCJBogota {
		states = append(states, "No procedente", "Información insuficiente")
	}
	// Most answers come from someone other than the assigned agent
	// (rejected): there are many, so that every case gets documented.
	for i := range 5 * n {
		rs = append(rs, Response{Form: Respuestas, ID: fmt.Sprintf("a%03d", i), Submitted: minute(), Email: pick(agents...), Answers: kv{
			FCase: fmt.Sprint(1 + r.IntN(n+2)), FState: pick(states...), FConcept: pick("", "Dañado"), FActivities: pick("", "Revisión", "Revisión", "Revisión"),
			FWaitReason: pick("Disponibilidad del usuario", "Disponibilidad del usuario", "Garantía", "Escalamiento", ""), FLesson: pick("", "Sí"),
			FVisitDate: pick("", "10/03/2026", "20/03/2026", "01/03/2026")}})
	}
	for i := range n / 3 {
		rs = append(rs, Response{Form: Reasignaciones, ID: fmt.Sprintf("r%03d", i), Submitted: minute(), Email: pick("eva@mesa.test", "ana@mesa.test"), Answers: kv{
			FCase: fmt.Sprint(1 + r.IntN(n)), FNewAgent: pick("Ana Ruiz", "Beto Gil", "Hugo Sol", "Dora Paz"), FCriterion: pick(Criteria...)}})
	}
	// Surveys come from the requesters and from others (rejected: only the
	// person served answers).
	answers := rs[n:]
	for i := range 3 * n {
		a := answers[r.IntN(len(answers))] // mostly just after an agent's answer
		rs = append(rs, Response{Form: Encuestas, ID: fmt.Sprintf("e%03d", i), Submitted: a.Submitted.Add(time.Duration(1+r.IntN(4*24)) * time.Hour),
			Email: pick("u1@mesa.test", "u2@mesa.test", "u3@mesa.test", "u4@mesa.test", "hugo@mesa.test"), Answers: kv{
				FCase: a.Answers[FCase], FRating: pick("1", "2", "4", "5", "9")}})
	}
	if p == SCJBogota {
		for i := range 2 * n {
			rs = append(rs, Response{Form: Revisiones, ID: fmt.Sprintf("v%03d", i), Submitted: minute().Add(12 * 24 * time.Hour), Email: "olga@mesa.test", Answers: kv{
				FCase: fmt.Sprint(1 + r.IntN(n)), FDecision: pick("Reabrir", "Justificar")}})
		}
	}
	return rs
}

// desks holds one office per profile: a calendar caches its years.
var desks = map[Profile]*desk{}

func fold(t *testing.T, p Profile, journal []Event, rs []Response, now time.Time) *Result {
	t.Helper()
	return foldJournal(t, p, JournalOf(journal...), rs, now)
}

func foldJournal(t *testing.T, p Profile, journal Journal, rs []Response, now time.Time) *Result {
	t.Helper()
	d := desks[p]
	if d == nil {
		d = newDesk(t, p)
		desks[p] = d
	}
	res := d.eng.Fold(Inputs{Journal: journal, Responses: rs, Agents: d.agents, Catalog: d.catalog, Now: now})
	checkEvents(t, res.New)
	return res
}

func casosRows(p Profile, b *Book) [][]string {
	return workbook.Formatter{Loc: bogota}.CasosRows(b, DefaultSettings(p))
}

func sameBooks(t *testing.T, what string, a, b *Book, p Profile) {
	t.Helper()
	ca, cb := a.Cases(), b.Cases()
	if len(ca) != len(cb) {
		t.Fatalf("%s: %d cases vs %d", what, len(ca), len(cb))
	}
	for i := range ca {
		if !reflect.DeepEqual(ca[i], cb[i]) {
			t.Fatalf("%s: case %d differs:\n%+v\n%+v", what, ca[i].Number, *ca[i], *cb[i])
		}
	}
	if ra, rb := casosRows(p, a), casosRows(p, b); !reflect.DeepEqual(ra, rb) {
		t.Fatalf("%s: Casos rows differ", what)
	}
}

const seeds = 25

var profiles = []Profile{Funza, SCJBogota}

// The fold is a function: the same inputs give the same result.
func TestPropertyDeterministic(t *testing.T) {
	for _, p := range profiles {
		for seed := range uint64(seeds) {
			rs := scenario(rand.New(rand.NewPCG(seed, 1)), p)
			now := at("2026-04-30 12:00")
			a, b := fold(t, p, nil, rs, now), fold(t, p, nil, rs, now)
			if !reflect.DeepEqual(a.New, b.New) || !reflect.DeepEqual(a.Notices, b.Notices) {
				t.Fatalf("%s seed %d: two folds decided differently", p, seed)
			}
			sameBooks(t, fmt.Sprintf("%s seed %d", p, seed), a.Book, b.Book, p)
		}
	}
}

// The order in which the Forms API lists responses never matters, also for
// responses with equal timestamps.
func TestPropertyOrderIndependent(t *testing.T) {
	for _, p := range profiles {
		for seed := range uint64(seeds) {
			r := rand.New(rand.NewPCG(seed, 2))
			rs := scenario(r, p)
			now := at("2026-04-30 12:00")
			want := fold(t, p, nil, rs, now)
			shuffled := slices.Clone(rs)
			r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			got := fold(t, p, nil, shuffled, now)
			if !reflect.DeepEqual(want.New, got.New) {
				t.Fatalf("%s seed %d: shuffled responses gave other decisions", p, seed)
			}
			sameBooks(t, fmt.Sprintf("%s seed %d", p, seed), want.Book, got.Book, p)
		}
	}
}

// Incremental cycles (each step's new events fed into the next step's
// journal, now advancing, responses showing up as they are submitted) give
// the same cases as replaying the whole journal from scratch, and as one
// fold of everything at the end.
func TestPropertyReplayEqualsIncremental(t *testing.T) {
	for _, p := range profiles {
		seen := map[Kind]int{}
		defer func() {
			// The scenarios exercise every kind of decision of the profile.
			want := []Kind{KRegistered, KAssigned, KReassigned, KAttended, KRejected, KInvited, KSurveyed}
			if p == SCJBogota {
				want = append(want, KReminded, KSurveyClose, KReviewed, KAwaiting)
			} else {
				want = append(want, KAutoSolved) // F-5c is Funza's only
			}
			for _, k := range want {
				if seen[k] == 0 {
					t.Errorf("%s: no %s in any scenario", p, k)
				}
			}
		}()
		for seed := range uint64(seeds) {
			r := rand.New(rand.NewPCG(seed, 3))
			rs := scenario(r, p)
			end := at("2026-04-30 12:00")
			var journal []Event
			now := at("2026-03-02 06:00")
			for now.Before(end) {
				now = now.Add(time.Duration(1+r.IntN(72)) * time.Hour)
				if now.After(end) {
					now = end
				}
				var visible []Response // what Forms lists at now, in any order
				for _, x := range rs {
					if !x.Submitted.After(now) {
						visible = append(visible, x)
					}
				}
				r.Shuffle(len(visible), func(i, j int) { visible[i], visible[j] = visible[j], visible[i] })
				res := fold(t, p, journal, visible, now)
				journal = append(journal, res.New...)
				for _, e := range res.New {
					seen[e.Kind]++
				}
				if again := fold(t, p, journal, visible, now); len(again.New) != 0 {
					t.Fatalf("%s seed %d: a second cycle at the same now decided %v", p, seed, kinds(again.New))
				}
			}
			incremental := fold(t, p, journal, nil, end)
			replay := fold(t, p, journal, rs, end)
			if len(incremental.New) != 0 || len(replay.New) != 0 {
				t.Fatalf("%s seed %d: replay decided again: %v %v", p, seed, kinds(incremental.New), kinds(replay.New))
			}
			sameBooks(t, fmt.Sprintf("%s seed %d replay", p, seed), incremental.Book, replay.Book, p)
			// One fold of everything decides the same, though it journals the
			// weekly samples after the responses of the following week.
			oneShot := fold(t, p, nil, rs, end)
			if !sameIDs(JournalOf(journal...), JournalOf(oneShot.New...)) {
				t.Fatalf("%s seed %d: one fold journaled other events than the cycles", p, seed)
			}
			if a, b := casosRows(p, incremental.Book), casosRows(p, oneShot.Book); !reflect.DeepEqual(a, b) {
				t.Fatalf("%s seed %d: one fold gave other Casos rows", p, seed)
			}
		}
	}
}

// The book keeps the journal it replays instead of copying it: a cycle's new
// decisions never write into the caller's array, and a journal with every
// row pasted twice folds as the journal itself.
func TestPropertyJournalKeptAsGiven(t *testing.T) {
	for _, p := range profiles {
		for seed := range uint64(10) {
			rs := scenario(rand.New(rand.NewPCG(seed, 5)), p)
			first := fold(t, p, nil, rs, at("2026-03-04 12:00"))
			journal := NewJournal(first.New, 500)
			end := at("2026-04-30 12:00")
			res := foldJournal(t, p, journal, rs, end)
			if len(res.New) == 0 {
				t.Fatalf("%s seed %d: the second cycle decided nothing", p, seed)
			}
			if !SpareIsZero(journal) || !reflect.DeepEqual(journal.Events(), first.New) {
				t.Fatalf("%s seed %d: the fold wrote into the caller's journal", p, seed)
			}
			twice := fold(t, p, append(slices.Clone(first.New), first.New...), rs, end)
			if !reflect.DeepEqual(res.Journal, twice.Journal) {
				t.Fatalf("%s seed %d: a journal with repeated rows gave another journal", p, seed)
			}
			sameBooks(t, fmt.Sprintf("%s seed %d repeated rows", p, seed), res.Book, twice.Book, p)
		}
	}
}

func sameIDs(a, b Journal) bool {
	ids := func(j Journal) []string {
		var out []string
		for i := range j.Len() {
			out = append(out, j.ID(i))
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(ids(a), ids(b))
}

// The journal survives its round trip through the Historial tab: the
// worker's rebuild from the sheet gives the same Casos rows.
func TestPropertyJournalRoundTrip(t *testing.T) {
	for _, p := range profiles {
		for seed := range uint64(10) {
			rs := scenario(rand.New(rand.NewPCG(seed, 4)), p)
			res := fold(t, p, nil, rs, at("2026-04-30 12:00"))
			f := workbook.Formatter{Loc: bogota}
			values := [][]any{headerOf(workbook.Historial)}
			for _, row := range f.HistorialRows(res.Book) {
				values = append(values, toAny(row))
			}
			journal, errs := workbook.ParseHistorial(workbook.NewTable(workbook.Historial, values), bogota)
			if len(errs) > 0 {
				t.Fatalf("%s seed %d: %v", p, seed, errs)
			}
			back := fold(t, p, journal.Events(), nil, at("2026-04-30 12:00"))
			if len(back.New) != 0 {
				t.Fatalf("%s seed %d: rebuilt journal decided again: %v", p, seed, kinds(back.New))
			}
			if a, b := casosRows(p, res.Book), casosRows(p, back.Book); !reflect.DeepEqual(a, b) {
				t.Fatalf("%s seed %d: Casos rows differ after the round trip", p, seed)
			}
		}
	}
}

func headerOf(tab workbook.Tab) []any {
	var out []any
	for _, c := range tab.Columns {
		out = append(out, c.Name)
	}
	return out
}

func toAny(row []string) []any {
	out := make([]any, len(row))
	for i, s := range row {
		out[i] = s
	}
	return out
}
