package workspacefake_test

import (
	"context"
	"errors"
	"testing"

	"google.golang.org/api/drive/v3"
	"google.golang.org/api/forms/v1"
	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
	"google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/workspacefake"
)

// services are the official clients pointed at a fake.
type services struct {
	sheets *sheets.Service
	forms  *forms.Service
	gmail  *gmail.Service
	drive  *drive.Service
}

func open(t testing.TB) (*workspacefake.Server, *services) {
	t.Helper()
	return openDir(t, t.TempDir())
}

func openDir(t testing.TB, dir string) (*workspacefake.Server, *services) {
	t.Helper()
	s, err := workspacefake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, connect(t, s)
}

func connect(t testing.TB, s *workspacefake.Server) *services {
	t.Helper()
	ctx := context.Background()
	opts := func(endpoint string) []option.ClientOption {
		return []option.ClientOption{
			option.WithEndpoint(endpoint),
			option.WithHTTPClient(s.HTTPClient()),
			option.WithoutAuthentication(),
		}
	}
	var sv services
	var err error
	if sv.sheets, err = sheets.NewService(ctx, opts(s.URL()+"/")...); err != nil {
		t.Fatal(err)
	}
	if sv.forms, err = forms.NewService(ctx, opts(s.URL()+"/")...); err != nil {
		t.Fatal(err)
	}
	if sv.gmail, err = gmail.NewService(ctx, opts(s.URL()+"/")...); err != nil {
		t.Fatal(err)
	}
	if sv.drive, err = drive.NewService(ctx, opts(s.URL()+"/drive/v3/")...); err != nil {
		t.Fatal(err)
	}
	return &sv
}

// apiCode returns the HTTP code of a *googleapi.Error, or 0.
func apiCode(err error) int {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code
	}
	return 0
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// newSpreadsheet creates a spreadsheet with the given tabs.
func newSpreadsheet(t testing.TB, sv *services, tabs ...string) *sheets.Spreadsheet {
	t.Helper()
	req := &sheets.Spreadsheet{Properties: &sheets.SpreadsheetProperties{Title: "Mesa"}}
	for _, tab := range tabs {
		req.Sheets = append(req.Sheets, &sheets.Sheet{Properties: &sheets.SheetProperties{Title: tab}})
	}
	ss, err := sv.sheets.Spreadsheets.Create(req).Do()
	if err != nil {
		t.Fatal(err)
	}
	return ss
}
