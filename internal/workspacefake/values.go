package workspacefake

import (
	"net/url"
	"slices"
	"time"

	"google.golang.org/api/sheets/v4"
)

// spreadsheets.values.*: reading and writing cells by A1 range.

const (
	opValuesUpdate      = "sheets.values.update"
	opValuesBatchUpdate = "sheets.values.batchUpdate"
	opValuesAppend      = "sheets.values.append"
	opValuesClear       = "sheets.values.clear"
)

// valueRange is sheets.ValueRange without its MarshalJSON: the generated
// method makes encoding/json compact the output a second time, which
// doubles the cost of a 100,000-row read. Same JSON.
type valueRange struct {
	Range          string  `json:"range,omitempty"`
	MajorDimension string  `json:"majorDimension,omitempty"`
	Values         [][]any `json:"values,omitempty"`
}

// batchUpdateValuesRequest is sheets.BatchUpdateValuesRequest with
// valueRange data.
type batchUpdateValuesRequest struct {
	ValueInputOption             string        `json:"valueInputOption,omitempty"`
	Data                         []*valueRange `json:"data,omitempty"`
	IncludeValuesInResponse      bool          `json:"includeValuesInResponse,omitempty"`
	ResponseValueRenderOption    string        `json:"responseValueRenderOption,omitempty"`
	ResponseDateTimeRenderOption string        `json:"responseDateTimeRenderOption,omitempty"`
}

type batchGetValuesResponse struct {
	SpreadsheetID string        `json:"spreadsheetId,omitempty"`
	ValueRanges   []*valueRange `json:"valueRanges,omitempty"`
}

func (vr *valueRange) api() *sheets.ValueRange {
	return &sheets.ValueRange{Range: vr.Range, MajorDimension: vr.MajorDimension, Values: vr.Values}
}

type readOpts struct {
	major    string // ROWS or COLUMNS
	render   string // FORMATTED_VALUE, UNFORMATTED_VALUE or FORMULA
	dateTime string // SERIAL_NUMBER or FORMATTED_STRING
}

func parseReadOpts(major, render, dateTime string) (readOpts, error) {
	o := readOpts{major: "ROWS", render: "FORMATTED_VALUE", dateTime: "SERIAL_NUMBER"}
	switch major {
	case "", "ROWS", "DIMENSION_UNSPECIFIED":
	case "COLUMNS":
		o.major = "COLUMNS"
	default:
		return o, errBadRequest("Invalid value at 'major_dimension' (type.googleapis.com/google.apps.sheets.v4.Dimension), %q", major)
	}
	switch render {
	case "":
	case "FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA":
		o.render = render
	default:
		return o, errBadRequest("Invalid value at 'value_render_option' (type.googleapis.com/google.apps.sheets.v4.ValueRenderOption), %q", render)
	}
	// Ignored under FORMATTED_VALUE, as Google documents.
	switch dateTime {
	case "":
	case "SERIAL_NUMBER", "FORMATTED_STRING":
		o.dateTime = dateTime
	default:
		return o, errBadRequest("Invalid value at 'date_time_render_option' (type.googleapis.com/google.apps.sheets.v4.DateTimeRenderOption), %q", dateTime)
	}
	return o, nil
}

func checkInputOption(v string) error {
	switch v {
	case "RAW", "USER_ENTERED":
		return nil
	case "", "INPUT_VALUE_OPTION_UNSPECIFIED":
		return &apiError{Code: 400, Message: "Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED", Location: "valueInputOption"}
	}
	return errBadRequest("Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), %q", v)
}

