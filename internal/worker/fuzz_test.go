package worker_test

import (
	"fmt"
	"testing"

	"github.com/funza-tic/mesa/internal/worker"
)

// FuzzParseSLA: the ANS column of Catálogo is typed by hand; the parser
// never panics, accepts only positive amounts, and reads its own rendering.
func FuzzParseSLA(f *testing.F) {
	for _, s := range []string{"8 horas", "2 días hábiles", "1 dia", "3 DÍAS", "4 h", "0 horas", "-1 días", "ocho horas", "8", "8 semanas",
		"99999999999999999999 horas", " 1\u00a0día ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sla, err := worker.ParseSLA(s)
		if err != nil {
			return
		}
		if sla.Amount <= 0 {
			t.Fatalf("ParseSLA(%q) = %+v: want a positive amount", s, sla)
		}
		unit := "horas"
		if sla.Days {
			unit = "días"
		}
		again, err := worker.ParseSLA(fmt.Sprintf("%d %s", sla.Amount, unit))
		if err != nil || again != sla {
			t.Fatalf("ParseSLA(%q) = %+v, its rendering reads %+v, %v", s, sla, again, err)
		}
	})
}
