package workbook

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// Table is a tab as read from the sheet: its header row and data rows, each
// cell as a canonical string. Data row i is sheet row i+2.
type Table struct {
	Tab    Tab
	Header []string
	Rows   [][]string

	// keys finds rows by key for Plan. It is shared with the tables Plan
	// derives from this one, which only change cells of rows and add rows
	// below, so that a tab is indexed once per read, not once per plan (a
	// cycle kept in the worker's cache plans Notificaciones' 200,000 rows
	// three times). See rowOf.
	keys *keyIndex
}

// keyIndex maps a key to the first data row that holds it.
type keyIndex struct {
	col  int // the key's sheet column
	rows map[string]int
}

// rowOf returns the first data row of t holding key in sheet column col,
// from the index t shares with the tables of its lineage. An entry is
// checked against the row before it is trusted (a plan whose result was
// dropped may have added rows the table does not have); a key whose entry
// fails the check makes the index be built again from t. A key missing
// from the index is missing from t: every row of t was indexed, or added
// by the plan that made t.
func (t *Table) rowOf(col int, key string) (int, bool) {
	if t.keys == nil || t.keys.col != col {
		t.index(col)
	}
	i, ok := t.keys.rows[key]
	if !ok {
		return 0, false
	}
	if i < len(t.Rows) && get(t.Rows[i], col) == key {
		return i, true
	}
	t.index(col)
	i, ok = t.keys.rows[key]
	return i, ok
}

// index builds t's key index afresh.
func (t *Table) index(col int) {
	k := &keyIndex{col: col, rows: make(map[string]int, len(t.Rows))}
	for i, row := range t.Rows {
		if key := get(row, col); key != "" {
			if _, dup := k.rows[key]; !dup {
				k.rows[key] = i
			}
		}
	}
	t.keys = k
}

// Update is one range of cells to write.
type Update struct {
	Range  string
	Values [][]any
	// At, when set, says the range is addressed by row position: where the
	// rows were, by key, when the write was planned. Rebase checks it
	// against the keys the tab holds just before the write.
	At *Rows
}

// Rows is where a positional write lands and which rows it means.
type Rows struct {
	Tab    string
	KeyCol int      // sheet column (zero-based) of the tab's key
	First  int      // sheet row (one-based) of the first line of Values
	C0, C1 int      // sheet columns (zero-based) the range spans
	Keys   []string // the key of each line of Values
	New    bool     // rows added below the table
	Dup    bool     // a second row of the key Keys[0]: emptied only while it still is one
}

// Cell renders a value read with UNFORMATTED_VALUE as a canonical string, so
// a number reads the same whatever the spreadsheet's locale.
func Cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		// Whole numbers (case numbers, counts) as FormatFloat spells
		// them, without its shortest-digits search; -0 is left to it.
		if x > -1e15 && x < 1e15 {
			if i := int64(x); float64(i) == x && (i != 0 || !math.Signbit(x)) {
				return strconv.FormatInt(i, 10)
			}
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "TRUE"
		}
		return "FALSE"
	default:
		return fmt.Sprint(x)
	}
}

// NewTable builds a Table from the values of a whole tab. The cells of all
// rows share one array (a 100k-row tab is 2M cells); each row's capacity
// ends where the row does, so appending to a row never overwrites the next.
//
// A number in one of the schema's Date columns is a date a person typed
// (Sheets keeps it as a serial number, read with SERIAL_NUMBER whatever
// the spreadsheet's locale): it reads as YYYY-MM-DD.
func NewTable(tab Tab, values [][]any) Table {
	t := Table{Tab: tab}
	t.AppendPage(1, values)
	return t
}

// AppendPage adds to t the values of a page of a paged read
// (sheets.Client.ReadPaged), whose first row is sheet row first (row 1 is
// the header). Blank rows that ended the pages before a page with rows
// are added, so that data row i stays sheet row i+2 (trailing blank rows
// are left out, as a whole read leaves them out). The page's cells share one array,
// as in NewTable.
func (t *Table) AppendPage(first int, values [][]any) {
	n := 0
	for _, row := range values {
		n += len(row)
	}
	cells := make([]string, 0, n)
	if t.Rows == nil && first+len(values) > 2 {
		t.Rows = make([][]string, 0, first+len(values)-2)
	}
	for len(values) > 0 && first > 1 && len(t.Rows)+2 < first {
		t.Rows = append(t.Rows, nil)
	}
	dates := dateColumns(t.Tab, t.Header)
	var in interner
	for i, row := range values {
		start := len(cells)
		for j, v := range row {
			if f, ok := v.(float64); ok && j < len(dates) && dates[j] {
				cells = append(cells, serialDate(f).Format(time.DateOnly))
				continue
			}
			cells = append(cells, in.get(j, Cell(v)))
		}
		line := cells[start:len(cells):len(cells)]
		if first+i == 1 {
			t.Header = line
			dates = dateColumns(t.Tab, line)
			continue
		}
		t.Rows = append(t.Rows, line)
	}
}