// readRange renders a range the way values.get does: the range clipped to
// the grid, then the values with trailing empty rows and cells left out.
func (ss *spreadsheet) readRange(text string, o readOpts) (*valueRange, error) {
	sh, r, err := ss.resolve(text)
	if err != nil {
		return nil, err
	}
	// A read that starts past the grid is refused (googleapis/sloth#1096:
	// "Range (all_apis!A2320:Z12320) exceeds grid limits. Max rows: 2319,
	// max columns: 26"); one that starts inside it is answered clipped.
	if r.R0 >= sh.rowCount() || r.C0 >= sh.colCount() {
		r1, c1 := r.R1, r.C1
		if r1 == open {
			r1 = r.R0 + 1
		}
		if c1 == open {
			c1 = r.C0 + 1
		}
		return nil, errBadRequest("Range (%s) exceeds grid limits. Max rows: %d, max columns: %d",
			formatA1(sh.title(), r.R0, r.C0, r1, c1), sh.rowCount(), sh.colCount())
	}
	r0, c0, r1, c1 := sh.clip(r)
	vr := &valueRange{
		Range:          formatA1(sh.title(), r0, c0, max(r1, r0+1), max(c1, c0+1)),
		MajorDimension: o.major,
	}
	rEnd := min(r1, len(sh.Rows))
	if o.major == "ROWS" {
		last := 0
		for i := r0; i < rEnd; i++ {
			rw := sh.Rows[i]
			end := min(c1, len(rw))
			for end > c0 && rw[end-1] == nil {
				end--
			}
			cells := make([]any, 0, max(end-c0, 0))
			for j := c0; j < end; j++ {
				cells = append(cells, renderCell(rw[j], o, ss.Props.Locale))
			}
			vr.Values = append(vr.Values, cells)
			if len(cells) > 0 {
				last = len(vr.Values)
			}
		}
		vr.Values = vr.Values[:last]
		return vr, nil
	}
	last := 0
	for j := c0; j < c1; j++ {
		end := rEnd
		for end > r0 && sh.at(end-1, j) == nil {
			end--
		}
		cells := make([]any, 0, max(end-r0, 0))
		for i := r0; i < end; i++ {
			cells = append(cells, renderCell(sh.at(i, j), o, ss.Props.Locale))
		}
		vr.Values = append(vr.Values, cells)
		if len(cells) > 0 {
			last = len(vr.Values)
		}
	}
	vr.Values = vr.Values[:last]
	return vr, nil
}

// ---- values.get / values.batchGet ----

func (s *Server) valuesGet(c *call) (any, error) {
	ss, err := s.spreadsheet(c.param(0))
	if err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	o, err := parseReadOpts(q.Get("majorDimension"), q.Get("valueRenderOption"), q.Get("dateTimeRenderOption"))
	if err != nil {
		return nil, err
	}
	return ss.readRange(c.param(1), o)
}

func (s *Server) valuesBatchGet(c *call) (any, error) {
	ss, err := s.spreadsheet(c.param(0))
	if err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	o, err := parseReadOpts(q.Get("majorDimension"), q.Get("valueRenderOption"), q.Get("dateTimeRenderOption"))
	if err != nil {
		return nil, err
	}
	res := &batchGetValuesResponse{SpreadsheetID: ss.ID}
	for _, text := range q["ranges"] {
		vr, err := ss.readRange(text, o)
		if err != nil {
			return nil, err
		}
		res.ValueRanges = append(res.ValueRanges, vr)
	}
	return res, nil
}

// ---- writes ----

// write is one validated block of values, ready to commit.
type write struct {
	sh         *sheet
	r0, c0     int
	cells      [][]any // converted; skip{} where the request had null
	cols       int     // widest row
	insertRows int     // rows to insert at r0 first (append with INSERT_ROWS)
}

// prepareWrite validates a ValueRange against its A1 range and converts its
// values. A single-cell range is only an anchor; a wider range bounds the
// block, as Google does, unless anchorOnly.
func (ss *spreadsheet) prepareWrite(text string, vr *valueRange, input string, anchorOnly bool) (*write, a1, error) {
	sh, r, err := ss.resolve(text)
	if err != nil {
		return nil, r, err
	}
	values := vr.Values
	switch vr.MajorDimension {
	case "", "ROWS", "DIMENSION_UNSPECIFIED":
	case "COLUMNS":
		values = transpose(values)
	default:
		return nil, r, errBadRequest("Invalid value at 'data.major_dimension', %q", vr.MajorDimension)
	}
	w := &write{sh: sh, r0: r.R0, c0: r.C0}
	for _, in := range values {
		out := make([]any, len(in))
		for j, v := range in {
			cv, err := convertInput(v, input, ss.Props.Locale)
			if err != nil {
				return nil, r, err
			}
			out[j] = cv
		}
		w.cells = append(w.cells, out)
		w.cols = max(w.cols, len(out))
	}
	if !r.Cell && !anchorOnly {
		if r.R1 != open && w.r0+len(w.cells) > r.R1 {
			return nil, r, errBadRequest("Requested writing within range [%s], but tried writing to row [%d]", text, r.R1+1)
		}
		if r.C1 != open && w.c0+w.cols > r.C1 {
			return nil, r, errBadRequest("Requested writing within range [%s], but tried writing to column [%s]", text, colName(r.C1))
		}
	}
	return w, r, nil
}

