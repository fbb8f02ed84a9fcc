package workspacefake

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"google.golang.org/api/sheets/v4"
)

// ---- spreadsheets.batchUpdate ----

type sheetsBatchArgs struct {
	ID   string          `json:"id"`
	Body sheetsBatchBody `json:"body"`
}

type sheetsBatchBody struct {
	Requests                     []map[string]json.RawMessage `json:"requests"`
	IncludeSpreadsheetInResponse bool                         `json:"includeSpreadsheetInResponse,omitempty"`
	ResponseRanges               []string                     `json:"responseRanges,omitempty"`
	ResponseIncludeGridData      bool                         `json:"responseIncludeGridData,omitempty"`
}

func (s *Server) sheetsBatchUpdate(c *call) (any, error) {
	args := &sheetsBatchArgs{ID: c.param(0)}
	if err := decodeBody(c, &args.Body); err != nil {
		return nil, err
	}
	if _, err := s.spreadsheet(args.ID); err != nil {
		return nil, err
	}
	res, err := mutate(s, opSheetsBatchUpdate, args, s.applySheetsBatchUpdate)
	if err != nil {
		return nil, err
	}
	if args.Body.IncludeSpreadsheetInResponse {
		ss := s.st.Spreadsheets[args.ID]
		res.UpdatedSpreadsheet, err = s.renderSpreadsheet(ss, args.Body.ResponseRanges, args.Body.ResponseIncludeGridData)
		if err != nil {
			return nil, err
		}
	}
	return res, nil
}

// applySheetsBatchUpdate applies all requests to a copy of the metadata and
// installs it only if every request succeeded: Google applies a batch
// atomically. Cell rows are shared, not copied: a request that moves cells
// (insertDimension) builds new slices instead of changing them in place.
// The cell limit is checked after each request, and the refusal names the
// request that crossed it, as Google does ("Invalid
// requests[0].updateSheetProperties: This action would increase the number
// of cells in the workbook above the limit of 10000000 cells.",
// nithinmurali/pygsheets#589).
func (s *Server) applySheetsBatchUpdate(now time.Time, a *sheetsBatchArgs) (*sheets.BatchUpdateSpreadsheetResponse, error) {
	ss, err := s.spreadsheet(a.ID)
	if err != nil {
		return nil, err
	}
	if len(a.Body.Requests) == 0 {
		return nil, errBadRequest("Invalid requests: must contain at least one request")
	}
	work := &spreadsheet{ID: ss.ID, Props: &sheets.SpreadsheetProperties{}, Meta: cloneMeta(ss.Meta), MetaSeq: ss.MetaSeq}
	if err := cloneJSON(ss.Props, work.Props); err != nil {
		return nil, err
	}
	for _, sh := range ss.Sheets {
		cp := &sheet{Meta: &sheets.Sheet{}, Rows: sh.Rows}
		if err := cloneJSON(sh.Meta, cp.Meta); err != nil {
			return nil, err
		}
		if err := cloneJSON(sh.Validations, &cp.Validations); err != nil {
			return nil, err
		}
		work.Sheets = append(work.Sheets, cp)
	}
	res := &sheets.BatchUpdateSpreadsheetResponse{SpreadsheetId: ss.ID}
	for i, req := range a.Body.Requests {
		if len(req) != 1 {
			return nil, errBadRequest("Invalid requests[%d]: exactly one kind of request must be set", i)
		}
		for kind, raw := range req {
			reply, err := s.applySheetRequest(work, kind, raw)
			if err != nil {
				return nil, errBadRequest("Invalid requests[%d].%s: %s", i, kind, err.Error())
			}
			if work.cells() > maxCells {
				return nil, errBadRequest("Invalid requests[%d].%s: %s", i, kind, errCellLimit().(*apiError).Message)
			}
			if reply == nil {
				reply = &sheets.Response{}
			}
			res.Replies = append(res.Replies, reply)
		}
	}
	ss.Props, ss.Sheets, ss.Meta, ss.MetaSeq = work.Props, work.Sheets, work.Meta, work.MetaSeq
	for i, sh := range ss.Sheets {
		sh.props().Index = int64(i)
	}
	if f := s.st.Files[ss.ID]; f != nil {
		f.Name = ss.Props.Title
	}
	ss.touch(now)
	return res, nil
}

