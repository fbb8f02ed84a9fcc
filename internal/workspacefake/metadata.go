package workspacefake

import (
	"encoding/json"
	"fmt"
	"slices"

	"google.golang.org/api/sheets/v4"
)

// Developer metadata (FIDELITY.md, "Developer metadata"): key/value pairs
// Google keeps on a row or a column, which "remain associated at those
// locations as they move around and the spreadsheet is edited": a row
// inserted above shifts them, a deleted row deletes its metadata with it.
// Only row and column locations are implemented (mesa uses rows); a
// request for a sheet or spreadsheet location is refused, not ignored.

// devMeta is one developer metadata entry on a row or a column.
type devMeta struct {
	ID         int64  `json:"id"`
	Key        string `json:"key"`
	Value      string `json:"value,omitempty"`
	Visibility string `json:"visibility"`
	SheetID    int64  `json:"sheetId"`
	Dim        string `json:"dim"` // ROWS or COLUMNS
	Index      int    `json:"index"`
}

func (m *devMeta) api() *sheets.DeveloperMetadata {
	return &sheets.DeveloperMetadata{MetadataId: m.ID, MetadataKey: m.Key, MetadataValue: m.Value, Visibility: m.Visibility,
		Location: &sheets.DeveloperMetadataLocation{LocationType: map[string]string{"ROWS": "ROW", "COLUMNS": "COLUMN"}[m.Dim], SheetId: m.SheetID,
			DimensionRange: &sheets.DimensionRange{SheetId: m.SheetID, Dimension: m.Dim, StartIndex: int64(m.Index), EndIndex: int64(m.Index + 1)}}}
}

// cloneMeta copies the entries, for a batch's working copy.
func cloneMeta(in []*devMeta) []*devMeta {
	out := make([]*devMeta, len(in))
	for i, m := range in {
		c := *m
		out[i] = &c
	}
	return out
}

// createDeveloperMetadata validates and stores one entry. The checks are
// the reference's: "Developer metadata must always have a key specified",
// "must always have a visibility specified", an ID "Must be positive" and
// is "spreadsheet-scoped unique", and a dimensionRange location "must
// represent a single row or column; it cannot be unbounded or span multiple
// rows or columns".
func (ss *spreadsheet) createDeveloperMetadata(raw json.RawMessage) (*sheets.Response, error) {
	var r sheets.CreateDeveloperMetadataRequest
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	d := r.DeveloperMetadata
	switch {
	case d == nil:
		return nil, fmt.Errorf("developerMetadata is required")
	case d.MetadataKey == "":
		return nil, fmt.Errorf("Developer metadata must always have a key specified.")
	case d.Visibility != "DOCUMENT" && d.Visibility != "PROJECT":
		return nil, fmt.Errorf("Developer metadata must always have a visibility specified.")
	case d.MetadataId < 0:
		return nil, fmt.Errorf("Developer metadata ID must be positive.")
	case d.Location == nil:
		return nil, fmt.Errorf("Developer metadata must have a location.")
	}
	loc := d.Location
	if loc.DimensionRange == nil {
		return nil, fmt.Errorf("the fake only keeps developer metadata on a row or a column (location.dimensionRange)")
	}
	dr := loc.DimensionRange
	sh := ss.sheetByID(dr.SheetId)
	if sh == nil {
		return nil, fmt.Errorf("No grid with id: %d", dr.SheetId)
	}
	if dr.EndIndex-dr.StartIndex != 1 || dr.StartIndex < 0 {
		return nil, fmt.Errorf("The dimension range of developer metadata must represent a single row or column.")
	}
	limit := sh.rowCount()
	switch dr.Dimension {
	case "ROWS":
	case "COLUMNS":
		limit = sh.colCount()
	default:
		return nil, fmt.Errorf("range.dimension must be ROWS or COLUMNS")
	}
	if int(dr.StartIndex) >= limit {
		return nil, fmt.Errorf("The developer metadata location is past the end of the grid (%d).", limit)
	}
	id := d.MetadataId
	if id == 0 {
		for id == 0 || ss.metaByID(id) != nil {
			id = ss.nextMetaID()
		}
	} else if ss.metaByID(id) != nil {
		return nil, fmt.Errorf("Developer metadata with ID %d already exists.", id)
	}
	m := &devMeta{ID: id, Key: d.MetadataKey, Value: d.MetadataValue, Visibility: d.Visibility, SheetID: dr.SheetId, Dim: dr.Dimension, Index: int(dr.StartIndex)}
	ss.Meta = append(ss.Meta, m)
	return &sheets.Response{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataResponse{DeveloperMetadata: m.api()}}, nil
}