func transpose(v [][]any) [][]any {
	rows := 0
	for _, col := range v {
		rows = max(rows, len(col))
	}
	out := make([][]any, rows)
	for i := range out {
		out[i] = make([]any, len(v))
		for j, col := range v {
			if i < len(col) {
				out[i][j] = col[i]
			}
		}
	}
	return out
}

// commitWrites checks every block against its sheet's grid, then writes
// them all, or none (a batch is atomic). Only values.append grows a grid
// (grow): Google refuses any other write that reaches a cell past the last
// row or column with 400 "exceeds grid limits", and the cell limit of the
// workbook then decides whether the growth is allowed.
func (ss *spreadsheet) commitWrites(ws []*write, grow bool) error {
	type size struct{ rows, cols int }
	sizes := map[*sheet]size{}
	for _, sh := range ss.Sheets {
		sizes[sh] = size{sh.rowCount(), sh.colCount()}
	}
	for _, w := range ws {
		sz := sizes[w.sh]
		if !grow {
			if err := w.checkGrid(sz.rows, sz.cols); err != nil {
				return err
			}
			continue
		}
		sz.rows = max(sz.rows+w.insertRows, w.r0+len(w.cells))
		sz.cols = max(sz.cols, w.c0+w.cols)
		sizes[w.sh] = sz
	}
	if grow {
		total := 0
		for _, sz := range sizes {
			total += sz.rows * sz.cols
		}
		if total > maxCells {
			return errCellLimit()
		}
	}
	for _, w := range ws {
		sh := w.sh
		if w.insertRows > 0 {
			ss.shiftMeta(sh.id(), "ROWS", w.r0, w.insertRows)
		}
		if w.insertRows > 0 && w.r0 < len(sh.Rows) {
			sh.Rows = slices.Insert(sh.Rows, w.r0, make([]row, w.insertRows)...)
		}
		g := sh.props().GridProperties
		g.RowCount = int64(max(int(g.RowCount)+w.insertRows, w.r0+len(w.cells)))
		g.ColumnCount = int64(max(int(g.ColumnCount), w.c0+w.cols))
		for i, cells := range w.cells {
			for j, v := range cells {
				if _, ok := v.(skip); ok {
					continue
				}
				sh.set(w.r0+i, w.c0+j, v)
			}
		}
		sh.trim()
	}
	return nil
}

// checkGrid refuses a block that reaches past a grid of rows × cols, naming
// the first cell outside it as Google does: "Range ('Lighthouse
// Results'!A1001) exceeds grid limits. Max rows: 1000, max columns: 121"
// for a block starting below the last row (cloudfour/lighthouse-parade#151),
// "Range (Solar!Y1) exceeds grid limits. Max rows: 981, max columns: 24" for
// a row one column too wide (home-assistant/core#104198).
func (w *write) checkGrid(rows, cols int) error {
	if len(w.cells) == 0 || w.cols == 0 {
		return nil
	}
	r, c := -1, -1
	switch {
	case w.r0 >= rows || w.c0 >= cols:
		r, c = w.r0, w.c0
	case w.c0+w.cols > cols:
		r, c = w.r0, cols
	case w.r0+len(w.cells) > rows:
		r, c = rows, w.c0
	default:
		return nil
	}
	return errBadRequest("Range (%s) exceeds grid limits. Max rows: %d, max columns: %d", formatA1(w.sh.title(), r, c, r+1, c+1), rows, cols)
}

