package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/archive"
)

// ArchiveConfig is `mesa archive` and the yearly proposal of `mesa run`
// (docs/archivo.md).
type ArchiveConfig struct {
	// Folder is the Drive folder of the archive workbooks; empty: the
	// reports' folder (google.folder).
	Folder string `mapstructure:"folder"`
	// ProposeFrom is the month ("03") from which, each year, the admin
	// digest proposes archiving the year before; empty: never.
	ProposeFrom string `mapstructure:"propose_from"`
	// Auto makes `mesa run` archive the year before by itself from that
	// month on, instead of only proposing it.
	Auto bool      `mapstructure:"auto"`
	TRD  TRDConfig `mapstructure:"trd"`
}

// TRDConfig is the office's tabla de retención documental entry for the
// help desk's records.
type TRDConfig struct {
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

func defaultArchiveConfig(office string) ArchiveConfig {
	t := archive.DefaultTRD()
	return ArchiveConfig{ProposeFrom: "03", TRD: TRDConfig{
		Entity: office, Series: t.Series, Subseries: t.Subseries, OfficeYears: t.YearsOffice, CentralYears: t.YearsCentral,
		FinalDisposition: t.Disposition, Medium: t.Medium, ConsultationFrequency: t.Frequency,
	}}
}

func (c ArchiveConfig) trd() archive.TRD {
	t := c.TRD
	return archive.TRD{Entity: t.Entity, Office: t.Office, Code: t.Code, Series: t.Series, Subseries: t.Subseries,
		YearsOffice: t.OfficeYears, YearsCentral: t.CentralYears, Disposition: t.FinalDisposition, Medium: t.Medium, Frequency: t.ConsultationFrequency}
}

// validate checks the archive section.
func (c ArchiveConfig) validate() error {
	if c.ProposeFrom != "" && c.from() == 0 {
		return fmt.Errorf("archive.propose_from %q: want a month 01 to 12, or empty", c.ProposeFrom)
	}
	if err := c.trd().Validate(); err != nil {
		return err
	}
	return nil
}

// from is the month from which the year before is proposed (0: never).
func (c ArchiveConfig) from() time.Month {
	m, err := strconv.Atoi(strings.TrimSpace(c.ProposeFrom))
	if err != nil || m < 1 || m > 12 {
		return 0
	}
	return time.Month(m)
}
