package main

import (
	"context"
	"fmt"
	"strings"

	gforms "google.golang.org/api/forms/v1"
	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/procedure"
)

// localFormCode is the request form's code in each profile's documents:
// Funza's 20-FR-1; PD-GT-1 lists "Solicitud Solución Tecnológica F-GT-192"
// among its internal reference documents.
var localFormCode = map[procedure.Profile][2]string{
	procedure.SCJBogota: {"Solicitud de Servicios y/o Requerimientos de TI (20-FR-1)", "Solicitud Solución Tecnológica (F-GT-192)"},
}

// nameLocalWorkspace gives a workbook and forms the local backend has just
// created the names of the profile's office: backend names them after
// Funza's Mesa de Ayuda; the scj-bogota profile's are the Mesa de
// Servicio's, with its own form code. It goes through the Sheets and
// Forms APIs like any other change.
func (a *app) nameLocalWorkspace(ctx context.Context, ws *backend.Workspace) error {
	codes, ok := localFormCode[procedure.Profile(a.cfg.Profile)]
	if !ok {
		return nil
	}
	desk := a.cfg.Office.SenderName
	_, err := ws.Sheets.Service().Spreadsheets.BatchUpdate(ws.Sheets.ID(), &gsheets.BatchUpdateSpreadsheetRequest{
		Requests: []*gsheets.Request{{UpdateSpreadsheetProperties: &gsheets.UpdateSpreadsheetPropertiesRequest{
			Properties: &gsheets.SpreadsheetProperties{Title: desk}, Fields: "title"}}},
	}).Context(ctx).Do()
	if err != nil {
		return fmt.Errorf("name the local workbook: %w", err)
	}
	for f, id := range ws.FormIDs {
		title := strings.Replace(strings.Replace(backend.FormTitles[f], codes[0], codes[1], 1), "Mesa de Ayuda", desk, 1)
		_, err := ws.Forms.Service().Forms.BatchUpdate(id, &gforms.BatchUpdateFormRequest{
			Requests: []*gforms.Request{{UpdateFormInfo: &gforms.UpdateFormInfoRequest{
				Info: &gforms.Info{Title: title}, UpdateMask: "title"}}},
		}).Context(ctx).Do()
		if err != nil {
			return fmt.Errorf("name the local %s form: %w", f, err)
		}
	}
	return nil
}
