package setup

import (
	"context"
	"fmt"
	"sort"
	"strings"

	gforms "google.golang.org/api/forms/v1"

	"github.com/funza-tic/mesa/internal/procedure"
)

// FormCheck is what setup found on one form.
type FormCheck struct {
	Form          procedure.Form
	ID            string
	Title         string
	Missing       []string // expected question titles the form lacks
	NoEmail       bool     // the form does not collect the respondent's e-mail
	Err           error    // the form could not be read
	NotConfigured bool     // no form id in the configuration
}

// OK reports whether the form is ready for mesa.
func (c FormCheck) OK() bool {
	return c.Err == nil && !c.NotConfigured && len(c.Missing) == 0 && !c.NoEmail
}

// Advice says, in Spanish and English, what to change on the form.
func (c FormCheck) Advice() []string {
	var out []string
	switch {
	case c.NotConfigured:
		return []string{fmt.Sprintf("Configure el id del formulario en forms.%s.id / set forms.%s.id in the config", c.Form, c.Form)}
	case c.Err != nil:
		return []string{fmt.Sprintf("No se pudo leer el formulario (¿está compartido con la cuenta de mesa?) / cannot read the form: %v", c.Err)}
	}
	if c.NoEmail {
		out = append(out, "Active «Recopilar direcciones de correo electrónico» (Configuración → Respuestas) / turn on \"Collect email addresses\" (Settings → Responses)")
	}
	for _, t := range c.Missing {
		out = append(out, fmt.Sprintf("Agregue la pregunta «%s» (o ponga su título en forms.%s.questions) / add a question titled %q (or map your title in forms.%s.questions)", t, c.Form, t, c.Form))
	}
	return out
}

// Forms checks, with forms.get, that each configured form has a question
// for every expected title (compared without accents or case, as the
// worker matches them) and collects respondents' e-mail addresses.
func Forms(ctx context.Context, svc *gforms.Service, ids map[procedure.Form]string, questions map[procedure.Form]map[procedure.Field]string, forms []procedure.Form) []FormCheck {
	var out []FormCheck
	for _, f := range forms {
		c := FormCheck{Form: f, ID: ids[f]}
		if c.ID == "" {
			c.NotConfigured = true
			out = append(out, c)
			continue
		}
		form, err := svc.Forms.Get(c.ID).Context(ctx).Do()
		if err != nil {
			c.Err = err
			out = append(out, c)
			continue
		}
		if form.Info != nil {
			c.Title = form.Info.Title
		}
		have := map[string]bool{}
		for _, it := range form.Items {
			if it.QuestionItem != nil {
				have[procedure.Norm(it.Title)] = true
			}
		}
		email := questions[f][procedure.FEmail]
		for field, title := range questions[f] {
			if field == procedure.FEmail {
				continue // collected by the form's settings, not a question
			}
			if !have[procedure.Norm(title)] {
				c.Missing = append(c.Missing, title)
			}
		}
		sort.Strings(c.Missing)
		// Forms reports the setting only when it is known; an explicit
		// DO_NOT_COLLECT without an e-mail question cannot authorize anyone.
		if s := form.Settings; s != nil && strings.EqualFold(s.EmailCollectionType, "DO_NOT_COLLECT") && !have[procedure.Norm(email)] {
			c.NoEmail = true
		}
		out = append(out, c)
	}
	return out
}