// result describes a committed block as UpdateValuesResponse does.
func (w *write) result(ssID string) *sheets.UpdateValuesResponse {
	res := &sheets.UpdateValuesResponse{SpreadsheetId: ssID}
	rows, cols := map[int]bool{}, map[int]bool{}
	for i, cells := range w.cells {
		for j, v := range cells {
			if _, ok := v.(skip); ok {
				continue
			}
			rows[i], cols[j] = true, true
			res.UpdatedCells++
		}
	}
	res.UpdatedRows, res.UpdatedColumns = int64(len(rows)), int64(len(cols))
	res.UpdatedRange = formatA1(w.sh.title(), w.r0, w.c0, w.r0+max(len(w.cells), 1), w.c0+max(w.cols, 1))
	return res
}

// ---- values.update ----

type valuesUpdateArgs struct {
	ID    string      `json:"id"`
	Range string      `json:"range"`
	Input string      `json:"input"`
	Body  *valueRange `json:"body"`
}

func (s *Server) valuesUpdate(c *call) (any, error) {
	q := c.r.URL.Query()
	a := &valuesUpdateArgs{ID: c.param(0), Range: c.param(1), Input: q.Get("valueInputOption"), Body: &valueRange{}}
	if err := decodeBody(c, a.Body); err != nil {
		return nil, err
	}
	includeValues, o, err := responseOpts(q)
	if err != nil {
		return nil, err
	}
	res, err := mutate(s, opValuesUpdate, a, s.applyValuesUpdate)
	if err != nil {
		return nil, err
	}
	if includeValues {
		vr, err := s.st.Spreadsheets[a.ID].readRange(res.UpdatedRange, o)
		if err != nil {
			return nil, err
		}
		res.UpdatedData = vr.api()
	}
	return res, nil
}

func (s *Server) applyValuesUpdate(now time.Time, a *valuesUpdateArgs) (*sheets.UpdateValuesResponse, error) {
	if err := checkInputOption(a.Input); err != nil {
		return nil, err
	}
	ss, err := s.spreadsheet(a.ID)
	if err != nil {
		return nil, err
	}
	if a.Body.Range != "" && a.Body.Range != a.Range {
		_, r1, err1 := ss.resolve(a.Range)
		_, r2, err2 := ss.resolve(a.Body.Range)
		if err1 != nil || err2 != nil || r1.Sheet != r2.Sheet || r1.R0 != r2.R0 || r1.C0 != r2.C0 || r1.R1 != r2.R1 || r1.C1 != r2.C1 {
			return nil, errBadRequest("Requested entity range %s doesn't match the range in the URL %s", a.Body.Range, a.Range)
		}
	}
	w, _, err := ss.prepareWrite(a.Range, a.Body, a.Input, false)
	if err != nil {
		return nil, err
	}
	if err := ss.commitWrites([]*write{w}, false); err != nil {
		return nil, err
	}
	ss.touch(now)
	return w.result(ss.ID), nil
}

// ---- values.batchUpdate ----

type valuesBatchUpdateArgs struct {
	ID   string                    `json:"id"`
	Body *batchUpdateValuesRequest `json:"body"`
}

func (s *Server) valuesBatchUpdate(c *call) (any, error) {
	a := &valuesBatchUpdateArgs{ID: c.param(0), Body: &batchUpdateValuesRequest{}}
	if err := decodeBody(c, a.Body); err != nil {
		return nil, err
	}
	o, err := parseReadOpts("", a.Body.ResponseValueRenderOption, a.Body.ResponseDateTimeRenderOption)
	if err != nil {
		return nil, err
	}
	res, err := mutate(s, opValuesBatchUpdate, a, s.applyValuesBatchUpdate)
	if err != nil {
		return nil, err
	}
	if a.Body.IncludeValuesInResponse {
		for _, r := range res.Responses {
			vr, err := s.st.Spreadsheets[a.ID].readRange(r.UpdatedRange, o)
			if err != nil {
				return nil, err
			}
			r.UpdatedData = vr.api()
		}
	}
	return res, nil
}

