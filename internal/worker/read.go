package worker

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/privacy"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/workspace"
)

// state is what a cycle read from the workbook (and the forms).
type state struct {
	tables  map[string]workbook.Table
	journal procedure.Journal
	applied map[string]bool // see isApplied
	agents  []procedure.Agent
	catalog []procedure.Service
	cal     *calendar.Calendar
	// adminProblems are what CheckAdmin finds in the admin tabs: the cycle
	// goes on (bad rows are skipped as before) and the administrator's
	// digest names them.
	adminProblems []string

	// version is the workbook's Drive version read before anything else
	// (-1 when unknown), so that an edit made while the cycle runs leaves
	// the workbook at a later version and the next cycle reads it.
	version int64
	// listed holds, per form, the lastSubmittedTime of every response the
	// cycle listed, at full precision: the idle check's watermarks.
	listed map[procedure.Form][]time.Time
	// hd are the titulars anonymized by the journal (rule HD-1,
	// internal/privacy); load applies them to the journal, run to the
	// responses and the outbox.
	hd *privacy.Set
	// after holds the worker tabs as they read once the cycle's writes
	// are applied (plan), for the Cache.
	after map[string]workbook.Table
	// From the Cache (cache.go): the last cycle's book, which the fold
	// resumes, and its outbox; nil when the workbook was read.
	book   *procedure.Book
	outbox *outbox
	// marks are the journal's watermarks (journalMarks), made at the
	// first question; from the Cache they come with the book.
	marks map[procedure.Form]time.Time
}

// journalMarks adds to marks, per form, the latest instant of a form
// response among the events (the forms' watermarks; e-mail intake has its
// own, see intakeAfter).
func journalMarks(marks map[procedure.Form]time.Time, journal procedure.Journal) {
	for i := range journal.Len() {
		if r := journal.Response(i); r == "" || isIntake(r) {
			continue
		}
		if e := journal.Event(i); e.At.After(marks[e.Data.Form]) {
			marks[e.Data.Form] = e.At
		}
	}
}

// allTabs lists every tab a cycle reads, in one batchGet.
func allTabs() []workbook.Tab {
	return append(append([]workbook.Tab{}, workbook.Worker...), workbook.Admin...)
}

// load reads the workbook in one call (creating missing tabs first, once).
// When lean, a paged read parses Historial as its pages arrive and keeps
// only the tab's header and row count (workbook.JournalReader): a cycle
// that is not a reconcile only appends to the tab (releaseJournalCells).
func (w *Worker) load(ctx context.Context, lean bool) (*state, error) {
	tabs := allTabs()
	names := make([]string, len(tabs))
	for i, t := range tabs {
		names[i] = t.Name
	}
	var hist *workbook.JournalReader
	read := func() ([]workbook.Table, error) {
		if lean {
			hist = workbook.NewJournalReader(calendar.Bogota(), 1024)
		}
		return w.readTables(ctx, tabs, names, hist)
	}
	tables, err := read()
	if errors.Is(err, workbook.ErrMissingTab) {
		added, aerr := w.Sheet.EnsureTabs(ctx, names)
		if aerr != nil {
			return nil, aerr
		}
		w.Log.Info("added missing tabs", "tabs", strings.Join(added, ", "))
		tables, err = read()
	}
	if err != nil {
		return nil, err
	}
	st := newState()
	for _, t := range tables {
		st.tables[t.Tab.Name] = t
	}
	if hist == nil {
		return st, w.parse(st, nil)
	}
	journal, errs := hist.Journal()
	logSkipped(w, errs)
	return st, w.parse(st, &journal)
}

func logSkipped(w *Worker, errs []error) {
	for _, e := range errs {
		w.Log.Warn("skipped journal row", "err", e)
	}
}

// pagedReader reads whole tabs in pages of rows (sheets.Client.ReadPaged).
type pagedReader interface {
	ReadPaged(ctx context.Context, tabs []string, rows int, fn func(tab, first int, values [][]any)) error
}

