package archive_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// isWrite says whether a routed request changes the workspace.
func isWrite(method string) bool {
	for _, w := range []string{"batchUpdate", "create", "update", "append", "clear", "delete"} {
		if strings.Contains(strings.ToLower(method), strings.ToLower(w)) {
			return true
		}
	}
	return false
}

// TestArchiveKill9 kills (SIGKILL: no Close, no snapshot of the fake) a
// process running `archive.Run` just before each of its writes in turn,
// then runs the archive again in a new process on what survived: the end
// state must be the one a run without a crash leaves, nothing lost and
// nothing twice. The issue's words: "kill -9 at any step and a rerun
// finish the job with nothing lost or duplicated".
func TestArchiveKill9(t *testing.T) {
	if dir := os.Getenv("ARCHIVE_KILL9_DIR"); dir != "" {
		kill9Child(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	base := filepath.Join(t.TempDir(), "base")
	e := open(t, base)
	e.year()
	e.close()

	ref := clone(t, base)
	writes := child(t, ref, 0)
	want := state(t, ref)
	if writes < 5 {
		t.Fatalf("a run made %d writes; the test needs it to write", writes)
	}
	for n := 1; n <= writes; n++ {
		if raceEnabled && n%2 == 0 && n != writes {
			continue // make test (-race) keeps within its time; go test kills at every write
		}
		t.Run(fmt.Sprintf("before write %d of %d", n, writes), func(t *testing.T) {
			dir := clone(t, base)
			if got := child(t, dir, n); got != -1 {
				t.Fatalf("child survived write %d", n)
			}
			child(t, dir, 0)
			if got := state(t, dir); !reflect.DeepEqual(got, want) {
				for k := range want {
					if !reflect.DeepEqual(got[k], want[k]) {
						t.Errorf("%s after a kill before write %d:\n got %d rows %v\nwant %d rows %v", k, n, len(got[k]), head(got[k]), len(want[k]), head(want[k]))
					}
				}
			}
			// And a further run changes nothing (checked after the last
			// kill only: each run costs a process, and TestArchiveYear and
			// TestArchiveLaterRunWritesNothing check it without a crash).
			if n == writes {
				if got := child(t, dir, 0); got != 0 {
					t.Errorf("a run after the finished one made %d writes", got)
				}
			}
		})
	}
}

// TestArchiveKill9AfterASortedDelete: a person sorts Casos and Historial
// in the instant between the run's last read and its deletion (Sheets
// deletes rows by position, so the deletion takes other rows: open cases'
// rows with the agents' notes, their journal rows), and the process dies
// right after the deletion, before it can write them back. The next run
// writes them back from the recovery record the first wrote in the archive
// before deleting, and finishes the job: the end state is a run's without
// a crash or a sort.
func TestArchiveKill9AfterASortedDelete(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	base := filepath.Join(t.TempDir(), "base")
	e := open(t, base)
	opened := e.year()
	notas := noteEveryCase(t, e)
	e.close()

	ref := clone(t, base)
	child(t, ref, 0)
	want := state(t, ref)

	dir := clone(t, base)
	t.Setenv("ARCHIVE_KILL9_SORT", "1")
	if got := child(t, dir, 0); got != -1 {
		t.Fatal("the child survived its deletion")
	}
	t.Setenv("ARCHIVE_KILL9_SORT", "")
	mid := state(t, dir)
	if _, ok := mid["archivo/"+archive.RecoveryTab]; !ok {
		t.Errorf("no %s tab in the archive after the kill", archive.RecoveryTab)
	}
	// The deletion did take rows it did not mean to: some open case's row
	// is gone from the live Casos (else this test shows nothing).
	lost := 0
	for _, n := range opened {
		if !slices.ContainsFunc(mid["live/Casos"], func(r string) bool { return strings.HasPrefix(r, strconv.Itoa(n)+"|") }) {
			lost++
		}
	}
	if lost == 0 {
		t.Fatal("the sorted deletion took no open case's row: the test does not test the write-back")
	}
	t.Logf("after the kill: %d of %d open cases' Casos rows deleted by mistake", lost, len(opened))

	// What `mesa run` does before its first cycle: the rows come back, the
	// record goes.
	e = open(t, dir)
	if infos, err := archive.Archives(context.Background(), e.deps()); err != nil || len(infos) != 1 || !infos[0].Recovery {
		t.Errorf("mesa archive status does not say that a recovery is pending: %+v, %v", infos, err)
	}
	// A cycle elsewhere (a daemon running while `mesa archive` was killed)
	// renders a missing Casos row anew, without the agent's note: here the
	// first open case's row, as the worker writes it.
	for _, r := range want["live/Casos"] {
		first := strconv.Itoa(opened[0]) + "|"
		if !strings.HasPrefix(r, first) || slices.ContainsFunc(mid["live/Casos"], func(m string) bool { return strings.HasPrefix(m, first) }) {
			continue
		}
		cells := strings.Split(r, "|")
		row := make([]any, notas)
		for i := range row {
			row[i] = cells[i]
		}
		line := len(mid["live/Casos"]) + 1 // mid counts the header
		if _, err := e.ws.Sheets.Write(context.Background(), []workbook.Update{{Range: workbook.A1(workbook.Casos.Name, 0, line, notas-1, line), Values: [][]any{row}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := archive.Recover(context.Background(), e.deps()); err != nil {
		t.Fatal(err)
	}
	e.close()
	mid = state(t, dir)
	if _, ok := mid["archivo/"+archive.RecoveryTab]; ok {
		t.Errorf("the %s tab is still in the archive after archive.Recover", archive.RecoveryTab)
	}
	for _, n := range opened {
		note := strconv.Itoa(n) + "|"
		if !slices.ContainsFunc(mid["live/Casos"], func(r string) bool {
			return strings.HasPrefix(r, note) && strings.HasSuffix(r, "|nota "+strconv.Itoa(n))
		}) {
			t.Errorf("open case %d: no live Casos row with its note after archive.Recover", n)
		}
	}
	for _, r := range want["live/Historial"] {
		if !slices.Contains(mid["live/Historial"], r) {
			t.Errorf("live Historial row missing after archive.Recover: %.80s", r)
		}
	}

	child(t, dir, 0)
	if got := state(t, dir); !reflect.DeepEqual(got, want) {
		for k := range mergeKeys(got, want) {
			if !reflect.DeepEqual(got[k], want[k]) {
				t.Errorf("%s after the rerun:\n got %d rows %v\nwant %d rows %v", k, len(got[k]), head(got[k]), len(want[k]), head(want[k]))
			}
		}
	}
}

func mergeKeys(a, b map[string][]string) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func head(rows []string) []string { return rows[:min(3, len(rows))] }

func clone(t *testing.T, dir string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "copy")
	if err := os.CopyFS(to, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	return to
}

// child runs the archive in a new process on dir, killed just before its
// n-th write (0: not killed, unless ARCHIVE_KILL9_SORT says to die after
// the deletion), and returns the writes it made, -1 if killed.
func child(t *testing.T, dir string, n int) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestArchiveKill9$")
	cmd.Env = append(os.Environ(), "ARCHIVE_KILL9_DIR="+dir, "ARCHIVE_KILL9_AT="+strconv.Itoa(n))
	out, err := cmd.CombinedOutput()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
		return -1
	}
	if err != nil {
		t.Fatalf("child (kill at %d): %v\n%s", n, err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if w, ok := strings.CutPrefix(l, "writes "); ok {
			c, _ := strconv.Atoi(strings.TrimSpace(w))
			return c
		}
	}
	t.Fatalf("child said nothing:\n%s", out)
	return 0
}

func kill9Child(t *testing.T, dir string) {
	at, _ := strconv.Atoi(os.Getenv("ARCHIVE_KILL9_AT"))
	e := open(t, dir)
	writes := 0
	e.ws.Fake.SetFault(func(_ *http.Request, method string) *workspacefake.Fault {
		if isWrite(method) {
			writes++
			if writes == at {
				_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
				time.Sleep(time.Hour)
			}
		}
		return nil
	})
	d := e.deps()
	if os.Getenv("ARCHIVE_KILL9_SORT") != "" {
		// A person sorts Casos and Historial right before the deletion;
		// the process dies at the first request after it.
		d.Step = func(name string) {
			if name != "recorded" {
				return
			}
			for _, tab := range []string{workbook.Casos.Name, workbook.Historial.Name} {
				if err := e.ws.Fake.EditRows(e.ws.Sheets.ID(), tab, func(rows [][]any) [][]any { slices.Reverse(rows); return rows }); err != nil {
					t.Error(err)
				}
			}
			var deleted atomic.Bool
			e.ws.Fake.SetFault(func(_ *http.Request, method string) *workspacefake.Fault {
				if deleted.Load() {
					_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
					time.Sleep(time.Hour)
				}
				if method == "sheets.batchUpdate" {
					deleted.Store(true)
				}
				return nil
			})
		}
	}
	if _, err := archive.Run(context.Background(), d, archive.Request{Year: 2025, Now: now}); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("writes %d\n", writes)
	e.close()
}

// state reads every tab of the live workbook and of the archive as sorted
// rows.
func state(t *testing.T, dir string) map[string][]string {
	t.Helper()
	e := open(t, dir)
	defer e.close()
	ctx := context.Background()
	out := map[string][]string{}
	read := func(prefix string, sh archive.Sheet) {
		tabs, err := sh.Tabs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		vals, err := sh.Read(ctx, tabs)
		if err != nil {
			t.Fatal(err)
		}
		for i, tab := range tabs {
			var rows []string
			for _, r := range vals[i] {
				cells := make([]string, len(r))
				for j, c := range r {
					cells[j] = workbook.Cell(c)
				}
				rows = append(rows, strings.Join(cells, "|"))
			}
			sort.Strings(rows)
			out[prefix+tab] = rows
		}
	}
	read("live/", e.ws.Sheets)
	files, err := e.ws.Drive.Spreadsheets(ctx, "", "Mesa de Ayuda TIC — Archivo")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 {
		t.Fatalf("%d archive workbooks, want 1", len(files))
	}
	read("archivo/", e.ws.Sheets.Other(files[0].ID))
	return out
}
