package workbook_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// parseA1 reads back the ranges workbook.A1 writes: 'Tab'!C5:F7.
func parseA1(t *testing.T, s string) (tab string, c1, r1, c2, r2 int) {
	t.Helper()
	i := strings.LastIndex(s, "!")
	if i < 0 || len(s) < 2 || s[0] != '\'' || s[i-1] != '\'' {
		t.Fatalf("range %q: want 'Tab'!A1:B2", s)
	}
	tab = strings.ReplaceAll(s[1:i-1], "''", "'")
	a, b, ok := strings.Cut(s[i+1:], ":")
	if !ok {
		t.Fatalf("range %q: want two corners", s)
	}
	c1, r1 = cellRef(t, a)
	c2, r2 = cellRef(t, b)
	return tab, c1, r1, c2, r2
}

func cellRef(t *testing.T, s string) (col, row int) {
	t.Helper()
	j := strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' })
	if j <= 0 {
		t.Fatalf("cell %q", s)
	}
	for _, ch := range s[:j] {
		col = col*26 + int(ch-'A'+1)
	}
	row, err := strconv.Atoi(s[j:])
	if err != nil {
		t.Fatalf("cell %q: %v", s, err)
	}
	return col - 1, row
}

// FuzzA1 checks that every range A1 renders reads back as the same tab,
// columns and rows.
func FuzzA1(f *testing.F) {
	f.Add("Casos", 0, 1, 20, 100001)
	f.Add("Catálogo", 25, 2, 26, 2)
	f.Add("it's 'quoted'!", 701, 7, 702, 9)
	f.Add("", 18277, 1, 18277, 1)
	f.Fuzz(func(t *testing.T, tab string, c1, r1, c2, r2 int) {
		c1, c2 = c1&0x3fff, c2&0x3fff // up to column XFD and beyond
		r1, r2 = 1+r1&0xfffff, 1+r2&0xfffff
		s := workbook.A1(tab, c1, r1, c2, r2)
		gt, gc1, gr1, gc2, gr2 := parseA1(t, s)
		if gt != tab || gc1 != c1 || gr1 != r1 || gc2 != c2 || gr2 != r2 {
			t.Fatalf("A1(%q,%d,%d,%d,%d) = %q reads back %q,%d,%d,%d,%d", tab, c1, r1, c2, r2, s, gt, gc1, gr1, gc2, gr2)
		}
	})
}

