package main

import (
	"context"
	"strings"
	"testing"

	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/procedure"
)

// setup and doctor say which locale and time zone the workbook has (the
// locale decides how Sheets reads a date a person types); doctor warns when
// the time zone is not Bogotá's or the locale reads dates month first, and
// a warning does not fail it.
func TestSetupDoctorReportLocaleAndTimeZone(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	if out := must(t, nil, append(g, "setup")...); !strings.Contains(out, "configuración regional es_CO, zona horaria America/Bogota") || strings.Contains(out, "  ! ") {
		t.Errorf("setup:\n%s", out)
	}
	out := must(t, nil, append(g, "doctor")...)
	if !strings.Contains(out, "✓ OK     Configuración regional / locale: configuración regional es_CO, zona horaria America/Bogota") {
		t.Errorf("doctor:\n%s", out)
	}

	// Someone changes File → Settings to the United States.
	ctx := context.Background()
	ws, err := backend.Local(ctx, data, procedure.DefaultQuestions)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ws.Sheets.Service().Spreadsheets.BatchUpdate(ws.Sheets.ID(), &gsheets.BatchUpdateSpreadsheetRequest{Requests: []*gsheets.Request{{
		UpdateSpreadsheetProperties: &gsheets.UpdateSpreadsheetPropertiesRequest{
			Properties: &gsheets.SpreadsheetProperties{Locale: "en_US", TimeZone: "America/New_York"}, Fields: "locale,timeZone"},
	}}}).Context(ctx).Do()
	ws.Close()
	if err != nil {
		t.Fatal(err)
	}
	out = must(t, nil, append(g, "doctor")...)
	for _, want := range []string{
		"! AVISO  Configuración regional / locale: configuración regional en_US, zona horaria America/New_York",
		"la zona horaria del libro es America/New_York, no America/Bogota",
		"Sheets lee 5/3/2026 como 3 de mayo",
		"todo en orden / all checks passed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor lacks %q:\n%s", want, out)
		}
	}
	if out := must(t, nil, append(g, "setup")...); !strings.Contains(out, "  ! la zona horaria del libro es America/New_York") {
		t.Errorf("setup:\n%s", out)
	}
}
