package worker_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// The Festivos tab, typed by an administrator in the Sheets UI, gives the
// same holidays whatever the spreadsheet's locale: Sheets stores a typed
// date as a serial number, and the worker reads serials (SERIAL_NUMBER), so
// "3/19/2026" typed under en_US and "19/03/2026" typed under es_CO are the
// same day. Dates kept as text (a workbook filled by `mesa import sheet`,
// or text the locale does not read as a date) still read as d/M/yyyy or
// yyyy-MM-dd (DESIGN.md §10c). The shapes are what people type in each
// locale; see getodk/collect#4415 for the same text read two ways.
func TestFestivosTypedUnderAnyLocale(t *testing.T) {
	typed := map[string][][]any{
		"es_CO": {{"Fecha", "Nombre"},
			{"19/03/2026", "Día de la institución"}, // d/M/yyyy, a date in es_CO
			{"5/3/2026", "Jornada de vacunación"},   // 5 March
			{"2026-04-17", "Cierre por inventario"}, // ISO, a date in every locale
		},
		"en_US": {{"Fecha", "Nombre"},
			{"3/19/2026", "Día de la institución"}, // M/d/yyyy, a date in en_US
			{"3/5/2026", "Jornada de vacunación"},  // 5 March
			{"2026-04-17", "Cierre por inventario"},
		},
		// Text: what `mesa import sheet festivos` writes (RAW).
		"RAW": {{"Fecha", "Nombre"},
			{"19/3/2026", "Día de la institución"},
			{"05/03/2026", "Jornada de vacunación"},
			{"2026-04-17", "Cierre por inventario"},
		},
	}
	wantDates := []string{"2026-03-19", "2026-03-05", "2026-04-17"}
	due := map[string]string{}
	for _, locale := range []string{"es_CO", "en_US", "RAW"} {
		t.Run(locale, func(t *testing.T) {
			e := officeEnv(t)
			svc, id := e.ws.Sheets.Service(), e.ws.Sheets.ID()
			input := "USER_ENTERED"
			if locale == "RAW" {
				input = "RAW"
			} else if _, err := svc.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{{
				UpdateSpreadsheetProperties: &sheets.UpdateSpreadsheetPropertiesRequest{Properties: &sheets.SpreadsheetProperties{Locale: locale}, Fields: "locale"},
			}}}).Do(); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Spreadsheets.Values.Update(id, "Festivos!A1", &sheets.ValueRange{Values: typed[locale]}).
				ValueInputOption(input).Context(context.Background()).Do(); err != nil {
				t.Fatal(err)
			}

			var got []string
			for _, r := range e.tab(workbook.Festivos) {
				d, ok := procedure.ParseDate(r.Get("Fecha"), time.UTC)
				if !ok {
					t.Fatalf("Fecha %q does not read as a date", r.Get("Fecha"))
				}
				got = append(got, d.Format(time.DateOnly))
			}
			if !reflect.DeepEqual(got, wantDates) {
				t.Fatalf("Festivos reads %v, want %v", got, wantDates)
			}

			// What an agent sees: a one-day service level from Wednesday 18
			// March falls due after the office's holiday on Thursday 19.
			e.answer(procedure.Solicitudes, "jose.nunez@funza-cundinamarca.gov.co", bogota("2026-03-18 09:00"), map[procedure.Field]string{
				procedure.FName: "José Núñez", procedure.FDependencia: "Secretaría de Hacienda", procedure.FBuilding: "Palacio Municipal",
				procedure.FService: "Impresoras y escáneres", procedure.FDescription: "La impresora no imprime"})
			e.cycle(bogota("2026-03-18 09:05"))
			due[locale] = e.casos()["1"].Get("Vence ANS")
		})
	}
	if due["es_CO"] == "" || due["es_CO"] != due["en_US"] || due["es_CO"] != due["RAW"] {
		t.Fatalf("Vence ANS by locale: %v", due)
	}
	if due["es_CO"][:10] != "2026-03-20" {
		t.Errorf("Vence ANS = %s: the holiday on Thursday 19 March was not skipped", due["es_CO"])
	}
}
