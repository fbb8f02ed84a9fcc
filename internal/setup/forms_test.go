package setup_test

import (
	"context"
	"strings"
	"testing"

	gforms "google.golang.org/api/forms/v1"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/setup"
)

// Forms whose respondent's e-mail authorizes an action (an agent's answer,
// a reassignment, the coordinator's review) pass only when Forms collects
// VERIFIED addresses; RESPONDER_INPUT is an address anybody can type, so
// it would let anybody close cases as an agent. A request form (and a
// survey, answered by case number) may collect typed addresses.
func TestFormsRequireVerifiedEmailWhereItAuthorizes(t *testing.T) {
	tests := []struct {
		form       procedure.Form
		collection string
		ok         bool
		advice     string
	}{
		{procedure.Respuestas, "VERIFIED", true, ""},
		{procedure.Respuestas, "RESPONDER_INPUT", false, "nadie lo verifica"},
		{procedure.Respuestas, "DO_NOT_COLLECT", false, "no recopila correos"},
		{procedure.Reasignaciones, "RESPONDER_INPUT", false, "«Verificado»"},
		{procedure.Revisiones, "RESPONDER_INPUT", false, "want VERIFIED"},
		{procedure.Solicitudes, "RESPONDER_INPUT", true, ""},
		{procedure.Solicitudes, "VERIFIED", true, ""},
		{procedure.Solicitudes, "DO_NOT_COLLECT", false, "Recopilar direcciones de correo electrónico"},
		// Only the requester may answer a case's survey (Funza paso 8: "los
		// usuarios que recibieron el servicio"; issue 13): its address must be verified.
		{procedure.Encuestas, "RESPONDER_INPUT", false, "nadie lo verifica"},
		{procedure.Encuestas, "VERIFIED", true, ""},
	}
	ctx := context.Background()
	ws := open(t)
	svc := ws.Forms.Service()
	for _, tt := range tests {
		t.Run(string(tt.form)+"/"+tt.collection, func(t *testing.T) {
			id := ws.FormIDs[tt.form]
			_, err := svc.Forms.BatchUpdate(id, &gforms.BatchUpdateFormRequest{Requests: []*gforms.Request{{UpdateSettings: &gforms.UpdateSettingsRequest{
				Settings: &gforms.FormSettings{EmailCollectionType: tt.collection}, UpdateMask: "emailCollectionType"}}}}).Context(ctx).Do()
			if err != nil {
				t.Fatal(err)
			}
			c := setup.Forms(ctx, svc, ws.FormIDs, procedure.DefaultQuestions, []procedure.Form{tt.form})[0]
			if c.OK() != tt.ok || c.Collection != tt.collection {
				t.Fatalf("check = %+v, want OK %v", c, tt.ok)
			}
			if advice := strings.Join(c.Advice(), "\n"); !strings.Contains(advice, tt.advice) {
				t.Errorf("advice %q lacks %q", advice, tt.advice)
			}
		})
	}
}

// The local backend creates the forms as mesa needs them: VERIFIED where
// the address authorizes an action, typed (RESPONDER_INPUT) elsewhere.
func TestLocalFormsCollectEmailAsNeeded(t *testing.T) {
	ws := open(t)
	for _, c := range setup.Forms(context.Background(), ws.Forms.Service(), ws.FormIDs, procedure.DefaultQuestions, procedure.Forms) {
		want := "RESPONDER_INPUT"
		if c.Form.AuthorizesByEmail() {
			want = "VERIFIED"
		}
		if !c.OK() || c.Collection != want {
			t.Errorf("%s: %+v, want OK and %s", c.Form, c, want)
		}
	}
}
