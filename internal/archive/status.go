package archive

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Info is an archive workbook as `mesa archive status` lists it.
type Info struct {
	Year      int
	Title, ID string
	Cases     int
	Ficha     map[string]string // the Ficha tab, field -> value
	Transfer  time.Time         // due primary transfer, by the TRD of its Ficha (else the configured one)
	Disposal  time.Time         // due final disposition
	Protected bool
	Recovery  bool // a run left its recovery record (RecoveryTab): the next run or start of mesa run finishes it
}

// Archives lists the archive workbooks of the live workbook, by year.
func Archives(ctx context.Context, d Deps) ([]Info, error) {
	live, err := d.Live.Title(ctx)
	if err != nil {
		return nil, err
	}
	prefix := strings.TrimSuffix(Title(live, 0), "0")
	files, err := d.Files.Spreadsheets(ctx, d.Folder, prefix)
	if err != nil {
		return nil, err
	}
	var out []Info
	for _, f := range files {
		year, err := strconv.Atoi(strings.TrimPrefix(f.Name, prefix))
		if err != nil || year < 1900 {
			continue
		}
		in := Info{Year: year, Title: f.Name, ID: f.ID, Ficha: map[string]string{}}
		sh := d.Open(f.ID)
		vals, err := sh.Read(ctx, []string{FichaTab})
		if err == nil {
			for _, r := range vals[0] {
				if len(r) >= 2 {
					in.Ficha[workbook.Cell(r[0])] = workbook.Cell(r[1])
				}
			}
		}
		in.Cases, _ = strconv.Atoi(in.Ficha["Número de casos"])
		trd := d.TRD
		if y, err := strconv.Atoi(in.Ficha["Años en archivo de gestión"]); err == nil {
			trd.YearsOffice = y
		}
		if y, err := strconv.Atoi(in.Ficha["Años en archivo central"]); err == nil {
			trd.YearsCentral = y
		}
		in.Transfer, in.Disposal = trd.Transfer(year), trd.Disposal(year)
		if m, err := sh.Protected(ctx, Protection); err == nil {
			in.Protected = m[workbook.Casos.Name] && m[workbook.Historial.Name]
			_, in.Recovery = m[RecoveryTab]
		}
		out = append(out, in)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out, nil
}

// Journals reads the Historial of every archive workbook (oldest year
// first): with the live journal after them, a fold rebuilds every case.
// years limits it to those years (none: all).
func Journals(ctx context.Context, d Deps, years ...int) ([]procedure.Event, error) {
	infos, err := Archives(ctx, d)
	if err != nil {
		return nil, err
	}
	var out []procedure.Event
	for _, in := range infos {
		if len(years) > 0 && !containsInt(years, in.Year) {
			continue
		}
		vals, err := d.Open(in.ID).Read(ctx, []string{workbook.Historial.Name})
		if err != nil {
			return nil, fmt.Errorf("read the Historial of %s: %w", in.Title, err)
		}
		evs, errs := workbook.ParseHistorial(workbook.NewTable(workbook.Historial, vals[0]), calendar.Bogota())
		if len(errs) > 0 {
			return nil, fmt.Errorf("the Historial of %s: %w", in.Title, errs[0])
		}
		out = append(out, evs.Events()...)
	}
	return out, nil
}

func containsInt(list []int, n int) bool {
	for _, v := range list {
		if v == n {
			return true
		}
	}
	return false
}

// Dues tells the administrator's digest which archive workbooks are due
// for transfer or final disposition (worker.ArchiveDates). mesa announces
// them; it never deletes an archive.
type Dues struct{ Deps Deps }

// Due returns one Spanish sentence per archive with a date that has come.
func (d Dues) Due(ctx context.Context, now time.Time) ([]string, error) {
	infos, err := Archives(ctx, d.Deps)
	if err != nil {
		return nil, err
	}
	return DueNotices(infos, now), nil
}

// DueNotices words the due transfers and dispositions of the archives.
func DueNotices(infos []Info, now time.Time) []string {
	today := now.In(calendar.Bogota()).Format("2006-01-02")
	var out []string
	for _, in := range infos {
		disposition := in.Ficha["Disposición final"]
		if disposition == "" {
			disposition = "la que fije la TRD"
		}
		switch {
		case today >= in.Disposal.Format("2006-01-02"):
			out = append(out, fmt.Sprintf("Archivo %d («%s»): su disposición final (%s) está pendiente desde el %s. mesa no borra libros de archivo: la ejecuta el archivo de la entidad.",
				in.Year, in.Title, disposition, in.Disposal.Format("02/01/2006")))
		case today >= in.Transfer.Format("2006-01-02"):
			out = append(out, fmt.Sprintf("Archivo %d («%s»): su transferencia al archivo central está pendiente desde el %s (mesa archive package --year %d prepara el paquete con el FUID).",
				in.Year, in.Title, in.Transfer.Format("02/01/2006"), in.Year))
		}
	}
	return out
}

// Of is the archive workbook of year (ErrNoArchive when there is none).
func Of(ctx context.Context, d Deps, year int) (Info, error) {
	infos, err := Archives(ctx, d)
	if err != nil {
		return Info{}, err
	}
	for _, in := range infos {
		if in.Year == year {
			return in, nil
		}
	}
	return Info{}, fmt.Errorf("no archive workbook of %d: %w", year, ErrNoArchive)
}

// AutoYear is the year `mesa run` archives by itself (archive.auto) at now:
// the year before, from the month from on; ok is false before it, or when
// from is 0 (never) or auto is off.
func AutoYear(now time.Time, loc *time.Location, from time.Month, auto bool) (year int, ok bool) {
	t := now.In(loc)
	if !auto || from == 0 || t.Month() < from {
		return 0, false
	}
	return t.Year() - 1, true
}