// interner keeps one copy of the short texts that repeat down a column
// (states, agents, services, buildings, event kinds): as decoded, each cell
// is a string of its own, so a 100,000-case office held each of them
// millions of times. Each column remembers its first internCap distinct
// texts; a column of unique values (IDs, instants) stops growing there, and
// once its texts mostly miss the full set (internGiveUp misses for each
// hit) it is no longer looked up at all: at 100k cases those lookups were
// most of NewTable's time. One interner serves one page.
type interner struct{ cols []internCol }

type internCol struct {
	m          map[string]string
	hits, miss int // lookups since m filled up
	off        bool
	// recent holds texts of m by a cheap hash (recentSlot): a column of a
	// few repeated texts (states, agents) finds them here, with one string
	// compare instead of a map lookup.
	recent [128]string
}

// recentSlot is s's slot in internCol.recent: a multiplicative hash of its
// length, first, middle and last two bytes (texts that repeat in a column
// often differ only at the end: "Agente 01", "Agente 11").
func recentSlot(s string) int {
	h := uint32(len(s)) ^ uint32(s[0])<<8 ^ uint32(s[len(s)/2])<<16 ^ uint32(s[len(s)-1])<<24 ^ uint32(s[max(len(s)-2, 0)])<<4
	return int(h * 0x9E3779B1 >> 25) // the top 7 bits: 0..127
}

const (
	internCap    = 512
	internLen    = 64 // longer texts (descriptions) rarely repeat
	internGiveUp = 4
)

func (in *interner) get(j int, s string) string {
	if s == "" || len(s) > internLen {
		return s
	}
	for len(in.cols) <= j {
		in.cols = append(in.cols, internCol{m: map[string]string{}})
	}
	c := &in.cols[j]
	if c.off {
		return s
	}
	full := len(c.m) >= internCap
	slot := &c.recent[recentSlot(s)]
	if *slot == s {
		if full {
			c.hits++
		}
		return *slot
	}
	if v, ok := c.m[s]; ok {
		if full {
			c.hits++
		}
		*slot = v
		return v
	}
	if !full {
		c.m[s], *slot = s, s
		return s
	}
	c.miss++
	if c.miss > 2*internCap && c.miss > internGiveUp*c.hits {
		c.off, c.m = true, nil
	}
	return s
}

// dateColumns marks the header positions of tab's Date columns (nil when
// it has none).
func dateColumns(tab Tab, header []string) []bool {
	var out []bool
	for j, h := range header {
		for _, c := range tab.Columns {
			if c.Type == Date && fold(c.Name) == fold(h) {
				if out == nil {
					out = make([]bool, len(header))
				}
				out[j] = true
			}
		}
	}
	return out
}