// readTables reads whole tabs: in one batchGet, or with Config.ReadPage
// in pages converted to rows as they arrive, so that the process never
// holds the whole workbook as JSON and []any at once. With hist,
// Historial's values go to hist instead of its table, which gets the tab's
// header and row count only.
func (w *Worker) readTables(ctx context.Context, tabs []workbook.Tab, names []string, hist *workbook.JournalReader) ([]workbook.Table, error) {
	out := make([]workbook.Table, len(tabs))
	for i, t := range tabs {
		out[i].Tab = t
	}
	if p, ok := w.Sheet.(pagedReader); ok && w.Config.ReadPage > 0 {
		err := p.ReadPaged(ctx, names, w.Config.ReadPage, func(i, first int, values [][]any) {
			if hist != nil && tabs[i].Name == workbook.Historial.Name {
				hist.Page(first, values)
				return
			}
			out[i].AppendPage(first, values)
		})
		for i := range out {
			if hist != nil && tabs[i].Name == workbook.Historial.Name {
				out[i] = hist.Table()
			}
		}
		return out, err
	}
	values, err := w.Sheet.Read(ctx, names)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if hist != nil && tabs[i].Name == workbook.Historial.Name {
			hist.Page(1, values[i])
			out[i] = hist.Table()
			continue
		}
		out[i] = workbook.NewTable(tabs[i], values[i])
	}
	return out, nil
}

func newState() *state {
	return &state{tables: map[string]workbook.Table{}, version: -1,
		listed: map[procedure.Form][]time.Time{}, after: map[string]workbook.Table{}}
}

// parse reads the admin tabs and the journal of st.tables: the journal is
// parsed from Historial, unless given (the Cache's, or a lean load's).
func (w *Worker) parse(st *state, journal *procedure.Journal) error {
	for _, t := range workbook.Admin {
		st.adminProblems = append(st.adminProblems, CheckAdminTable(st.tables[t.Name])...)
	}
	if n := len(st.adminProblems); n > 0 {
		// The problems quote names and e-mails: the digest carries them, the log only counts them.
		w.Log.Warn("admin tabs have problems; bad rows are skipped and the administrator's digest lists them", "problems", n)
	}
	hol, err := w.festivos(st.tables[workbook.Festivos.Name])
	if err != nil {
		return err
	}
	st.cal = calendar.New(calendar.Bogota(), hol, w.Config.Hours)
	st.agents = w.agents(st.tables[workbook.Agentes.Name])
	st.catalog = w.catalog(st.tables[workbook.Catalogo.Name])
	if journal != nil {
		st.journal = *journal
	} else {
		// Room for the decisions of a busy cycle, so the fold appends them
		// in place (run passes Owned) instead of copying the whole journal.
		hist := st.tables[workbook.Historial.Name]
		var errs []error
		st.journal, errs = workbook.ParseHistorialRoom(hist, st.cal.Location(), journalRoom(len(hist.Rows)))
		logSkipped(w, errs)
	}
	st.hd = privacy.FromJournal(st.journal)
	st.hd.Events(st.journal)
	return nil
}

// readTab reads one whole tab again: in pages of page rows (as
// readTables) when it had more rows than that at the last read (rows), so
// that a Notificaciones of 200,000 rows read back in the middle of a
// cycle is not decoded whole on top of everything the cycle holds; else
// in one batchGet, as a small office always did.
func readTab(ctx context.Context, sh Sheet, tab workbook.Tab, page, rows int) (workbook.Table, error) {
	if p, ok := sh.(pagedReader); ok && page > 0 && rows > page {
		t := workbook.Table{Tab: tab}
		err := p.ReadPaged(ctx, []string{tab.Name}, page, func(_, first int, values [][]any) {
			t.AppendPage(first, values)
		})
		return t, err
	}
	vals, err := sh.Read(ctx, []string{tab.Name})
	if err != nil {
		return workbook.Table{}, err
	}
	return workbook.NewTable(tab, vals[0]), nil
}

