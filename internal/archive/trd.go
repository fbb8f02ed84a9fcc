package archive

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// TRD is the office's tabla de retención documental entry for the help
// desk's records (Ley 594 de 2000, Acuerdo 004 de 2019 del AGN): which
// series they belong to, how long they stay in the office (archivo de
// gestión) and in the central archive, and what happens to them then.
type TRD struct {
	Entity       string // entidad productora
	Office       string // unidad administrativa / oficina productora
	Code         string // código de la serie/subserie in the TRD, e.g. "1200-37.05"
	Series       string // serie documental
	Subseries    string // subserie documental
	YearsOffice  int    // años en archivo de gestión
	YearsCentral int    // años en archivo central
	Disposition  string // disposición final: conservación total, selección, eliminación
	Medium       string // soporte: electrónico, físico, híbrido
	Frequency    string // frecuencia de consulta (FUID): alta, media, baja
}

// Dispositions are the final dispositions a TRD may set.
var Dispositions = []string{"conservación total", "selección", "eliminación", "microfilmación", "digitalización"}

// Media are the supports a TRD may set.
var Media = []string{"electrónico", "físico", "híbrido"}

// DefaultTRD is what a help desk's records usually get when the office has
// not said: the series of a Secretaría/Oficina TIC "Registros de atención
// de solicitudes" (every office names its own code).
func DefaultTRD() TRD {
	return TRD{Series: "Registros", Subseries: "Registros de atención de solicitudes de la mesa de ayuda TIC",
		YearsOffice: 2, YearsCentral: 8, Disposition: "selección", Medium: "electrónico", Frequency: "baja"}
}

// Validate checks the TRD as an operator wrote it in the configuration.
func (t TRD) Validate() error {
	var errs []error
	if strings.TrimSpace(t.Series) == "" {
		errs = append(errs, errors.New("archive.trd.series is empty"))
	}
	if t.YearsOffice < 0 || t.YearsOffice > 100 {
		errs = append(errs, fmt.Errorf("archive.trd.office_years %d: want 0 to 100 years", t.YearsOffice))
	}
	if t.YearsCentral < 0 || t.YearsCentral > 100 {
		errs = append(errs, fmt.Errorf("archive.trd.central_years %d: want 0 to 100 years", t.YearsCentral))
	}
	if !oneOf(t.Disposition, Dispositions) {
		errs = append(errs, fmt.Errorf("archive.trd.final_disposition %q: want one of %s", t.Disposition, strings.Join(Dispositions, ", ")))
	}
	if !oneOf(t.Medium, Media) {
		errs = append(errs, fmt.Errorf("archive.trd.medium %q: want one of %s", t.Medium, strings.Join(Media, ", ")))
	}
	return errors.Join(errs...)
}

func oneOf(s string, set []string) bool {
	for _, v := range set {
		if procedure.Norm(s) == procedure.Norm(v) {
			return true
		}
	}
	return false
}

// Transfer is the day the year's archive is due for primary transfer to
// the central archive: its years in the office counted from the end of
// the year (Acuerdo 042 de 2002, artículo 4: transferencias primarias by
// the TRD's times).
func (t TRD) Transfer(year int) time.Time {
	return time.Date(year+1+t.YearsOffice, 1, 1, 0, 0, 0, 0, time.UTC)
}

// Disposal is the day its final disposition is due.
func (t TRD) Disposal(year int) time.Time {
	return time.Date(year+1+t.YearsOffice+t.YearsCentral, 1, 1, 0, 0, 0, 0, time.UTC)
}

type fichaFacts struct {
	Year        int
	Title, Live string
	LiveID      string
	At          time.Time
	Tabs        map[string]table
	Cases       []int
	Loc         *time.Location
}

// ficha renders the Ficha tab: field and value, in Spanish, for the
// archivist.
func (t TRD) ficha(f fichaFacts) [][]string {
	first, last := extremes(f.Tabs[workbook.Casos.Name])
	rows := [][]string{
		{"Campo", "Valor"},
		{"Libro de archivo", f.Title},
		{"Año de los expedientes", strconv.Itoa(f.Year)},
		{"Entidad productora", t.Entity},
		{"Oficina productora", t.Office},
		{"Código TRD", t.Code},
		{"Serie documental", t.Series},
		{"Subserie documental", t.Subseries},
		{"Fechas extremas", first + " a " + last},
		{"Número de casos", strconv.Itoa(len(f.Cases))},
		{"Casos (primero y último)", caseRange(f.Cases)},
		{"Años en archivo de gestión", strconv.Itoa(t.YearsOffice)},
		{"Años en archivo central", strconv.Itoa(t.YearsCentral)},
		{"Fecha de transferencia al archivo central", t.Transfer(f.Year).Format("2006-01-02")},
		{"Disposición final", t.Disposition},
		{"Fecha de disposición final", t.Disposal(f.Year).Format("2006-01-02")},
		{"Soporte", t.Medium},
		{"Frecuencia de consulta", t.Frequency},
		{"Libro de origen", f.Live + " (" + f.LiveID + ")"},
		{"Fecha del último traslado", f.At.In(f.Loc).Format("2006-01-02 15:04:05")},
		{"Acceso", "Solo lectura: las pestañas están protegidas; mesa nunca borra un libro de archivo."},
	}
	for _, tab := range Tabs {
		tb := f.Tabs[tab.Name]
		rows = append(rows, []string{"Filas en " + tab.Name, strconv.Itoa(len(tb.rows))},
			[]string{"SHA-256 de " + tab.Name, Checksum(tb.rows)})
	}
	return rows
}

// extremes returns the first registration and the last state date of the
// archived cases, as YYYY-MM-DD.
func extremes(casos table) (string, string) {
	reg, st := casos.col("Fecha de registro"), casos.col("Fecha de estado")
	first, last := "", ""
	for _, r := range casos.rows {
		if reg >= 0 && reg < len(r) && r[reg] != "" {
			d := day(r[reg])
			if first == "" || d < first {
				first = d
			}
		}
		if st >= 0 && st < len(r) && r[st] != "" {
			d := day(r[st])
			if d > last {
				last = d
			}
		}
	}
	return first, last
}

func day(s string) string {
	if len(s) >= 10 {
		return s[:10]
	}
	return s
}

func caseRange(cases []int) string {
	if len(cases) == 0 {
		return ""
	}
	return fmt.Sprintf("%d a %d", cases[0], cases[len(cases)-1])
}
