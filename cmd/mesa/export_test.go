package main

import (
	"os"
	"strings"
	"testing"
)

func TestExport(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}

	// DESIGN.md §10c: "export TAB of an empty tab prints the header row and
	// exits 0 (any note on stderr)", also for a report tab not written yet.
	for _, tab := range []string{"casos", "indicadores"} {
		out, errOut, err := run(t, nil, append(g, "export", tab)...)
		if err != nil || strings.Count(out, "\n") != 1 || !strings.Contains(errOut, "está vacía") {
			t.Errorf("export %s of an empty workbook: %v, stdout %q, stderr %q", tab, err, out, errOut)
		}
	}
	if out, _, _ := run(t, nil, append(g, "export", "casos")...); !strings.HasPrefix(out, "Caso,Fecha de registro,") {
		t.Errorf("empty Casos header: %q", out)
	}

	_, _, err := run(t, nil, append(g, "export", "cases")...)
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "casos, ") || !strings.Contains(err.Error(), "agentes") || !strings.Contains(err.Error(), "looker") {
		t.Errorf("unknown tab: exit %d %v, want 2 listing the valid tabs", exitCode(err), err)
	}

	// A form answer that Excel would run as a formula stays text in the
	// Excel flavour (testdata/forms/solicitudes.csv, Inés Rojas' request).
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	must(t, nil, append(g, "import", "responses", "--form", "solicitudes", testdata("forms/solicitudes.csv"))...)
	must(t, nil, append(g, "--now", "2026-03-17T18:00:00-05:00", "sync")...)
	plain := must(t, nil, append(g, "export", "casos")...)
	if !strings.Contains(plain, `"=HYPERLINK(""http://x"") La extensión`) {
		t.Errorf("plain CSV changed the answer:\n%s", plain)
	}
	excel := must(t, nil, append(g, "export", "casos", "--excel")...)
	if !strings.HasPrefix(excel, "\uFEFFCaso;Fecha de registro;") || !strings.Contains(excel, "\r\n") {
		t.Errorf("--excel is not BOM + ; + CRLF:\n%.200q", excel)
	}
	if !strings.Contains(excel, `"'=HYPERLINK(""http://x"") La extensión no tiene tono"`) && !strings.Contains(excel, `'=HYPERLINK(""http://x"") La extensión no tiene tono`) {
		t.Errorf("--excel left a formula:\n%s", excel)
	}

	t.Chdir(t.TempDir())
	if out := must(t, nil, append(g, "export", "casos", "--format", "xlsx")...); out != "casos.xlsx\n" {
		t.Errorf("xlsx export printed %q", out)
	}
	st, err := os.Stat("casos.xlsx")
	if err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("casos.xlsx: %v, mode %v, want 0644", err, st.Mode().Perm())
	}
}

// The tabs a wrong name is answered with include Derechos, which export
// reads (mesa privacy request writes it): a person who mistypes it is told
// its name.
func TestExportUnknownTabListsDerechos(t *testing.T) {
	_, err := mesa(t, nil, "--data", t.TempDir(), "export", "derecho")
	if exitCode(err) != 2 || !strings.Contains(err.Error(), ", derechos") {
		t.Errorf("mesa export derecho: %v, want exit 2 naming derechos", err)
	}
}
