package main

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	gforms "google.golang.org/api/forms/v1"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/procedure"
)

// surveyLink derives the survey form's prefilled link with {caso} for the
// case number: the form's responderUri (the long docs.google.com address;
// a forms.gle short link loses the query when it redirects, so it cannot
// prefill), "usp=pp_url" and "entry.N" for the "Número de caso" question.
// N is the question's questionId read as hexadecimal (FIDELITY.md, Forms:
// the prefilled link), as the link Forms'
// "Obtener vínculo prellenado" builds shows (questionId 4f1b2c3d is
// entry.1327180861); doctor prints the link so the administrator can
// compare it with that menu's.
func surveyLink(f *gforms.Form, caseTitle string) (string, error) {
	if f.ResponderUri == "" {
		return "", fmt.Errorf("form %s has no responderUri (is it published?)", f.FormId)
	}
	for _, it := range f.Items {
		if it.QuestionItem == nil || it.QuestionItem.Question == nil || procedure.Norm(it.Title) != procedure.Norm(caseTitle) {
			continue
		}
		n, err := strconv.ParseUint(it.QuestionItem.Question.QuestionId, 16, 64)
		if err != nil {
			return "", fmt.Errorf("question %q: questionId %q is not hexadecimal", it.Title, it.QuestionItem.Question.QuestionId)
		}
		return fmt.Sprintf("%s?usp=pp_url&entry.%d={caso}", f.ResponderUri, n), nil
	}
	return "", fmt.Errorf("form %s has no question %q", f.FormId, caseTitle)
}

// derivedSurveyURL reads the encuestas form through the Forms API and
// derives its prefilled link.
func (a *app) derivedSurveyURL(ctx context.Context, ws *backend.Workspace) (string, error) {
	id := a.cfg.Worker(ws.FormIDs).Forms[procedure.Encuestas].ID
	if id == "" {
		return "", fmt.Errorf("forms.encuestas.id is empty")
	}
	f, err := ws.Forms.Service().Forms.Get(id).Context(ctx).Do()
	if err != nil {
		return "", fmt.Errorf("read the survey form %s: %w", id, err)
	}
	return surveyLink(f, a.cfg.Questions()[procedure.Encuestas][procedure.FCase])
}

// checkSurveyLink compares office.survey_url with the link derived from
// the form: a short forms.gle link or a wrong entry id sends people to a
// survey that does not know their case.
func (a *app) checkSurveyLink(ctx context.Context, ws *backend.Workspace) check {
	name := "Enlace de la encuesta / survey link"
	derived, err := a.derivedSurveyURL(ctx, ws)
	if err != nil {
		return check{name, fail, fmt.Sprintf("no se pudo derivar del formulario de encuestas / cannot derive it: %v", err)}
	}
	got := a.cfg.Office.SurveyURL
	if got == "" {
		return check{name, pass, "office.survey_url vacío: se usa el enlace prellenado del formulario / derived from the form: " + derived}
	}
	u, err := url.Parse(got)
	if err != nil || !strings.Contains(got, "{caso}") {
		return check{name, fail, fmt.Sprintf("office.survey_url %q no lleva {caso}: la encuesta no sabrá el número de caso; use / use %s (o deje el valor vacío / or leave it empty)", got, derived)}
	}
	if u.Host == "forms.gle" || !strings.Contains(got, "entry.") {
		return check{name, fail, fmt.Sprintf("office.survey_url %q no puede prellenar el número de caso (un enlace corto forms.gle pierde los parámetros); use / use %s (o deje el valor vacío / or leave it empty)", got, derived)}
	}
	want := derived[strings.Index(derived, "entry."):]
	want = want[:strings.Index(want, "=")]
	if !strings.Contains(got, want+"=") {
		return check{name, fail, fmt.Sprintf("office.survey_url no usa la pregunta «Número de caso» (%s) / wrong entry id; use %s", want, derived)}
	}
	return check{name, pass, got}
}
