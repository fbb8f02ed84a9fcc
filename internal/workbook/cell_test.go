package workbook_test

import (
	"math"
	"strconv"
	"testing"

	"github.com/funza-tic/mesa/internal/workbook"
)

// A number read with UNFORMATTED_VALUE renders as strconv.FormatFloat(v,
// 'f', -1, 64) spells it, whole or not: Cell takes a shortcut for whole
// numbers (case numbers, counts), which must not change a digit.
func TestCellNumbersAsFormatFloat(t *testing.T) {
	vs := []float64{0, math.Copysign(0, -1), 1, -1, 7, 42, 100000, 123456789, -98765,
		1e15 - 1, -(1e15 - 1), 1e15, 1e16, 1e21, 1e22, 0.5, -0.25, 46023.75, 1.0000001,
		math.MaxInt64, math.MinInt64, math.Inf(1), math.Inf(-1), math.NaN()}
	for i := range 1000 {
		vs = append(vs, float64(i*i*i), float64(i)/8)
	}
	for _, v := range vs {
		if got, want := workbook.Cell(v), strconv.FormatFloat(v, 'f', -1, 64); got != want {
			t.Errorf("Cell(%v) = %q, want %q", v, got, want)
		}
	}
}
