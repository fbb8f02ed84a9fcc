package report

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// ResponseRate is how many of the month's survey invitations were answered
// by the cut-off. Funza paso 8 makes answering voluntary ("El usuario es
// autónomo de participar"), so Satisfacción rests on whoever answered: the
// rate, with its uncertainty, says how much weight it bears.
type ResponseRate struct {
	Invited, Answered int
}

// z95 is the 97.5th percentile of the standard normal distribution.
const z95 = 1.959963984540054

// Wilson returns the 95 % Wilson score interval of the rate (E. B. Wilson,
// 1927): unlike the normal approximation it stays within [0, 1] and behaves
// with the few invitations of a small office. ok is false with no
// invitations.
func (r ResponseRate) Wilson() (lo, hi float64, ok bool) {
	if r.Invited == 0 {
		return 0, 0, false
	}
	n, p := float64(r.Invited), float64(r.Answered)/float64(r.Invited)
	d := 1 + z95*z95/n
	center := (p + z95*z95/(2*n)) / d
	half := z95 / d * math.Sqrt(p*(1-p)/n+z95*z95/(4*n*n))
	return max(0, center-half), min(1, center+half), true
}

// Text is the line of the report (Spanish, decimal comma).
func (r ResponseRate) Text() string {
	lo, hi, ok := r.Wilson()
	if !ok {
		return "Tasa de respuesta de la encuesta: sin invitaciones en el mes."
	}
	pct := func(x float64) string { return strings.Replace(fmt.Sprintf("%.1f", 100*x), ".", ",", 1) }
	return fmt.Sprintf("Tasa de respuesta de la encuesta: %d de %d invitaciones (%s %%; intervalo de confianza del 95 %% de Wilson: %s %% a %s %%).",
		r.Answered, r.Invited, pct(float64(r.Answered)/float64(r.Invited)), pct(lo), pct(hi))
}

// responseRate counts the invitations sent in month m (by the cut) and,
// of them, those answered by the cut: a survey of the case after the
// invitation and before the case's next one (PD-GT-1 invites again after a
// reopening). cases are as they stood at the cut (procedure.Book.CasesAt).
func responseRate(cases []*procedure.Case, m Month, loc *time.Location) ResponseRate {
	var r ResponseRate
	for _, c := range cases {
		for _, inv := range c.Invitations {
			if m.Contains(inv.At, loc) {
				r.Invited++
				if !inv.Answered.IsZero() {
					r.Answered++
				}
			}
		}
	}
	return r
}
