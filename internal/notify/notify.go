// Package notify renders the help desk's Spanish e-mail notifications and
// builds the RFC 5322 messages that the worker sends through Gmail.
//
// It is pure: no network, no clock. The caller fills Data, calls Render and
// Build, and stores or sends the bytes.
package notify

import (
	"fmt"
	htmltemplate "html/template"
	"strconv"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// Kind names a notification; it is also the base name of its template files
// (acuse.subject.txt, acuse.txt, acuse.html).
type Kind string

const (
	Acuse                Kind = "acuse"                 // requester: case registered, who it was assigned to
	EnEspera             Kind = "en_espera"             // requester: case waiting, with the reason
	Resuelto             Kind = "resuelto"              // requester: resolved, with the activities performed
	NoResuelto           Kind = "no_resuelto"           // requester: not resolved, with the technical concept
	CierreAutomatico     Kind = "cierre_automatico"     // requester: closed as Resuelto by the 8-business-day rule
	CierreSinTramite     Kind = "cierre_sin_tramite"    // requester (scj-bogota): closed as Información insuficiente or No procedente, with the reason
	Asignacion           Kind = "asignacion"            // agent: new case assigned
	ReasignacionEntrante Kind = "reasignacion_entrante" // agent: a case was reassigned to them
	ReasignacionSaliente Kind = "reasignacion_saliente" // agent: a case was taken from them
	Garantia             Kind = "garantia"              // Garantías role: new warranty case
	Rechazo              Kind = "rechazo"               // administrator and respondent: a form response was not applied
	SinAsignar           Kind = "sin_asignar"           // administrator: a case could not be assigned
	Encuesta             Kind = "encuesta"              // requester: invitation to the satisfaction survey
	EncuestaRecordatorio Kind = "encuesta_recordatorio" // requester (scj-bogota): the survey window is closing
	Insatisfecho         Kind = "insatisfecho"          // Coordinador (scj-bogota): unsatisfactory survey to review
	Reapertura           Kind = "reapertura"            // agent (scj-bogota): the Coordinador reopened their case, with the observations
	ReaperturaUsuario    Kind = "reapertura_usuario"    // requester (scj-bogota): their case was reopened after the survey
	Justificacion        Kind = "justificacion"         // requester (scj-bogota): the Coordinador explains why the solution was appropriate
	ResumenAgente        Kind = "resumen_agente"        // agent: daily digest of their cases
	ResumenAdmin         Kind = "resumen_admin"         // administrator: daily summary
)

// Kinds lists every notification kind, in a stable order.
func Kinds() []Kind {
	return []Kind{
		Acuse, EnEspera, Resuelto, NoResuelto, CierreAutomatico, CierreSinTramite,
		Asignacion, ReasignacionEntrante, ReasignacionSaliente, Garantia,
		Rechazo, SinAsignar, Encuesta, EncuestaRecordatorio, Insatisfecho,
		Reapertura, ReaperturaUsuario, Justificacion,
		ResumenAgente, ResumenAdmin,
	}
}

// Wait reasons as they come from the agent's response form (Funza paso 5).
// Templates match them loosely (case and accents do not matter).
const (
	ReasonWarranty         = procedure.WaitWarranty
	ReasonEscalation       = procedure.WaitEscalation
	ReasonUserAvailability = procedure.WaitAvailability
)

// Closing states without service (scj-bogota, PD-GT-1 actividades 8 and 9),
// as Case.State carries them. Templates match them loosely.
const (
	StateInsufficientInfo = string(procedure.InfoInsuficiente)
	StateNotApplicable    = string(procedure.NoProcedente)
)

// Office is the sending office, from the configuration.
type Office struct {
	Name          string // shown in the header of every message, e.g. "Alcaldía de Funza"
	SenderName    string
	SenderAddress string
	Signature     string // may span several lines; defaults to Desk and Name
	SurveyURL     string // may contain {caso}, replaced by the case number
	WorkbookURL   string // linked from agent and administrator messages
	AgentFormURL  string // the agents' response form, linked where an agent must answer
	AdminFormURL  string // the reassignment form, linked where the administrator must assign
}

// Desk is how mail names the help desk: the sender's name ("Mesa de
// Ayuda TIC" in Funza, "Mesa de Servicio" in the SCJ, as PD-GT-1 calls it).
func (o Office) Desk() string {
	if o.SenderName != "" {
		return o.SenderName
	}
	return "Mesa de Ayuda TIC"
}

// Case is the part of a case that notifications show, under the names the
// templates use (offices override the template files, so the names stay):
// it is derived from procedure.Case, the one case model, by CaseOf. Times
// may be in any location; they are shown in America/Bogota.
type Case struct {
	Number           int
	Registered       time.Time
	Requester        string
	Email            string
	Phone            string
	Dependencia      string
	Building         string
	Service          string
	Category         string
	Description      string
	State            string
	WaitReason       string
	VisitDate        time.Time // agreed new visit; midnight means "date only"
	ResolvesAt       time.Time // Funza F-5c: when the wait for the user's availability ends as Resuelto; zero where the procedure has no such rule
	Agent            string
	Activities       string
	TechnicalConcept string
	Due              time.Time
	Overdue          bool
	Solved           time.Time
}

// CaseOf is the case as notifications show it. VisitDate and ResolvesAt
// come from the event a notification is about (the worker fills them).
func CaseOf(c *procedure.Case) Case {
	return Case{Number: c.Number, Registered: c.Registered, Requester: c.Requester, Email: c.Email, Phone: c.Phone,
		Dependencia: c.Dependencia, Building: c.Building, Service: c.Service, Category: c.Category,
		Description: c.Description, State: string(c.State), WaitReason: c.WaitReason, Agent: c.Agent,
		Activities: c.Activities, TechnicalConcept: c.Concept, Due: c.Due, Overdue: c.Overdue, Solved: c.Solved}
}

// Data is everything a template may show. Each kind uses only part of it.
type Data struct {
	Office        Office
	RecipientName string
	Case          Case

	// Reassignment (Funza paso 4); Observations also carries the
	// Coordinador's observations on a reviewed survey (reapertura,
	// justificacion).
	PreviousAgent, NewAgent, Criterion, Observations string

	// Rejection of a form response; FormURL is the form to send again,
	// where the office has a link for it (the agents' and the
	// reassignment form), else "".
	Reason, FormName, FormURL string
	SubmittedAt               time.Time

	// Surveys.
	SurveyURL      string           // overrides Office.SurveyURL; may contain {caso}
	SurveyDeadline time.Time        // the last day the survey is open
	SurveyQRImage  htmltemplate.URL // "cid:" address of the survey link's QR image (qr.go); "" for none
	Rating         int              // also the survey behind a reapertura or justificacion
	Comments       string

	Digest Digest
}

// Digest is the content of the daily summaries.
type Digest struct {
	Date                               time.Time
	Open, Overdue, Waiting, Unassigned []Case
	Counts                             []Count  // cases by state, in display order
	AdminProblems                      []string // rows of Agentes, Catálogo, Festivos the worker cannot use, in Spanish
	Rights                             []string // open requests of titulars (Ley 1581 de 2012) with their deadlines, in Spanish
	Rejections                         int      // since the previous business day's summary, not since midnight
	MailFailures                       int      // waiting for a person (Fallido, Incierto), however old

	// The workbook's use of Google's cell limit (administrator's summary);
	// zero when not counted. Full: a write was refused for lack of cells.
	Cells, CellLimit int
	Full             bool

	// A closed year whose cases can be archived (mesa archive); zero
	// when none is proposed.
	Archive Archive
}

// CellWarning is the administrator's warning about the workbook's size:
// from 80 % of Google's cell limit, again from 90 %, and when it is full;
// "" below 80 %.
func (d Digest) CellWarning() string {
	if d.CellLimit <= 0 || !d.Full && d.Cells*100 < d.CellLimit*80 {
		return ""
	}
	pct := d.Cells * 100 / d.CellLimit
	use := fmt.Sprintf("el libro de la mesa usa %s de las %s celdas que Google permite en una hoja de cálculo (%d %%).",
		Miles(d.Cells), Miles(d.CellLimit), pct)
	act := "Libere espacio: elimine pestañas que no se usen, borre las filas y columnas vacías de las pestañas propias, o lleve los años cerrados a su libro de archivo anual (mesa archive --year AAAA)."
	switch {
	case d.Full:
		return "ATENCIÓN: el libro de la mesa llegó al límite de celdas de Google y las solicitudes nuevas no se están registrando; esperan en los formularios, no se pierden. En uso: " + Miles(d.Cells) + " de " + Miles(d.CellLimit) + " celdas. " + act
	case pct >= 90:
		return "ATENCIÓN: " + use + " Al llegar al límite, las solicitudes nuevas dejarán de registrarse. " + act
	}
	return "Aviso: " + use + " " + act
}

// Count is one labelled number of a summary.
type Count struct {
	Label string
	N     int
}

// SurveyLink is the survey address for this case: Data.SurveyURL or else
// Office.SurveyURL, with {caso} replaced by the case number.
func (d Data) SurveyLink() string {
	u := d.SurveyURL
	if u == "" {
		u = d.Office.SurveyURL
	}
	return strings.ReplaceAll(u, "{caso}", strconv.Itoa(d.Case.Number))
}

// Rendered is a notification ready for Build.
type Rendered struct {
	Subject, Text, HTML string
}
