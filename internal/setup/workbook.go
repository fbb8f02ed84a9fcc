// Package setup prepares a Google Sheets workbook and checks the forms for
// mesa: tabs and headers, frozen header rows, protected worker columns, data
// validation, conditional formatting and one filter view per agent. Every
// step looks at what is there first, so running it again adds nothing, and
// an existing hand-kept workbook is completed, never rewritten.
package setup

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Sheets is the part of the sheets adapter setup needs.
type Sheets interface {
	Service() *gsheets.Service
	ID() string
	EnsureTabs(ctx context.Context, tabs []string) ([]string, error)
	Write(ctx context.Context, ups []workbook.Update) (int, error)
}

// Options says who may edit the protected ranges.
type Options struct {
	// Editors always keep edit rights on worker ranges: the mailbox mesa
	// acts as (the service account's subject, or the OAuth user). The
	// Administrador e-mails of the Agentes tab are added to them.
	Editors []string
	DryRun  bool
}

// Change is one thing setup did (or would do, in a dry run).
type Change struct {
	Tab  string
	What string // English, for logs and the console
}

// Result lists the changes; empty when the workbook was already complete.
type Result struct {
	Changes  []Change
	Warnings []string
	Agents   int // filter views wanted
	Admins   []string
}

// Marker starts the description of every protected range mesa owns, so a
// later run recognises (and, if stale, replaces) its own and leaves those
// people made alone.
const Marker = "mesa:"

// Fields asked from spreadsheets.get: metadata setup inspects, and the
// first two rows (headers and the first data row's validation).
const getFields = "sheets(properties(sheetId,title,gridProperties),protectedRanges,conditionalFormats,filterViews," +
	"data(startRow,rowData(values(userEnteredValue,effectiveValue,dataValidation))))"

// Tabs are the tabs setup makes: the worker's, the administrator's and Control.
func Tabs() []workbook.Tab {
	out := append([]workbook.Tab{}, workbook.Worker...)
	out = append(out, workbook.Admin...)
	return append(out, workbook.Control)
}

// Workbook creates or completes the workbook. It makes at most: one
// addSheet batch, one values.batchUpdate for headers, two reads, and one
// spreadsheets.batchUpdate with every formatting request.
func Workbook(ctx context.Context, sh Sheets, opts Options) (Result, error) {
	var res Result
	tabs := Tabs()
	names := make([]string, len(tabs))
	for i, t := range tabs {
		names[i] = t.Name
	}
	if !opts.DryRun {
		added, err := sh.EnsureTabs(ctx, names)
		if err != nil {
			return res, err
		}
		for _, t := range added {
			res.Changes = append(res.Changes, Change{t, "added tab with a frozen header row"})
		}
	}
	ss, err := get(ctx, sh, names)
	if err != nil {
		return res, err
	}
	// Headers first: the protections and rules below are placed by them.
	var ups []workbook.Update
	for _, t := range tabs {
		s := ss[t.Name]
		if s == nil {
			continue // dry run on a workbook without this tab
		}
		header, add := completeHeader(t, s.header)
		if len(add) > 0 {
			ups = append(ups, workbook.Update{
				Range:  workbook.A1(t.Name, len(s.header), 1, len(header)-1, 1),
				Values: [][]any{toAny(add)},
			})
			res.Changes = append(res.Changes, Change{t.Name, "header columns " + strings.Join(add, ", ")})
		}
		s.header = header
	}
	if len(ups) > 0 && !opts.DryRun {
		if _, err := sh.Write(ctx, ups); err != nil {
			return res, fmt.Errorf("write headers: %w", err)
		}
	}
	agents, err := readAgents(ctx, sh)
	if err != nil {
		return res, err
	}
	editors := normEmails(opts.Editors)
	for _, a := range agents {
		if a.Role == procedure.RoleAdmin && a.Active {
			res.Admins = append(res.Admins, a.Email)
		}
	}
	res.Admins = normEmails(res.Admins)
	editors = normEmails(append(editors, res.Admins...))

	var reqs []*gsheets.Request
	for _, t := range tabs {
		s := ss[t.Name]
		if s == nil {
			continue
		}
		if g := s.props.GridProperties; g == nil || g.FrozenRowCount < 1 {
			reqs = append(reqs, &gsheets.Request{UpdateSheetProperties: &gsheets.UpdateSheetPropertiesRequest{
				Properties: &gsheets.SheetProperties{SheetId: s.props.SheetId, GridProperties: &gsheets.GridProperties{FrozenRowCount: 1}},
				Fields:     "gridProperties.frozenRowCount",
			}})
			res.Changes = append(res.Changes, Change{t.Name, "froze the header row"})
		}
		admin := isAdmin(t)
		if admin && len(res.Admins) == 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s aún no se protege: Agentes no tiene un Administrador activo; agréguelo y ejecute setup otra vez / %s is not protected yet: add an active Administrador to Agentes and run setup again", t.Name, t.Name))
			continue
		}
		r, c := protect(s, t, admin, editors)
		reqs = append(reqs, r...)
		res.Changes = append(res.Changes, c...)
	}
	if s := ss[workbook.Agentes.Name]; s != nil {
		r, c := validate(s, "Activo", []string{"Sí", "No"})
		reqs, res.Changes = append(reqs, r...), append(res.Changes, c...)
		r, c = validate(s, "Rol", roles())
		reqs, res.Changes = append(reqs, r...), append(res.Changes, c...)
	}
	if s := ss[workbook.Casos.Name]; s != nil {
		r, c := validate(s, "Estado", states())
		reqs, res.Changes = append(reqs, r...), append(res.Changes, c...)
		r, c = highlight(s)
		reqs, res.Changes = append(reqs, r...), append(res.Changes, c...)
		var names []string
		for _, a := range agents {
			if a.Active && a.Name != "" {
				names = append(names, a.Name)
			}
		}
		res.Agents = len(names)
		r, c = filterViews(s, names)
		reqs, res.Changes = append(reqs, r...), append(res.Changes, c...)
	}
	if len(reqs) == 0 || opts.DryRun {
		return res, nil
	}
	// One batch: Google applies it atomically, so a failure leaves nothing
	// half-done and the next run plans the same requests again.
	_, err = sh.Service().Spreadsheets.BatchUpdate(sh.ID(), &gsheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Context(ctx).Do()
	if err != nil {
		return res, fmt.Errorf("format the workbook (%d requests): %w", len(reqs), err)
	}
	return res, nil
}

