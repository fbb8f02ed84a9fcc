package export

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/workbook"
)

// sheet is a workbook holding the given tabs' values.
type sheet map[string][][]any

func (s sheet) Tabs(context.Context) ([]string, error) {
	var out []string
	for t := range s {
		out = append(out, t)
	}
	return out, nil
}

func (s sheet) Read(_ context.Context, tabs []string) ([][][]any, error) {
	var out [][][]any
	for _, t := range tabs {
		out = append(out, s[t])
	}
	return out, nil
}

// DESIGN.md §8: "export --format csv: header row then rows; instants as
// RFC 3339 with offset (2026-04-01T00:00:00-05:00), dates as YYYY-MM-DD";
// a column people added is kept as it is.
func TestCSV(t *testing.T) {
	bogota, err := time.LoadLocation("America/Bogota")
	if err != nil {
		t.Fatal(err)
	}
	sh := sheet{"Casos": {
		{"Caso", "Fecha de registro", "Nota del coordinador"},
		{"1", "2026-04-01 00:00:00", "revisar"},
	}}
	var out bytes.Buffer
	res, err := Tab(context.Background(), sh, Options{Tab: workbook.Casos, Format: CSV, Out: &out, Loc: bogota})
	if err != nil {
		t.Fatal(err)
	}
	want := "Caso,Fecha de registro,Nota del coordinador\n1,2026-04-01T00:00:00-05:00,revisar\n"
	if out.String() != want || res.Rows != 1 {
		t.Errorf("CSV %q (%d rows), want %q", out.String(), res.Rows, want)
	}
}

// DESIGN.md §10c: "export TAB of an empty tab prints the header row", also
// of a tab the workbook does not have yet; Excel's CSV neutralizes a cell
// Excel would run as a formula.
func TestEmptyTabAndExcel(t *testing.T) {
	var out bytes.Buffer
	res, err := Tab(context.Background(), sheet{}, Options{Tab: workbook.Festivos, Format: ExcelCSV, Out: &out, Loc: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != "\uFEFFFecha;Nombre\r\n" || res.Rows != 0 {
		t.Errorf("empty Festivos: %q (%d rows)", out.String(), res.Rows)
	}
	out.Reset()
	sh := sheet{"Festivos": {{"Fecha", "Nombre"}, {"2026-03-19", "=1+2"}}}
	if _, err := Tab(context.Background(), sh, Options{Tab: workbook.Festivos, Format: ExcelCSV, Out: &out, Loc: time.UTC}); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(out.String(), "\r\n"); len(lines) < 2 || strings.Contains(lines[1], ";=") {
		t.Errorf("a formula reaches Excel: %q", out.String())
	}
}

// People type tab names without accents or capitals; the report's tabs and
// Derechos are found too.
func TestFind(t *testing.T) {
	for _, name := range []string{"catalogo", "Catálogo", "looker", "indicadores", "derechos", "casos"} {
		if _, ok := Find(name); !ok {
			t.Errorf("Find(%q): not found", name)
		}
	}
	if _, ok := Find("cases"); ok {
		t.Error(`Find("cases") found a tab`)
	}
	names := Names()
	if !reflect.DeepEqual(names[:2], []string{"historial", "casos"}) || names[len(names)-1] != "derechos" {
		t.Errorf("Names() = %v", names)
	}
}
