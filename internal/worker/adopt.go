package worker

import (
	"context"
	"fmt"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Adopt writes the cases of a hand-kept workbook into the journal (rule
// F-I), in one write, so the next cycle shows them in Casos and numbers new
// requests after the highest of them. Nobody is e-mailed about them. A case
// number the journal already has is skipped and reported, so adopting the
// same export twice changes nothing.
func (w *Worker) Adopt(ctx context.Context, cases []*procedure.Case) (added int, skipped []string, err error) {
	st, err := w.load(ctx, false)
	if err != nil {
		return 0, nil, err
	}
	have := map[int]bool{}
	for i := range st.journal.Len() {
		if k := st.journal.Kind(i); k == procedure.KRegistered || k == procedure.KImported {
			have[st.journal.Case(i)] = true
		}
	}
	var events []procedure.Event
	for _, h := range cases {
		if have[h.Number] {
			skipped = append(skipped, fmt.Sprintf("el caso %d ya está en Historial", h.Number))
			continue
		}
		evs, err := procedure.Adopt(h)
		if err != nil {
			skipped = append(skipped, err.Error())
			continue
		}
		have[h.Number] = true
		events = append(events, evs...)
		added++
	}
	f := workbook.Formatter{Loc: st.cal.Location()}
	ups, _ := workbook.Plan(st.tables[workbook.Historial.Name], f.JournalRows(procedure.JournalOf(events...)))
	if _, err := w.Sheet.Write(ctx, ups); err != nil {
		return 0, skipped, fmt.Errorf("write the adopted cases: %w", err)
	}
	return added, skipped, nil
}
