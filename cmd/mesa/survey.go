package main

import (
	"context"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/setup"
)

// derivedSurveyURL is the encuestas form's prefilled link, read through
// the Forms API.
func (a *app) derivedSurveyURL(ctx context.Context, ws *backend.Workspace) (string, error) {
	id := a.cfg.Worker(ws.FormIDs).Forms[procedure.Encuestas].ID
	return setup.SurveyURL(ctx, ws.Forms.Service(), id, a.cfg.Questions()[procedure.Encuestas][procedure.FCase])
}
