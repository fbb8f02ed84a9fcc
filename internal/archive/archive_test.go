package archive_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/report"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

var now = bogota("2026-02-02 09:00")

// figures computes the report of a month on the live workbook plus its
// archives, as `mesa report` does.
func figures(t *testing.T, e *env, month string) []report.Result {
	t.Helper()
	ctx := context.Background()
	evs, err := archive.Journals(ctx, e.deps())
	if err != nil {
		t.Fatal(err)
	}
	m, err := report.ParseMonth(month)
	if err != nil {
		t.Fatal(err)
	}
	cut := m.End(calendar.Bogota()).Add(-time.Nanosecond)
	b, loc, err := e.w.BookWith(ctx, cut, evs)
	if err != nil {
		t.Fatal(err)
	}
	return report.Compute(b, m, now, loc, report.DefaultOptions(), e.w.Config.Settings, "Alcaldía de Funza").Results
}

func explain(t *testing.T, e *env, n int) string {
	t.Helper()
	evs, err := archive.Journals(context.Background(), e.deps())
	if err != nil {
		t.Fatal(err)
	}
	b, loc, err := e.w.BookWith(context.Background(), now, evs)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := procedure.Explain(b, n, loc)
	if !ok {
		t.Fatalf("case %d not found", n)
	}
	return s
}

func liveCases(t *testing.T, e *env) []int {
	var out []int
	for _, r := range rows(t, e.ws.Sheets, workbook.Casos) {
		n, _ := strconv.Atoi(r.Get("Caso"))
		out = append(out, n)
	}
	return out
}