// tabState is what setup knows of one tab.
type tabState struct {
	props      *gsheets.SheetProperties
	meta       *gsheets.Sheet
	header     []string
	validation map[int]*gsheets.DataValidationRule // column -> rule of row 2
}

func get(ctx context.Context, sh Sheets, names []string) (map[string]*tabState, error) {
	// Ask only for tabs that exist: a range naming a missing tab fails the call.
	have, err := sh.Service().Spreadsheets.Get(sh.ID()).Fields("sheets.properties.title").Context(ctx).Do()
	if err != nil {
		return nil, fmt.Errorf("read workbook: %w", err)
	}
	exists := map[string]bool{}
	for _, s := range have.Sheets {
		exists[s.Properties.Title] = true
	}
	var ranges []string
	for _, n := range names {
		if exists[n] {
			ranges = append(ranges, workbook.Quote(n)+"!1:2")
		}
	}
	out := map[string]*tabState{}
	if len(ranges) == 0 {
		return out, nil
	}
	ss, err := sh.Service().Spreadsheets.Get(sh.ID()).Ranges(ranges...).IncludeGridData(true).Fields(getFields).Context(ctx).Do()
	if err != nil {
		return nil, fmt.Errorf("read workbook layout: %w", err)
	}
	for _, s := range ss.Sheets {
		st := &tabState{props: s.Properties, meta: s, validation: map[int]*gsheets.DataValidationRule{}}
		for _, d := range s.Data {
			for i, row := range d.RowData {
				r := int(d.StartRow) + i
				for j, v := range row.Values {
					c := int(d.StartColumn) + j
					if r == 0 {
						for len(st.header) < c {
							st.header = append(st.header, "")
						}
						st.header = append(st.header, cellText(v))
					}
					if r == 1 && v.DataValidation != nil {
						st.validation[c] = v.DataValidation
					}
				}
			}
		}
		for len(st.header) > 0 && st.header[len(st.header)-1] == "" {
			st.header = st.header[:len(st.header)-1]
		}
		out[s.Properties.Title] = st
	}
	return out, nil
}

func cellText(v *gsheets.CellData) string {
	for _, ev := range []*gsheets.ExtendedValue{v.EffectiveValue, v.UserEnteredValue} {
		if ev != nil && ev.StringValue != nil {
			return strings.TrimSpace(*ev.StringValue)
		}
	}
	return ""
}

