package workbook

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// ParseHistorial reads the journal back from its tab, in sheet order.
func ParseHistorial(t Table, loc *time.Location) (procedure.Journal, []error) {
	return ParseHistorialRoom(t, loc, 0)
}

// ParseHistorialRoom is ParseHistorial with room for at least room more
// events after the ones read: a fold told it owns the journal
// (procedure.Inputs.Owned) appends its decisions there instead of copying
// the whole journal (at 100k cases, ~300k events).
func ParseHistorialRoom(t Table, loc *time.Location, room int) (procedure.Journal, []error) {
	r := JournalReader{loc: loc, journal: procedure.NewJournal(nil, len(t.Rows)+room)}
	r.header(t.Header)
	r.rows(t.Rows, 2)
	return r.journal, r.errs
}

// JournalReader parses the Historial tab page by page, as a paged read
// delivers it (Table.AppendPage's pages), so that a cycle that only appends
// to the tab never holds its cells and the journal at once: at 100,000
// cases the tab is ~4 million cells.
type JournalReader struct {
	loc     *time.Location
	journal procedure.Journal
	errs    []error
	head    []string
	n       int // rows read under the header, blank ones included
	// The columns by position, -1 when missing.
	cols                                        []int
	cID, cRule, cKind, cResp, cAt, cCase, cData int
}

// NewJournalReader returns a reader whose journal has room for room more
// events after the ones it reads (see ParseHistorialRoom).
func NewJournalReader(loc *time.Location, room int) *JournalReader {
	return &JournalReader{loc: loc, journal: procedure.NewJournal(nil, room)}
}

// Page parses the values of the tab's rows first, first+1, ... (1 is the
// header), as AppendPage reads them.
func (r *JournalReader) Page(first int, values [][]any) {
	page := Table{Tab: Historial, Header: r.head}
	if first == 1 {
		page.AppendPage(1, values)
		r.header(page.Header)
		first = 2
	} else {
		page.AppendPage(2, values) // its rows from index 0
	}
	r.rows(page.Rows, first)
}

// Journal returns the journal read and the rows that could not be read.
func (r *JournalReader) Journal() (procedure.Journal, []error) { return r.journal, r.errs }

// Table returns the tab as a cycle that only appends to it needs it: its
// header and as many rows as it has, without their cells.
func (r *JournalReader) Table() Table {
	return Table{Tab: Historial, Header: r.head, Rows: make([][]string, r.n)}
}

func (r *JournalReader) header(h []string) {
	r.head = h
	pos := Table{Header: h}.Columns()
	col := func(name string) int {
		if p, ok := pos[fold(name)]; ok {
			return p
		}
		return -1
	}
	r.cols = make([]int, len(Historial.Columns))
	for i, c := range Historial.Columns {
		r.cols[i] = col(c.Name)
	}
	r.cID, r.cRule, r.cKind, r.cResp, r.cAt, r.cCase, r.cData = col("ID"), col("Regla"), col("Evento"), col("Respuesta"), col("Fecha efectiva"), col("Caso"), col("Datos")
}

// rows parses data rows whose first is sheet row line. It reads the cells
// by column position, as Records does, without a map per row: the journal
// is the workbook's longest tab.
func (r *JournalReader) rows(rows [][]string, line int) {
	if r.cols == nil {
		r.header(nil)
	}
	cell := func(row []string, p int) string {
		if p < 0 || p >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[p])
	}
	r.n = max(r.n, line-2+len(rows))
	for i, row := range rows {
		blank := true
		for _, p := range r.cols {
			if cell(row, p) != "" {
				blank = false
				break
			}
		}
		if blank {
			continue
		}
		e := procedure.Event{
			ID: cell(row, r.cID), Rule: procedure.Rule(cell(row, r.cRule)), Kind: procedure.Kind(cell(row, r.cKind)), Response: cell(row, r.cResp),
		}
		at, err := time.ParseInLocation(InstantLayout, cell(row, r.cAt), r.loc)
		if err == nil {
			e.At = at
		}
		if s := cell(row, r.cCase); s != "" {
			e.Case, _ = strconv.Atoi(s)
		}
		if err2 := json.Unmarshal([]byte(cell(row, r.cData)), &e.Data); err != nil || err2 != nil || e.ID == "" {
			r.errs = append(r.errs, &RowError{Tab: Historial.Name, Line: line + i, Msg: "unreadable journal row"})
			continue
		}
		r.journal.Append(e)
	}
}