// releaseJournalCells drops the cells of the Historial tab, as a lean load
// does: a cycle that is not a reconcile only appends to the tab
// (workbook.PlanNew reads its header and row count). The rows stay, empty,
// so the count and positions do not change.
//
// In place: the tab comes from the Cache's entry, which the cycle took and
// owns, and a new array would be ~7 MB a cycle at 100k cases.
func (st *state) releaseJournalCells() {
	rows := st.tables[workbook.Historial.Name].Rows
	for i := range rows {
		rows[i] = nil
	}
}

// isApplied reports whether the journal read holds a response (its own
// events, or an archived case's). The set is made at the first question:
// most cycles ask none (at 100k cases it holds ~200,000 IDs).
func (st *state) isApplied(id string) bool {
	if st.applied == nil {
		st.applied = st.journal.Consumed()
	}
	return st.applied[id]
}

// journalRoom is the room left after the journal read for the cycle's
// decisions: a busy cycle decides a few events per response and timer. A
// cycle that decides more gets one copy of the journal, as before.
func journalRoom(rows int) int { return 1024 + rows/64 }

// agents reads the Agentes tab. A row without a valid e-mail cannot
// authorize anything and is skipped with a warning.
func (w *Worker) agents(t workbook.Table) []procedure.Agent {
	var out []procedure.Agent
	for _, r := range t.Records() {
		a := procedure.Agent{
			Name: r.Get("Nombre"), Email: strings.ToLower(r.Get("Correo")),
			Active: active(r.Get("Activo")), Role: role(r.Get("Rol")),
			Buildings: procedure.SplitList(r.Get("Edificios")), Services: procedure.SplitList(r.Get("Servicios")),
		}
		if a.Name == "" || !strings.Contains(a.Email, "@") {
			w.Log.Warn("skipped Agentes row without name or e-mail", "line", r.Line)
			continue
		}
		out = append(out, a)
	}
	return out
}

func active(s string) bool {
	switch procedure.Norm(s) {
	case "", "si", "true", "x", "1", "activo":
		return true
	}
	return false
}

func role(s string) procedure.Role {
	for _, r := range []procedure.Role{procedure.RoleAgent, procedure.RoleAdmin, procedure.RoleCoordinator, procedure.RoleWarranty} {
		if procedure.Norm(s) == procedure.Norm(string(r)) {
			return r
		}
	}
	return procedure.RoleAgent
}

// catalog reads the Catálogo tab; ANS reads like "8 horas" or "3 días".
func (w *Worker) catalog(t workbook.Table) []procedure.Service {
	var out []procedure.Service
	for _, r := range t.Records() {
		s := procedure.Service{Type: r.Get("Tipo de servicio"), Category: r.Get("Categoría"),
			NeedsBuilding: active(r.Get("Requiere edificio")) && r.Get("Requiere edificio") != ""}
		sla, err := ParseSLA(r.Get("ANS"))
		if err != nil {
			w.Log.Warn("Catálogo row has an unreadable ANS; using the default", "line", r.Line, "err", err)
			sla = w.Config.Settings.DefaultSLA
		}
		s.SLA = sla
		if s.Type != "" {
			out = append(out, s)
		}
	}
	return out
}

