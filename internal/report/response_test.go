package report

import (
	"math"
	"strings"
	"testing"
)

// The 95 % Wilson score interval, against values computed independently
// (Python, the closed formula with z = 1.959963984540054); e.g. 7 of 12 is
// 31.95 % to 80.67 %. At 0 and n the interval still has width, unlike the
// normal approximation's.
func TestWilson(t *testing.T) {
	for _, tc := range []struct {
		k, n   int
		lo, hi float64
	}{
		{7, 12, 0.31951131254954973, 0.8067396863412435},
		{0, 5, 0, 0.43448246478317476},
		{5, 5, 0.5655175352168251, 1},
		{81, 100, 0.7222115462093562, 0.8748524849023126},
	} {
		lo, hi, ok := ResponseRate{Invited: tc.n, Answered: tc.k}.Wilson()
		if !ok || math.Abs(lo-tc.lo) > 1e-9 || math.Abs(hi-tc.hi) > 1e-9 {
			t.Errorf("%d of %d: [%v, %v], want [%v, %v]", tc.k, tc.n, lo, hi, tc.lo, tc.hi)
		}
	}
	if _, _, ok := (ResponseRate{}).Wilson(); ok {
		t.Error("an interval without invitations")
	}
}

// SCJ March 2026: invitations at closure on 3 March (case 1, unanswered,
// closed by silence), 6 and 12 March (case 2, answered on the 9th and the
// 13th) and 31 March (case 3, answered on 1 April, after the cut-off): 2
// of 4, shown next to Satisfacción in the HTML report.
func TestResponseRateNextToSatisfaction(t *testing.T) {
	s := scjMarch(t)
	r := Compute(s.fold(endOfMarch), march, endOfMarch, bogota, DefaultOptionsFor(s.eng.Set.Profile), s.eng.Set, "SCJ")
	if r.Response != (ResponseRate{Invited: 4, Answered: 2}) {
		t.Fatalf("response rate %+v, want 2 of 4", r.Response)
	}
	want := "Tasa de respuesta de la encuesta: 2 de 4 invitaciones (50,0 %; intervalo de confianza del 95 % de Wilson: 15,0 % a 85,0 %)."
	if got := r.Response.Text(); got != want {
		t.Errorf("text %q, want %q", got, want)
	}
	html, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	i, j := strings.Index(string(html), "Satisfacción de los usuarios"), strings.Index(string(html), "2 de 4 invitaciones")
	if i < 0 || j < i {
		t.Errorf("the HTML report does not give the response rate in the Satisfacción section")
	}
}
