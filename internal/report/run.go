package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Sheet is the workbook as the report needs it (sheets.Client).
type Sheet interface {
	Read(ctx context.Context, tabs []string) ([][][]any, error)
	Write(ctx context.Context, ups []workbook.Update) (int, error)
	EnsureTabs(ctx context.Context, tabs []string) ([]string, error)
}

// Uploader puts a file into a Drive folder, replacing one of the same name
// (drive.Client).
type Uploader interface {
	Upload(ctx context.Context, folder, name, mimeType string, data []byte) (string, error)
}

// BookFunc folds the workbook at an instant (worker.Worker.Book).
type BookFunc func(ctx context.Context, now time.Time) (*procedure.Book, *time.Location, error)

// Deps is what a report run needs.
type Deps struct {
	Book     BookFunc
	Sheet    Sheet
	Drive    Uploader // nil: nothing is uploaded
	Folder   string   // Drive folder id; empty: nothing is uploaded
	Settings procedure.Settings
	Options  Options
	Office   string
	Log      *slog.Logger
}

// Request says which month to report and where.
type Request struct {
	Month  Month
	Now    time.Time
	Out    string // directory for the files; created if missing
	DryRun bool   // compute and print, write nothing
}

// Summary is what a run did.
type Summary struct {
	Report      *Report
	Files       []string // paths written (or that were already identical)
	SheetRanges int      // ranges written to the Indicadores and Looker tabs
	Uploaded    []string // Drive file ids
}

// Run computes the month's report and writes it everywhere: the Indicadores
// and Looker tabs (as keyed diffs, so a re-run writes nothing), the KAWAK
// files and the HTML report in Out, and the same files in the Drive folder
// (replaced, never duplicated). `mesa report` and the monthly job of
// `mesa run` both call it.
func Run(ctx context.Context, d Deps, req Request) (Summary, error) {
	var sum Summary
	if req.Month.Start(calendar.Bogota()).After(req.Now) {
		return sum, fmt.Errorf("month %s has not started yet", req.Month)
	}
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	book, loc, err := d.Book(ctx, cutoff(req.Month, req.Now))
	if err != nil {
		return sum, fmt.Errorf("read the workbook: %w", err)
	}
	r := Compute(book, req.Month, req.Now, loc, d.Options, d.Settings, d.Office)
	sum.Report = r

	ups, err := plan(ctx, d.Sheet, r, book)
	if err != nil {
		return sum, err
	}
	sum.SheetRanges = len(ups)
	files, err := r.files()
	if err != nil {
		return sum, err
	}
	if req.DryRun {
		log.Info("dry run: nothing written", "month", req.Month.String(), "ranges", len(ups))
		return sum, nil
	}
	if len(ups) > 0 {
		if _, err := d.Sheet.Write(ctx, ups); err != nil {
			return sum, fmt.Errorf("write Indicadores and Looker: %w", err)
		}
	}
	if err := os.MkdirAll(req.Out, 0o755); err != nil {
		return sum, err
	}
	for _, f := range files {
		path := filepath.Join(req.Out, f.name)
		if err := writeIfChanged(path, f.data); err != nil {
			return sum, err
		}
		sum.Files = append(sum.Files, path)
	}
	if d.Drive != nil && d.Folder != "" {
		for _, f := range files {
			id, err := d.Drive.Upload(ctx, d.Folder, f.name, f.mime, f.data)
			if err != nil {
				return sum, fmt.Errorf("upload to Drive: %w", err)
			}
			sum.Uploaded = append(sum.Uploaded, id)
		}
	}
	log.Info("report done", "month", req.Month.String(), "ranges", len(ups), "files", len(sum.Files), "uploaded", len(sum.Uploaded))
	return sum, nil
}

// cutoff is the instant the month's figures are taken at: its last
// instant, or now while the month is still running.
func cutoff(m Month, now time.Time) time.Time {
	end := m.End(calendar.Bogota()).Add(-time.Nanosecond)
	if now.Before(end) {
		return now
	}
	return end
}

// plan reads the two report tabs (adding them the first time) and returns
// the writes that make them hold the report.
func plan(ctx context.Context, sh Sheet, r *Report, book *procedure.Book) ([]workbook.Update, error) {
	names := []string{workbook.Indicadores.Name, workbook.Looker.Name}
	vals, err := sh.Read(ctx, names)
	if errors.Is(err, workbook.ErrMissingTab) {
		if _, err := sh.EnsureTabs(ctx, names); err != nil {
			return nil, err
		}
		vals, err = sh.Read(ctx, names)
	}
	if err != nil {
		return nil, err
	}
	ind, _ := workbook.Plan(workbook.NewTable(workbook.Indicadores, vals[0]), r.IndicadoresRows())
	look, _ := workbook.Plan(workbook.NewTable(workbook.Looker, vals[1]), liveRows(r.LookerRows(), book))
	return append(ind, look...), nil
}

type file struct {
	name, mime string
	data       []byte
}

func (r *Report) files() ([]file, error) {
	csvName, xlsxName, htmlName := FileNames(r.Month)
	c, err := r.KAWAKCSV()
	if err != nil {
		return nil, err
	}
	x, err := r.KAWAKXLSX()
	if err != nil {
		return nil, err
	}
	h, err := r.HTML()
	if err != nil {
		return nil, err
	}
	return []file{
		{csvName, "text/csv", c},
		{xlsxName, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", x},
		{htmlName, "text/html", h},
	}, nil
}

// writeIfChanged leaves a file with the same content untouched, so a re-run
// changes nothing on disk either.
func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// liveRows leaves out the Looker rows of archived cases: their rows moved
// to the Looker tab of their year's archive workbook (mesa archive), and a
// report of an archived month must not bring them back to the live one.
func liveRows(rows [][]string, book *procedure.Book) [][]string {
	out := rows[:0:0]
	for _, r := range rows {
		n, _ := strconv.Atoi(r[0])
		if _, archived := book.Archived(n); !archived {
			out = append(out, r)
		}
	}
	return out
}
