package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	gforms "google.golang.org/api/forms/v1"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/procedure"
)

// An agent-response form that lets people type any e-mail address would
// let anybody answer as an agent: setup refuses it and doctor fails, in
// Spanish and English, naming the setting to change.
func TestSetupAndDoctorRefuseUnverifiedEmail(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "setup")...)

	ctx := context.Background()
	ws, err := backend.Local(ctx, data, procedure.DefaultQuestions)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ws.Forms.Service().Forms.BatchUpdate(ws.FormIDs[procedure.Respuestas], &gforms.BatchUpdateFormRequest{Requests: []*gforms.Request{{
		UpdateSettings: &gforms.UpdateSettingsRequest{Settings: &gforms.FormSettings{EmailCollectionType: "RESPONDER_INPUT"}, UpdateMask: "emailCollectionType"}}}}).Context(ctx).Do()
	ws.Close()
	if err != nil {
		t.Fatal(err)
	}

	out, err := mesa(t, nil, append(g, "setup")...)
	if err == nil || !strings.Contains(out, "✗ respuestas") || !strings.Contains(out, "«Verificado»") || !strings.Contains(out, "RESPONDER_INPUT") {
		t.Errorf("setup: %v\n%s", err, out)
	}
	out, err = mesa(t, nil, append(g, "doctor")...)
	if err == nil || errors.Is(err, errUsage) {
		t.Errorf("doctor error = %v, want a runtime failure", err)
	}
	if !strings.Contains(out, "✗ FALLA  Formulario / form respuestas") || !strings.Contains(out, "nadie lo verifica") {
		t.Errorf("doctor output:\n%s", out)
	}
	if strings.Contains(out, "FALLA  Formulario / form solicitudes") {
		t.Errorf("the request form (typed addresses are fine there) failed:\n%s", out)
	}
}
