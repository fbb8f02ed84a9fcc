package setup

import (
	"context"
	"fmt"
	"strings"

	gsheets "google.golang.org/api/sheets/v4"
)

// Bogota is the time zone the procedures count days in.
const Bogota = "America/Bogota"

// Regional is a workbook's locale and time zone (File → Settings in Sheets).
// The locale decides how Sheets reads a date a person types ("5/3/2026" is
// 5 March under es_CO and 3 May under en_US); mesa reads the stored date
// (a serial number), so it agrees with the sheet, but people may not. The
// time zone is the one NOW() and the Forms response sheets use.
type Regional struct {
	Locale, TimeZone string
}

// ReadRegional reads the workbook's locale and time zone.
func ReadRegional(ctx context.Context, svc *gsheets.Service, id string) (Regional, error) {
	ss, err := svc.Spreadsheets.Get(id).Fields("properties(locale,timeZone)").Context(ctx).Do()
	if err != nil {
		return Regional{}, fmt.Errorf("read the workbook's locale and time zone: %w", err)
	}
	return Regional{Locale: ss.Properties.Locale, TimeZone: ss.Properties.TimeZone}, nil
}

// String is the Spanish line setup and doctor print.
func (r Regional) String() string {
	return fmt.Sprintf("configuración regional %s, zona horaria %s", r.Locale, r.TimeZone)
}

// Warnings says, in Spanish, what an office should change: a time zone
// other than Bogotá's, and a locale that reads dates month first.
func (r Regional) Warnings() []string {
	var out []string
	if r.TimeZone != Bogota {
		out = append(out, fmt.Sprintf("la zona horaria del libro es %s, no %s: cámbiela en Archivo → Configuración", r.TimeZone, Bogota))
	}
	if MonthFirst(r.Locale) {
		out = append(out, fmt.Sprintf("con la configuración regional %s, Sheets lee 5/3/2026 como 3 de mayo: use Colombia (es_CO) en Archivo → Configuración, o escriba las fechas como 2026-03-05", r.Locale))
	}
	return out
}

// MonthFirst reports whether a Sheets locale reads d/M/yyyy month first
// (the United States locales).
func MonthFirst(locale string) bool {
	return strings.HasSuffix(locale, "_US")
}
