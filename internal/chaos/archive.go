package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/workbook"
)

// ArchiveYear is the year the archive schedules archive: their clock
// starts in December of it and ends in January of the next.
const ArchiveYear = 2025

// Archives says whether the schedule of seed runs `mesa archive`: one in
// four (seeds 2, 6, 10, …, so both with and without two workers at once).
func Archives(seed uint64) bool { return seed%4 == 2 }

// YearEndClock is Clock for an archive schedule: all the
// steps but the last two from Tuesday 9 December 2025 (after the Inmaculada
// Concepción holiday), the last two from Tuesday 13 January 2026 (after Reyes
// Magos, Monday the 12th), so that cases closed in December are settled,
// their survey week passed, when the last step archives 2025.
func YearEndClock(rng *rand.Rand, steps int) []time.Time {
	loc := calendar.Bogota()
	day := time.Date(ArchiveYear, 12, 9, 0, 0, 0, 0, loc)
	out := make([]time.Time, 0, steps)
	for len(out) < steps {
		if len(out) == max(steps-2, 1) && day.Year() == ArchiveYear {
			day = time.Date(ArchiveYear+1, 1, 13, 0, 0, 0, 0, loc)
		}
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			out = append(out, day.Add(12*time.Hour+time.Duration(rng.IntN(6*3600))*time.Second))
		}
		day = day.AddDate(0, 0, 1+rng.IntN(2))
	}
	return out
}

// Archive runs `mesa archive --year ArchiveYear` at now on fresh clients, as
// cmd/mesa wires it on the local backend. crash, when not empty, is the
// step (archive.Steps) after which the run dies: its context is cancelled
// there, as a kill between steps leaves the workbooks; crashed says whether
// the run got there (a run with nothing to archive has no steps).
func (o *Office) Archive(ctx context.Context, now time.Time, crash string) (sum archive.Summary, crashed bool, err error) {
	return o.archive(ctx, now, crash, nil)
}

// archive is Archive with a person's edit p made at the step "recorded":
// in the instant between the run's last read of the live workbook and its
// positional deletion of the archived rows.
func (o *Office) archive(ctx context.Context, now time.Time, crash string, p *person) (sum archive.Summary, crashed bool, err error) {
	c, err := o.Clients(ctx)
	if err != nil {
		return sum, false, err
	}
	w, err := o.Worker(ctx, nil)
	if err != nil {
		return sum, false, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	d := archive.Deps{
		Live: c.Sheets, Open: func(id string) archive.Sheet { return c.Sheets.Other(id) }, Files: o.WS.Drive,
		Book: w.BookAhead, Settings: w.Config.Settings, TRD: archive.DefaultTRD(), Log: w.Log,
		Step: func(name string) {
			if name == "recorded" && p != nil && p.on && p.started.CompareAndSwap(false, true) {
				p.edit()
			}
			if name == crash {
				crashed = true
				cancel()
			}
		},
	}
	sum, err = archive.Run(ctx, d, archive.Request{Year: ArchiveYear, Now: now})
	return sum, crashed, err
}

// tables reads tab from the live workbook and from every archive workbook
// after it.
func (o *Office) tables(ctx context.Context, tab string) ([]workbook.Table, error) {
	live, err := o.table(ctx, tab)
	if err != nil {
		return nil, err
	}
	out := []workbook.Table{live}
	infos, err := archive.Archives(ctx, archive.Deps{Live: o.WS.Sheets, Files: o.WS.Drive,
		Open: func(id string) archive.Sheet { return o.WS.Sheets.Other(id) }, TRD: archive.DefaultTRD()})
	if err != nil {
		return nil, fmt.Errorf("list the archives: %w", err)
	}
	for _, in := range infos {
		v, err := o.WS.Sheets.Other(in.ID).Read(ctx, []string{tab})
		if err != nil {
			return nil, fmt.Errorf("read %s of %s: %w", tab, in.Title, err)
		}
		for _, t := range workbook.Worker {
			if t.Name == tab {
				out = append(out, workbook.NewTable(t, v[0]))
			}
		}
	}
	return out, nil
}
