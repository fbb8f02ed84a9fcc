package archive

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/worker"
)

// ErrNoCase is returned by Explain for a case number no workbook holds.
var ErrNoCase = errors.New("no such case")

// Explain is `mesa explain`: case n's history at now, one line per
// decision with its rule and procedure step; for a case moved to its
// archive workbook, read with every archive's journal first, ending with
// the move (rule A-1); then the mail held for the recipients' working hours.
func Explain(ctx context.Context, d Deps, w *worker.Worker, n int, now time.Time) (string, error) {
	b, loc, err := w.Book(ctx, now)
	if err != nil {
		return "", err
	}
	moved := explainLine(b, n, loc)
	if moved != "" {
		evs, err := Journals(ctx, d)
		if err != nil {
			return "", fmt.Errorf("read the archives: %w", err)
		}
		if b, loc, err = w.BookWith(ctx, now, evs); err != nil {
			return "", err
		}
	}
	text, ok := procedure.Explain(b, n, loc)
	if !ok {
		return "", fmt.Errorf("case %d: %w", n, ErrNoCase)
	}
	held, err := w.Held(ctx, now, n)
	if err != nil {
		return text + moved, err
	}
	return text + moved + worker.ExplainHeld(held, loc), nil
}

// explainLine is Explain's line for the move of case n to its archive
// workbook (rule A-1), in the format of the other decisions; "" when the
// case is live.
func explainLine(b *procedure.Book, n int, loc *time.Location) string {
	if _, archived := b.Archived(n); !archived {
		return ""
	}
	for i := range b.Journal.Len() {
		if b.Journal.Kind(i) == procedure.KArchived && b.Journal.Case(i) == n {
			e := b.Journal.Event(i)
			return fmt.Sprintf("%s  [%s · %s]\n    %s\n", e.At.In(loc).Format("2006-01-02 15:04"), e.Rule, procedure.Rules[e.Rule].Step, procedure.Describe(e, loc))
		}
	}
	return ""
}
