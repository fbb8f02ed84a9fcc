package worker

import (
	"fmt"
	"net/mail"
	"runtime"
	"time"

	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
)

// data fills a template's data from the case and the event behind a
// notification.
func (w *Worker) data(b *procedure.Book, e procedure.Event, caseNo int, toName string) notify.Data {
	d := notify.Data{Office: w.Config.Office, RecipientName: toName}
	if c := b.Case(caseNo); c != nil {
		d.Case = notify.CaseOf(c)
	}
	ed := e.Data
	switch e.Kind {
	case procedure.KAttended:
		// Show what this response said, even if the case moved on since.
		d.Case.State, d.Case.WaitReason = string(ed.State), ed.WaitReason
		if ed.Activities != "" {
			d.Case.Activities = ed.Activities
		}
		if ed.Concept != "" {
			d.Case.TechnicalConcept = ed.Concept
		}
		if v, ok := procedure.ParseDate(ed.VisitDate, time.UTC); ok {
			d.Case.VisitDate = v
		}
		if t, err := time.Parse(time.RFC3339, ed.Deadline); err == nil {
			d.Case.ResolvesAt = t // F-5c's instant; none in scj-bogota
		}
	case procedure.KReassigned:
		d.PreviousAgent, d.NewAgent, d.Criterion, d.Observations = ed.Previous, ed.Agent, ed.Criterion, ed.Note
	case procedure.KRejected:
		d.Reason, d.FormName, d.SubmittedAt = ed.Reason, formName(ed.Form), e.At
		switch ed.Form {
		case procedure.Respuestas:
			d.FormURL = w.Config.Office.AgentFormURL
		case procedure.Reasignaciones:
			d.FormURL = w.Config.Office.AdminFormURL
		}
	case procedure.KInvited, procedure.KReminded:
		// The deadline is the closing instant, 00:00 of the day after the
		// last one the survey is open.
		if t, err := time.Parse(time.RFC3339, ed.Deadline); err == nil {
			d.SurveyDeadline = t.AddDate(0, 0, -1) // the last day it is open
		}
	case procedure.KSurveyed:
		d.Rating, d.Comments = ed.Rating, ed.Comments
	case procedure.KReviewed:
		// The Coordinador's observations, and the survey under review:
		// reopening clears it from the case, so take it from the journal.
		d.Observations = ed.Comments
		if s, ok := surveyBefore(b, caseNo, e.ID); ok {
			d.Rating, d.Comments = s.Data.Rating, s.Data.Comments
		}
	}
	return d
}

// surveyBefore returns the last survey answer of case n recorded before the
// event with the given ID.
func surveyBefore(b *procedure.Book, n int, id string) (procedure.Event, bool) {
	var last procedure.Event
	found := false
	for _, e := range b.Events(n) {
		if e.ID == id {
			break
		}
		if e.Kind == procedure.KSurveyed {
			last, found = e, true
		}
	}
	return last, found
}

func formName(f procedure.Form) string {
	switch f {
	case procedure.Solicitudes:
		return "Solicitud de servicio"
	case procedure.Respuestas:
		return "Respuesta del agente"
	case procedure.Reasignaciones:
		return "Reasignación de casos"
	case procedure.Encuestas:
		return "Encuesta de satisfacción"
	case procedure.Revisiones:
		return "Revisión de encuestas"
	}
	return string(f)
}

// subject renders a notification's subject for the outbox row. A template
// that fails (or panics) on one notification leaves its subject blank and
// stops nothing: the mail itself is built again at send time, where a
// failure marks that one row Fallido with the reason.
func (w *Worker) subject(b *procedure.Book, n procedure.Notice) (subject string) {
	defer func() {
		if v := recover(); v != nil {
			w.Log.Error("rendering a notification subject panicked", "notificacion", n.ID, "tipo", n.Kind, "err", panicText(v))
			subject = ""
		}
	}()
	var ev procedure.Event
	for _, e := range b.Events(n.Case) {
		if e.ID == n.Event {
			ev = e
		}
	}
	r, err := w.Templates.Render(notify.Kind(n.Kind), w.data(b, ev, n.Case, n.ToName))
	if err != nil {
		return ""
	}
	return r.Subject
}

// build renders and encodes one outbox message. A digest is filled from
// the book as it stands now, so one sent late (deferred, or recovered after
// a crash) shows the current state under the same Message-ID.
func (w *Worker) build(b *procedure.Book, e procedure.Event, m *message, now time.Time, ob *outbox) (raw []byte, err error) {
	defer func() {
		if v := recover(); v != nil {
			w.Log.Error("building a message panicked", "notificacion", m.ID, "tipo", m.Kind, "err", panicText(v))
			raw, err = nil, fmt.Errorf("error interno al preparar el mensaje (%s)", m.Kind)
		}
	}()
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("dirección de correo no válida: %q", m.To)
	}
	to.Name = m.ToName
	d := w.data(b, e, m.Case, m.ToName)
	if digestKind(m.Kind) {
		d.Digest = ob.digest(b, m).Digest
	}
	r, err := w.Templates.Render(notify.Kind(m.Kind), d)
	if err != nil {
		return nil, fmt.Errorf("plantilla %s: %w", m.Kind, err)
	}
	var inline []notify.Inline
	if m.Kind == string(notify.Encuesta) {
		// Funza paso 8: the survey "a traves del código QR o el link".
		if inline, d.SurveyQRImage, err = d.SurveyQR(); err != nil {
			return nil, fmt.Errorf("código QR de la encuesta: %w", err)
		}
		if r, err = w.Templates.Render(notify.Kind(m.Kind), d); err != nil {
			return nil, fmt.Errorf("plantilla %s: %w", m.Kind, err)
		}
	}
	from := mail.Address{Name: w.Config.Office.SenderName, Address: w.Config.Office.SenderAddress}
	return notify.Build(notify.Message{
		ID: m.ID, From: from, To: []mail.Address{*to}, Subject: r.Subject, Text: r.Text, HTML: r.HTML,
		Date: now, MessageID: notify.MessageIDFor(m.ID, domainOf(from.Address)), Inline: inline,
	})
}

// panicText describes a recovered panic without the values involved (they
// may hold personal data): a runtime error's message names no value.
func panicText(v any) string {
	if err, ok := v.(runtime.Error); ok {
		return err.Error()
	}
	return fmt.Sprintf("panic of type %T", v)
}
