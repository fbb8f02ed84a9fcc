package report

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	gdrive "google.golang.org/api/drive/v3"
	"google.golang.org/api/option"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Re-running a month's report on the local fake changes no cell, rewrites
// no file and leaves one Drive file per name.
func TestRunTwiceChangesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ws, err := backend.Local(ctx, dir, procedure.DefaultQuestions)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	s := funzaMarch(t)
	now := at("2026-04-01 06:00")
	deps := Deps{
		Book: func(_ context.Context, cut time.Time) (*procedure.Book, *time.Location, error) {
			return s.fold(cut), bogota, nil
		},
		Sheet: ws.Sheets, Drive: ws.Drive, Folder: "root",
		Settings: s.eng.Set, Options: DefaultOptions(), Office: "Alcaldía de Funza",
	}
	out := filepath.Join(dir, "informes", "2026-03")
	req := Request{Month: march, Now: now, Out: out}

	first, err := Run(ctx, deps, req)
	if err != nil {
		t.Fatal(err)
	}
	if first.SheetRanges == 0 || len(first.Files) != 3 || len(first.Uploaded) != 3 {
		t.Fatalf("first run: %d ranges, files %v, uploaded %v", first.SheetRanges, first.Files, first.Uploaded)
	}
	mtimes := map[string]time.Time{}
	for _, f := range first.Files {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		mtimes[f] = fi.ModTime()
	}
	vals, err := ws.Sheets.Read(ctx, []string{workbook.Indicadores.Name, workbook.Looker.Name})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(vals[1]) - 1; got != 9 {
		t.Errorf("Looker tab has %d rows, want one per case (9)", got)
	}
	if got := workbook.NewTable(workbook.Indicadores, vals[0]).Records()[0].Get("Resultado (%)"); got != "60" {
		t.Errorf("Oportunidad total reads back %q, want 60", got)
	}

	time.Sleep(10 * time.Millisecond) // a rewritten file would get a new mtime
	second, err := Run(ctx, deps, Request{Month: march, Now: now.Add(48 * time.Hour), Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if second.SheetRanges != 0 {
		t.Errorf("second run wrote %d ranges, want none", second.SheetRanges)
	}
	for _, f := range second.Files {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if !fi.ModTime().Equal(mtimes[f]) {
			t.Errorf("%s was rewritten", f)
		}
	}
	for i := range first.Uploaded {
		if first.Uploaded[i] != second.Uploaded[i] {
			t.Errorf("upload %d went to a new Drive file: %s then %s", i, first.Uploaded[i], second.Uploaded[i])
		}
	}
	svc, err := gdrive.NewService(ctx, option.WithHTTPClient(ws.Fake.HTTPClient()), option.WithEndpoint(ws.Fake.URL()+"/drive/v3/"), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	csvName, xlsxName, htmlName := FileNames(march)
	for _, name := range []string{csvName, xlsxName, htmlName} {
		list, err := svc.Files.List().Q("name = '" + name + "' and 'root' in parents and trashed = false").Fields("files(id,name)").Do()
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Files) != 1 {
			t.Errorf("Drive holds %d files named %s, want 1", len(list.Files), name)
		}
	}
}
