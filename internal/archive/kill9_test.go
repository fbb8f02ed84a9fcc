package archive_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
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
// n-th write (0: not killed), and returns the writes it made, -1 if killed.
func child(t *testing.T, dir string, n int) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestArchiveKill9$")
	cmd.Env = append(os.Environ(), "ARCHIVE_KILL9_DIR="+dir, "ARCHIVE_KILL9_AT="+strconv.Itoa(n))
	out, err := cmd.CombinedOutput()
	if n > 0 {
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return -1
		}
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
	if _, err := archive.Run(context.Background(), e.deps(), archive.Request{Year: 2025, Now: now}); err != nil {
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
