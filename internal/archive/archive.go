// Package archive moves the cases of a closed year out of the live
// workbook into that year's archive workbook (DESIGN.md §10b), lists the
// archives with their retention dates by the office's TRD, and builds the
// transfer package for the central archive (FUID, AGN Acuerdo 042 de 2002).
//
// A run is crash-safe and idempotent because every step can be told from
// the workbooks themselves: copy the rows the archive lacks, verify that
// every row about to leave is in the archive cell for cell, journal one
// snapshot event per case in the live Historial (procedure.ArchiveEvent),
// record in the archive the live rows that must stay (RecoveryTab), and
// only then delete the rows from the live workbook and write back any row
// the positional deletion took by mistake. A run killed at any point is
// finished by the next one; a run with nothing to do writes nothing.
package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/drive"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

// Sheet is a workbook as the archive needs it (sheets.Client).
type Sheet interface {
	ID() string
	Title(ctx context.Context) (string, error)
	Tabs(ctx context.Context) ([]string, error)
	Read(ctx context.Context, tabs []string) ([][][]any, error)
	Write(ctx context.Context, ups []workbook.Update) (int, error)
	EnsureTabs(ctx context.Context, tabs []string) ([]string, error)
	DeleteRows(ctx context.Context, rows map[string][]int) (int, error)
	Protect(ctx context.Context, tabs []string, description string) ([]string, error)
	Protected(ctx context.Context, description string) (map[string]bool, error)
	Replace(ctx context.Context, tab string, rows [][]string) error
	DeleteTabs(ctx context.Context, names []string) ([]string, error)
}

// Files finds and creates spreadsheets in a Drive folder (drive.Client).
type Files interface {
	Spreadsheet(ctx context.Context, folder, name string) (string, bool, error)
	Spreadsheets(ctx context.Context, folder, prefix string) ([]drive.File, error)
}

// BookFunc folds the live workbook at an instant, with the journals of
// the archives given first and the form responses no cycle has applied yet
// (worker.Worker.BookAhead).
type BookFunc func(ctx context.Context, now time.Time, archived []procedure.Event) (*procedure.Book, *time.Location, error)

// Deps is what an archive run needs.
type Deps struct {
	Live     Sheet
	Open     func(id string) Sheet // a client for another spreadsheet
	Files    Files
	Folder   string // Drive folder of the archives ("" on the local backend)
	Book     BookFunc
	Settings procedure.Settings
	TRD      TRD
	Log      *slog.Logger
	// Step, when set, is called after each step with its name (Steps):
	// the fault-injection tests kill the process there.
	Step func(name string)
}

// Steps are the points between the steps of a run, in order.
var Steps = []string{"created", "copied", "verified", "journaled", "recorded", "deleted", "described"}

// Tabs are the tabs whose rows of an archived case move, in the order they
// are copied. Looker is the report's per-case table (written by mesa
// report), moved so that each archive keeps its own Looker tab.
var Tabs = []workbook.Tab{workbook.Historial, workbook.Casos, workbook.Notificaciones, workbook.Rechazos,
	workbook.Encuestas, workbook.Garantias, workbook.Escalam, workbook.Lecciones, workbook.Looker}

// FichaTab is the archive's metadata tab.
const FichaTab = "Ficha"

// Protection is the description of the protected ranges of an archive.
const Protection = "mesa: libro de archivo, solo lectura (Ley 594 de 2000)"

// Title is the name of the archive workbook of year for the live workbook.
func Title(live string, year int) string { return fmt.Sprintf("%s — Archivo %d", live, year) }

// Request says which year to archive, when.
type Request struct {
	Year   int
	Now    time.Time
	DryRun bool
}

// Summary is what a run did (or, dry, would do).
type Summary struct {
	Title     string
	ID        string         // archive spreadsheet id ("" in a dry run that would create it)
	Cases     []int          // cases in the archive after the run (this run's and earlier ones')
	New       []int          // cases this run archived
	Kept      int            // cases closed in the year that can still change, left live
	Waiting   []int          // settled cases left live until a cycle writes their rows as the fold renders them
	Copied    map[string]int // rows copied, by tab
	Deleted   map[string]int // rows deleted from the live workbook, by tab
	Journaled int            // snapshot events appended to the live Historial
	Cells     int            // cells the deleted rows held in the live workbook
}