// deleteDeveloperMetadata deletes every entry the data filter's lookup
// matches (all its criteria), possibly none.
func (ss *spreadsheet) deleteDeveloperMetadata(raw json.RawMessage) (*sheets.Response, error) {
	var r sheets.DeleteDeveloperMetadataRequest
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	if r.DataFilter == nil || r.DataFilter.DeveloperMetadataLookup == nil {
		return nil, fmt.Errorf("the fake deletes developer metadata by dataFilter.developerMetadataLookup only")
	}
	l := r.DataFilter.DeveloperMetadataLookup
	if l.MetadataId == 0 && l.MetadataKey == "" && l.MetadataValue == "" {
		return nil, fmt.Errorf("dataFilter.developerMetadataLookup must set a criterion (the fake supports metadataId, metadataKey, metadataValue)")
	}
	res := &sheets.DeleteDeveloperMetadataResponse{}
	keep := ss.Meta[:0:0]
	for _, m := range ss.Meta {
		if (l.MetadataId == 0 || l.MetadataId == m.ID) && (l.MetadataKey == "" || l.MetadataKey == m.Key) && (l.MetadataValue == "" || l.MetadataValue == m.Value) {
			res.DeletedDeveloperMetadata = append(res.DeletedDeveloperMetadata, m.api())
			continue
		}
		keep = append(keep, m)
	}
	ss.Meta = keep
	return &sheets.Response{DeleteDeveloperMetadata: res}, nil
}

// metadataSearch is spreadsheets.developerMetadata.search: the entries any
// of the data filters matches, each with the filters that matched it. Only
// developerMetadataLookup filters are supported (by ID, key, value).
func (s *Server) metadataSearch(c *call) (any, error) {
	ss, err := s.spreadsheet(c.param(0))
	if err != nil {
		return nil, err
	}
	var req sheets.SearchDeveloperMetadataRequest
	if err := decodeBody(c, &req); err != nil {
		return nil, err
	}
	if len(req.DataFilters) == 0 {
		return nil, errBadRequest("dataFilters must not be empty")
	}
	res := &sheets.SearchDeveloperMetadataResponse{}
	for _, m := range ss.Meta {
		var hit []*sheets.DataFilter
		for i, f := range req.DataFilters {
			l := f.DeveloperMetadataLookup
			if l == nil || f.A1Range != "" || f.GridRange != nil {
				return nil, errBadRequest("Invalid dataFilters[%d]: the fake supports developerMetadataLookup filters only", i)
			}
			if l.MetadataId == 0 && l.MetadataKey == "" && l.MetadataValue == "" {
				return nil, errBadRequest("Invalid dataFilters[%d]: the lookup sets no criterion the fake supports (metadataId, metadataKey, metadataValue)", i)
			}
			if (l.MetadataId == 0 || l.MetadataId == m.ID) && (l.MetadataKey == "" || l.MetadataKey == m.Key) && (l.MetadataValue == "" || l.MetadataValue == m.Value) {
				hit = append(hit, f)
			}
		}
		if len(hit) > 0 {
			res.MatchedDeveloperMetadata = append(res.MatchedDeveloperMetadata, &sheets.MatchedDeveloperMetadata{DeveloperMetadata: m.api(), DataFilters: hit})
		}
	}
	return res, nil
}

