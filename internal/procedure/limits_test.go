package procedure_test

import (
	"encoding/json"
	"strings"
	"testing"

	. "github.com/funza-tic/mesa/internal/procedure"
)

// Answers too long for a Google Sheets cell (50,000 characters) are cut in
// the fold, so the journal's JSON of each event fits its Historial cell and
// the case reads the same replayed as decided. The procedures are silent on
// long answers: we keep the start of the text and say where the full answer
// is (the Google Form keeps every response).
func TestLongAnswersAreFittedInTheFold(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"60,000 letters", strings.Repeat("a", 60_000)},
		{"20,000 '<' (six characters each once HTML-escaped)", strings.Repeat("<", 20_000)},
		{"30,000 line breaks and quotes", strings.Repeat("\"\n", 15_000) + "fin"},
		{"emoji count two", strings.Repeat("🖨", 30_000)},
		{"control characters count six", strings.Repeat("\x01", 10_000)},
		{"just fits", strings.Repeat("b", 45_000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDesk(t, Funza)
			long := req("r-largo", "2026-03-18 09:00", kv{FDescription: tt.text, FBuilding: tt.text})
			normal := req("r-normal", "2026-03-18 09:05", nil)
			res := d.cycle("2026-03-18 10:00", long, normal)
			if c := res.Case(2); c == nil || c.Description != "El computador no enciende" {
				t.Fatalf("the normal request after the long one was not numbered 2: %+v", c)
			}
			for _, e := range res.New {
				data := EncodeData(e.Data)
				if n := CellLen(data); n > MaxCell {
					t.Errorf("%s: journal data of %d characters", e.Kind, n)
				}
				var back Data
				if err := json.Unmarshal([]byte(data), &back); err != nil {
					t.Errorf("%s: journal data does not read back: %v", e.Kind, err)
				}
			}
			c := res.Case(1)
			if c == nil {
				t.Fatal("the long request was not registered")
			}
			cut := CellLen(c.Description) < CellLen(tt.text)
			if cut != strings.Contains(c.Description, "[Texto recortado a ") {
				t.Errorf("a cut description must say so, and only then: %q", tail(c.Description))
			}
			if cut && !strings.HasSuffix(c.Description, "la respuesta completa está en el formulario, respuesta r-largo]") {
				t.Errorf("the note does not say where the full answer is: %q", tail(c.Description))
			}
			// Replaying the journal gives the same case.
			again := d.eng.Fold(Inputs{Journal: JournalOf(d.journal...), Agents: d.agents, Catalog: d.catalog, Now: at("2026-03-18 10:00")})
			if got := again.Case(1); got.Description != c.Description || got.Building != c.Building || got.Note != c.Note {
				t.Error("the replayed case differs from the decided one")
			}
		})
	}
}

func TestClipCell(t *testing.T) {
	for _, s := range []string{"corto", strings.Repeat("x", MaxCell), strings.Repeat("x", MaxCell+1), strings.Repeat("🖨", MaxCell)} {
		got := ClipCell(s)
		if CellLen(got) > MaxCell {
			t.Errorf("ClipCell left %d characters", CellLen(got))
		}
		if (got != s) != (CellLen(s) > MaxCell) {
			t.Errorf("ClipCell changed a cell that fits, or kept one that does not (%d characters)", CellLen(s))
		}
	}
}

func tail(s string) string { return s[max(0, len(s)-160):] }

// A hand-kept workbook's case adopted by `mesa import cases` skips the fold;
// its events fit a cell all the same.
func TestAdoptedCaseFitsACell(t *testing.T) {
	evs, err := Adopt(&Case{Number: 7, Registered: at("2025-11-03 08:00"), Email: "jose.nunez@funza-cundinamarca.gov.co",
		Description: strings.Repeat("<", 60_000), State: Resuelto, Solved: at("2025-11-04 08:00"), Activities: strings.Repeat("a", 60_000)})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if n := CellLen(EncodeData(e.Data)); n > MaxCell {
			t.Errorf("%s: journal data of %d characters", e.Kind, n)
		}
	}
	if !strings.HasSuffix(evs[0].Data.Description, "no cabe en una celda de Google Sheets]") {
		t.Errorf("the cut description does not say so: %q", tail(evs[0].Data.Description))
	}
}
