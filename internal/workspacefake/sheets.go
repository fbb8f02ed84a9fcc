package workspacefake

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"google.golang.org/api/sheets/v4"
)

// Spreadsheet metadata is stored in the client library's own types, so what
// a test sends through batchUpdate is what spreadsheets.get returns, field
// for field. Cell values are kept apart, typed (see cells.go).

const (
	opSheetsCreate      = "sheets.create"
	opSheetsBatchUpdate = "sheets.batchUpdate"

	mimeSpreadsheet = "application/vnd.google-apps.spreadsheet"

	// Google's limit on the cells of a spreadsheet (all sheets, whole grids).
	maxCells = 10_000_000

	defaultRows    = 1000
	defaultColumns = 26
)

type spreadsheet struct {
	ID       string                        `json:"id"`
	Props    *sheets.SpreadsheetProperties `json:"props"`
	Sheets   []*sheet                      `json:"sheets"`
	Revision int64                         `json:"revision"` // bumped by every write; Drive's version
	Created  time.Time                     `json:"created"`
	Modified time.Time                     `json:"modified"`
	Meta     []*devMeta                    `json:"developerMetadata,omitempty"` // metadata.go
	MetaSeq  int64                         `json:"metadataSeq,omitempty"`
}

type sheet struct {
	Meta        *sheets.Sheet `json:"meta"` // Data is never set here
	Rows        []row         `json:"rows"`
	Validations []*validation `json:"validations,omitempty"`
	// ownRows says Rows is this sheet's own slice, made by a deletion of the
	// batch being applied: later deletions of the batch may change it in
	// place (deletedim.go). A batch's working copies start without it.
	ownRows bool
}

// validation is a setDataValidation request as applied: a later one wins
// for the cells it covers; a nil Rule clears.
type validation struct {
	Range *sheets.GridRange          `json:"range"`
	Rule  *sheets.DataValidationRule `json:"rule,omitempty"`
}

func (sh *sheet) props() *sheets.SheetProperties { return sh.Meta.Properties }
func (sh *sheet) id() int64                      { return sh.Meta.Properties.SheetId }
func (sh *sheet) title() string                  { return sh.Meta.Properties.Title }
func (sh *sheet) rowCount() int                  { return int(sh.Meta.Properties.GridProperties.RowCount) }
func (sh *sheet) colCount() int                  { return int(sh.Meta.Properties.GridProperties.ColumnCount) }

func (ss *spreadsheet) touch(now time.Time) {
	ss.Revision++
	ss.Modified = now
}

func (ss *spreadsheet) sheetByID(id int64) *sheet {
	for _, sh := range ss.Sheets {
		if sh.id() == id {
			return sh
		}
	}
	return nil
}

func (ss *spreadsheet) sheetByTitle(t string) *sheet {
	for _, sh := range ss.Sheets {
		if sh.title() == t {
			return sh
		}
	}
	return nil
}

func (ss *spreadsheet) cells() int {
	n := 0
	for _, sh := range ss.Sheets {
		n += sh.rowCount() * sh.colCount()
	}
	return n
}

func errCellLimit() error {
	return errBadRequest("This action would increase the number of cells in the workbook above the limit of %d cells.", maxCells)
}

func (s *Server) spreadsheet(id string) (*spreadsheet, error) {
	ss := s.st.Spreadsheets[id]
	if ss == nil {
		return nil, errNotFound("Requested entity was not found.")
	}
	return ss, nil
}

// resolve finds the sheet and the bounds an A1 range refers to.
func (ss *spreadsheet) resolve(text string) (*sheet, a1, error) {
	r, err := parseA1(text)
	if err != nil {
		return nil, r, errBadRequest("Unable to parse range: %s", text)
	}
	// A bare word that is also a sheet title means that sheet, even if it
	// reads like a cell ("A1").
	if !r.HasSheet {
		if sh := ss.sheetByTitle(text); sh != nil {
			r = a1{Sheet: text, HasSheet: true, Whole: true, Text: text}
		}
	}
	var sh *sheet
	if r.HasSheet {
		sh = ss.sheetByTitle(r.Sheet)
	} else if len(ss.Sheets) > 0 {
		sh = ss.Sheets[0]
	}
	if sh == nil {
		return nil, r, errBadRequest("Unable to parse range: %s", text)
	}
	if r.Whole {
		r.R0, r.C0, r.R1, r.C1 = 0, 0, open, open
	}
	return sh, r, nil
}