func (ss *spreadsheet) metaByID(id int64) *devMeta {
	for _, m := range ss.Meta {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// nextMetaID is a positive ID for an entry created without one.
func (ss *spreadsheet) nextMetaID() int64 {
	ss.MetaSeq++
	return 1_900_000_000 + ss.MetaSeq
}

// shiftMeta moves the entries of a sheet's dimension as n rows (or
// columns) are inserted at at (n > 0) or deleted from at (n < 0); entries
// on deleted rows are deleted with them.
func (ss *spreadsheet) shiftMeta(sheetID int64, dim string, at, n int) {
	keep := ss.Meta[:0:0]
	for _, m := range ss.Meta {
		if m.SheetID != sheetID || m.Dim != dim || m.Index < at {
			keep = append(keep, m)
			continue
		}
		if n < 0 && m.Index < at-n {
			continue // on a deleted row
		}
		c := *m
		c.Index += n
		keep = append(keep, &c)
	}
	ss.Meta = keep
}

// dropSheetMeta deletes the entries of a deleted sheet.
func (ss *spreadsheet) dropSheetMeta(sheetID int64) {
	ss.Meta = slices.DeleteFunc(slices.Clone(ss.Meta), func(m *devMeta) bool { return m.SheetID == sheetID })
}

// RowMetadata returns, for tests, the developer metadata on the rows of a
// tab: zero-based row index by metadata ID.
func (s *Server) RowMetadata(spreadsheetID, tab string) (map[int64]int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, err := s.spreadsheet(spreadsheetID)
	if err != nil {
		return nil, err
	}
	sh := ss.sheetByTitle(tab)
	if sh == nil {
		return nil, fmt.Errorf("workspacefake: no tab %s", tab)
	}
	out := map[int64]int{}
	for _, m := range ss.Meta {
		if m.SheetID == sh.id() && m.Dim == "ROWS" {
			out[m.ID] = m.Index
		}
	}
	return out, nil
}

// updateCells writes cells from a start coordinate, as the editor does:
// userEnteredValue is the only field the fake supports (stringValue is
// stored as given, never parsed: a RAW write), and every cell must be
// inside the grid.
func (ss *spreadsheet) updateCells(raw json.RawMessage) (*sheets.Response, error) {
	var r sheets.UpdateCellsRequest
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	switch {
	case r.Fields == "":
		return nil, fmt.Errorf("At least one field must be specified in 'fields'.")
	case r.Fields != "userEnteredValue":
		return nil, fmt.Errorf("the fake updates userEnteredValue only, not %q", r.Fields)
	case r.Range != nil || r.Start == nil:
		return nil, fmt.Errorf("the fake supports updateCells with start only")
	}
	sh := ss.sheetByID(r.Start.SheetId)
	if sh == nil {
		return nil, fmt.Errorf("No grid with id: %d", r.Start.SheetId)
	}
	r0, c0 := int(r.Start.RowIndex), int(r.Start.ColumnIndex)
	cells := make([][]any, len(r.Rows))
	for i, rd := range r.Rows {
		cells[i] = make([]any, len(rd.Values))
		for j, cd := range rd.Values {
			if r0+i >= sh.rowCount() || c0+j >= sh.colCount() {
				return nil, fmt.Errorf("Range (%s) exceeds grid limits. Max rows: %d, max columns: %d",
					formatA1(sh.title(), r0+i, c0+j, r0+i+1, c0+j+1), sh.rowCount(), sh.colCount())
			}
			v, err := extendedValue(cd)
			if err != nil {
				return nil, err
			}
			cells[i][j] = v
		}
	}
	if !sh.ownRows {
		sh.Rows, sh.ownRows = slices.Clone(sh.Rows), true
	}
	for i, line := range cells {
		if r0+i < len(sh.Rows) {
			sh.Rows[r0+i] = slices.Clone(sh.Rows[r0+i])
		}
		for j, v := range line {
			sh.set(r0+i, c0+j, v)
		}
	}
	sh.trim()
	return nil, nil
}

func extendedValue(cd *sheets.CellData) (any, error) {
	if cd == nil || cd.UserEnteredValue == nil {
		return nil, nil
	}
	v := cd.UserEnteredValue
	switch {
	case v.StringValue != nil:
		if err := checkCellLength(*v.StringValue); err != nil {
			return nil, err
		}
		if *v.StringValue == "" {
			return nil, nil
		}
		return *v.StringValue, nil
	case v.NumberValue != nil:
		return *v.NumberValue, nil
	case v.BoolValue != nil:
		return *v.BoolValue, nil
	case v.FormulaValue != nil:
		return formula(*v.FormulaValue), nil
	}
	return nil, nil
}
