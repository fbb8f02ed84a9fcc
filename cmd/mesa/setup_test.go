package main

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/setup"
	"github.com/funza-tic/mesa/internal/workbook"
)

// spreadsheet returns the workbook's JSON as spreadsheets.get gives it,
// with the first two rows of Casos and Agentes (for their validation).
func spreadsheet(t *testing.T, data string) map[string]*gsheets.Sheet {
	t.Helper()
	ctx := context.Background()
	ws, err := backend.Local(ctx, data, procedure.DefaultQuestions)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ss, err := ws.Sheets.Service().Spreadsheets.Get(ws.Sheets.ID()).Ranges("'Casos'!1:2", "'Agentes'!1:2", "Historial", "Control").
		IncludeGridData(true).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*gsheets.Sheet{}
	for _, s := range ss.Sheets {
		out[s.Properties.Title] = s
	}
	return out
}

// validation returns the rule on row 2 of the column headed name.
func validation(s *gsheets.Sheet, name string) []string {
	header := s.Data[0].RowData[0].Values
	for i, h := range header {
		if h.UserEnteredValue == nil || h.UserEnteredValue.StringValue == nil || *h.UserEnteredValue.StringValue != name {
			continue
		}
		row := s.Data[0].RowData[1].Values
		if i >= len(row) || row[i].DataValidation == nil {
			return nil
		}
		var vals []string
		for _, v := range row[i].DataValidation.Condition.Values {
			vals = append(vals, v.UserEnteredValue)
		}
		return vals
	}
	return nil
}

// The walk: setup → sync → doctor against the fake, then the
// protections, validations and filter views read back from spreadsheets.get.
func TestSetupSyncDoctorWalk(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	out := must(t, nil, append(g, "setup")...)
	for _, want := range []string{"cambios aplicados / changes made", "filter view Casos de Carlos Pérez", "✓ solicitudes"} {
		if !strings.Contains(out, want) {
			t.Errorf("setup output lacks %q:\n%s", want, out)
		}
	}
	if out := must(t, nil, append(g, "setup")...); !strings.Contains(out, "nada que cambiar") || strings.Contains(out, "  + ") {
		t.Errorf("second setup changed something:\n%s", out)
	}
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/solicitudes.csv"))...)
	must(t, nil, append(g, "--now", "2026-03-16T12:00:00-05:00", "sync")...)
	out = must(t, nil, append(g, "--now", "2026-03-16T12:05:00-05:00", "doctor")...)
	if !strings.Contains(out, "todo en orden / all checks passed") || strings.Contains(out, "FALLA") {
		t.Errorf("doctor:\n%s", out)
	}
	// The cell budget: every grid cell of every tab, in Spanish digits.
	if !regexp.MustCompile(`✓ OK     Celdas / cells: [0-9.]+ de 10\.000\.000 celdas en uso \([0-9]+ %\), contando las vacías de todas las pestañas`).MatchString(out) {
		t.Errorf("doctor does not report the cell budget:\n%s", out)
	}
	if out := must(t, nil, append(g, "setup")...); strings.Contains(out, "  + ") {
		t.Errorf("setup after a sync changed something:\n%s", out)
	}

	ss := spreadsheet(t, data)
	editors := []string{"mesadeayuda@funza-cundinamarca.gov.co", "sandra.rosas@funza-cundinamarca.gov.co"}
	for _, tab := range []string{"Casos", "Historial", "Agentes", "Control"} {
		s := ss[tab]
		if s.Properties.GridProperties.FrozenRowCount != 1 {
			t.Errorf("%s: %d frozen rows", tab, s.Properties.GridProperties.FrozenRowCount)
		}
		n := 0
		for _, p := range s.ProtectedRanges {
			if strings.HasPrefix(p.Description, setup.Marker) {
				n++
				if !slices.Equal(p.Editors.Users, editors) {
					t.Errorf("%s: editors %v, want %v", tab, p.Editors.Users, editors)
				}
			}
		}
		if n != 1 {
			t.Errorf("%s: %d protected ranges of mesa, want 1", tab, n)
		}
	}
	if got := validation(ss["Agentes"], "Activo"); !slices.Equal(got, []string{"Sí", "No"}) {
		t.Errorf("Agentes.Activo validation = %v", got)
	}
	if got := validation(ss["Agentes"], "Rol"); !slices.Equal(got, []string{"Agente", "Administrador", "Coordinador", "Garantías"}) {
		t.Errorf("Agentes.Rol validation = %v", got)
	}
	if got := validation(ss["Casos"], "Estado"); !slices.Contains(got, "En Espera") || !slices.Contains(got, "Resuelto") {
		t.Errorf("Casos.Estado validation = %v", got)
	}
	var formulas []string
	for _, r := range ss["Casos"].ConditionalFormats {
		formulas = append(formulas, r.BooleanRule.Condition.Values[0].UserEnteredValue)
	}
	letter := func(col string) string { return workbook.Letters(workbook.Casos.Index(col)) }
	if want := []string{`=$` + letter("Vencido") + `2="Sí"`, `=$` + letter("Estado") + `2="En Espera"`}; !slices.Equal(formulas, want) {
		t.Errorf("conditional formats = %v, want %v", formulas, want)
	}
	views := map[string]string{}
	for _, fv := range ss["Casos"].FilterViews {
		if fv.FilterSpecs[0].ColumnIndex != int64(workbook.Casos.Index("Agente asignado")) {
			t.Errorf("%s filters column %d", fv.Title, fv.FilterSpecs[0].ColumnIndex)
		}
		views[fv.Title] = fv.FilterSpecs[0].FilterCriteria.Condition.Values[0].UserEnteredValue
	}
	if len(views) != 6 || views["Casos de Carlos Pérez"] != "Carlos Pérez" || views["Casos de Jhon Fredy Ríos"] != "" {
		t.Errorf("filter views = %v, want one per active agent", views)
	}
}

// A form whose questions do not match the configuration makes doctor
// fail with exit code 1 (runtime), not 2 (configuration).
func TestDoctorFailsOnFormMismatch(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "setup")...)
	env := []string{"MESA_FORMS_SOLICITUDES_QUESTIONS_EDIFICIO=Sede"}
	out, err := mesa(t, env, append(g, "doctor")...)
	if err == nil || errors.Is(err, errUsage) {
		t.Fatalf("doctor error = %v, want a runtime failure", err)
	}
	if !strings.Contains(out, "✗ FALLA  Formulario / form solicitudes") || !strings.Contains(out, "Sede") {
		t.Errorf("doctor output:\n%s", out)
	}
	if _, err := mesa(t, []string{"MESA_BACKEND=google"}, append(g, "doctor")...); !errors.Is(err, errUsage) {
		t.Errorf("doctor with a broken config: %v, want a usage error (exit 2)", err)
	}
}