// DESIGN.md §10b: "the live workbook keeps open cases and cases that can
// still change. The fold starts from archived cases' final state, so
// numbering continues and figures of archived months do not move."
func TestArchiveYear(t *testing.T) {
	ctx := context.Background()
	e := open(t, t.TempDir())
	defer e.close()
	open := e.year()
	before := map[string][]report.Result{}
	for _, m := range []string{"2025-03", "2025-07", "2025-12"} {
		before[m] = figures(t, e, m)
	}
	explained := explain(t, e, 3)
	all := liveCases(t, e)

	// People sort the tabs (the archive finds rows by key, never by
	// position), and a mail of case 5 failed for good: a person must act,
	// so case 5 stays live.
	id := e.ws.Sheets.ID()
	for _, tab := range []string{workbook.Casos.Name, workbook.Notificaciones.Name, workbook.Encuestas.Name} {
		if err := e.ws.Fake.EditRows(id, tab, func(rows [][]any) [][]any { slices.Reverse(rows); return rows }); err != nil {
			t.Fatal(err)
		}
	}
	failed := false
	if err := e.ws.Fake.EditRows(id, workbook.Notificaciones.Name, func(rows [][]any) [][]any {
		for _, r := range rows {
			if workbook.Cell(r[2]) == "5" && !failed {
				r[7], failed = "Fallido", true
			}
		}
		return rows
	}); err != nil || !failed {
		t.Fatalf("no mail of case 5 to fail: %v", err)
	}
	d := e.deps()
	var steps []string
	d.Step = func(name string) { steps = append(steps, name) }
	sum, err := archive.Run(ctx, d, archive.Request{Year: 2025, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(steps, archive.Steps) {
		t.Errorf("steps %v, want %v", steps, archive.Steps)
	}
	if slices.Contains(sum.New, 5) || !slices.Contains(liveCases(t, e), 5) {
		t.Error("case 5, with a failed mail, was archived")
	}
	if len(sum.New) == 0 || sum.Journaled != len(sum.New) {
		t.Fatalf("archived %d cases, journaled %d", len(sum.New), sum.Journaled)
	}
	t.Logf("archived %d cases, kept %d, copied %v, deleted %v", len(sum.New), sum.Kept, sum.Copied, sum.Deleted)
	live := liveCases(t, e)
	for _, n := range open {
		if !slices.Contains(live, n) {
			t.Errorf("open case %d left the live Casos", n)
		}
	}
	for _, n := range sum.New {
		if slices.Contains(live, n) {
			t.Errorf("archived case %d is still in the live Casos", n)
		}
	}
	if len(live)+len(sum.New) != len(all) {
		t.Errorf("%d live + %d archived cases, want %d", len(live), len(sum.New), len(all))
	}
	arch := e.ws.Sheets.Other(sum.ID)
	tabs, err := arch.Tabs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantTabs := []string{archive.FichaTab}
	for _, tb := range archive.Tabs {
		wantTabs = append(wantTabs, tb.Name)
	}
	slices.Sort(tabs)
	slices.Sort(wantTabs)
	if !slices.Equal(tabs, wantTabs) {
		t.Errorf("archive tabs %v, want %v", tabs, wantTabs)
	}
	if got := len(rows(t, arch, workbook.Casos)); got != len(sum.New) {
		t.Errorf("archive Casos has %d rows, want %d", got, len(sum.New))
	}
	prot, err := arch.Protected(ctx, archive.Protection)
	if err != nil {
		t.Fatal(err)
	}
	for _, tab := range append([]string{archive.FichaTab}, workbook.Casos.Name, workbook.Historial.Name) {
		if !prot[tab] {
			t.Errorf("archive tab %s is not protected", tab)
		}
	}
	// Historial holds one snapshot per archived case in place of its rows.
	snaps := 0
	for _, r := range rows(t, e.ws.Sheets, workbook.Historial) {
		n, _ := strconv.Atoi(r.Get("Caso"))
		if slices.Contains(sum.New, n) {
			if r.Get("Evento") != string(procedure.KArchived) || r.Get("Regla") != string(procedure.A1) {
				t.Errorf("live Historial still has %s of archived case %d", r.Get("Evento"), n)
			}
			snaps++
		}
	}
	if snaps != len(sum.New) {
		t.Errorf("%d snapshot rows, want %d", snaps, len(sum.New))
	}

	// Figures of archived months and explain do not move.
	for m, want := range before {
		if got := figures(t, e, m); !reflect.DeepEqual(got, want) {
			t.Errorf("report %s after archiving:\n got %+v\nwant %+v", m, got, want)
		}
	}
	if got := explain(t, e, 3); got != explained {
		t.Errorf("explain 3 after archiving:\n%s\nwant\n%s", got, explained)
	}

	// A second run changes nothing.
	calls := e.ws.Fake.Calls()
	again, err := archive.Run(ctx, e.deps(), archive.Request{Year: 2025, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.New) != 0 || again.Journaled != 0 || sum2(again.Copied) != 0 || sum2(again.Deleted) != 0 {
		t.Errorf("second run: %+v", again)
	}
	_ = calls

	// Numbering continues; a reconcile (which re-reads every response)
	// applies none of the archived cases' responses again.
	last := slices.Max(all)
	e.answer(procedure.Solicitudes, "nuevo@funza.gov.co", now.Add(time.Hour), map[procedure.Field]string{
		procedure.FName: "Nuevo", procedure.FBuilding: "Palacio Municipal", procedure.FService: "Soporte de hardware", procedure.FDescription: "No hay red"})
	e.cycle(now.Add(2 * time.Hour))
	rep, err := e.w.Reconcile(ctx, now.Add(3*time.Hour), false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.NewCases != 0 || rep.Applied != 0 || rep.Events != 0 {
		t.Errorf("reconcile after archiving applied %d responses, %d new cases, %d events", rep.Applied, rep.NewCases, rep.Events)
	}
	live = liveCases(t, e)
	if !slices.Contains(live, last+1) || slices.Max(live) != last+1 {
		t.Errorf("the next request got %d, want %d", slices.Max(live), last+1)
	}
	// An agent answering an archived case hears that it is archived.
	e.answer(procedure.Respuestas, "carlos.perez@funza.gov.co", now.Add(4*time.Hour), map[procedure.Field]string{
		procedure.FCase: strconv.Itoa(sum.New[0]), procedure.FState: "Resuelto", procedure.FActivities: "x"})
	e.cycle(now.Add(5 * time.Hour))
	found := false
	for _, r := range rows(t, e.ws.Sheets, workbook.Rechazos) {
		found = found || contains(r.Get("Motivo"), "archivado en «")
	}
	if !found {
		t.Error("no rejection says the case is archived")
	}
}

func TestArchiveRefusesAnOpenYear(t *testing.T) {
	e := open(t, t.TempDir())
	defer e.close()
	_, err := archive.Run(context.Background(), e.deps(), archive.Request{Year: 2026, Now: now})
	if !errors.Is(err, archive.ErrYearOpen) {
		t.Fatalf("err = %v, want ErrYearOpen", err)
	}
}

func sum2(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// Issue 15 item 2: doctor's projected date the workbook fills at the last
// 90 days' rate.
func TestProjection(t *testing.T) {
	e := open(t, t.TempDir())
	defer e.close()
	e.year()
	ctx := context.Background()
	at, perDay, ok, err := archive.Projection(ctx, e.ws.Sheets, 9_000_000, 10_000_000, now)
	if err != nil || !ok {
		t.Fatalf("projection: %v %v", ok, err)
	}
	// At least the Casos rows registered in the window, each as wide as the tab.
	casos := rows(t, e.ws.Sheets, workbook.Casos)
	in := 0
	for _, r := range casos {
		if at, err := time.ParseInLocation(workbook.InstantLayout, r.Get("Fecha de registro"), calendar.Bogota()); err == nil && at.After(now.Add(-archive.Window)) {
			in++
		}
	}
	if min := float64(in*len(workbook.Casos.Columns)) / 90; in == 0 || perDay < min {
		t.Errorf("%.1f cells a day, want at least %.1f (%d cases in the window)", perDay, min, in)
	}
	days := at.Sub(now).Hours() / 24
	if want := 1_000_000 / perDay; days < want-1 || days > want+1 {
		t.Errorf("full in %.1f days, want %.1f", days, want)
	}
	// A slow office fills its workbook centuries from now, not in the past
	// (the date once overflowed time.Duration: doctor said "hacia el 1734-08-20").
	if far, _, _, _ := archive.Projection(ctx, e.ws.Sheets, 0, 1<<40, now); !far.After(now.AddDate(292, 0, 0)) {
		t.Errorf("a workbook filling in ~%.0f days is full on %v", float64(1<<40)/perDay, far)
	}
	if _, _, ok, _ := archive.Projection(ctx, e.ws.Sheets, 9_000_000, 10_000_000, bogota("2030-01-01 00:00")); ok {
		t.Error("a projection with nothing in the last 90 days")
	}
}

// A second run a month later, with nothing new to move, writes nothing:
// not even the Ficha's date.
func TestArchiveLaterRunWritesNothing(t *testing.T) {
	e := open(t, t.TempDir())
	defer e.close()
	e.year()
	ctx := context.Background()
	if _, err := archive.Run(ctx, e.deps(), archive.Request{Year: 2025, Now: now}); err != nil {
		t.Fatal(err)
	}
	writes := 0
	e.ws.Fake.SetFault(func(_ *http.Request, method string) *workspacefake.Fault {
		if isWrite(method) {
			writes++
		}
		return nil
	})
	sum, err := archive.Run(ctx, e.deps(), archive.Request{Year: 2025, Now: now.AddDate(0, 1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if writes != 0 || len(sum.New) != 0 {
		t.Errorf("a later run made %d writes and archived %v", writes, sum.New)
	}
}

// The package of an archive whose Casos holds a cell of 50,000 characters
// (the most Sheets keeps; people paste logs into their own Notas column):
// the XLSX cell is cut to Excel's 32,767 with a note, the CSV keeps it
// whole, and SHA256SUMS checks out.
func TestPackageLongCell(t *testing.T) {
	e := open(t, t.TempDir())
	defer e.close()
	ctx := context.Background()
	e.year()
	long := strings.Repeat("ERROR spoolsv.exe: trabajo atascado; ", 50_000/37+1)[:50_000]
	notas := len(workbook.Casos.Columns) // the first column after the worker's
	line := 0
	for _, r := range rows(t, e.ws.Sheets, workbook.Casos) {
		if r.Get("Caso") == "3" {
			line = r.Line
		}
	}
	if _, err := e.ws.Sheets.Write(ctx, []workbook.Update{
		{Range: workbook.A1(workbook.Casos.Name, notas, 1, notas, 1), Values: [][]any{{"Notas"}}},
		{Range: workbook.A1(workbook.Casos.Name, notas, line, notas, line), Values: [][]any{{long}}},
	}); err != nil || line == 0 {
		t.Fatalf("paste the log in Notas of case 3 (row %d): %v", line, err)
	}
	if _, err := archive.Run(ctx, e.deps(), archive.Request{Year: 2025, Now: now}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := archive.Package(ctx, e.deps(), 2025, dir, now); err != nil {
		t.Fatal(err)
	}
	if err := archive.Verify(dir); err != nil {
		t.Fatal(err)
	}
	// The archivist's own check, where the tool is installed (coreutils).
	if bin, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command(bin, "-c", archive.SumsFile)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c %s: %v\n%s", archive.SumsFile, err, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "casos.csv"))
	if err != nil || !strings.Contains(string(b), long) {
		t.Errorf("casos.csv does not keep the 50,000 characters whole (%v)", err)
	}
	x, err := excelize.OpenFile(filepath.Join(dir, "Archivo-2025.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	xrows, err := x.GetRows(workbook.Casos.Name)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range xrows {
		for _, c := range r {
			if strings.HasPrefix(c, "ERROR spoolsv.exe") {
				found = true
				if n := len([]rune(c)); n > 32_767 || !strings.HasSuffix(c, "el texto completo está en el CSV]") {
					t.Errorf("XLSX cell of %d characters ending %q", n, c[len(c)-60:])
				}
			}
		}
	}
	if !found {
		t.Error("the long note is not in the XLSX")
	}
}

// A case moves only as the live workbook shows it. A person deleted the
// Casos row of case 3 (the worker writes it back at the next cycle) and
// typed over the Estado of case 6 (a worker cell: the next cycle puts the
// fold's value back), and `mesa archive` runs before any cycle. Archiving
// case 3 then would journal its snapshot with no Casos row to copy: the
// live fold no longer renders an archived case, so the case would be in
// neither Casos (make chaos, seed 66). Both wait for the next run, which,
// after a cycle, archives them as the fold renders them.
func TestArchiveWaitsForTheLiveViews(t *testing.T) {
	ctx := context.Background()
	e := open(t, t.TempDir())
	defer e.close()
	e.year()
	all := liveCases(t, e)
	id := e.ws.Sheets.ID()
	var estado string
	if err := e.ws.Fake.EditRows(id, workbook.Casos.Name, func(rows [][]any) [][]any {
		var out [][]any
		for _, r := range rows {
			switch workbook.Cell(r[0]) {
			case "3":
				continue
			case "6":
				estado, r[10] = workbook.Cell(r[10]), "Abierto"
			}
			out = append(out, r)
		}
		return out
	}); err != nil {
		t.Fatal(err)
	}
	if estado != string(procedure.Resuelto) {
		t.Fatalf("case 6 is %q, want a settled case", estado)
	}
	sum, err := archive.Run(ctx, e.deps(), archive.Request{Year: 2025, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(sum.New, 3) || slices.Contains(sum.New, 6) || !slices.Equal(sum.Waiting, []int{3, 6}) {
		t.Errorf("archived %v, waiting %v: case 3 has no live Casos row and case 6 a stale one", sum.New, sum.Waiting)
	}
	if len(sum.New) == 0 {
		t.Fatal("nothing archived")
	}
	e.cycle(now.Add(time.Minute))
	if _, err := archive.Run(ctx, e.deps(), archive.Request{Year: 2025, Now: now.Add(2 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	e.cycle(now.Add(3 * time.Minute))

	// Every case is in the live Casos or in the archive's, once, as the
	// fold renders it.
	infos, err := archive.Archives(ctx, e.deps())
	if err != nil || len(infos) != 1 {
		t.Fatalf("archives: %v %v", infos, err)
	}
	archived := map[string]string{}
	for _, r := range rows(t, e.ws.Sheets.Other(infos[0].ID), workbook.Casos) {
		archived[r.Get("Caso")] = r.Get("Estado")
	}
	got := liveCases(t, e)
	for c := range archived {
		n, _ := strconv.Atoi(c)
		got = append(got, n)
	}
	slices.Sort(got)
	slices.Sort(all)
	if !slices.Equal(got, all) {
		t.Errorf("cases in the live and archived Casos: %v, want %v", got, all)
	}
	if archived["3"] == "" || archived["6"] != estado {
		t.Errorf("archive Casos: case 3 %q, case 6 %q (want %q)", archived["3"], archived["6"], estado)
	}
}

// A person sorts Casos in the instant between the run's last read and its
// deletion of the archived rows (Sheets deletes rows by position; it has
// no conditional delete): the deletion hits other rows, here the open
// cases' with the notes the agents wrote on them. The run puts back every
// row it did not mean to delete, people's cells included, and the next run
// deletes what the sort kept of the archived cases.
func TestArchiveSortDuringTheDelete(t *testing.T) {
	ctx := context.Background()
	e := open(t, t.TempDir())
	defer e.close()
	open := e.year()
	all := liveCases(t, e)
	id := e.ws.Sheets.ID()
	notas := len(workbook.Casos.Columns)
	ups := []workbook.Update{{Range: workbook.A1(workbook.Casos.Name, notas, 1, notas, 1), Values: [][]any{{"Notas del agente"}}}}
	for _, r := range rows(t, e.ws.Sheets, workbook.Casos) {
		ups = append(ups, workbook.Update{Range: workbook.A1(workbook.Casos.Name, notas, r.Line, notas, r.Line), Values: [][]any{{"nota " + r.Get("Caso")}}})
	}
	if _, err := e.ws.Sheets.Write(ctx, ups); err != nil {
		t.Fatal(err)
	}
	sorted := false
	e.ws.Fake.SetFault(func(r *http.Request, method string) *workspacefake.Fault {
		if method == "sheets.batchUpdate" && strings.Contains(r.URL.Path, id) && !sorted {
			sorted = true
			if err := e.ws.Fake.EditRows(id, workbook.Casos.Name, func(rows [][]any) [][]any { slices.Reverse(rows); return rows }); err != nil {
				t.Error(err)
			}
		}
		return nil
	})
	sum, err := archive.Run(ctx, e.deps(), archive.Request{Year: 2025, Now: now})
	e.ws.Fake.SetFault(nil)
	if err != nil || !sorted {
		t.Fatalf("archive (sorted during the delete: %v): %v", sorted, err)
	}
	if _, err := archive.Run(ctx, e.deps(), archive.Request{Year: 2025, Now: now.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	notes := map[string]string{}
	vals, err := e.ws.Sheets.Read(ctx, []string{workbook.Casos.Name})
	if err != nil {
		t.Fatal(err)
	}
	live := workbook.NewTable(workbook.Casos, vals[0])
	for _, r := range live.Rows {
		if len(r) > notas {
			notes[r[0]] = r[notas]
		}
	}
	for _, n := range open {
		if c := strconv.Itoa(n); notes[c] != "nota "+c {
			t.Errorf("open case %d: live note %q, want %q", n, notes[c], "nota "+c)
		}
	}
	got := liveCases(t, e)
	for _, r := range rows(t, e.ws.Sheets.Other(sum.ID), workbook.Casos) {
		n, _ := strconv.Atoi(r.Get("Caso"))
		got = append(got, n)
	}
	slices.Sort(got)
	slices.Sort(all)
	if !slices.Equal(got, all) {
		t.Errorf("cases in the live and archived Casos: %v, want %v", got, all)
	}
}

// A run dies after copying the rows of a settled case and its requester
// answers the survey before the rerun: Funza paso 8 sets no window for it
// ("El usuario es autónomo de participar").
//   - Died before journaling the case: the next cycle applies the answer,
//     and the rerun archives the case as the live workbook now shows it,
//     the answer with it (the archive's copy is the unfinished run's; the
//     live rows are what the fold renders). Before, the rerun's verify
//     failed on it at every run ("verify Casos … Satisfacción differs",
//     make chaos seed 730).
//   - Died after journaling it: from its snapshot on the case is archived
//     and takes no answer, as after a finished run; the answer is in
//     Rechazos with where the case went, and the rerun finishes the move.
//     Before, the cycle applied it to the case's still live rows, and the
//     rerun's verify failed the same way.
func TestArchiveRerunRefreshesAStaleCopy(t *testing.T) {
	for _, died := range []string{"copied", "journaled"} {
		rated := died == "copied"
		t.Run("died after "+died, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			e := open(t, t.TempDir())
			defer e.close()
			e.year()
			all := liveCases(t, e)
			// A settled case with no rating: Resuelto, its survey unanswered.
			c := unansweredCase(t, e)
			n, _ := strconv.Atoi(c.Get("Caso"))
			d := e.deps()
			d.Step = func(name string) {
				if name == died {
					// The requester answers the survey, and the run dies.
					e.answer(procedure.Encuestas, c.Get("Correo"), now.Add(30*time.Second), map[procedure.Field]string{procedure.FCase: c.Get("Caso"), procedure.FRating: "4", procedure.FSolved: "Sí"})
					cancel()
				}
			}
			first, err := archive.Run(ctx, d, archive.Request{Year: 2025, Now: now})
			if err == nil {
				t.Fatal("the run went on after it was stopped")
			}
			if !slices.Contains(first.New, n) {
				t.Fatalf("the first run did not copy case %d (copied %v)", n, first.New)
			}
			e.cycle(now.Add(time.Minute))
			want := ""
			for _, r := range rows(t, e.ws.Sheets, workbook.Casos) {
				if r.Get("Caso") == c.Get("Caso") {
					want = r.Get("Satisfacción")
				}
			}
			if rated && want != "4 - Satisfecho" || !rated && want != "" {
				t.Fatalf("case %d reads Satisfacción %q after the cycle", n, want)
			}
			if !rated {
				found := false
				for _, r := range rows(t, e.ws.Sheets, workbook.Rechazos) {
					found = found || strings.Contains(r.Get("Motivo"), fmt.Sprintf("El caso %d está cerrado y archivado en «", n))
				}
				if !found {
					t.Errorf("no rejection says case %d is archived", n)
				}
			}

			sum, err := archive.Run(context.Background(), e.deps(), archive.Request{Year: 2025, Now: now.Add(2 * time.Minute)})
			if err != nil {
				t.Fatalf("rerun: %v", err)
			}
			if !slices.Contains(sum.Cases, n) {
				t.Errorf("the rerun did not archive case %d (archived %v, waiting %v)", n, sum.Cases, sum.Waiting)
			}
			e.cycle(now.Add(3 * time.Minute))
			// Every case once, in the live Casos or in the archive's, and
			// the archived case with its survey, in Casos and Historial.
			got := liveCases(t, e)
			for _, r := range rows(t, e.ws.Sheets.Other(sum.ID), workbook.Casos) {
				m, _ := strconv.Atoi(r.Get("Caso"))
				got = append(got, m)
				if m == n && r.Get("Satisfacción") != want {
					t.Errorf("archived case %d reads Satisfacción %q, want %q", n, r.Get("Satisfacción"), want)
				}
			}
			slices.Sort(got)
			slices.Sort(all)
			if !slices.Equal(got, all) {
				t.Errorf("cases in the live and archived Casos: %v, want %v", got, all)
			}
			surveyed := 0
			for _, r := range rows(t, e.ws.Sheets.Other(sum.ID), workbook.Historial) {
				if r.Get("Caso") == c.Get("Caso") && r.Get("Evento") == string(procedure.KSurveyed) {
					surveyed++
				}
			}
			if rated && surveyed != 1 || !rated && surveyed != 0 {
				t.Errorf("the archive's Historial has %d survey events of case %d", surveyed, n)
			}
			// And a further run changes nothing.
			if again, err := archive.Run(context.Background(), e.deps(), archive.Request{Year: 2025, Now: now.Add(4 * time.Minute)}); err != nil || len(again.New) != 0 {
				t.Errorf("a third run archived %v: %v", again.New, err)
			}
		})
	}
}

// The requester answered the survey of a settled case before the run, and
// no cycle has read the answer yet (the last one failed): the run's fold
// applies it as the next cycle will, so the case waits for that cycle and
// the next run archives it with its answer. Archived without it, the
// answer would be rejected once read ("El caso … está cerrado y
// archivado"), and the archive would not say what the requester answered
// before the archive was made. Funza paso 8: "El usuario es autónomo de
// participar"; the procedure sets no window for the answer.
func TestArchiveWaitsForAnAnswerNoCycleRead(t *testing.T) {
	ctx := context.Background()
	e := open(t, t.TempDir())
	defer e.close()
	e.year()
	c := unansweredCase(t, e)
	n, _ := strconv.Atoi(c.Get("Caso"))
	e.answer(procedure.Encuestas, c.Get("Correo"), now.Add(-time.Hour), map[procedure.Field]string{procedure.FCase: c.Get("Caso"), procedure.FRating: "2", procedure.FSolved: "No"})
	sum, err := archive.Run(ctx, e.deps(), archive.Request{Year: 2025, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(sum.New, n) || !slices.Contains(sum.Waiting, n) {
		t.Fatalf("case %d, answered in the form, was archived before a cycle read the answer (archived %v, waiting %v)", n, sum.New, sum.Waiting)
	}
	e.cycle(now.Add(time.Minute))
	sum, err = archive.Run(ctx, e.deps(), archive.Request{Year: 2025, Now: now.Add(2 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(sum.New, n) {
		t.Fatalf("the run after the cycle did not archive case %d (waiting %v)", n, sum.Waiting)
	}
	for _, r := range rows(t, e.ws.Sheets.Other(sum.ID), workbook.Casos) {
		if r.Get("Caso") == c.Get("Caso") && r.Get("Satisfacción") != "2 - No satisfecho" {
			t.Errorf("archived case %d reads Satisfacción %q, want the answer's", n, r.Get("Satisfacción"))
		}
	}
}

// A run dies after journaling its cases, before deleting their live rows,
// and an agent then rewrites the note of one of them in Notas del agente,
// the column people add to Casos for their own notes (no worker column:
// the worker never writes it, the fold does not render it). The rerun
// puts the agent's latest note in the archive's copy and finishes the
// move: before, its verify failed at every run ("column Notas del agente
// differs") until someone intervened. Each case ends once in the live
// Casos or the archive's, and a further run writes nothing.
func TestArchiveRerunTakesANoteOfAJournaledCase(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := open(t, t.TempDir())
	defer e.close()
	e.year()
	all := liveCases(t, e)
	notas := noteEveryCase(t, e)
	d := e.deps()
	d.Step = func(name string) {
		if name == "journaled" {
			cancel()
		}
	}
	first, err := archive.Run(ctx, d, archive.Request{Year: 2025, Now: now})
	if err == nil || first.Journaled == 0 {
		t.Fatalf("the first run did not stop after journaling %d cases: %v", first.Journaled, err)
	}
	n := first.New[0]
	note := fmt.Sprintf("nota %d: el usuario llamó, el equipo quedó en bodega", n)
	for _, r := range rows(t, e.ws.Sheets, workbook.Casos) {
		if r.Get("Caso") == strconv.Itoa(n) {
			if _, err := e.ws.Sheets.Write(context.Background(), []workbook.Update{{Range: workbook.A1(workbook.Casos.Name, notas, r.Line, notas, r.Line), Values: [][]any{{note}}}}); err != nil {
				t.Fatal(err)
			}
		}
	}

	sum, err := archive.Run(context.Background(), e.deps(), archive.Request{Year: 2025, Now: now.Add(time.Minute)})
	if err != nil {
		t.Fatalf("rerun: %v", err)
	}
	got := liveCases(t, e)
	notes := 0
	vals, err := e.ws.Sheets.Other(sum.ID).Read(context.Background(), []string{workbook.Casos.Name})
	if err != nil {
		t.Fatal(err)
	}
	arch := workbook.NewTable(workbook.Casos, vals[0])
	col := slices.Index(arch.Header, "Notas del agente")
	for _, r := range arch.Rows {
		m, _ := strconv.Atoi(r[0])
		got = append(got, m)
		if m == n {
			notes++
			if col < 0 || col >= len(r) || r[col] != note {
				t.Errorf("archived case %d reads Notas del agente %q (column %d), want the agent's latest %q", n, r[min(max(col, 0), len(r)-1)], col, note)
			}
		}
	}
	slices.Sort(got)
	slices.Sort(all)
	if notes != 1 || !slices.Equal(got, all) {
		t.Errorf("cases in the live and archived Casos: %v, want %v (case %d %d times in the archive)", got, all, n, notes)
	}
	writes := 0
	e.ws.Fake.SetFault(func(_ *http.Request, method string) *workspacefake.Fault {
		if isWrite(method) {
			writes++
		}
		return nil
	})
	again, err := archive.Run(context.Background(), e.deps(), archive.Request{Year: 2025, Now: now.Add(2 * time.Minute)})
	e.ws.Fake.SetFault(nil)
	if err != nil || writes != 0 || len(again.New) != 0 {
		t.Errorf("a further run made %d writes and archived %v: %v", writes, again.New, err)
	}
}

// unansweredCase is a settled case with no rating: Resuelto, its survey
// unanswered, with an address to answer from.
func unansweredCase(t *testing.T, e *env) workbook.Record {
	t.Helper()
	for _, r := range rows(t, e.ws.Sheets, workbook.Casos) {
		if r.Get("Estado") == string(procedure.Resuelto) && r.Get("Satisfacción") == "" && r.Get("Correo") != "" {
			return r
		}
	}
	t.Fatal("no resolved case without a survey answer")
	return workbook.Record{}
}

// noteEveryCase gives Casos a people's column, «Notas del agente», with
// "nota N" on case N's row, and returns that column's index.
func noteEveryCase(t *testing.T, e *env) int {
	t.Helper()
	notas := len(workbook.Casos.Columns)
	ups := []workbook.Update{{Range: workbook.A1(workbook.Casos.Name, notas, 1, notas, 1), Values: [][]any{{"Notas del agente"}}}}
	for _, r := range rows(t, e.ws.Sheets, workbook.Casos) {
		ups = append(ups, workbook.Update{Range: workbook.A1(workbook.Casos.Name, notas, r.Line, notas, r.Line), Values: [][]any{{"nota " + r.Get("Caso")}}})
	}
	if _, err := e.ws.Sheets.Write(context.Background(), ups); err != nil {
		t.Fatal(err)
	}
	return notas
}
