package imports

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// testdata is the repository's testdata (shapes and provenance in its
// README files).
func testdata(name string) string { return filepath.Join("..", "..", "testdata", name) }

func bogota(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Bogota")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// A hand-kept workbook's Casos export is read by its Spanish headers.
func TestReadCases(t *testing.T) {
	hs, err := ReadCases(testdata("sheets/casos-historicos.csv"), bogota(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 3 || hs[0].Number != 1001 {
		t.Fatalf("read %d cases, first %+v; want 3 from 1001", len(hs), hs[0])
	}
}

// Whole or nothing: each problem refuses the file (exit 2 in mesa import)
// with Spanish naming what is wrong.
func TestRefusals(t *testing.T) {
	loc := bogota(t)
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"no such file", func() error { _, err := ReadCases(filepath.Join(t.TempDir(), "no.csv"), loc); return err }, "no se pudo abrir"},
		{"not an admin tab", func() error { _, err := ReadAdminTab("casos", testdata("sheets/agentes.csv")); return err }, "no se importa: use agentes, catalogo o festivos"},
		{"agents the cycle would skip", func() error {
			_, err := ReadAdminTab("agentes", testdata("sheets/agentes-con-errores.csv"))
			return err
		}, "la pestaña Agentes no se cambió"},
		{"a required column missing", func() error {
			_, err := ReadResponses(testdata("forms/solicitudes-sin-descripcion.csv"), procedure.Solicitudes, procedure.DefaultQuestions[procedure.Solicitudes], loc)
			return err
		}, "no se importó nada"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.err()
			var r Refusal
			if !errors.As(err, &r) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want a refusal with %q", err, c.want)
			}
		})
	}
}