// FuzzPlan builds a Casos tab as people may have left it (columns moved,
// renamed in case or accents, their own columns in between, rows in any
// order, duplicate and blank keys), plans the desired rows against it,
// applies the writes to a grid as Sheets would, and checks that the worker
// columns hold the desired rows, people's cells are untouched, the table
// Plan predicts is the grid, and planning again writes nothing.
func FuzzPlan(f *testing.F) {
	f.Add(uint64(1), "Impresora|=SUM(A1)|Palacio Municipal||Ángela|0|-5| x |\n")
	f.Add(uint64(42), "a|b|c")
	f.Add(uint64(7), "")
	f.Fuzz(func(t *testing.T, seed uint64, pieces string) {
		rng := rand.New(rand.NewPCG(seed, 1))
		words := strings.Split(pieces, "|")
		word := func() string { return words[rng.IntN(len(words))] }
		tab := workbook.Casos
		keyCol := tab.Index(tab.Key)

		// The header people left: some schema columns (maybe respelled), in
		// any order, with their own columns among them.
		var header []string
		for _, c := range tab.Columns {
			if rng.IntN(6) == 0 && c.Name != tab.Key {
				continue // missing: Plan appends it
			}
			name := c.Name
			if rng.IntN(4) == 0 {
				name = strings.ToUpper(name)
			}
			header = append(header, name)
		}
		rng.Shuffle(len(header), func(i, j int) { header[i], header[j] = header[j], header[i] })
		human := map[int]bool{}
		for range rng.IntN(3) {
			at := rng.IntN(len(header) + 1)
			header = append(header[:at], append([]string{fmt.Sprintf("Notas %d", at)}, header[at:]...)...)
		}
		for i, h := range header {
			if strings.HasPrefix(h, "Notas ") {
				human[i] = true
			}
		}
		keyAt := -1
		for i, h := range header {
			if strings.EqualFold(h, tab.Key) {
				keyAt = i
			}
		}

		// Existing rows, and the desired ones: some of the same keys, some new.
		nExisting := rng.IntN(8)
		var rows [][]string
		for i := range nExisting {
			row := make([]string, rng.IntN(len(header)+1))
			for j := range row {
				row[j] = word()
			}
			if keyAt < len(row) {
				row[keyAt] = strconv.Itoa(1 + i)
				if rng.IntN(8) == 0 {
					row[keyAt] = "" // a blank key: not the worker's row
				}
			}
			rows = append(rows, row)
		}
		if len(rows) > 1 && rng.IntN(4) == 0 {
			rows = append(rows, append([]string(nil), rows[0]...)) // a duplicate key: Plan uses the first
		}
		var desired [][]string
		for k := 1; k <= nExisting+rng.IntN(4); k++ {
			if rng.IntN(4) == 0 {
				continue
			}
			want := make([]string, len(tab.Columns))
			for j, c := range tab.Columns {
				want[j] = word()
				if c.Type == workbook.Number {
					want[j] = strconv.Itoa(rng.IntN(5))
				}
			}
			want[keyCol] = strconv.Itoa(k)
			desired = append(desired, want)
		}

		before := workbook.Table{Tab: tab, Header: append([]string(nil), header...), Rows: clone(rows)}
		ups, after := workbook.Plan(before, desired)

		grid := append([][]string{append([]string(nil), header...)}, clone(rows)...)
		for _, u := range ups {
			name, c1, r1, c2, r2 := parseA1(t, u.Range)
			if name != tab.Name || len(u.Values) != r2-r1+1 {
				t.Fatalf("update %s has %d rows", u.Range, len(u.Values))
			}
			for i, line := range u.Values {
				if len(line) != c2-c1+1 {
					t.Fatalf("update %s row %d has %d cells", u.Range, i, len(line))
				}
				for j, v := range line {
					r, c := r1-1+i, c1+j
					if r > 0 && human[c] && c < len(header) {
						t.Fatalf("update %s writes people's column %q", u.Range, header[c])
					}
					for len(grid) <= r {
						grid = append(grid, nil)
					}
					for len(grid[r]) <= c {
						grid[r] = append(grid[r], "")
					}
					grid[r][c] = workbook.Cell(v)
				}
			}
		}
		got := workbook.NewTable(tab, toAny(grid))
		if !sameRows(append([][]string{got.Header}, got.Rows...), append([][]string{after.Header}, after.Rows...)) {
			t.Fatalf("Plan predicted\n%q\n%q\nthe writes made\n%q\n%q", after.Header, after.Rows, got.Header, got.Rows)
		}
		pos := got.Columns()
		byKey := map[string][]string{}
		for _, r := range got.Rows {
			k := get(r, pos[fold(tab.Key)])
			if _, dup := byKey[k]; !dup && k != "" {
				byKey[k] = r
			}
		}
		for _, want := range desired {
			r, ok := byKey[want[keyCol]]
			if !ok {
				t.Fatalf("case %s is not in the tab after the writes", want[keyCol])
			}
			for j, c := range tab.Columns {
				if g := get(r, pos[fold(c.Name)]); g != want[j] {
					t.Fatalf("case %s: %s = %q, want %q", want[keyCol], c.Name, g, want[j])
				}
			}
		}
		for i, r := range rows {
			for c := range human {
				if get(got.Rows[i], c) != get(r, c) {
					t.Fatalf("row %d: people's column %q changed from %q to %q", i+2, header[c], get(r, c), get(got.Rows[i], c))
				}
			}
		}
		if again, _ := workbook.Plan(got, desired); len(again) != 0 {
			t.Fatalf("planning again writes %d ranges: %+v", len(again), again)
		}
	})
}

func fold(s string) string { return procedure.Norm(s) }

func get(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return ""
}

func clone(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = append([]string(nil), r...)
	}
	return out
}

func toAny(rows [][]string) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = make([]any, len(r))
		for j, v := range r {
			out[i][j] = v
		}
	}
	return out
}

// sameRows compares tables ignoring trailing blank cells, as Sheets does.
func sameRows(a, b [][]string) bool {
	trim := func(r []string) []string {
		for len(r) > 0 && r[len(r)-1] == "" {
			r = r[:len(r)-1]
		}
		return r
	}
	for len(a) < len(b) {
		a = append(a, nil)
	}
	for len(b) < len(a) {
		b = append(b, nil)
	}
	for i := range a {
		x, y := trim(a[i]), trim(b[i])
		if len(x) != len(y) {
			return false
		}
		for j := range x {
			if x[j] != y[j] {
				return false
			}
		}
	}
	return true
}
