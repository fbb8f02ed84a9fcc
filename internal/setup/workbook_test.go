package setup_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/setup"
	"github.com/funza-tic/mesa/internal/workbook"
)

const sender = "mesadeayuda@funza.example"

func open(t *testing.T) *backend.Workspace {
	t.Helper()
	ws, err := backend.Local(context.Background(), t.TempDir(), procedure.DefaultQuestions)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

func sheet(t *testing.T, ws *backend.Workspace, title string) *gsheets.Sheet {
	t.Helper()
	ss, err := ws.Sheets.Service().Spreadsheets.Get(ws.Sheets.ID()).Context(context.Background()).Do()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss.Sheets {
		if s.Properties.Title == title {
			return s
		}
	}
	t.Fatalf("no tab %s", title)
	return nil
}

// An adopted workbook: Casos already has a column people added in the
// middle of the worker's. Setup keeps it editable (two protected runs),
// appends nothing it already has, and a second run changes nothing.
func TestSetupAdoptsWorkbookWithHumanColumns(t *testing.T) {
	ctx := context.Background()
	ws := open(t)
	header := []any{"Caso", "Fecha de registro", "Notas del agente"}
	for _, c := range workbook.Casos.Columns[2:] {
		header = append(header, c.Name)
	}
	agents := [][]any{
		{"Nombre", "Correo", "Activo", "Rol", "Edificios", "Servicios"},
		{"Ana Ruiz", "Ana.Ruiz@funza.example", "Sí", "Administrador", "", ""},
		{"Beto Gil", "beto@funza.example", "Sí", "Agente", "Palacio", ""},
		{"Ciro Paz", "ciro@funza.example", "No", "Agente", "Palacio", ""},
	}
	if _, err := ws.Sheets.Write(ctx, []workbook.Update{
		{Range: workbook.A1("Casos", 0, 1, len(header)-1, 1), Values: [][]any{header}},
		{Range: workbook.A1("Agentes", 0, 1, 5, 4), Values: agents},
	}); err != nil {
		t.Fatal(err)
	}
	res, err := setup.Workbook(ctx, ws.Sheets, setup.Options{Editors: []string{sender}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Admins, []string{"ana.ruiz@funza.example"}) {
		t.Errorf("admins = %v", res.Admins)
	}
	casos := sheet(t, ws, "Casos")
	var runs []string
	for _, p := range casos.ProtectedRanges {
		if !strings.HasPrefix(p.Description, setup.Marker) {
			continue
		}
		runs = append(runs, workbook.Letters(int(p.Range.StartColumnIndex))+":"+workbook.Letters(int(p.Range.EndColumnIndex-1)))
		if !slices.Equal(p.Editors.Users, []string{"ana.ruiz@funza.example", sender}) {
			t.Errorf("editors = %v", p.Editors.Users)
		}
	}
	if want := []string{"A:B", "D:" + workbook.Letters(len(workbook.Casos.Columns))}; !slices.Equal(runs, want) {
		t.Errorf("protected runs of Casos = %v, want %v (column C belongs to people)", runs, want)
	}
	var views []string
	for _, fv := range casos.FilterViews {
		views = append(views, fv.Title)
	}
	if want := []string{"Casos de Ana Ruiz", "Casos de Beto Gil"}; !slices.Equal(views, want) {
		t.Errorf("filter views = %v, want %v (active people only)", views, want)
	}
	again, err := setup.Workbook(ctx, ws.Sheets, setup.Options{Editors: []string{sender}})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changes) != 0 {
		t.Errorf("second run changed %v", again.Changes)
	}
}
