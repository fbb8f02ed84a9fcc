package workspacefake

import "fmt"

// EditRows applies a person's edit of a tab's data rows (every row below
// the header) in the Sheets editor: a sort, an inserted or a deleted row.
// edit gets the rows as the tab holds them (typed values, as
// UNFORMATTED_VALUE reads them) and returns them as the person leaves them.
// Like a collaborator's change, it is applied at once and atomically, in
// between API requests: a request never sees half a sort. Rows that the
// edit leaves out are cleared at the bottom, as a deletion shifts rows up.
func (s *Server) EditRows(spreadsheetID, tab string, edit func(rows [][]any) [][]any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, err := s.spreadsheet(spreadsheetID)
	if err != nil {
		return fmt.Errorf("workspacefake: edit %s: %w", tab, err)
	}
	sh := ss.sheetByTitle(tab)
	if sh == nil {
		return fmt.Errorf("workspacefake: edit %s: no such tab", tab)
	}
	var rows [][]any
	width := 0
	// Each row gets one spare element of capacity, whose address
	// identifies the row after the edit: developer metadata on a row moves
	// with it (metadata.go), and goes with a deleted row.
	origin := map[*any]int{}
	for i := 1; i < len(sh.Rows); i++ {
		r := make([]any, len(sh.Rows[i]), len(sh.Rows[i])+1)
		origin[&r[:len(r)+1][len(r)]] = i
		for j, v := range sh.Rows[i] {
			if _, isFormula := v.(formula); isFormula {
				return fmt.Errorf("workspacefake: edit %s: formulas are not supported", tab)
			}
			r[j] = v
		}
		width = max(width, len(r))
		rows = append(rows, r)
	}
	before := len(rows)
	rows = edit(rows)
	moved := map[int]int{} // sheet row index before -> after
	for k, r := range rows {
		if cap(r) > len(r) {
			if i, ok := origin[&r[:len(r)+1][len(r)]]; ok {
				moved[i] = k + 1
			}
		}
	}
	var meta []*devMeta
	for _, m := range ss.Meta {
		if m.SheetID != sh.id() || m.Dim != "ROWS" || m.Index < 1 || m.Index > before {
			meta = append(meta, m)
			continue
		}
		if to, ok := moved[m.Index]; ok {
			c := *m
			c.Index = to
			meta = append(meta, &c)
		}
	}
	for _, r := range rows {
		width = max(width, len(r))
	}
	if width == 0 {
		return nil
	}
	block := make([][]any, max(before, len(rows)))
	for i := range block {
		line := make([]any, width)
		for j := range line {
			line[j] = ""
			if i < len(rows) && j < len(rows[i]) && rows[i][j] != nil {
				line[j] = rows[i][j]
			}
		}
		block[i] = line
	}
	rng := fmt.Sprintf("%s!A2:%s%d", quoteTitle(tab), colName(width-1), len(block)+1)
	a := &valuesBatchUpdateArgs{ID: spreadsheetID, Body: &batchUpdateValuesRequest{ValueInputOption: "RAW",
		Data: []*valueRange{{Range: rng, MajorDimension: "ROWS", Values: block}}}}
	_, err = mutate(s, opValuesBatchUpdate, a, s.applyValuesBatchUpdate)
	if err != nil {
		return fmt.Errorf("workspacefake: edit %s: %w", tab, err)
	}
	// Not in the write-ahead log: a fake restarted from its directory has
	// the metadata where it was before the edit (doc.go).
	ss.Meta = meta
	return nil
}
