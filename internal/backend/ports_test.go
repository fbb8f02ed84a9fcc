package backend_test

import (
	"go/build"
	"strings"
	"testing"

	"github.com/funza-tic/mesa/internal/drive"
	"github.com/funza-tic/mesa/internal/forms"
	"github.com/funza-tic/mesa/internal/gmail"
	"github.com/funza-tic/mesa/internal/privacy"
	"github.com/funza-tic/mesa/internal/report"
	"github.com/funza-tic/mesa/internal/sheets"
	"github.com/funza-tic/mesa/internal/worker"
)

// The packages that use the workspace declare the small interfaces they
// need in their own terms; the adapters this package connects are checked
// against them here, where both sides are known. A test file: report's own
// tests open a local backend, so backend itself cannot import report. go
// vet and go test compile it; cmd/mesa's wiring checks the same at build.
var (
	_ worker.Sheet          = (*sheets.Client)(nil)
	_ worker.CellCounter    = (*sheets.Client)(nil)
	_ worker.ResponseSource = (*forms.Client)(nil)
	_ worker.Mailer         = (*gmail.Client)(nil)
	_ worker.Inbox          = (*gmail.Client)(nil)
	_ worker.Versioner      = (*drive.Client)(nil)
	_ report.Sheet          = (*sheets.Client)(nil)
	_ report.Uploader       = (*drive.Client)(nil)
	_ privacy.WriteSheet    = (*sheets.Client)(nil)
	_ privacy.Responses     = (*forms.Client)(nil)
)

// The imports point one way (DESIGN.md §2): the worker and the report know
// the workspace only through the interfaces they declare, and the rules and
// the calendar do no I/O at all.
func TestImportsPointOneWay(t *testing.T) {
	adapter := func(imp string) bool {
		for _, a := range []string{"sheets", "forms", "gmail", "drive", "backend", "workspacefake"} {
			if imp == "github.com/funza-tic/mesa/internal/"+a {
				return true
			}
		}
		return strings.HasPrefix(imp, "google.golang.org/api/")
	}
	io := func(imp string) bool {
		switch imp {
		case "os", "os/exec", "os/signal", "io/fs", "io/ioutil", "net", "net/http", "net/url", "database/sql", "syscall", "path/filepath", "log", "log/slog":
			return true
		}
		return adapter(imp)
	}
	tests := []struct {
		dir    string
		denied func(string) bool
	}{
		{"../worker", adapter},
		{"../report", adapter},
		{"../procedure", io},
		{"../calendar", io},
	}
	for _, tt := range tests {
		pkg, err := build.ImportDir(tt.dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range pkg.Imports {
			if tt.denied(imp) {
				t.Errorf("%s imports %s", tt.dir, imp)
			}
		}
	}
}
