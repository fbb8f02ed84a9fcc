package workspacefake_test

import (
	"testing"

	"github.com/funza-tic/mesa/internal/workspacefake"
)

func TestParseA1(t *testing.T) {
	const open = workspacefake.Open_
	tests := []struct {
		in              string
		sheet           string
		hasSheet, whole bool
		r0, c0, r1, c1  int
		cell            bool
		wantErr         bool
	}{
		{in: "Casos!A1:Z9", sheet: "Casos", hasSheet: true, r0: 0, c0: 0, r1: 9, c1: 26},
		{in: "'Quoted Tab'!A1:Z9", sheet: "Quoted Tab", hasSheet: true, r1: 9, c1: 26},
		{in: "'It''s'!B2", sheet: "It's", hasSheet: true, r0: 1, c0: 1, r1: 2, c1: 2, cell: true},
		{in: "'Bang!Tab'!C3:D4", sheet: "Bang!Tab", hasSheet: true, r0: 2, c0: 2, r1: 4, c1: 4},
		{in: "Tab!A:Z", sheet: "Tab", hasSheet: true, r1: open, c1: 26},
		{in: "Tab!A2:C", sheet: "Tab", hasSheet: true, r0: 1, r1: open, c1: 3},
		{in: "Tab!2:5", sheet: "Tab", hasSheet: true, r0: 1, r1: 5, c1: open},
		{in: "Tab!C5:A1", sheet: "Tab", hasSheet: true, r1: 5, c1: 3},
		{in: "Tab!$B$2:$C$3", sheet: "Tab", hasSheet: true, r0: 1, c0: 1, r1: 3, c1: 3},
		{in: "Tab!aa10", sheet: "Tab", hasSheet: true, r0: 9, c0: 26, r1: 10, c1: 27, cell: true},
		{in: "Tab", sheet: "Tab", hasSheet: true, whole: true},
		{in: "Casos", sheet: "Casos", hasSheet: true, whole: true},
		{in: "'Quoted Tab'", sheet: "Quoted Tab", hasSheet: true, whole: true},
		{in: "Hoja 1", sheet: "Hoja 1", hasSheet: true, whole: true},
		{in: "A1:B2", r1: 2, c1: 2},
		{in: "B3", r0: 2, c0: 1, r1: 3, c1: 2, cell: true},
		{in: "Tab!", wantErr: true},
		{in: "Tab!A", wantErr: true},
		{in: "Tab!A0", wantErr: true},
		{in: "Tab!A1:", wantErr: true},
		{in: "Tab!ZZZZ1", wantErr: true},
		{in: "'Unclosed!A1", wantErr: true},
		{in: "'Tab'A1", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := workspacefake.ParseA1(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseA1(%q) = %+v, want error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseA1(%q): %v", tt.in, err)
			}
			if got.Sheet != tt.sheet || got.HasSheet != tt.hasSheet || got.Whole != tt.whole {
				t.Errorf("sheet = %q/%v/whole %v, want %q/%v/%v", got.Sheet, got.HasSheet, got.Whole, tt.sheet, tt.hasSheet, tt.whole)
			}
			if tt.whole {
				return
			}
			if got.R0 != tt.r0 || got.C0 != tt.c0 || got.R1 != tt.r1 || got.C1 != tt.c1 || got.Cell != tt.cell {
				t.Errorf("bounds = r%d c%d r%d c%d cell %v, want r%d c%d r%d c%d cell %v",
					got.R0, got.C0, got.R1, got.C1, got.Cell, tt.r0, tt.c0, tt.r1, tt.c1, tt.cell)
			}
		})
	}
}

func TestFormatA1(t *testing.T) {
	tests := []struct {
		title          string
		r0, c0, r1, c1 int
		want           string
	}{
		{"Casos", 0, 0, 1000, 26, "Casos!A1:Z1000"},
		{"Quoted Tab", 1, 0, 3, 3, "'Quoted Tab'!A2:C3"},
		{"It's", 0, 0, 1, 1, "'It''s'!A1"},
		{"A1", 0, 0, 1, 1, "'A1'!A1"},
		{"Catálogo", 0, 26, 2, 28, "'Catálogo'!AA1:AB2"},
		{"T", 0, 701, 1, 703, "T!ZZ1:AAA1"},
	}
	for _, tt := range tests {
		if got := workspacefake.FormatA1(tt.title, tt.r0, tt.c0, tt.r1, tt.c1); got != tt.want {
			t.Errorf("FormatA1(%q, %d, %d, %d, %d) = %q, want %q", tt.title, tt.r0, tt.c0, tt.r1, tt.c1, got, tt.want)
		}
	}
}
