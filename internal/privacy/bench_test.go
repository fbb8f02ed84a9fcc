package privacy_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/privacy"
	"github.com/funza-tic/mesa/internal/procedure"
)

// BenchmarkEvents is the cost a cycle pays once a journal holds HD-1
// decisions: 100,000 cases of 3 events each (registered, assigned,
// attended), five titulars with 50 cases each anonymized. "fresh": the
// Historial not yet rewritten (the run killed after journaling), every
// event's text searched for their names; "rewritten": the steady state.
func BenchmarkEvents(b *testing.B) {
	journal := benchJournal()
	b.Run("fresh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			work := journal.Clone(0)
			b.StartTimer()
			privacy.FromJournal(work).Events(work)
		}
	})
	b.Run("rewritten", func(b *testing.B) {
		work := journal.Clone(0)
		privacy.FromJournal(work).Events(work)
		b.ReportAllocs()
		for b.Loop() {
			privacy.FromJournal(work).Events(work)
		}
	})
}

func benchJournal() procedure.Journal {
	at := time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC)
	var journal []procedure.Event
	for n := 1; n <= 100_000; n++ {
		email := fmt.Sprintf("usuario%d@funza-cundinamarca.gov.co", n%2000)
		journal = append(journal,
			procedure.Event{ID: fmt.Sprintf("R%d", n), At: at, Case: n, Kind: procedure.KRegistered,
				Data: procedure.Data{Email: email, Requester: fmt.Sprintf("Usuario %d", n%2000), Description: "El equipo no enciende", Phone: "6018253101"}},
			procedure.Event{ID: fmt.Sprintf("A%d", n), At: at, Case: n, Kind: procedure.KAssigned, Data: procedure.Data{Agent: "Carlos Pérez", Note: "Asignado por edificio"}},
			procedure.Event{ID: fmt.Sprintf("T%d", n), At: at, Case: n, Kind: procedure.KAttended,
				Data: procedure.Data{Agent: "Carlos Pérez", By: "carlos.perez@funza-cundinamarca.gov.co", State: procedure.Resuelto, Activities: "Se cambió la fuente de poder"}})
	}
	for i := range 5 {
		journal = append(journal, privacy.Decision(fmt.Sprintf("usuario%d@funza-cundinamarca.gov.co", i), "reclamo", at))
	}
	return procedure.JournalOf(journal...)
}