// clip bounds a range by the sheet's grid.
func (sh *sheet) clip(r a1) (r0, c0, r1, c1 int) {
	r0, c0, r1, c1 = r.R0, r.C0, r.R1, r.C1
	if r1 == open || r1 > sh.rowCount() {
		r1 = sh.rowCount()
	}
	if c1 == open || c1 > sh.colCount() {
		c1 = sh.colCount()
	}
	return r0, c0, max(r1, r0), max(c1, c0)
}

// ---- spreadsheets.create ----

func (s *Server) sheetsCreate(c *call) (any, error) {
	var req sheets.Spreadsheet
	if err := decodeBody(c, &req); err != nil {
		return nil, err
	}
	ss, err := mutate(s, opSheetsCreate, &req, s.applySheetsCreate)
	if err != nil {
		return nil, err
	}
	return s.renderSpreadsheet(ss, nil, false)
}

func (s *Server) applySheetsCreate(now time.Time, req *sheets.Spreadsheet) (*spreadsheet, error) {
	props := &sheets.SpreadsheetProperties{}
	if req.Properties != nil {
		if err := cloneJSON(req.Properties, props); err != nil {
			return nil, err
		}
	}
	if props.Title == "" {
		props.Title = "Untitled spreadsheet"
	}
	if props.Locale == "" {
		props.Locale = "en_US"
	}
	if props.TimeZone == "" {
		props.TimeZone = "America/Bogota"
	}
	if props.AutoRecalc == "" {
		props.AutoRecalc = "ON_CHANGE"
	}
	ss := &spreadsheet{Props: props, Created: now, Modified: now, Revision: 1}
	reqSheets := req.Sheets
	if len(reqSheets) == 0 {
		reqSheets = []*sheets.Sheet{{}}
	}
	for i, rs := range reqSheets {
		if len(rs.Data) > 0 {
			return nil, errBadRequest("workspacefake: initial grid data in spreadsheets.create is not supported; write values after creating")
		}
		meta := &sheets.Sheet{}
		if err := cloneJSON(rs, meta); err != nil {
			return nil, err
		}
		if meta.Properties == nil {
			meta.Properties = &sheets.SheetProperties{}
		}
		p := meta.Properties
		if p.Title == "" {
			p.Title = fmt.Sprintf("Sheet%d", i+1)
		}
		if ss.sheetByTitle(p.Title) != nil {
			return nil, errBadRequest("Invalid sheets[%d]: A sheet with the name \"%s\" already exists. Please enter another name.", i, p.Title)
		}
		if p.SheetId == 0 && i > 0 {
			p.SheetId = s.st.newInt31("sheet")
		}
		if i > 0 && ss.sheetByID(p.SheetId) != nil {
			return nil, errBadRequest("Invalid sheets[%d]: Duplicate sheet ID %d", i, p.SheetId)
		}
		p.Index = int64(i)
		p.SheetType = "GRID"
		fillGrid(p)
		ss.Sheets = append(ss.Sheets, &sheet{Meta: meta})
	}
	if ss.cells() > maxCells {
		return nil, errCellLimit()
	}
	ss.ID = s.st.newID("spreadsheet", 44)
	s.st.Spreadsheets[ss.ID] = ss
	s.st.Files[ss.ID] = &driveFile{
		ID: ss.ID, Name: props.Title, MimeType: mimeSpreadsheet, Parents: []string{rootFolderID},
		Created: now, Modified: now, Version: 0,
	}
	return ss, nil
}

func fillGrid(p *sheets.SheetProperties) {
	if p.GridProperties == nil {
		p.GridProperties = &sheets.GridProperties{}
	}
	if p.GridProperties.RowCount == 0 {
		p.GridProperties.RowCount = defaultRows
	}
	if p.GridProperties.ColumnCount == 0 {
		p.GridProperties.ColumnCount = defaultColumns
	}
}

// ---- spreadsheets.get ----

func (s *Server) sheetsGet(c *call) (any, error) {
	ss, err := s.spreadsheet(c.param(0))
	if err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	grid, err := boolParam(q.Get("includeGridData"), "includeGridData")
	if err != nil {
		return nil, err
	}
	return s.renderSpreadsheet(ss, q["ranges"], grid)
}