func (s *Server) applyValuesBatchUpdate(now time.Time, a *valuesBatchUpdateArgs) (*sheets.BatchUpdateValuesResponse, error) {
	if err := checkInputOption(a.Body.ValueInputOption); err != nil {
		return nil, err
	}
	ss, err := s.spreadsheet(a.ID)
	if err != nil {
		return nil, err
	}
	var ws []*write
	for i, vr := range a.Body.Data {
		if vr == nil || vr.Range == "" {
			return nil, errBadRequest("Invalid data[%d]: range is required", i)
		}
		w, _, err := ss.prepareWrite(vr.Range, vr, a.Body.ValueInputOption, false)
		if err != nil {
			return nil, err
		}
		ws = append(ws, w)
	}
	res := &sheets.BatchUpdateValuesResponse{SpreadsheetId: ss.ID}
	if len(ws) == 0 {
		return res, nil
	}
	if err := ss.commitWrites(ws, false); err != nil {
		return nil, err
	}
	ss.touch(now)
	touched := map[*sheet]bool{}
	for _, w := range ws {
		r := w.result(ss.ID)
		res.Responses = append(res.Responses, r)
		res.TotalUpdatedRows += r.UpdatedRows
		res.TotalUpdatedColumns += r.UpdatedColumns
		res.TotalUpdatedCells += r.UpdatedCells
		touched[w.sh] = true
	}
	res.TotalUpdatedSheets = int64(len(touched))
	return res, nil
}

// ---- values.append ----

type valuesAppendArgs struct {
	ID     string      `json:"id"`
	Range  string      `json:"range"`
	Input  string      `json:"input"`
	Insert string      `json:"insert,omitempty"`
	Body   *valueRange `json:"body"`
}

func (s *Server) valuesAppend(c *call) (any, error) {
	q := c.r.URL.Query()
	a := &valuesAppendArgs{ID: c.param(0), Range: c.param(1), Input: q.Get("valueInputOption"),
		Insert: q.Get("insertDataOption"), Body: &valueRange{}}
	if err := decodeBody(c, a.Body); err != nil {
		return nil, err
	}
	includeValues, o, err := responseOpts(q)
	if err != nil {
		return nil, err
	}
	res, err := mutate(s, opValuesAppend, a, s.applyValuesAppend)
	if err != nil {
		return nil, err
	}
	if includeValues {
		vr, err := s.st.Spreadsheets[a.ID].readRange(res.Updates.UpdatedRange, o)
		if err != nil {
			return nil, err
		}
		res.Updates.UpdatedData = vr.api()
	}
	return res, nil
}

// applyValuesAppend finds the table in the range, as Google does: the first
// non-empty row of the range and the rows below it without a gap; values go
// to the row after the table, starting at the table's first column.
// OVERWRITE writes into whatever is there (Google's default); INSERT_ROWS
// inserts new rows first.
func (s *Server) applyValuesAppend(now time.Time, a *valuesAppendArgs) (*sheets.AppendValuesResponse, error) {
	if err := checkInputOption(a.Input); err != nil {
		return nil, err
	}
	switch a.Insert {
	case "", "OVERWRITE", "INSERT_ROWS":
	default:
		return nil, errBadRequest("Invalid value at 'insert_data_option' (type.googleapis.com/google.apps.sheets.v4.InsertDataOption), %q", a.Insert)
	}
	ss, err := s.spreadsheet(a.ID)
	if err != nil {
		return nil, err
	}
	// The range only locates the table: the block may be larger than it.
	w, r, err := ss.prepareWrite(a.Range, a.Body, a.Input, true)
	if err != nil {
		return nil, err
	}
	sh := w.sh
	cEnd := r.C1
	if cEnd == open || r.Cell {
		cEnd = maxColumns
	}
	rEnd := r.R1
	if rEnd == open || r.Cell {
		rEnd = len(sh.Rows)
	}
	start := -1
	for i := r.R0; i < min(rEnd, len(sh.Rows)); i++ {
		if _, _, ok := sh.rowSpan(i, r.C0, cEnd); ok {
			start = i
			break
		}
	}
	res := &sheets.AppendValuesResponse{SpreadsheetId: ss.ID}
	if start >= 0 {
		end, minC, maxC := start, maxColumns, -1
		for end < len(sh.Rows) {
			lo, hi, ok := sh.rowSpan(end, r.C0, cEnd)
			if !ok {
				break
			}
			minC, maxC = min(minC, lo), max(maxC, hi)
			end++
		}
		res.TableRange = formatA1(sh.title(), start, minC, end, maxC+1)
		w.r0, w.c0 = end, minC
	}
	if a.Insert == "INSERT_ROWS" {
		w.insertRows = len(w.cells)
	}
	// OVERWRITE as well as INSERT_ROWS: "adding data to the end of the
	// sheet will still insert new rows or columns so the data can be
	// written" (InsertDataOption, spreadsheets.values/append reference).
	if err := ss.commitWrites([]*write{w}, true); err != nil {
		return nil, err
	}
	ss.touch(now)
	res.Updates = w.result(ss.ID)
	return res, nil
}