// serialEpoch is day 0 of Sheets' date serial numbers: "the whole number
// portion of the value counts the days since December 30th 1899" (Sheets
// API, DateTimeRenderOption).
var serialEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serialDate is the calendar day of a Sheets date serial number (the time
// of day, the fraction, is dropped), at midnight UTC.
func serialDate(serial float64) time.Time {
	return serialEpoch.AddDate(0, 0, int(math.Floor(serial)))
}

// Columns maps each header to its position (first occurrence), matching
// headers regardless of accents and case.
func (t Table) Columns() map[string]int {
	m := map[string]int{}
	for i, h := range t.Header {
		k := fold(h)
		if _, ok := m[k]; !ok && k != "" {
			m[k] = i
		}
	}
	return m
}

// Records returns the data rows as maps keyed by the schema's column names,
// for reading admin tabs. Blank rows are skipped; Line is the sheet row.
func (t Table) Records() []Record {
	pos := t.Columns()
	var out []Record
	for i, row := range t.Rows {
		r := Record{Line: i + 2, Values: map[string]string{}}
		blank := true
		for _, c := range t.Tab.Columns {
			if p, ok := pos[fold(c.Name)]; ok && p < len(row) {
				v := strings.TrimSpace(row[p])
				r.Values[c.Name] = v
				blank = blank && v == ""
			}
		}
		if !blank {
			out = append(out, r)
		}
	}
	return out
}

// Scan calls fn for each data row that Records would return, with the
// same values (by schema column name, trimmed) and Line, without building
// a map per row: for the long tabs a cycle reads every time (the outbox's
// 200,000 rows at 100k cases).
func (t Table) Scan(fn func(line int, get func(col string) string)) {
	pos := t.Columns()
	at := make(map[string]int, len(t.Tab.Columns))
	for _, c := range t.Tab.Columns {
		if p, ok := pos[fold(c.Name)]; ok {
			at[c.Name] = p
		}
	}
	var row []string
	get := func(col string) string {
		if p, ok := at[col]; ok && p < len(row) {
			return strings.TrimSpace(row[p])
		}
		return ""
	}
	for i, r := range t.Rows {
		row = r
		blank := true
		for _, p := range at {
			if p < len(r) && strings.TrimSpace(r[p]) != "" {
				blank = false
				break
			}
		}
		if !blank {
			fn(i+2, get)
		}
	}
}

// Record is one row of a tab by column name.
type Record struct {
	Line   int
	Values map[string]string
}

// Get returns the value of a column.
func (r Record) Get(col string) string { return r.Values[col] }

// Plan returns the writes that make the tab hold the desired rows (in schema
// column order, canonical strings): a header if the tab has none, missing
// worker columns appended after the existing ones, changed worker cells of
// existing rows (found by key), and new rows below the last one. Columns
// that are not in the schema belong to people and are never written; rows
// whose key is not desired are left alone. It also returns the table as it
// will read once the writes are applied, to plan further writes against.
func Plan(t Table, desired [][]string) ([]Update, Table) {
	return plan(t, desired, false)
}

// PlanNew is Plan for rows whose keys the tab does not hold yet (the new
// events of the append-only journal): it does not index the tab's keys
// (at 100k cases Historial has ~300,000 rows). A desired row whose key the
// tab does hold is appended again, so only use it when that cannot be.
func PlanNew(t Table, desired [][]string) ([]Update, Table) {
	return plan(t, desired, true)
}

func plan(t Table, desired [][]string, fresh bool) ([]Update, Table) {
	tab := t.Tab
	pos := t.Columns()
	var ups []Update
	header := append([]string(nil), t.Header...)
	for _, c := range tab.Columns {
		if _, ok := pos[fold(c.Name)]; !ok {
			pos[fold(c.Name)] = len(header)
			ups = append(ups, Update{Range: A1(tab.Name, len(header), 1, len(header), 1), Values: [][]any{{c.Name}}})
			header = append(header, c.Name)
		}
	}
	at := make([]int, len(tab.Columns)) // schema column -> sheet column
	for j, c := range tab.Columns {
		at[j] = pos[fold(c.Name)]
	}
	keyCol := tab.Index(tab.Key)
	// Rows are copied at the first change (Rows[i] is replaced), and
	// capped so that appending below never writes into t's array.
	after := Table{Tab: tab, Header: header, Rows: t.Rows[:len(t.Rows):len(t.Rows)], keys: t.keys}
	copied := false
	next := len(t.Rows)
	var added [][]string
	// While the desired rows match t's rows one by one from the top, with
	// keys that increase (a tab the worker appended in case order and
	// nobody sorted since), desired row d is data row d and no row above
	// holds its key; once every row of t is matched so, a greater key is
	// not in t. The key index is neither built nor looked up until a row
	// breaks that order.
	inOrder, prev := !fresh, ""
	for d, want := range desired {
		want = fitCells(want)
		key := want[keyCol]
		if inOrder {
			inOrder = key != "" && (d == 0 || keyLess(prev, key)) && (d >= len(t.Rows) || get(t.Rows[d], at[keyCol]) == key)
			prev = key
		}
		i, ok := 0, false
		switch {
		case inOrder:
			i, ok = d, d < len(t.Rows)
		case !fresh:
			i, ok = t.rowOf(at[keyCol], key)
			after.keys = t.keys
		}
		if !ok {
			added = append(added, want)
			continue
		}
		var changed map[int]any // made at the first change: most rows have none
		for j, v := range want {
			if get(t.Rows[i], at[j]) != v {
				if changed == nil {
					changed = map[int]any{}
				}
				changed[at[j]] = value(tab.Columns[j].Type, v)
			}
		}
		if len(changed) > 0 {
			if !copied {
				after.Rows, copied = slices.Clone(after.Rows), true
			}
			after.Rows[i] = place(t.Rows[i], at, want)
			for _, u := range runs(tab.Name, i+2, changed) {
				u.At.KeyCol, u.At.Keys = at[keyCol], []string{want[keyCol]}
				ups = append(ups, u)
			}
		}
	}
	if len(added) > 0 {
		ups = append(ups, appendRows(tab, at, keyCol, next+2, added)...)
		for _, want := range added {
			if k := after.keys; k != nil && k.col == at[keyCol] && want[keyCol] != "" {
				if i, ok := k.rows[want[keyCol]]; !ok || i >= len(after.Rows) || get(after.Rows[i], k.col) != want[keyCol] {
					k.rows[want[keyCol]] = len(after.Rows)
				}
			}
			after.Rows = append(after.Rows, place(nil, at, want))
		}
	}
	return ups, after
}

// keyLess orders keys so that canonical numbers (case numbers) go in
// numeric order: shorter first, then bytewise.
func keyLess(a, b string) bool {
	return len(a) < len(b) || len(a) == len(b) && a < b
}

// fitCells clips the cells too long for Google Sheets (procedure.MaxCell):
// one such cell would make Google refuse the whole write, and with it the
// cycle. Journal data never needs it (the fold fits it before journaling);
// this catches the views that join several texts. The row is copied only
// when a cell is cut.
func fitCells(row []string) []string {
	copied := false
	for j, v := range row {
		if len(v) <= procedure.MaxCell {
			continue
		}
		if c := procedure.ClipCell(v); c != v {
			if !copied {
				row, copied = append([]string(nil), row...), true
			}
			row[j] = c
		}
	}
	return row
}

// place returns row with the schema values put at their sheet columns.
func place(row []string, at []int, want []string) []string {
	out := append([]string(nil), row...)
	for j, v := range want {
		for len(out) <= at[j] {
			out = append(out, "")
		}
		out[at[j]] = v
	}
	return out
}

// appendRows writes new rows from sheet row first on: one range for all of
// them when the worker columns are contiguous (the usual layout), else runs.
func appendRows(tab Tab, at []int, keyCol, first int, rows [][]string) []Update {
	lo, hi := at[0], at[0]
	for _, p := range at {
		lo, hi = min(lo, p), max(hi, p)
	}
	if hi-lo+1 == len(at) {
		block := make([][]any, len(rows))
		keys := make([]string, len(rows))
		for r, want := range rows {
			line := make([]any, len(at))
			for j, v := range want {
				line[at[j]-lo] = value(tab.Columns[j].Type, v)
			}
			block[r] = line
			keys[r] = want[keyCol]
		}
		return []Update{{Range: A1(tab.Name, lo, first, hi, first+len(rows)-1), Values: block,
			At: &Rows{Tab: tab.Name, KeyCol: at[keyCol], First: first, C0: lo, C1: hi, Keys: keys, New: true}}}
	}
	var ups []Update
	for r, want := range rows {
		cells := map[int]any{}
		for j, v := range want {
			cells[at[j]] = value(tab.Columns[j].Type, v)
		}
		for _, u := range runs(tab.Name, first+r, cells) {
			u.At.KeyCol, u.At.Keys, u.At.New = at[keyCol], []string{want[keyCol]}, true
			ups = append(ups, u)
		}
	}
	return ups
}

// runs groups the changed cells of one row into contiguous ranges.
func runs(tab string, row int, cells map[int]any) []Update {
	if len(cells) == 0 {
		return nil
	}
	cs := make([]int, 0, len(cells))
	for c := range cells {
		cs = append(cs, c)
	}
	sort.Ints(cs)
	var ups []Update
	start := 0
	for i := 1; i <= len(cs); i++ {
		if i < len(cs) && cs[i] == cs[i-1]+1 {
			continue
		}
		vals := make([]any, 0, i-start)
		for _, c := range cs[start:i] {
			vals = append(vals, cells[c])
		}
		ups = append(ups, Update{Range: A1(tab, cs[start], row, cs[i-1], row), Values: [][]any{vals},
			At: &Rows{Tab: tab, First: row, C0: cs[start], C1: cs[i-1]}})
		start = i
	}
	return ups
}

// value is what gets written for a canonical string: numbers as numbers in
// Number columns, everything else as text (written RAW, never a formula).
func value(t Type, s string) any {
	if t == Number && s != "" {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return s
}

func get(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// A1 renders a range such as 'Casos'!C5:F5 (columns zero-based, rows one-based).
func A1(tab string, c1, r1, c2, r2 int) string {
	return fmt.Sprintf("%s!%s%d:%s%d", Quote(tab), Letters(c1), r1, Letters(c2), r2)
}

// Quote quotes a tab name for A1 notation.
func Quote(tab string) string { return "'" + strings.ReplaceAll(tab, "'", "''") + "'" }

// Letters renders a zero-based column index as A, B, ..., Z, AA, ...
func Letters(c int) string {
	s := ""
	for c++; c > 0; c = (c - 1) / 26 {
		s = string(rune('A'+(c-1)%26)) + s
	}
	return s
}

// fold is the comparison key of a header typed by hand.
func fold(s string) string { return procedure.Norm(s) }