// ErrYearOpen refuses to archive a year that has not ended.
var ErrYearOpen = errors.New("the year has not ended")

// Run archives req.Year (see the package comment).
func Run(ctx context.Context, d Deps, req Request) (Summary, error) {
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	loc := calendar.Bogota()
	sum := Summary{Copied: map[string]int{}, Deleted: map[string]int{}}
	if !req.Now.After(time.Date(req.Year+1, 1, 1, 0, 0, 0, 0, loc)) {
		return sum, fmt.Errorf("archive %d at %s: %w", req.Year, req.Now.Format(time.RFC3339), ErrYearOpen)
	}
	step := func(name string) {
		if d.Step != nil {
			d.Step(name)
		}
	}
	liveTitle, err := d.Live.Title(ctx)
	if err != nil {
		return sum, err
	}
	sum.Title = Title(liveTitle, req.Year)
	// A run killed after its recovery record may have deleted rows it did
	// not mean to: they go back before anything else reads the workbook.
	if !req.DryRun {
		if err := recoverRuns(ctx, d, liveTitle, log); err != nil {
			return sum, err
		}
	}
	book, loc, err := d.Book(ctx, req.Now, nil)
	if err != nil {
		return sum, fmt.Errorf("fold the live workbook: %w", err)
	}
	live, err := readTabs(ctx, d.Live)
	if err != nil {
		return sum, err
	}
	journaled := map[string]bool{}
	for _, r := range live[workbook.Historial.Name].records() {
		journaled[r.key] = true
	}
	// The cases of this archive: those an earlier run journaled (their rows
	// may still be live after a crash), and those settled now whose every
	// event is in the Historial (a fold at now may decide what no cycle
	// has written yet: those cases wait for the next run).
	inArchive := map[int]bool{}
	for _, n := range book.ArchivedCases() {
		if where, _ := book.Archived(n); where == sum.Title {
			inArchive[n] = true
		}
	}
	// A case whose mail has not all gone out (Pendiente, Enviando, or
	// Fallido and Incierto, which wait for a person) stays live: its
	// outbox rows are still work.
	unsent := map[int]bool{}
	out := live[workbook.Notificaciones.Name]
	if st := out.col("Estado"); st >= 0 {
		for _, r := range out.records() {
			if st >= len(r.text) || r.text[st] != worker.Sent {
				unsent[r.cas] = true
			}
		}
	}
	// A case moves as the live workbook shows it: its rows in Casos and the
	// other views as the fold renders them. A person may have deleted its
	// Casos row or typed over a worker cell, or a cycle may have died
	// before writing them; the next cycle puts them right, and the case
	// waits for the next run. Moving it now would archive the wrong row, or
	// none: once its snapshot is journaled the live fold renders it no
	// more, and a row missing from the live tab would be missing from both.
	settled := book.Archivable(req.Year, req.Now, loc, d.Settings)
	candidates := map[int]bool{}
	for _, n := range settled {
		candidates[n] = !inArchive[n]
	}
	unwritten := staleViews(workbook.Formatter{Loc: loc}.Views(book, d.Settings), live, candidates)
	sum.Waiting = sortedKeys(unwritten)
	if len(unwritten) > 0 {
		log.Info("cases wait for a cycle to write their rows before they are archived", "year", req.Year, "cases", len(unwritten))
	}
	var fresh []int
	refresh := map[int]bool{}
	for _, n := range settled {
		all := !unsent[n] && !unwritten[n]
		for _, e := range book.Events(n) {
			all = all && journaled[e.ID]
		}
		if all && !inArchive[n] {
			fresh = append(fresh, n)
			refresh[n] = true
		}
	}
	moving := map[int]bool{}
	for n := range inArchive {
		moving[n] = true
	}
	for _, n := range fresh {
		moving[n] = true
	}
	for _, c := range book.Cases() {
		if c.StateAt.In(loc).Year() == req.Year && !moving[c.Number] && !unwritten[c.Number] {
			sum.Kept++
		}
	}
	sum.New = fresh
	leaving := map[string][]liveRow{}
	for _, tab := range Tabs {
		leaving[tab.Name] = live[tab.Name].ofCases(moving)
	}
	if req.DryRun {
		for tab, rows := range leaving {
			if len(rows) > 0 {
				sum.Copied[tab] = len(rows)
				sum.Deleted[tab] = len(rows)
				sum.Cells += len(rows) * len(live[tab].header)
			}
		}
		sum.Journaled = len(fresh)
		sum.Cases = sortedKeys(moving)
		return sum, nil
	}
	if len(moving) == 0 {
		log.Info("nothing to archive", "year", req.Year, "kept", sum.Kept)
		return sum, nil
	}

	// 1. The archive workbook, its tabs, read-only for people.
	id, created, err := d.Files.Spreadsheet(ctx, d.Folder, sum.Title)
	if err != nil {
		return sum, err
	}
	sum.ID = id
	arch := d.Open(id)
	names := []string{FichaTab}
	for _, t := range Tabs {
		names = append(names, t.Name)
	}
	if _, err := arch.EnsureTabs(ctx, names); err != nil {
		return sum, fmt.Errorf("tabs of %s: %w", sum.Title, err)
	}
	// The empty first tab a spreadsheet made through Drive comes with.
	if _, err := arch.DeleteTabs(ctx, []string{"Sheet1", "Hoja 1", "Hoja1"}); err != nil {
		return sum, err
	}
	if _, err := arch.Protect(ctx, names, Protection); err != nil {
		return sum, err
	}
	if created {
		log.Info("archive workbook created", "year", req.Year, "spreadsheet", id)
	}
	step("created")

	// 2. Copy what the archive lacks, keyed, so a second copy adds nothing.
	// A case not journaled yet may have changed since a run that died
	// copied it (Funza paso 8 sets the survey no window): its live rows,
	// which the fold renders as they are (staleViews), replace that copy in
	// place. A journaled case takes no answer any more (procedure: an
	// archived case's snapshot stands): its copy of the worker's cells
	// stands, and people's cells, which the fold does not render (a note
	// an agent rewrote since), come from its live rows.
	have, err := readTabs(ctx, arch)
	if err != nil {
		return sum, err
	}
	var ups []workbook.Update
	refreshed, noted := 0, 0
	for _, tab := range Tabs {
		u, n := have[tab.Name].appendRows(live[tab.Name].header, leaving[tab.Name])
		r := have[tab.Name].refreshRows(live[tab.Name].header, leaving[tab.Name], refresh)
		p := have[tab.Name].peopleRows(live[tab.Name].header, leaving[tab.Name], inArchive)
		ups = append(append(append(ups, u...), r...), p...)
		sum.Copied[tab.Name] = n + len(r)
		refreshed += len(r)
		noted += len(p)
	}
	if refreshed > 0 {
		log.Info("rows an earlier run copied changed since: the archive's copies are replaced", "year", req.Year, "rows", refreshed)
	}
	if noted > 0 {
		log.Info("people's cells of journaled cases changed since an earlier run copied them: the archive takes them", "year", req.Year, "cells", noted)
	}
	if _, err := arch.Write(ctx, ups); err != nil {
		return sum, fmt.Errorf("copy to %s: %w", sum.Title, err)
	}
	step("copied")

	// 3. Verify: every row about to leave is in the archive, cell for cell.
	if have, err = readTabs(ctx, arch); err != nil {
		return sum, err
	}
	for _, tab := range Tabs {
		if err := have[tab.Name].holds(live[tab.Name].header, leaving[tab.Name]); err != nil {
			return sum, fmt.Errorf("verify %s in %s: %w; nothing was deleted", tab.Name, sum.Title, err)
		}
	}
	step("verified")

	// 4. Journal one snapshot per case before any row leaves: from here
	// on the live fold knows the case is archived.
	var events []procedure.Event
	at := req.Now.In(loc).Truncate(time.Second)
	for _, n := range fresh {
		e, err := procedure.ArchiveEvent(book, n, sum.Title, at)
		if err != nil {
			return sum, err
		}
		events = append(events, e)
	}
	if len(events) > 0 {
		f := workbook.Formatter{Loc: loc}
		hist := workbook.NewTable(workbook.Historial, live[workbook.Historial.Name].values)
		u, _ := workbook.Plan(hist, f.JournalRows(procedure.JournalOf(events...)))
		if _, err := d.Live.Write(ctx, u); err != nil {
			return sum, fmt.Errorf("journal the archive in Historial: %w", err)
		}
		sum.Journaled = len(events)
	}
	step("journaled")

	// 5. Delete from the live workbook, read again just before: people
	// sort and insert rows, and a cycle may have appended some.
	now, err := readTabs(ctx, d.Live)
	if err != nil {
		return sum, err
	}
	del := map[string][]int{}
	for _, tab := range Tabs {
		rows := now[tab.Name].ofCases(moving)
		if err := have[tab.Name].holds(now[tab.Name].header, rows); err != nil {
			return sum, fmt.Errorf("verify %s in %s before deleting: %w; nothing was deleted", tab.Name, sum.Title, err)
		}
		for _, r := range rows {
			del[tab.Name] = append(del[tab.Name], r.line)
		}
		if len(rows) > 0 {
			sum.Deleted[tab.Name] = len(rows)
			sum.Cells += len(rows) * len(now[tab.Name].header)
		}
	}
	// Sheets deletes rows by position, with no condition on what they
	// hold: a person's sort or inserted row in the instant between the
	// read above and the deletion puts other rows under it. Every row the
	// run does not mean to delete is recorded first in the archive, and
	// goes back after the deletion as it was read, people's cells
	// included; the archived cases' rows the sort saved, the next run
	// deletes. A run killed before the write-back leaves the record, and
	// the next run writes the rows back (recoverRuns).
	touched := map[string]bool{}
	for tab, lines := range del {
		if len(lines) > 0 {
			touched[tab] = true
		}
	}
	if len(touched) > 0 {
		if err := deleteRows(ctx, d.Live, arch, del, keep(now, moving), touched, log, step); err != nil {
			return sum, fmt.Errorf("%s: %w", sum.Title, err)
		}
	} else {
		step("recorded")
	}
	step("deleted")

	// 6. The Ficha, from what the archive holds.
	if have, err = readTabs(ctx, arch); err != nil {
		return sum, err
	}
	sum.Cases = have[workbook.Casos.Name].cases()
	// The date of the last move is the last snapshot's, so that a run that
	// moves nothing leaves the Ficha as it was.
	last := time.Time{}
	for _, j := range []procedure.Journal{book.Journal, procedure.JournalOf(events...)} {
		for i := range j.Len() {
			if j.Kind(i) != procedure.KArchived {
				continue
			}
			if e := j.Event(i); e.Data.Archive == sum.Title && e.At.After(last) {
				last = e.At
			}
		}
	}
	ficha := d.TRD.ficha(fichaFacts{Year: req.Year, Title: sum.Title, Live: liveTitle, LiveID: d.Live.ID(), At: last, Tabs: have, Cases: sum.Cases, Loc: loc})
	cur, err := arch.Read(ctx, []string{FichaTab})
	if err != nil {
		return sum, err
	}
	if !sameRows(cur[0], ficha) {
		if err := arch.Replace(ctx, FichaTab, ficha); err != nil {
			return sum, fmt.Errorf("write the Ficha of %s: %w", sum.Title, err)
		}
	}
	step("described")
	log.Info("archive done", "year", req.Year, "spreadsheet", id, "new_cases", len(fresh), "cases", len(sum.Cases), "journaled", sum.Journaled)
	return sum, nil
}

