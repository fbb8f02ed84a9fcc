package workbook_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/funza-tic/mesa/internal/chaos"
	"github.com/funza-tic/mesa/internal/workbook"
)

// BenchmarkPlanCasos diffs the Casos of a fold against the tab as a cycle
// reads it: sorted by people, with 1% of the cases changed since the last
// cycle and a people's column.
func BenchmarkPlanCasos(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			s := chaos.NewSynthetic(n, 1)
			f := workbook.Formatter{Loc: s.Cal.Location()}
			desired := f.CasosRows(s.Book, s.Settings)
			rng := rand.New(rand.NewPCG(1, 2))
			sheet := make([][]string, len(desired))
			for i, r := range desired {
				sheet[i] = append(append([]string(nil), r...), "nota")
				if rng.IntN(100) == 0 {
					sheet[i][10] = "Abierto" // Estado changed since
				}
			}
			rng.Shuffle(len(sheet), func(i, j int) { sheet[i], sheet[j] = sheet[j], sheet[i] })
			values := chaos.SheetValues(workbook.Casos, sheet)
			values[0] = append(values[0], "Notas del agente")
			b.ReportAllocs()
			b.ResetTimer()
			var ups []workbook.Update
			for b.Loop() {
				t := workbook.NewTable(workbook.Casos, values) // what a cycle does with the batchGet
				ups, _ = workbook.Plan(t, desired)
			}
			b.ReportMetric(float64(len(ups)), "ranges")
		})
	}
}
