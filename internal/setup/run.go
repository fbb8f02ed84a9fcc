package setup

import (
	"context"

	gforms "google.golang.org/api/forms/v1"

	"github.com/funza-tic/mesa/internal/procedure"
)

// Request is what `mesa setup` prepares and checks.
type Request struct {
	Sheets    Sheets
	Forms     *gforms.Service
	FormIDs   map[procedure.Form]string                     // each form's id
	Questions map[procedure.Form]map[procedure.Field]string // each form's question titles by field
	Check     []procedure.Form                              // the forms the profile uses
	Options                                                 // who keeps edit rights; dry run
}

// Report is what Run did and found.
type Report struct {
	Workbook    Result
	Regional    Regional
	RegionalErr error // the locale could not be read
	Forms       []FormCheck
	SurveyLink  string // the survey form's prefilled link; "" when it cannot be derived
}

// Run creates or completes the workbook (Workbook), reads its locale and
// time zone, checks the forms' questions and derives the survey form's
// prefilled link. Only the workbook's failure is an error: the rest is
// reported.
func Run(ctx context.Context, r Request) (Report, error) {
	var rep Report
	var err error
	if rep.Workbook, err = Workbook(ctx, r.Sheets, r.Options); err != nil {
		return rep, err
	}
	rep.Regional, rep.RegionalErr = ReadRegional(ctx, r.Sheets.Service(), r.Sheets.ID())
	rep.Forms = Forms(ctx, r.Forms, r.FormIDs, r.Questions, r.Check)
	rep.SurveyLink, _ = SurveyURL(ctx, r.Forms, r.FormIDs[procedure.Encuestas], r.Questions[procedure.Encuestas][procedure.FCase])
	return rep, nil
}
