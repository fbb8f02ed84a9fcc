package setup

import (
	"context"
	"fmt"
	"strconv"

	gforms "google.golang.org/api/forms/v1"

	"github.com/funza-tic/mesa/internal/procedure"
)

// SurveyURL reads the survey form id through the Forms API and derives its
// prefilled link with {caso} for the case number (SurveyLink); caseTitle is
// the title of its "Número de caso" question.
func SurveyURL(ctx context.Context, svc *gforms.Service, id, caseTitle string) (string, error) {
	if id == "" {
		return "", fmt.Errorf("forms.encuestas.id is empty")
	}
	f, err := svc.Forms.Get(id).Context(ctx).Do()
	if err != nil {
		return "", fmt.Errorf("read the survey form %s: %w", id, err)
	}
	return SurveyLink(f, caseTitle)
}

// SurveyLink derives the survey form's prefilled link with {caso} for the
// case number: the form's responderUri (the long docs.google.com address;
// a forms.gle short link loses the query when it redirects, so it cannot
// prefill), "usp=pp_url" and "entry.N" for the "Número de caso" question.
// N is the question's questionId read as hexadecimal (FIDELITY.md, Forms:
// the prefilled link), as the link Forms'
// "Obtener vínculo prellenado" builds shows (questionId 4f1b2c3d is
// entry.1327180861); doctor prints the link so the administrator can
// compare it with that menu's.
func SurveyLink(f *gforms.Form, caseTitle string) (string, error) {
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
