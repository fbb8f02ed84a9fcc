package workbook_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/workbook"
)

// A date a person typed reads back as a Sheets serial number (days since
// 1899-12-30, the time as the fraction: DateTimeRenderOption reference); in
// a Date column of the schema it reads as YYYY-MM-DD, time dropped. Numbers
// elsewhere stay numbers, and text dates stay text for the caller to parse.
func TestSerialDatesInDateColumns(t *testing.T) {
	got := workbook.NewTable(workbook.Festivos, [][]any{
		{"fecha", "Nombre"}, // headers match without accents or case
		{46099.0, "Día de la institución"},
		{46086.75, "Jornada de vacunación"}, // typed with a time: 5 March 18:00
		{"19/3/2026", "Texto"},
		{2.5, "Mediodía del 1 de enero de 1900"}, // the reference's own example
	}).Rows
	want := [][]string{{"2026-03-18", "Día de la institución"}, {"2026-03-05", "Jornada de vacunación"}, {"19/3/2026", "Texto"}, {"1900-01-01", "Mediodía del 1 de enero de 1900"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Festivos rows %q, want %q", got, want)
	}
	if got := workbook.NewTable(workbook.Catalogo, [][]any{{"Tipo de servicio", "ANS"}, {"Redes", 46099.0}}).Rows[0][1]; got != "46099" {
		t.Errorf("a number outside a Date column reads %q", got)
	}
}

// DESIGN.md §10c: "dates in admin tabs and imports accept d/M/yyyy,
// yyyy-MM-dd and Sheets date serials"; the rules and `mesa calendar` read
// Festivos through workbook.Holidays, which keeps the unreadable rows apart.
func TestHolidays(t *testing.T) {
	bogota, err := time.LoadLocation("America/Bogota")
	if err != nil {
		t.Fatal(err)
	}
	hol, bad := workbook.Holidays(workbook.NewTable(workbook.Festivos, [][]any{
		{"Fecha", "Nombre"},
		{46099.0, "Día de la institución"},
		{"19/3/2026", "Jornada"},
		{"2026-12-24", "Nochebuena"},
		{"el lunes", "Ilegible"},
	}), bogota)
	var got []string
	for _, h := range hol {
		got = append(got, h.Date.Format("2006-01-02")+" "+h.Name)
	}
	want := []string{"2026-03-18 Día de la institución", "2026-03-19 Jornada", "2026-12-24 Nochebuena"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("holidays %q, want %q", got, want)
	}
	if len(bad) != 1 || bad[0].Line != 5 || bad[0].Get("Fecha") != "el lunes" {
		t.Errorf("unreadable rows %+v, want line 5 «el lunes»", bad)
	}
}
