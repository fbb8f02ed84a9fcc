package imports

import (
	"time"

	"github.com/funza-tic/mesa/internal/forms"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// readHistoric reads a CSV export of a hand-kept Casos tab, columns found by
// their Spanish headers (Caso, Fecha de registro, Estado, ... as in mesa's
// own Casos tab: workbook.ParseCasos reads them through the Casos columns).
// Every row that cannot be read is reported.
func readHistoric(rows [][]string, loc *time.Location) ([]*procedure.Case, []error) {
	return workbook.ParseCasos(rows, func(s string) time.Time {
		if t, err := forms.ParseTimestamp(s, loc); err == nil {
			return t
		}
		t, _ := procedure.ParseDate(s, loc)
		return t
	})
}
