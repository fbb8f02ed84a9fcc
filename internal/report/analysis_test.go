package report

import (
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// The analysis goes to KAWAK as the office's text (Funza paso 10): with one
// case or one survey it reads "se cerró 1 caso", not "se cerraron 1 caso".
func TestAnalysisAgreesInNumber(t *testing.T) {
	p := period{Month: Month{2026, time.March}}
	set := procedure.Settings{SatisfiedFrom: 4}
	for _, c := range []struct {
		key     string
		formula string
		want    string
	}{
		{"oportunidad", "", "En marzo de 2026 se cerró 1 caso y 1 dentro del ANS (100 %)"},
		{"eficacia", "", "De 1 caso registrado en marzo de 2026, 1 quedó resuelto al corte (100 %)"},
		{"satisfaccion", "", "En marzo de 2026 se respondió 1 encuesta de satisfacción y 1 calificó el servicio con 4 o más (100 %)"},
		{"satisfaccion", FormulaUnanswered, "En marzo de 2026 se cerró 1 encuesta de satisfacción (respondidas, o sin respuesta en el plazo, que cuentan como satisfechas) y 1 fue satisfecha (100 %)"},
	} {
		r := Result{Key: c.key, Month: p.Month, Num: 1, Den: 1, Target: 90}
		if got := p.analysis(r, Indicator{Formula: c.formula}, nil, Result{}, set); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s %s:\n got %q\nwant %q", c.key, c.formula, got, c.want)
		}
	}
}
