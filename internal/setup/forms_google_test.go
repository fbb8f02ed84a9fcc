//go:build google

package setup_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/forms"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/setup"
)

// The ledger's Forms entries on a real form (MESA_TEST_FORM_SOLICITUDES,
// with at least one response): timestamps in protobuf JSON shapes, the
// filter compared at full precision, and what the form collects as e-mail.
func TestGoogleFormsFilterAndEmail(t *testing.T) {
	ctx := context.Background()
	ws, g := googleWorkspace(t)
	id := g.Forms[procedure.Solicitudes]
	if id == "" {
		t.Skip("MESA_TEST_FORM_SOLICITUDES is not set")
	}
	c := setup.Forms(ctx, ws.Forms.Service(), g.Forms, procedure.DefaultQuestions, []procedure.Form{procedure.Solicitudes})[0]
	t.Logf("emailCollectionType = %q", c.Collection)

	svc := ws.Forms.Service()
	// The reference's own example, nine digits.
	res, err := svc.Forms.Responses.List(id).Filter("timestamp > 2014-10-02T15:01:23.045123456Z").Context(ctx).Do()
	if err != nil {
		t.Fatalf("documented filter refused: %v", err)
	}
	if len(res.Responses) == 0 {
		t.Skip("the form has no responses")
	}
	shape := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6}|\.\d{9})?Z$`)
	newest := res.Responses[0]
	for _, r := range res.Responses {
		if !shape.MatchString(r.CreateTime) || !shape.MatchString(r.LastSubmittedTime) {
			t.Errorf("response %s: createTime %q, lastSubmittedTime %q are not protobuf JSON", r.ResponseId, r.CreateTime, r.LastSubmittedTime)
		}
		if r.LastSubmittedTime > newest.LastSubmittedTime {
			newest = r
		}
		if (c.Collection == "DO_NOT_COLLECT") != (r.RespondentEmail == "") {
			t.Errorf("response %s: respondentEmail set = %v under %s", r.ResponseId, r.RespondentEmail != "", c.Collection)
		}
	}
	t.Logf("newest: createTime %s, lastSubmittedTime %s", newest.CreateTime, newest.LastSubmittedTime)

	// "timestamp > newest" at full precision lists nothing of it.
	rs, err := ws.Forms.Since(ctx, id, mustTime(t, newest.LastSubmittedTime))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.ID == newest.ResponseId {
			t.Errorf("timestamp > %s listed that response again", forms.Timestamp(r.Submitted))
		}
	}
	// Not documented: an offset instead of "Z". The fake refuses it.
	_, err = svc.Forms.Responses.List(id).Filter("timestamp > 2014-10-02T10:01:23-05:00").Context(ctx).Do()
	t.Logf("filter with an offset: %v", err)
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