func (s *Server) applySheetRequest(ss *spreadsheet, kind string, raw json.RawMessage) (*sheets.Response, error) {
	switch kind {
	case "addSheet":
		var r sheets.AddSheetRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		var hasIndex struct {
			Properties struct {
				Index *int64 `json:"index"`
			} `json:"properties"`
		}
		_ = json.Unmarshal(raw, &hasIndex)
		p := r.Properties
		if p == nil {
			p = &sheets.SheetProperties{}
		}
		if p.Title == "" {
			for n := len(ss.Sheets) + 1; ; n++ {
				if t := fmt.Sprintf("Sheet%d", n); ss.sheetByTitle(t) == nil {
					p.Title = t
					break
				}
			}
		}
		if ss.sheetByTitle(p.Title) != nil {
			return nil, fmt.Errorf("A sheet with the name \"%s\" already exists. Please enter another name.", p.Title)
		}
		if p.SheetId == 0 {
			p.SheetId = s.st.newInt31("sheet")
		} else if ss.sheetByID(p.SheetId) != nil {
			return nil, fmt.Errorf("Duplicate sheet ID %d", p.SheetId)
		}
		p.SheetType = "GRID"
		fillGrid(p)
		sh := &sheet{Meta: &sheets.Sheet{Properties: p}}
		at := len(ss.Sheets)
		if hasIndex.Properties.Index != nil {
			at = min(max(int(*hasIndex.Properties.Index), 0), len(ss.Sheets))
		}
		ss.Sheets = slices.Insert(ss.Sheets, at, sh)
		reindex(ss)
		return &sheets.Response{AddSheet: &sheets.AddSheetResponse{Properties: p}}, nil

	case "appendDimension":
		var r sheets.AppendDimensionRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		sh := ss.sheetByID(r.SheetId)
		if sh == nil {
			return nil, fmt.Errorf("No grid with id: %d", r.SheetId)
		}
		if r.Length <= 0 {
			return nil, fmt.Errorf("length must be greater than zero")
		}
		g := sh.props().GridProperties
		switch r.Dimension {
		case "ROWS":
			g.RowCount += r.Length
		case "COLUMNS":
			g.ColumnCount += r.Length
		default:
			return nil, fmt.Errorf("dimension must be ROWS or COLUMNS")
		}
		return nil, nil

	case "insertDimension":
		var r sheets.InsertDimensionRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		if r.Range == nil {
			return nil, fmt.Errorf("range is required")
		}
		return nil, ss.insertDimension(r.Range)

	case "createDeveloperMetadata":
		return ss.createDeveloperMetadata(raw)

	case "deleteDeveloperMetadata":
		return ss.deleteDeveloperMetadata(raw)

	case "updateCells":
		return ss.updateCells(raw)

	case "deleteDimension":
		var r sheets.DeleteDimensionRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		if r.Range == nil {
			return nil, fmt.Errorf("range is required")
		}
		return nil, ss.deleteDimension(r.Range)

	case "deleteSheet":
		var r sheets.DeleteSheetRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		i := slices.IndexFunc(ss.Sheets, func(sh *sheet) bool { return sh.id() == r.SheetId })
		if i < 0 {
			return nil, fmt.Errorf("No grid with id: %d", r.SheetId)
		}
		if len(ss.Sheets) == 1 {
			return nil, fmt.Errorf("You can't remove all the sheets in a document.")
		}
		ss.Sheets = slices.Delete(ss.Sheets, i, i+1)
		ss.dropSheetMeta(r.SheetId)
		reindex(ss)
		return nil, nil

	case "updateSheetProperties":
		var r sheets.UpdateSheetPropertiesRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		if r.Properties == nil {
			return nil, fmt.Errorf("properties are required")
		}
		sh := ss.sheetByID(r.Properties.SheetId)
		if sh == nil {
			return nil, fmt.Errorf("No grid with id: %d", r.Properties.SheetId)
		}
		oldIndex := sh.props().Index
		updated := &sheets.SheetProperties{}
		if err := applyFieldMask(sh.props(), r.Properties, r.Fields, updated); err != nil {
			return nil, err
		}
		updated.SheetId, updated.SheetType = sh.id(), "GRID"
		fillGrid(updated)
		if other := ss.sheetByTitle(updated.Title); other != nil && other != sh {
			return nil, fmt.Errorf("A sheet with the name \"%s\" already exists. Please enter another name.", updated.Title)
		}
		if updated.Title == "" {
			return nil, fmt.Errorf("A sheet's name cannot be empty.")
		}
		g := updated.GridProperties
		if g.FrozenRowCount >= g.RowCount {
			return nil, fmt.Errorf("You can't freeze all visible rows on the sheet.")
		}
		if g.FrozenColumnCount >= g.ColumnCount {
			return nil, fmt.Errorf("You can't freeze all visible columns on the sheet.")
		}
		sh.Meta.Properties = updated
		sh.truncate()
		if updated.Index != oldIndex {
			i := slices.Index(ss.Sheets, sh)
			ss.Sheets = slices.Delete(ss.Sheets, i, i+1)
			at := min(max(int(updated.Index), 0), len(ss.Sheets))
			ss.Sheets = slices.Insert(ss.Sheets, at, sh)
		}
		reindex(ss)
		return nil, nil

	case "updateSpreadsheetProperties":
		var r sheets.UpdateSpreadsheetPropertiesRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		if r.Properties == nil {
			return nil, fmt.Errorf("properties are required")
		}
		updated := &sheets.SpreadsheetProperties{}
		if err := applyFieldMask(ss.Props, r.Properties, r.Fields, updated); err != nil {
			return nil, err
		}
		ss.Props = updated
		return nil, nil

	case "addProtectedRange":
		var r sheets.AddProtectedRangeRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		pr := r.ProtectedRange
		if pr == nil || pr.Range == nil {
			return nil, fmt.Errorf("protectedRange.range is required")
		}
		sh := ss.sheetByID(pr.Range.SheetId)
		if sh == nil {
			return nil, fmt.Errorf("No grid with id: %d", pr.Range.SheetId)
		}
		if pr.ProtectedRangeId == 0 {
			pr.ProtectedRangeId = s.st.newInt31("protectedRange")
		}
		pr.RequestingUserCanEdit = true
		sh.Meta.ProtectedRanges = append(sh.Meta.ProtectedRanges, pr)
		return &sheets.Response{AddProtectedRange: &sheets.AddProtectedRangeResponse{ProtectedRange: pr}}, nil

	case "deleteProtectedRange":
		var r sheets.DeleteProtectedRangeRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		for _, sh := range ss.Sheets {
			i := slices.IndexFunc(sh.Meta.ProtectedRanges, func(p *sheets.ProtectedRange) bool { return p.ProtectedRangeId == r.ProtectedRangeId })
			if i >= 0 {
				sh.Meta.ProtectedRanges = slices.Delete(sh.Meta.ProtectedRanges, i, i+1)
				return nil, nil
			}
		}
		return nil, fmt.Errorf("No protected range with id: %d", r.ProtectedRangeId)

	case "setDataValidation":
		var r sheets.SetDataValidationRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		if r.Range == nil {
			return nil, fmt.Errorf("range is required")
		}
		sh := ss.sheetByID(r.Range.SheetId)
		if sh == nil {
			return nil, fmt.Errorf("No grid with id: %d", r.Range.SheetId)
		}
		if r.Rule != nil && r.Rule.Condition == nil {
			return nil, fmt.Errorf("rule.condition is required")
		}
		sh.Validations = append(sh.Validations, &validation{Range: r.Range, Rule: r.Rule})
		return nil, nil

	case "addConditionalFormatRule":
		var r sheets.AddConditionalFormatRuleRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		if r.Rule == nil || len(r.Rule.Ranges) == 0 {
			return nil, fmt.Errorf("rule.ranges is required")
		}
		if r.Rule.BooleanRule == nil && r.Rule.GradientRule == nil {
			return nil, fmt.Errorf("rule needs a booleanRule or a gradientRule")
		}
		sh := ss.sheetByID(r.Rule.Ranges[0].SheetId)
		if sh == nil {
			return nil, fmt.Errorf("No grid with id: %d", r.Rule.Ranges[0].SheetId)
		}
		at := int(r.Index)
		if at < 0 || at > len(sh.Meta.ConditionalFormats) {
			return nil, fmt.Errorf("index %d is out of range", r.Index)
		}
		sh.Meta.ConditionalFormats = slices.Insert(sh.Meta.ConditionalFormats, at, r.Rule)
		return nil, nil

	case "deleteConditionalFormatRule":
		var r sheets.DeleteConditionalFormatRuleRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		sh := ss.sheetByID(r.SheetId)
		if sh == nil {
			return nil, fmt.Errorf("No grid with id: %d", r.SheetId)
		}
		at := int(r.Index)
		if at < 0 || at >= len(sh.Meta.ConditionalFormats) {
			return nil, fmt.Errorf("index %d is out of range", r.Index)
		}
		rule := sh.Meta.ConditionalFormats[at]
		sh.Meta.ConditionalFormats = slices.Delete(sh.Meta.ConditionalFormats, at, at+1)
		return &sheets.Response{DeleteConditionalFormatRule: &sheets.DeleteConditionalFormatRuleResponse{Rule: rule}}, nil

	case "addFilterView":
		var r sheets.AddFilterViewRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		fv := r.Filter
		if fv == nil || fv.Range == nil {
			return nil, fmt.Errorf("filter.range is required")
		}
		sh := ss.sheetByID(fv.Range.SheetId)
		if sh == nil {
			return nil, fmt.Errorf("No grid with id: %d", fv.Range.SheetId)
		}
		if fv.FilterViewId == 0 {
			fv.FilterViewId = s.st.newInt31("filterView")
		}
		sh.Meta.FilterViews = append(sh.Meta.FilterViews, fv)
		return &sheets.Response{AddFilterView: &sheets.AddFilterViewResponse{Filter: fv}}, nil

	case "deleteFilterView":
		var r sheets.DeleteFilterViewRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		for _, sh := range ss.Sheets {
			i := slices.IndexFunc(sh.Meta.FilterViews, func(f *sheets.FilterView) bool { return f.FilterViewId == r.FilterId })
			if i >= 0 {
				sh.Meta.FilterViews = slices.Delete(sh.Meta.FilterViews, i, i+1)
				return nil, nil
			}
		}
		return nil, fmt.Errorf("No filter view with id: %d", r.FilterId)

	case "setBasicFilter":
		var r sheets.SetBasicFilterRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		if r.Filter == nil || r.Filter.Range == nil {
			return nil, fmt.Errorf("filter.range is required")
		}
		sh := ss.sheetByID(r.Filter.Range.SheetId)
		if sh == nil {
			return nil, fmt.Errorf("No grid with id: %d", r.Filter.Range.SheetId)
		}
		sh.Meta.BasicFilter = r.Filter
		return nil, nil

	case "clearBasicFilter":
		var r sheets.ClearBasicFilterRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		sh := ss.sheetByID(r.SheetId)
		if sh == nil {
			return nil, fmt.Errorf("No grid with id: %d", r.SheetId)
		}
		sh.Meta.BasicFilter = nil
		return nil, nil
	}
	return nil, fmt.Errorf("workspacefake does not implement the %q request", kind)
}