// deleteRows deletes the rows del from the live workbook with the record
// of keep's tabs touched in arch first, and writes back after it every row
// of keep the deletion took.
func deleteRows(ctx context.Context, live, arch Sheet, del map[string][]int, kept map[string]table, touched map[string]bool, log *slog.Logger, step func(string)) error {
	if err := writeRecord(ctx, arch, kept, touched); err != nil {
		return fmt.Errorf("write the recovery record: %w; nothing was deleted", err)
	}
	step("recorded")
	_, derr := live.DeleteRows(ctx, del)
	put, err := writeBack(ctx, live, kept)
	if err != nil {
		return errors.Join(derr, fmt.Errorf("write back the rows deleted by mistake (the recovery record stays for the next run): %w", err))
	}
	if put > 0 {
		log.Warn("rows moved while the archived rows were deleted: the rows deleted by mistake are written back", "rows", put)
	}
	if derr != nil {
		return fmt.Errorf("delete archived rows from the live workbook: %w", derr)
	}
	_, err = arch.DeleteTabs(ctx, []string{RecoveryTab})
	return err
}

// restore writes back to the live workbook the rows of keep (as read
// before a deletion, only the rows it must not take) that are not live,
// and the people's cells of those a cycle wrote again in the meantime (a
// cycle renders a missing Casos row anew, without the agents' notes): a
// people's column empty in the live row and not in keep's. It returns how
// many rows and cells it wrote back.
func restore(ctx context.Context, live Sheet, keep map[string]table) (int, error) {
	after, err := readTabs(ctx, live)
	if err != nil {
		return 0, err
	}
	var ups []workbook.Update
	put := 0
	for _, tab := range Tabs {
		k, ok := keep[tab.Name]
		if !ok {
			continue
		}
		// appendRows skips the keys still there.
		u, n := after[tab.Name].appendRows(k.header, k.records())
		ups, put = append(ups, u...), put+n
		u = after[tab.Name].peopleCells(k)
		ups, put = append(ups, u...), put+len(u)
	}
	if put == 0 {
		return 0, nil
	}
	_, err = live.Write(ctx, ups)
	return put, err
}

