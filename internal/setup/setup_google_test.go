//go:build google

// Tests against a real Google Workspace. They need a throw-away workbook
// and forms; docs/production.md ("Tests against real Google") lists the
// steps. Run: go test -tags google -run Google -v ./internal/setup
package setup_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/setup"
)

func googleWorkspace(t *testing.T) (*backend.Workspace, backend.Google) {
	t.Helper()
	env := func(k string) string {
		v := os.Getenv(k)
		if v == "" {
			t.Skipf("%s is not set (see docs/production.md)", k)
		}
		return v
	}
	g := backend.Google{
		Auth: os.Getenv("MESA_TEST_AUTH"), Credentials: env("MESA_TEST_CREDENTIALS"), Token: os.Getenv("MESA_TEST_TOKEN"),
		Subject: os.Getenv("MESA_TEST_SUBJECT"), Spreadsheet: env("MESA_TEST_SPREADSHEET"),
		Forms: map[procedure.Form]string{procedure.Solicitudes: os.Getenv("MESA_TEST_FORM_SOLICITUDES")},
	}
	ws, err := g.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ws, g
}

// Setup on a real (throw-away) workbook: the second run changes nothing,
// which proves Google returns what setup wrote the way setup reads it.
func TestGoogleSetupIsIdempotent(t *testing.T) {
	ctx := context.Background()
	ws, g := googleWorkspace(t)
	editors := []string{g.Subject}
	if editors[0] == "" {
		editors = []string{os.Getenv("MESA_TEST_SENDER")}
	}
	if _, err := setup.Workbook(ctx, ws.Sheets, setup.Options{Editors: editors}); err != nil {
		t.Fatal(err)
	}
	res, err := setup.Workbook(ctx, ws.Sheets, setup.Options{Editors: editors})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 0 {
		t.Errorf("second setup on Google changed: %+v", res.Changes)
	}
}

func TestGoogleScopesAndForm(t *testing.T) {
	ctx := context.Background()
	ws, g := googleWorkspace(t)
	granted, err := setup.GrantedScopes(ctx, g.Auth, g.Credentials, g.Token, g.Subject, backend.Scopes)
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	t.Logf("granted: %s", strings.Join(granted, " "))
	id := g.Forms[procedure.Solicitudes]
	if id == "" {
		t.Skip("MESA_TEST_FORM_SOLICITUDES is not set")
	}
	checks := setup.Forms(ctx, ws.Forms.Service(), g.Forms, procedure.DefaultQuestions, []procedure.Form{procedure.Solicitudes})
	if checks[0].Err != nil {
		t.Fatalf("forms.get: %v", checks[0].Err)
	}
	t.Logf("form %q, missing: %v", checks[0].Title, checks[0].Missing)
}