// ParseSLA reads a service level such as "8 horas", "2 días hábiles", "1 dia".
func ParseSLA(s string) (procedure.SLA, error) {
	f := strings.Fields(procedure.Norm(s))
	if len(f) < 2 {
		return procedure.SLA{}, fmt.Errorf("service level %q: want an amount and a unit (horas or días)", s)
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 0 {
		return procedure.SLA{}, fmt.Errorf("service level %q: %q is not a positive whole number", s, f[0])
	}
	switch f[1] {
	case "hora", "horas", "h":
		return procedure.SLA{Amount: n}, nil
	case "dia", "dias", "d":
		return procedure.SLA{Amount: n, Days: true}, nil
	}
	return procedure.SLA{}, fmt.Errorf("service level %q: unit %q is neither horas nor días", s, f[1])
}

// festivos reads the office's extra non-working days.
func (w *Worker) festivos(t workbook.Table) ([]calendar.Holiday, error) {
	out, bad := workbook.Holidays(t, calendar.Bogota())
	for _, r := range bad {
		w.Log.Warn("skipped Festivos row with an unreadable date", "line", r.Line)
	}
	return out, nil
}

// watermarkMargin re-reads a little before the last applied response, in
// case Forms lists a response late; already-applied ones are skipped.
const watermarkMargin = 15 * time.Minute

// responses lists each form's responses since its watermark: the latest
// submission time of a response of that form already in the journal. With
// e-mail intake, the new messages of the inbox come as Solicitudes
// responses too (intake.go); they have a watermark of their own.
func (w *Worker) responses(ctx context.Context, st *state, full bool) ([]procedure.Response, error) {
	if st.marks == nil {
		st.marks = map[procedure.Form]time.Time{}
		journalMarks(st.marks, st.journal)
	}
	marks := st.marks
	// journaled: when each listed response was applied (a map of the listed
	// ones, filled by one pass over the journal once they are listed).
	journaled := map[string]time.Time{}
	byForm := map[procedure.Form][]workspace.FormResponse{}
	var out []procedure.Response
	for _, form := range procedure.Forms {
		fc, ok := w.Config.Forms[form]
		if !ok || fc.ID == "" {
			continue
		}
		after := marks[form]
		if full {
			after = time.Time{}
		}
		if !after.IsZero() {
			after = after.Add(-watermarkMargin)
		}
		rs, err := w.Responses.Since(ctx, fc.ID, after)
		if err != nil {
			return nil, fmt.Errorf("read %s responses: %w", form, err)
		}
		byForm[form] = rs
	}
	listed := map[string]bool{}
	for _, rs := range byForm {
		for _, r := range rs {
			listed[r.ID] = true
		}
	}
	if st.book == nil {
		for i := range st.journal.Len() {
			if r := st.journal.Response(i); r != "" && listed[r] && !isIntake(r) {
				journaled[r] = st.journal.At(i)
			}
		}
	} else {
		// The book of the journal says which listed responses it holds:
		// they are among its last events (the listing starts a margin
		// before the newest), so the journal is read backwards until
		// every one is found.
		left := 0
		for id := range listed {
			if st.book.Applied(id) {
				left++
			}
		}
		for i := st.journal.Len() - 1; i >= 0 && left > 0; i-- {
			r := st.journal.Response(i)
			if _, seen := journaled[r]; !seen && r != "" && listed[r] && !isIntake(r) {
				journaled[r] = st.journal.At(i)
				left--
			}
		}
	}
	for _, form := range procedure.Forms {
		fc, ok := w.Config.Forms[form]
		if !ok || fc.ID == "" {
			continue
		}
		rs := byForm[form]
		byTitle := map[string]procedure.Field{}
		for f, title := range fc.Questions {
			byTitle[procedure.Norm(title)] = f
		}
		for _, r := range rs {
			st.listed[form] = append(st.listed[form], r.Submitted)
			// The journal keeps instants to the second (Historial's Fecha),
			// and the fold must see a response the same way whether it
			// comes from Forms or from the journal.
			submitted := r.Submitted.Truncate(time.Second)
			if at, ok := journaled[r.ID]; ok && submitted.After(at) {
				// Inputs are immutable events keyed by responseId: the
				// version applied first stands, an edit made afterwards
				// through the form's "edit response" link changes nothing.
				w.Log.Info("form response edited after it was applied; the edit is not applied", "form", form, "response", r.ID)
			}
			pr := procedure.Response{Form: form, ID: r.ID, Submitted: submitted, Email: strings.ToLower(r.Email), Answers: map[procedure.Field]string{}}
			for title, v := range r.Answers {
				if f, ok := byTitle[procedure.Norm(title)]; ok {
					pr.Answers[f] = v
				}
			}
			out = append(out, pr)
		}
	}
	if w.Config.Intake {
		rs, err := w.intake(ctx, st)
		if errors.Is(err, ErrConfig) {
			return nil, err
		}
		if err != nil {
			// Like a failed send, a mailbox that cannot be read does not
			// stop the cycle: the messages wait for the next one.
			w.Log.Warn("e-mail intake failed; requests by mail wait for the next cycle", "err", err)
		}
		out = append(out, rs...)
	}
	return out, nil
}