// renderSpreadsheet builds the API view. With ranges, only the sheets they
// name are returned (with those ranges as grid data if asked), as Google does.
func (s *Server) renderSpreadsheet(ss *spreadsheet, ranges []string, includeGrid bool) (*sheets.Spreadsheet, error) {
	out := &sheets.Spreadsheet{
		SpreadsheetId:  ss.ID,
		SpreadsheetUrl: "https://docs.google.com/spreadsheets/d/" + ss.ID + "/edit",
		Properties:     &sheets.SpreadsheetProperties{},
	}
	if err := cloneJSON(ss.Props, out.Properties); err != nil {
		return nil, err
	}
	type want struct {
		sh     *sheet
		ranges []a1
	}
	var wants []*want
	if len(ranges) == 0 {
		for _, sh := range ss.Sheets {
			wants = append(wants, &want{sh: sh, ranges: []a1{{Whole: true, R1: open, C1: open}}})
		}
	} else {
		byID := map[int64]*want{}
		for _, text := range ranges {
			sh, r, err := ss.resolve(text)
			if err != nil {
				return nil, err
			}
			w := byID[sh.id()]
			if w == nil {
				w = &want{sh: sh}
				byID[sh.id()] = w
				wants = append(wants, w)
			}
			w.ranges = append(w.ranges, r)
		}
		sort.SliceStable(wants, func(i, j int) bool { return wants[i].sh.props().Index < wants[j].sh.props().Index })
	}
	for _, w := range wants {
		meta := &sheets.Sheet{}
		if err := cloneJSON(w.sh.Meta, meta); err != nil {
			return nil, err
		}
		if includeGrid {
			for _, r := range w.ranges {
				meta.Data = append(meta.Data, w.sh.gridData(r, ss.Props.Locale))
			}
		}
		out.Sheets = append(out.Sheets, meta)
	}
	return out, nil
}

// gridData renders a range as GridData: values and data validation, no
// formats. Trailing empty rows and cells are left out like Google does.
func (sh *sheet) gridData(r a1, locale string) *sheets.GridData {
	r0, c0, r1, c1 := sh.clip(r)
	// Cells beyond both the data and every validation rule are empty.
	extR, extC := sh.extent()
	for _, v := range sh.Validations {
		if v.Rule != nil {
			extR = max(extR, gridEnd(v.Range.EndRowIndex, sh.rowCount()))
			extC = max(extC, gridEnd(v.Range.EndColumnIndex, sh.colCount()))
		}
	}
	r1, c1 = min(r1, extR), min(c1, extC)
	gd := &sheets.GridData{StartRow: int64(r0), StartColumn: int64(c0)}
	for i := r0; i < r1; i++ {
		rd := &sheets.RowData{}
		for j := c0; j < c1; j++ {
			cd := cellData(sh.at(i, j), locale)
			cd.DataValidation = sh.validationAt(i, j)
			rd.Values = append(rd.Values, cd)
		}
		for len(rd.Values) > 0 && isEmptyCellData(rd.Values[len(rd.Values)-1]) {
			rd.Values = rd.Values[:len(rd.Values)-1]
		}
		gd.RowData = append(gd.RowData, rd)
	}
	for len(gd.RowData) > 0 && len(gd.RowData[len(gd.RowData)-1].Values) == 0 {
		gd.RowData = gd.RowData[:len(gd.RowData)-1]
	}
	return gd
}

func gridEnd(end int64, size int) int {
	if end == 0 || int(end) > size {
		return size
	}
	return int(end)
}

func isEmptyCellData(cd *sheets.CellData) bool {
	return cd.UserEnteredValue == nil && cd.DataValidation == nil
}

func (sh *sheet) validationAt(r, c int) *sheets.DataValidationRule {
	for i := len(sh.Validations) - 1; i >= 0; i-- {
		v := sh.Validations[i]
		if inGridRange(v.Range, r, c, sh) {
			return v.Rule
		}
	}
	return nil
}

func inGridRange(g *sheets.GridRange, r, c int, sh *sheet) bool {
	return r >= int(g.StartRowIndex) && r < gridEnd(g.EndRowIndex, sh.rowCount()) &&
		c >= int(g.StartColumnIndex) && c < gridEnd(g.EndColumnIndex, sh.colCount())
}

// cloneJSON deep-copies src into dst through JSON, the representation the
// state is persisted in anyway.
func cloneJSON(src, dst any) error {
	b, err := json.Marshal(src)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}