// completeHeader returns the header with the tab's missing columns
// appended after the existing ones (people's columns stay where they are),
// and the names it appended.
func completeHeader(t workbook.Tab, have []string) (header, add []string) {
	header = slices.Clone(have)
	for _, c := range t.Columns {
		if col(header, c.Name) < 0 {
			header = append(header, c.Name)
			add = append(add, c.Name)
		}
	}
	return header, add
}

// col finds a header regardless of accents and case, as the worker does.
func col(header []string, name string) int {
	for i, h := range header {
		if procedure.Norm(h) == procedure.Norm(name) {
			return i
		}
	}
	return -1
}

func readAgents(ctx context.Context, sh Sheets) ([]procedure.Agent, error) {
	vr, err := sh.Service().Spreadsheets.Values.Get(sh.ID(), workbook.Quote(workbook.Agentes.Name)).
		ValueRenderOption("UNFORMATTED_VALUE").Context(ctx).Do()
	if err != nil {
		return nil, fmt.Errorf("read Agentes: %w", err)
	}
	var out []procedure.Agent
	for _, r := range workbook.NewTable(workbook.Agentes, vr.Values).Records() {
		a := procedure.Agent{Name: r.Get("Nombre"), Email: strings.ToLower(r.Get("Correo")), Active: yes(r.Get("Activo"))}
		for _, role := range []procedure.Role{procedure.RoleAgent, procedure.RoleAdmin, procedure.RoleCoordinator, procedure.RoleWarranty} {
			if procedure.Norm(r.Get("Rol")) == procedure.Norm(string(role)) {
				a.Role = role
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// yes reads Agentes.Activo as the worker does: blank means active.
func yes(s string) bool {
	switch procedure.Norm(s) {
	case "", "si", "true", "x", "1", "activo":
		return true
	}
	return false
}

func isAdmin(t workbook.Tab) bool {
	for _, a := range workbook.Admin {
		if a.Name == t.Name {
			return true
		}
	}
	return false
}

// protect plans the protected ranges of a tab: for a worker tab, each run
// of adjacent worker columns (people's columns in between stay editable);
// for an admin tab, the whole tab. Stale ranges of mesa's own (columns
// moved, editors changed) are replaced; ranges people made are kept.
func protect(s *tabState, t workbook.Tab, admin bool, editors []string) ([]*gsheets.Request, []Change) {
	id := s.props.SheetId
	var want []*gsheets.ProtectedRange
	if admin {
		want = append(want, &gsheets.ProtectedRange{
			Range:       &gsheets.GridRange{SheetId: id, ForceSendFields: []string{"SheetId"}},
			Description: Marker + " " + t.Name + " — solo administradores / administrators only",
		})
	} else {
		cols := make([]int, 0, len(t.Columns))
		for _, c := range t.Columns {
			if i := col(s.header, c.Name); i >= 0 {
				cols = append(cols, i)
			}
		}
		sort.Ints(cols)
		for i := 0; i < len(cols); {
			j := i
			for j+1 < len(cols) && cols[j+1] == cols[j]+1 {
				j++
			}
			a, b := cols[i], cols[j]
			want = append(want, &gsheets.ProtectedRange{
				Range: &gsheets.GridRange{SheetId: id, StartColumnIndex: int64(a), EndColumnIndex: int64(b + 1),
					ForceSendFields: []string{"SheetId", "StartColumnIndex"}},
				Description: fmt.Sprintf("%s %s %s:%s — columnas del sistema / written by mesa", Marker, t.Name, workbook.Letters(a), workbook.Letters(b)),
			})
			i = j + 1
		}
	}
	for _, p := range want {
		p.Editors = &gsheets.Editors{Users: editors}
	}
	var mine []*gsheets.ProtectedRange
	for _, p := range s.meta.ProtectedRanges {
		if strings.HasPrefix(p.Description, Marker) {
			mine = append(mine, p)
		}
	}
	if sameProtections(mine, want) {
		return nil, nil
	}
	var reqs []*gsheets.Request
	var changes []Change
	for _, p := range mine {
		reqs = append(reqs, &gsheets.Request{DeleteProtectedRange: &gsheets.DeleteProtectedRangeRequest{ProtectedRangeId: p.ProtectedRangeId}})
		changes = append(changes, Change{t.Name, "removed stale protection " + p.Description})
	}
	for _, p := range want {
		reqs = append(reqs, &gsheets.Request{AddProtectedRange: &gsheets.AddProtectedRangeRequest{ProtectedRange: p}})
		changes = append(changes, Change{t.Name, fmt.Sprintf("protected %s (editors: %s)", strings.TrimPrefix(p.Description, Marker+" "), strings.Join(editors, ", "))})
	}
	return reqs, changes
}

func sameProtections(have, want []*gsheets.ProtectedRange) bool {
	if len(have) != len(want) {
		return false
	}
	key := func(p *gsheets.ProtectedRange) string {
		var users []string
		if p.Editors != nil {
			users = normEmails(p.Editors.Users)
		}
		r := p.Range
		return fmt.Sprintf("%d:%d-%d:%d-%d|%s", r.SheetId, r.StartRowIndex, r.EndRowIndex, r.StartColumnIndex, r.EndColumnIndex, strings.Join(users, ","))
	}
	var a, b []string
	for i := range have {
		a, b = append(a, key(have[i])), append(b, key(want[i]))
	}
	sort.Strings(a)
	sort.Strings(b)
	return slices.Equal(a, b)
}

// validate plans a drop-down list on a column, from row 2 down, unless the
// first data cell already has exactly that rule.
func validate(s *tabState, column string, values []string) ([]*gsheets.Request, []Change) {
	c := col(s.header, column)
	if c < 0 {
		return nil, nil
	}
	rule := &gsheets.DataValidationRule{
		Condition:    &gsheets.BooleanCondition{Type: "ONE_OF_LIST"},
		InputMessage: "Elija un valor de la lista / pick a value from the list",
		Strict:       true, ShowCustomUi: true,
	}
	for _, v := range values {
		rule.Condition.Values = append(rule.Condition.Values, &gsheets.ConditionValue{UserEnteredValue: v})
	}
	if sameRule(s.validation[c], rule) {
		return nil, nil
	}
	return []*gsheets.Request{{SetDataValidation: &gsheets.SetDataValidationRequest{
		Range: &gsheets.GridRange{SheetId: s.props.SheetId, StartRowIndex: 1, StartColumnIndex: int64(c), EndColumnIndex: int64(c + 1),
			ForceSendFields: []string{"SheetId"}},
		Rule: rule,
	}}}, []Change{{s.props.Title, fmt.Sprintf("drop-down list on %s: %s", column, strings.Join(values, ", "))}}
}

func sameRule(have, want *gsheets.DataValidationRule) bool {
	if have == nil || have.Condition == nil || have.Condition.Type != want.Condition.Type || have.Strict != want.Strict {
		return false
	}
	if len(have.Condition.Values) != len(want.Condition.Values) {
		return false
	}
	for i, v := range have.Condition.Values {
		if v.UserEnteredValue != want.Condition.Values[i].UserEnteredValue {
			return false
		}
	}
	return true
}

func roles() []string {
	return []string{string(procedure.RoleAgent), string(procedure.RoleAdmin), string(procedure.RoleCoordinator), string(procedure.RoleWarranty)}
}

func states() []string {
	return []string{string(procedure.Abierto), string(procedure.EnEspera), string(procedure.Resuelto), string(procedure.NoResuelto),
		string(procedure.Cerrado), string(procedure.Reabierto)}
}

// ownFormula recognises the conditional-format formulas setup writes, so
// rules left behind by a moved column are replaced instead of piling up.
var ownFormula = regexp.MustCompile(`^=\$[A-Z]+2="(Sí|En Espera)"$`)

var (
	red   = &gsheets.Color{Red: 0.96, Green: 0.78, Blue: 0.76}
	amber = &gsheets.Color{Red: 1, Green: 0.9, Blue: 0.6}
)

// highlight plans the Casos rules: an overdue case (Vencido = "Sí") in
// red, a waiting case (Estado = "En Espera") in amber. Overdue comes first
// so it wins on a row that is both.
func highlight(s *tabState) ([]*gsheets.Request, []Change) {
	type want struct {
		column, value string
		color         *gsheets.Color
	}
	var formulas []string
	var wants []want
	for _, w := range []want{{"Vencido", "Sí", red}, {"Estado", string(procedure.EnEspera), amber}} {
		c := col(s.header, w.column)
		if c < 0 {
			continue
		}
		formulas = append(formulas, fmt.Sprintf(`=$%s2="%s"`, workbook.Letters(c), w.value))
		wants = append(wants, w)
	}
	var have []string
	var stale []int
	for i, r := range s.meta.ConditionalFormats {
		f := formulaOf(r)
		if !ownFormula.MatchString(f) {
			continue
		}
		if slices.Contains(formulas, f) && !slices.Contains(have, f) {
			have = append(have, f)
			continue
		}
		stale = append(stale, i)
	}
	var reqs []*gsheets.Request
	var changes []Change
	// Delete from the end so the indexes of the earlier ones hold.
	for i := len(stale) - 1; i >= 0; i-- {
		reqs = append(reqs, &gsheets.Request{DeleteConditionalFormatRule: &gsheets.DeleteConditionalFormatRuleRequest{
			SheetId: s.props.SheetId, Index: int64(stale[i]), ForceSendFields: []string{"SheetId", "Index"}}})
		changes = append(changes, Change{s.props.Title, "removed stale highlight " + formulaOf(s.meta.ConditionalFormats[stale[i]])})
	}
	for i, f := range formulas {
		if slices.Contains(have, f) {
			continue
		}
		w := wants[i]
		reqs = append(reqs, &gsheets.Request{AddConditionalFormatRule: &gsheets.AddConditionalFormatRuleRequest{
			Index: int64(i), ForceSendFields: []string{"Index"},
			Rule: &gsheets.ConditionalFormatRule{
				Ranges: []*gsheets.GridRange{{SheetId: s.props.SheetId, StartRowIndex: 1, ForceSendFields: []string{"SheetId"}}},
				BooleanRule: &gsheets.BooleanRule{
					Condition: &gsheets.BooleanCondition{Type: "CUSTOM_FORMULA", Values: []*gsheets.ConditionValue{{UserEnteredValue: f}}},
					Format:    &gsheets.CellFormat{BackgroundColor: w.color},
				},
			},
		}})
		changes = append(changes, Change{s.props.Title, fmt.Sprintf("highlight rows where %s = %q", w.column, w.value)})
	}
	return reqs, changes
}

func formulaOf(r *gsheets.ConditionalFormatRule) string {
	if r.BooleanRule == nil || r.BooleanRule.Condition == nil || r.BooleanRule.Condition.Type != "CUSTOM_FORMULA" || len(r.BooleanRule.Condition.Values) != 1 {
		return ""
	}
	return r.BooleanRule.Condition.Values[0].UserEnteredValue
}

// FilterViewTitle names an agent's filter view on Casos.
func FilterViewTitle(agent string) string { return "Casos de " + agent }

// filterViews plans one filter view per agent showing the cases assigned
// to them. A view with the agent's title but on another column (the column
// moved) is replaced; views people made are left alone.
func filterViews(s *tabState, agents []string) ([]*gsheets.Request, []Change) {
	c := col(s.header, "Agente asignado")
	if c < 0 {
		return nil, nil
	}
	byTitle := map[string]*gsheets.FilterView{}
	for _, fv := range s.meta.FilterViews {
		byTitle[fv.Title] = fv
	}
	var reqs []*gsheets.Request
	var changes []Change
	seen := map[string]bool{}
	for _, name := range agents {
		title := FilterViewTitle(name)
		if seen[title] {
			continue
		}
		seen[title] = true
		if fv := byTitle[title]; fv != nil {
			if filterColumn(fv) == c {
				continue
			}
			reqs = append(reqs, &gsheets.Request{DeleteFilterView: &gsheets.DeleteFilterViewRequest{FilterId: fv.FilterViewId}})
		}
		reqs = append(reqs, &gsheets.Request{AddFilterView: &gsheets.AddFilterViewRequest{Filter: &gsheets.FilterView{
			Title: title,
			Range: &gsheets.GridRange{SheetId: s.props.SheetId, ForceSendFields: []string{"SheetId"}},
			FilterSpecs: []*gsheets.FilterSpec{{
				ColumnIndex: int64(c), ForceSendFields: []string{"ColumnIndex"},
				FilterCriteria: &gsheets.FilterCriteria{Condition: &gsheets.BooleanCondition{
					Type: "TEXT_EQ", Values: []*gsheets.ConditionValue{{UserEnteredValue: name}}}},
			}},
		}}})
		changes = append(changes, Change{s.props.Title, "filter view " + title})
	}
	return reqs, changes
}

func filterColumn(fv *gsheets.FilterView) int {
	if len(fv.FilterSpecs) != 1 {
		return -1
	}
	return int(fv.FilterSpecs[0].ColumnIndex)
}

func normEmails(in []string) []string {
	var out []string
	for _, e := range in {
		e = strings.ToLower(strings.TrimSpace(e))
		if e != "" && !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	sort.Strings(out)
	return out
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
