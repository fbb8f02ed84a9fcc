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

	// Collection is the form's settings.emailCollectionType as Forms
	// reports it ("" when it does not).
	Collection string
	// Unverified: the form authorizes actions by the respondent's e-mail
	// (procedure.Form.AuthorizesByEmail) but does not collect addresses
	// Google has verified, so anybody could type an agent's address.
	Unverified bool
}

// OK reports whether the form is ready for mesa.
func (c FormCheck) OK() bool {
	return c.Err == nil && !c.NotConfigured && len(c.Missing) == 0 && !c.NoEmail && !c.Unverified
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
	if c.Unverified {
		out = append(out, fmt.Sprintf("Este formulario autoriza acciones por el correo de quien responde: en Configuración → Respuestas, "+
			"ponga «Recopilar direcciones de correo electrónico» en «Verificado» (%s) / this form authorizes actions by the respondent's "+
			"e-mail: set \"Collect email addresses\" to \"Verified\" in Settings → Responses (emailCollectionType is %s, want VERIFIED)",
			collectionES(c.Collection), collectionEN(c.Collection)))
	} else if c.NoEmail {
		out = append(out, "Active «Recopilar direcciones de correo electrónico» (Configuración → Respuestas) / turn on \"Collect email addresses\" (Settings → Responses)")
	}
	for _, t := range c.Missing {
		out = append(out, fmt.Sprintf("Agregue la pregunta «%s» (o ponga su título en forms.%s.questions) / add a question titled %q (or map your title in forms.%s.questions)", t, c.Form, t, c.Form))
	}
	return out
}

// collectionES says in Spanish what a form does with e-mail addresses now.
func collectionES(kind string) string {
	switch kind {
	case emailResponderInput:
		return "hoy quien responde escribe el correo que quiera y nadie lo verifica"
	case emailDoNotCollect:
		return "hoy no recopila correos"
	case "":
		return "Forms no informa cómo recopila los correos"
	}
	return "hoy está en " + kind
}

func collectionEN(kind string) string {
	if kind == "" {
		return "not reported"
	}
	return kind
}

// settings.emailCollectionType values (Forms v1 discovery, FormSettings).
const (
	emailDoNotCollect   = "DO_NOT_COLLECT"
	emailVerified       = "VERIFIED"
	emailResponderInput = "RESPONDER_INPUT"
)

// Forms checks, with forms.get, that each configured form has a question
// for every expected title (compared without accents or case, as the
// worker matches them) and collects respondents' e-mail addresses; a form
// whose responses are authorized by that address must collect it VERIFIED
// (RESPONDER_INPUT is a typed, unverified address: anybody could answer
// as an agent or reassign as an Administrador).
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
		if form.Settings != nil {
			c.Collection = form.Settings.EmailCollectionType
		}
		switch {
		case f.AuthorizesByEmail():
			// Not reported counts as not verified: the strict side.
			c.Unverified = !strings.EqualFold(c.Collection, emailVerified)
		case strings.EqualFold(c.Collection, emailDoNotCollect) && !have[procedure.Norm(email)]:
			// An explicit DO_NOT_COLLECT without an e-mail question leaves
			// no address to write back to.
			c.NoEmail = true
		}
		out = append(out, c)
	}
	return out
}
