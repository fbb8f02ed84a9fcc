package setup

import (
	"context"
	"fmt"
	"strings"

	gforms "google.golang.org/api/forms/v1"
	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/procedure"
)

// localFormCode is the request form's code in each profile's documents:
// Funza's 20-FR-1; PD-GT-1 lists "Solicitud Solución Tecnológica F-GT-192"
// among its internal reference documents.
var localFormCode = map[procedure.Profile][2]string{
	procedure.SCJBogota: {"Solicitud de Servicios y/o Requerimientos de TI (20-FR-1)", "Solicitud Solución Tecnológica (F-GT-192)"},
}

// NameLocal gives a workbook and forms the local backend has just created
// (named after Funza's Mesa de Ayuda, with titles by form) the names of the
// profile's office: the scj-bogota profile's are the desk's (desk, e.g.
// "Mesa de Servicio"), with its own form code. It goes through the Sheets
// and Forms APIs like any other change.
func NameLocal(ctx context.Context, sh Sheets, fs *gforms.Service, formIDs, titles map[procedure.Form]string, profile procedure.Profile, desk string) error {
	codes, ok := localFormCode[profile]
	if !ok {
		return nil
	}
	_, err := sh.Service().Spreadsheets.BatchUpdate(sh.ID(), &gsheets.BatchUpdateSpreadsheetRequest{
		Requests: []*gsheets.Request{{UpdateSpreadsheetProperties: &gsheets.UpdateSpreadsheetPropertiesRequest{
			Properties: &gsheets.SpreadsheetProperties{Title: desk}, Fields: "title"}}},
	}).Context(ctx).Do()
	if err != nil {
		return fmt.Errorf("name the local workbook: %w", err)
	}
	for f, id := range formIDs {
		title := strings.Replace(strings.Replace(titles[f], codes[0], codes[1], 1), "Mesa de Ayuda", desk, 1)
		_, err := fs.Forms.BatchUpdate(id, &gforms.BatchUpdateFormRequest{
			Requests: []*gforms.Request{{UpdateFormInfo: &gforms.UpdateFormInfoRequest{
				Info: &gforms.Info{Title: title}, UpdateMask: "title"}}},
		}).Context(ctx).Do()
		if err != nil {
			return fmt.Errorf("name the local %s form: %w", f, err)
		}
	}
	return nil
}