// table is a tab as read, with its raw values (to copy them unchanged)
// and canonical strings (to compare them).
type table struct {
	tab    workbook.Tab
	header []string
	values [][]any
	rows   [][]string
}

// liveRow is a data row of a tab: its sheet line, key, case and cells.
type liveRow struct {
	line int
	key  string
	cas  int
	raw  []any
	text []string
}

func readTabs(ctx context.Context, sh Sheet) (map[string]table, error) {
	have, err := sh.Tabs(ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, t := range Tabs {
		if slices.Contains(have, t.Name) {
			names = append(names, t.Name)
		}
	}
	out := map[string]table{}
	for _, t := range Tabs {
		out[t.Name] = table{tab: t}
	}
	if len(names) == 0 {
		return out, nil
	}
	vals, err := sh.Read(ctx, names)
	if err != nil {
		return nil, err
	}
	for i, name := range names {
		out[name] = newTable(out[name].tab, vals[i])
	}
	return out, nil
}

// newTable is a tab's values (header first) as a table.
func newTable(tab workbook.Tab, vals [][]any) table {
	wt := workbook.NewTable(tab, vals)
	return table{tab: tab, values: vals, header: wt.Header, rows: wt.Rows}
}

func (t table) col(name string) int { return slices.Index(t.header, name) }

// records returns the data rows with their key and case number.
func (t table) records() []liveRow {
	kc, cc, ec := t.col(t.tab.Key), t.col(caseColumn(t.tab)), t.col("Evento")
	var out []liveRow
	for i, row := range t.rows {
		r := liveRow{line: i + 2, text: row}
		if i+1 < len(t.values) {
			r.raw = t.values[i+1]
		}
		if kc >= 0 && kc < len(row) {
			r.key = row[kc]
		}
		if cc >= 0 && cc < len(row) {
			r.cas, _ = strconv.Atoi(row[cc])
		}
		// The snapshot rows stay live: they are what the live fold knows
		// of an archived case.
		if ec >= 0 && ec < len(row) && row[ec] == string(procedure.KArchived) {
			r.cas = 0
		}
		out = append(out, r)
	}
	return out
}

// staleViews returns the cases among cases (those true) whose rows in the
// views (workbook.Formatter.Views) of the moving tabs are not in the live
// workbook as rendered: a row missing, or a worker cell that differs.
func staleViews(views map[string][][]string, live map[string]table, cases map[int]bool) map[int]bool {
	out := map[int]bool{}
	for _, tab := range Tabs {
		rows, ok := views[tab.Name]
		if !ok {
			continue
		}
		t := live[tab.Name]
		have := map[string][]string{}
		for _, r := range t.records() {
			if _, dup := have[r.key]; !dup && r.key != "" {
				have[r.key] = r.text
			}
		}
		key, cas := tab.Index(tab.Key), tab.Index(caseColumn(tab))
		for _, want := range rows {
			n, _ := strconv.Atoi(want[cas])
			if !cases[n] || out[n] {
				continue
			}
			got, ok := have[want[key]]
			for j, v := range want {
				if len(v) > procedure.MaxCell {
					v = procedure.ClipCell(v) // as the worker writes it (workbook.Plan)
				}
				ok = ok && cell(got, t.col(tab.Columns[j].Name)) == v
			}
			if !ok {
				out[n] = true
			}
		}
	}
	return out
}

// cell is row's cell at column i, "" past its end or for a missing column.
func cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

// caseColumn is the column that says which case a row is about.
func caseColumn(t workbook.Tab) string {
	if t.Name == workbook.Looker.Name {
		return "caso"
	}
	return "Caso"
}

func (t table) ofCases(cases map[int]bool) []liveRow {
	var out []liveRow
	for _, r := range t.records() {
		if r.cas > 0 && cases[r.cas] && r.key != "" {
			out = append(out, r)
		}
	}
	return out
}

// appendRows returns the writes that add the rows the tab lacks (by key),
// under the live tab's header: a header first if the tab has none, and
// columns the live tab has and this one lacks after its own.
func (t table) appendRows(liveHeader []string, rows []liveRow) ([]workbook.Update, int) {
	var ups []workbook.Update
	header := slices.Clone(t.header)
	for _, h := range liveHeader {
		if h != "" && !slices.Contains(header, h) {
			ups = append(ups, workbook.Update{Range: workbook.A1(t.tab.Name, len(header), 1, len(header), 1), Values: [][]any{{h}}})
			header = append(header, h)
		}
	}
	keys := map[string]bool{}
	for _, r := range t.records() {
		keys[r.key] = true
	}
	var block [][]any
	for _, r := range rows {
		if keys[r.key] {
			continue
		}
		keys[r.key] = true
		line := make([]any, len(header))
		for j := range line {
			line[j] = ""
		}
		for i, h := range liveHeader {
			if j := slices.Index(header, h); j >= 0 && i < len(r.raw) && h != "" {
				line[j] = r.raw[i]
			}
		}
		block = append(block, line)
	}
	if len(block) > 0 && len(header) > 0 {
		first := len(t.rows) + 2
		ups = append(ups, workbook.Update{Range: workbook.A1(t.tab.Name, 0, first, len(header)-1, first+len(block)-1), Values: block})
	}
	return ups, len(block)
}

// headerWith is t's header followed by the live tab's columns t lacks, as
// appendRows adds them.
func (t table) headerWith(liveHeader []string) []string {
	header := slices.Clone(t.header)
	for _, h := range liveHeader {
		if h != "" && !slices.Contains(header, h) {
			header = append(header, h)
		}
	}
	return header
}

// refreshRows returns the writes that replace, in place, the rows of t
// that have the key of one of rows of a case in cases but other cells
// under liveHeader: with that row's values, and t's own in its columns the
// live tab lacks. A column the live tab has and t lacks is appendRows'.
func (t table) refreshRows(liveHeader []string, rows []liveRow, cases map[int]bool) []workbook.Update {
	if len(cases) == 0 || len(t.header) == 0 {
		return nil
	}
	byKey := map[string]liveRow{}
	for _, r := range rows {
		if cases[r.cas] {
			byKey[r.key] = r
		}
	}
	header := t.headerWith(liveHeader)
	var ups []workbook.Update
	for _, old := range t.records() {
		r, ok := byKey[old.key]
		if !ok || old.key == "" || t.differs(old.text, liveHeader, r) == "" {
			continue
		}
		line := make([]any, len(header))
		for j := range line {
			line[j] = ""
			if j < len(old.raw) {
				line[j] = old.raw[j]
			}
		}
		for i, h := range liveHeader {
			if j := slices.Index(header, h); j >= 0 && h != "" {
				line[j] = ""
				if i < len(r.raw) {
					line[j] = r.raw[i]
				}
			}
		}
		ups = append(ups, workbook.Update{Range: workbook.A1(t.tab.Name, 0, old.line, len(header)-1, old.line), Values: [][]any{line}})
	}
	return ups
}

// peopleRows returns the writes that put, in the rows of t that have the
// key of one of rows of a case in cases and all its worker cells (the
// tab's schema) under liveHeader, that row's cells of people's columns
// where they differ. A row whose worker cells differ gets none: holds
// refuses it.
func (t table) peopleRows(liveHeader []string, rows []liveRow, cases map[int]bool) []workbook.Update {
	if len(cases) == 0 || len(t.header) == 0 {
		return nil
	}
	byKey := map[string]liveRow{}
	for _, r := range t.records() {
		byKey[r.key] = r
	}
	header := t.headerWith(liveHeader)
	var ups []workbook.Update
	for _, r := range rows {
		old, ok := byKey[r.key]
		if !cases[r.cas] || !ok || r.key == "" {
			continue
		}
		same := true
		for i, h := range liveHeader {
			same = same && (h == "" || t.tab.Index(h) < 0 || cell(old.text, t.col(h)) == cell(r.text, i))
		}
		for i, h := range liveHeader {
			j := slices.Index(header, h)
			if !same || h == "" || t.tab.Index(h) >= 0 || cell(old.text, j) == cell(r.text, i) {
				continue
			}
			v := any("")
			if i < len(r.raw) {
				v = r.raw[i]
			}
			ups = append(ups, workbook.Update{Range: workbook.A1(t.tab.Name, j, old.line, j, old.line), Values: [][]any{{v}}})
		}
	}
	return ups
}

// peopleCells returns the writes that put back, in the rows of t whose key
// is in k, the cells of people's columns (those not in the tab's schema)
// that are empty in t and not in k.
func (t table) peopleCells(k table) []workbook.Update {
	had := map[string]liveRow{}
	for _, r := range k.records() {
		had[r.key] = r
	}
	var ups []workbook.Update
	for _, r := range t.records() {
		old, ok := had[r.key]
		if !ok || r.key == "" {
			continue
		}
		for i, h := range k.header {
			j := t.col(h)
			if h == "" || j < 0 || t.tab.Index(h) >= 0 || cell(old.text, i) == "" || cell(r.text, j) != "" {
				continue
			}
			ups = append(ups, workbook.Update{Range: workbook.A1(t.tab.Name, j, r.line, j, r.line), Values: [][]any{{old.raw[i]}}})
		}
	}
	return ups
}

// holds checks that every row is in the tab with the same key and the same
// cells under the same headers.
func (t table) holds(liveHeader []string, rows []liveRow) error {
	byKey := map[string][]string{}
	for _, r := range t.records() {
		byKey[r.key] = r.text
	}
	for _, r := range rows {
		got, ok := byKey[r.key]
		if !ok {
			return fmt.Errorf("row %s is missing", r.key)
		}
		if h := t.differs(got, liveHeader, r); h != "" {
			return fmt.Errorf("row %s, column %s differs", r.key, h)
		}
	}
	return nil
}

// differs returns the first column of liveHeader where got, a row of t,
// does not hold r's cell, or "".
func (t table) differs(got []string, liveHeader []string, r liveRow) string {
	for i, h := range liveHeader {
		if h != "" && cell(got, t.col(h)) != cell(r.text, i) {
			return h
		}
	}
	return ""
}

// cases returns the case numbers of the tab's rows, in order.
func (t table) cases() []int {
	seen := map[int]bool{}
	for _, r := range t.records() {
		if r.cas > 0 {
			seen[r.cas] = true
		}
	}
	return sortedKeys(seen)
}

// Checksum is the SHA-256 of a tab's rows: each row's cells joined by a
// unit separator, rows sorted, one per line. The same rows in another order
// (people sort) give the same sum.
func Checksum(rows [][]string) string {
	lines := make([]string, len(rows))
	for i, r := range rows {
		lines[i] = joinCells(r)
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func joinCells(r []string) string {
	// Trailing empty cells are not stored by Sheets: drop them so a row
	// reads the same either way.
	for len(r) > 0 && r[len(r)-1] == "" {
		r = r[:len(r)-1]
	}
	out := ""
	for i, c := range r {
		if i > 0 {
			out += "\x1f"
		}
		out += c
	}
	return out
}

func sortedKeys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// sameRows compares values read with rows to write.
func sameRows(have [][]any, want [][]string) bool {
	if len(have) != len(want) {
		return false
	}
	for i := range want {
		got := make([]string, len(have[i]))
		for j, v := range have[i] {
			got[j] = workbook.Cell(v)
		}
		if joinCells(got) != joinCells(want[i]) {
			return false
		}
	}
	return true
}