func reindex(ss *spreadsheet) {
	for i, sh := range ss.Sheets {
		sh.props().Index = int64(i)
	}
}

// applyFieldMask writes into out a copy of cur with the fields named by mask
// ("title,gridProperties.frozenRowCount", or "*") taken from upd. A field
// named in the mask but absent from upd is reset, as with Google's masks.
func applyFieldMask(cur, upd any, mask string, out any) error {
	mask = strings.TrimSpace(mask)
	if mask == "" {
		return fmt.Errorf("At least one field must be specified in 'fields'.")
	}
	var curM, updM map[string]any
	if err := cloneJSON(cur, &curM); err != nil {
		return err
	}
	if err := cloneJSON(upd, &updM); err != nil {
		return err
	}
	if curM == nil {
		curM = map[string]any{}
	}
	for _, path := range strings.Split(mask, ",") {
		path = strings.TrimSpace(path)
		if path == "*" {
			curM = updM
			continue
		}
		parts := strings.Split(path, ".")
		src, dst := updM, curM
		for _, p := range parts[:len(parts)-1] {
			next, _ := src[p].(map[string]any)
			src = next
			d, ok := dst[p].(map[string]any)
			if !ok {
				d = map[string]any{}
				dst[p] = d
			}
			dst = d
		}
		last := parts[len(parts)-1]
		if v, ok := src[last]; ok {
			dst[last] = v
		} else {
			delete(dst, last)
		}
	}
	return cloneJSON(curM, out)
}