// rowSpan reports the first and last non-empty columns of row i within
// [c0, c1).
func (sh *sheet) rowSpan(i, c0, c1 int) (lo, hi int, ok bool) {
	rw := sh.Rows[i]
	lo, hi = -1, -1
	for j := c0; j < min(c1, len(rw)); j++ {
		if rw[j] != nil {
			if lo < 0 {
				lo = j
			}
			hi = j
		}
	}
	return lo, hi, lo >= 0
}

// ---- values.clear / values.batchClear ----

type valuesClearArgs struct {
	ID     string   `json:"id"`
	Ranges []string `json:"ranges"`
}

func (s *Server) valuesClear(c *call) (any, error) {
	a := &valuesClearArgs{ID: c.param(0), Ranges: []string{c.param(1)}}
	var body sheets.ClearValuesRequest
	if err := decodeBody(c, &body); err != nil {
		return nil, err
	}
	cleared, err := mutate(s, opValuesClear, a, s.applyValuesClear)
	if err != nil {
		return nil, err
	}
	return &sheets.ClearValuesResponse{SpreadsheetId: a.ID, ClearedRange: cleared[0]}, nil
}

func (s *Server) valuesBatchClear(c *call) (any, error) {
	var body sheets.BatchClearValuesRequest
	if err := decodeBody(c, &body); err != nil {
		return nil, err
	}
	a := &valuesClearArgs{ID: c.param(0), Ranges: body.Ranges}
	cleared, err := mutate(s, opValuesClear, a, s.applyValuesClear)
	if err != nil {
		return nil, err
	}
	return &sheets.BatchClearValuesResponse{SpreadsheetId: a.ID, ClearedRanges: cleared}, nil
}

func (s *Server) applyValuesClear(now time.Time, a *valuesClearArgs) ([]string, error) {
	ss, err := s.spreadsheet(a.ID)
	if err != nil {
		return nil, err
	}
	type target struct {
		sh             *sheet
		r0, c0, r1, c1 int
	}
	var ts []target
	for _, text := range a.Ranges {
		sh, r, err := ss.resolve(text)
		if err != nil {
			return nil, err
		}
		r0, c0, r1, c1 := sh.clip(r)
		ts = append(ts, target{sh, r0, c0, r1, c1})
	}
	var cleared []string
	for _, t := range ts {
		for i := t.r0; i < min(t.r1, len(t.sh.Rows)); i++ {
			for j := t.c0; j < min(t.c1, len(t.sh.Rows[i])); j++ {
				t.sh.Rows[i][j] = nil
			}
		}
		t.sh.trim()
		cleared = append(cleared, formatA1(t.sh.title(), t.r0, t.c0, max(t.r1, t.r0+1), max(t.c1, t.c0+1)))
	}
	if len(ts) > 0 {
		ss.touch(now)
	}
	return cleared, nil
}

// responseOpts reads whether a write should echo the values it wrote, and how.
func responseOpts(q url.Values) (bool, readOpts, error) {
	include, err := boolParam(q.Get("includeValuesInResponse"), "includeValuesInResponse")
	if err != nil {
		return false, readOpts{}, err
	}
	o, err := parseReadOpts("", q.Get("responseValueRenderOption"), q.Get("responseDateTimeRenderOption"))
	return include, o, err
}
