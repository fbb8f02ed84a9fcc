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
		if p, ok := sh.(interface {
			Protected(context.Context, string) (map[string]bool, error)
		}); ok {
			if m, err := p.Protected(ctx, Protection); err == nil {
				in.Protected = m[workbook.Casos.Name] && m[workbook.Historial.Name]
			}
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
		out = append(out, evs...)
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