// truncate drops cells that fell outside a shrunken grid.
// The rows are copied, never changed in place: during a batchUpdate they
// are shared with the live sheet until the batch succeeds.
func (sh *sheet) truncate() {
	rows := slices.Clone(sh.Rows[:min(len(sh.Rows), sh.rowCount())])
	for i, r := range rows {
		if len(r) > sh.colCount() {
			rows[i] = slices.Clone(r[:sh.colCount()])
		}
	}
	sh.Rows = rows
}

// insertDimension inserts empty rows or columns at range.startIndex,
// shifting the cells after them. Like values.append with INSERT_ROWS, it
// does not shift protected ranges, filter views or validation rules (a
// known difference, doc.go).
func (ss *spreadsheet) insertDimension(d *sheets.DimensionRange) error {
	sh := ss.sheetByID(d.SheetId)
	if sh == nil {
		return fmt.Errorf("No grid with id: %d", d.SheetId)
	}
	n := int(d.EndIndex - d.StartIndex)
	at := int(d.StartIndex)
	if n <= 0 || at < 0 {
		return fmt.Errorf("range.endIndex must be greater than range.startIndex")
	}
	g := sh.props().GridProperties
	switch d.Dimension {
	case "ROWS":
		if at > sh.rowCount() {
			return fmt.Errorf("range.startIndex %d is past the last row (%d)", at, sh.rowCount())
		}
		g.RowCount += int64(n)
		ss.shiftMeta(sh.id(), "ROWS", at, n)
		if at < len(sh.Rows) {
			rows := make([]row, 0, len(sh.Rows)+n)
			rows = append(rows, sh.Rows[:at]...)
			rows = append(rows, make([]row, n)...)
			sh.Rows = append(rows, sh.Rows[at:]...)
		}
	case "COLUMNS":
		if at > sh.colCount() {
			return fmt.Errorf("range.startIndex %d is past the last column (%d)", at, sh.colCount())
		}
		g.ColumnCount += int64(n)
		ss.shiftMeta(sh.id(), "COLUMNS", at, n)
		rows := make([]row, len(sh.Rows))
		for i, r := range sh.Rows {
			if at >= len(r) {
				rows[i] = r
				continue
			}
			nr := make(row, 0, len(r)+n)
			nr = append(nr, r[:at]...)
			nr = append(nr, make(row, n)...)
			rows[i] = append(nr, r[at:]...)
		}
		sh.Rows = rows
	default:
		return fmt.Errorf("range.dimension must be ROWS or COLUMNS")
	}
	return nil
}
