package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/report"
)

// Report is the `report:` section: when the monthly report runs and
// the indicators it computes (DESIGN.md §10).
type Report struct {
	Day          int       `mapstructure:"day"`          // business day of the month `mesa run` reports the previous month on
	TrendMonths  int       `mapstructure:"trend_months"` // months in the HTML report's trend
	Timeliness   Indicator `mapstructure:"timeliness"`   // Oportunidad
	Efficacy     Indicator `mapstructure:"efficacy"`     // Eficacia
	Satisfaction Indicator `mapstructure:"satisfaction"` // Satisfacción
}

// Indicator is one indicator: its name in KAWAK, its target in
// percent, and its formula (cerrados | resueltos for timeliness and
// efficacy; respondidas | incluye_sin_respuesta for satisfaction).
type Indicator struct {
	Name    string  `mapstructure:"name"`
	Target  float64 `mapstructure:"target"`
	Formula string  `mapstructure:"formula"`
}

func defaultReport(p procedure.Profile) Report {
	o := report.DefaultOptionsFor(p)
	ind := func(i report.Indicator) Indicator { return Indicator{i.Name, i.Target, i.Formula} }
	return Report{Day: 1, TrendMonths: o.TrendMonths, Timeliness: ind(o.Timeliness), Efficacy: ind(o.Efficacy), Satisfaction: ind(o.Satisfaction)}
}

// Options turns the section into the report's options, checked.
func (c Report) Options() (report.Options, error) {
	ind := func(i Indicator) report.Indicator {
		return report.Indicator{Name: i.Name, Target: i.Target, Formula: i.Formula}
	}
	o := report.Options{TrendMonths: c.TrendMonths, Timeliness: ind(c.Timeliness), Efficacy: ind(c.Efficacy), Satisfaction: ind(c.Satisfaction)}
	if err := o.Validate(); err != nil {
		return o, err
	}
	if c.Day < 1 || c.Day > 10 {
		return o, fmt.Errorf("report.day %d: want 1 to 10 (PD-GT-1: statistics within the first ten days of the month)", c.Day)
	}
	return o, nil
}

// Privacy is habeas data (docs/privacidad.md).
type Privacy struct {
	// TrashSent lets `mesa privacy anonymize` move the mail sent to the
	// titular to the trash of the help-desk mailbox. Off by default: it
	// needs the gmail.modify scope, and the sent mail may be part of the
	// record the office must keep (Ley 594 de 2000).
	TrashSent bool `mapstructure:"trash_sent"`
}

// Archive is `mesa archive` and the yearly proposal of `mesa run`
// (docs/archivo.md).
type Archive struct {
	// Folder is the Drive folder of the archive workbooks; empty: the
	// reports' folder (google.folder).
	Folder string `mapstructure:"folder"`
	// ProposeFrom is the month ("03") from which, each year, the admin
	// digest proposes archiving the year before; empty: never.
	ProposeFrom string `mapstructure:"propose_from"`
	// Auto makes `mesa run` archive the year before by itself from that
	// month on, instead of only proposing it.
	Auto bool `mapstructure:"auto"`
	TRD  TRD  `mapstructure:"trd"`
}

// TRD is the office's tabla de retención documental entry for the
// help desk's records.
type TRD struct {
	Entity                string `mapstructure:"entity"`                 // entidad productora
	Office                string `mapstructure:"office"`                 // oficina productora
	Code                  string `mapstructure:"code"`                   // código de la serie/subserie
	Series                string `mapstructure:"series"`                 // serie documental
	Subseries             string `mapstructure:"subseries"`              // subserie documental
	OfficeYears           int    `mapstructure:"office_years"`           // años en archivo de gestión
	CentralYears          int    `mapstructure:"central_years"`          // años en archivo central
	FinalDisposition      string `mapstructure:"final_disposition"`      // conservación total | selección | eliminación
	Medium                string `mapstructure:"medium"`                 // soporte: electrónico | físico | híbrido
	ConsultationFrequency string `mapstructure:"consultation_frequency"` // frecuencia de consulta: alta | media | baja
}

func defaultArchive(office string) Archive {
	t := archive.DefaultTRD()
	return Archive{ProposeFrom: "03", TRD: TRD{
		Entity: office, Series: t.Series, Subseries: t.Subseries, OfficeYears: t.YearsOffice, CentralYears: t.YearsCentral,
		FinalDisposition: t.Disposition, Medium: t.Medium, ConsultationFrequency: t.Frequency,
	}}
}

// Retention is the section's TRD entry as the archive writes it.
func (c Archive) Retention() archive.TRD {
	t := c.TRD
	return archive.TRD{Entity: t.Entity, Office: t.Office, Code: t.Code, Series: t.Series, Subseries: t.Subseries,
		YearsOffice: t.OfficeYears, YearsCentral: t.CentralYears, Disposition: t.FinalDisposition, Medium: t.Medium, Frequency: t.ConsultationFrequency}
}

// validate checks the archive section.
func (c Archive) validate() error {
	if c.ProposeFrom != "" && c.ProposeMonth() == 0 {
		return fmt.Errorf("archive.propose_from %q: want a month 01 to 12, or empty", c.ProposeFrom)
	}
	if err := c.Retention().Validate(); err != nil {
		return err
	}
	return nil
}

// ProposeMonth is the month from which the year before is proposed (0: never).
func (c Archive) ProposeMonth() time.Month {
	m, err := strconv.Atoi(strings.TrimSpace(c.ProposeFrom))
	if err != nil || m < 1 || m > 12 {
		return 0
	}
	return time.Month(m)
}
