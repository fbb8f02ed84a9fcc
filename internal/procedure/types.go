// Package procedure holds the help-desk rules of the two procedures mesa
// automates, as a pure fold over immutable inputs: form responses, the
// journal of earlier decisions, the admin tabs and the clock. It imports
// nothing of Google and does no I/O.
package procedure

import (
	"strings"
	"time"
)

// Form names one of the four Google Forms mesa reads.
type Form string

const (
	Solicitudes    Form = "solicitudes"
	Respuestas     Form = "respuestas"
	Reasignaciones Form = "reasignaciones"
	Encuestas      Form = "encuestas"
	Revisiones     Form = "revisiones" // scj-bogota: coordinator review of an unsatisfactory survey
)

// Forms lists every form in the order a cycle applies them when their
// timestamps tie: a request before an answer to it.
var Forms = []Form{Solicitudes, Respuestas, Reasignaciones, Encuestas, Revisiones}

// Response is one submitted form response: an immutable input event keyed by
// its Forms responseId. Answers are keyed by Field, already mapped from the
// question titles by the adapter's caller.
type Response struct {
	Form      Form
	ID        string
	Submitted time.Time // lastSubmittedTime
	Email     string    // respondentEmail: what authorizes the response
	Answers   map[Field]string
}

// Answer returns the trimmed answer to f.
func (r Response) Answer(f Field) string { return strings.TrimSpace(r.Answers[f]) }

// Field is a question of a form, independent of its (configurable) title.
type Field string

const (
	FEmail        Field = "correo"
	FName         Field = "nombre"
	FDependencia  Field = "dependencia"
	FBuilding     Field = "edificio"
	FService      Field = "servicio"
	FDescription  Field = "descripcion"
	FPhone        Field = "telefono"
	FCategory     Field = "categoria"
	FCase         Field = "caso"
	FState        Field = "estado"
	FWaitReason   Field = "motivo_espera"
	FVisitDate    Field = "fecha_visita"
	FActivities   Field = "actividades"
	FConcept      Field = "concepto"
	FLesson       Field = "leccion"
	FNewAgent     Field = "nuevo_agente"
	FCriterion    Field = "criterio"
	FObservations Field = "observaciones"
	FRating       Field = "calificacion"
	FSolved       Field = "solucionado"
	FComments     Field = "comentarios"
	FDecision     Field = "decision"
	FLocation     Field = "locacion" // scj-bogota: locación propia o en arriendo
)

// DefaultQuestions are the question titles of the office's forms (DESIGN.md
// §5). Offices whose forms word them differently override them in config.
var DefaultQuestions = map[Form]map[Field]string{
	Solicitudes: {
		FEmail:       "Dirección de correo electrónico",
		FName:        "Nombre completo",
		FDependencia: "Dependencia",
		FBuilding:    "Edificio",
		FService:     "Tipo de servicio",
		FDescription: "Descripción de la solicitud",
		FPhone:       "Teléfono / extensión",
		FCategory:    "Categoría",
		FLocation:    "¿Locación propia o en arriendo?",
	},
	Respuestas: {
		FCase:       "Número de caso",
		FState:      "Estado",
		FWaitReason: "Motivo de espera",
		FVisitDate:  "Fecha acordada de nueva visita",
		FActivities: "Actividades realizadas",
		FConcept:    "Concepto técnico",
		FLesson:     "¿Registrar lección aprendida?",
	},
	Reasignaciones: {
		FCase:         "Número de caso",
		FNewAgent:     "Nuevo agente",
		FCriterion:    "Criterio de reasignación",
		FObservations: "Observaciones",
	},
	Encuestas: {
		FCase:     "Número de caso",
		FRating:   "Calificación",
		FSolved:   "¿El caso fue solucionado?",
		FComments: "Comentarios",
	},
	Revisiones: {
		FCase:         "Número de caso",
		FDecision:     "Decisión",
		FObservations: "Observaciones",
	},
}

// Role is an agent's role in the Agentes tab.
type Role string

const (
	RoleAgent       Role = "Agente"
	RoleAdmin       Role = "Administrador"
	RoleCoordinator Role = "Coordinador"
	RoleWarranty    Role = "Garantías"
)

// Agent is a row of the Agentes tab (owned by the administrator).
type Agent struct {
	Name      string
	Email     string
	Active    bool
	Role      Role
	Buildings []string // edificios or dependencias served (Funza paso 3)
	Services  []string // services not tied to a building
}

// Service is a row of the Catálogo tab.
type Service struct {
	Type          string // Tipo de servicio
	Category      string
	NeedsBuilding bool
	SLA           SLA
}

// SLA is a service level: an amount of business hours or business days.
type SLA struct {
	Amount int
	Days   bool // false: business hours
}

// Duration returns the SLA as business time, counting a business day as
// the given length of a working day.
func (s SLA) Duration(day time.Duration) time.Duration {
	if s.Days {
		return time.Duration(s.Amount) * day
	}
	return time.Duration(s.Amount) * time.Hour
}

// State is a case's state as agents and users read it.
type State string

const (
	Abierto    State = "Abierto"
	EnEspera   State = "En Espera"
	Resuelto   State = "Resuelto"
	NoResuelto State = "No Resuelto"
	Cerrado    State = "Cerrado"   // scj-bogota: closed after the survey window
	Reabierto  State = "Reabierto" // scj-bogota: reopened by the coordinator

	// The two ways PD-GT-1 ends a request without serving it, named as the
	// procedure's decision points name them. Both close the case and tell
	// the requester why; neither sends a survey (the procedure says "Fin del
	// procedimiento" right after).
	//
	// InfoInsuficiente: decision «¿Información insuficiente?» and actividad 8,
	// the user did not send the missing information ("No: Fin del
	// procedimiento").
	InfoInsuficiente State = "Información insuficiente"
	// NoProcedente: decision «¿La solicitud es procedente?» and actividad 9,
	// "Comunicar al usuario no procedencia de la solicitud".
	NoProcedente State = "No procedente"
)

// Closed reports whether no agent response may change the case any more.
func (s State) Closed() bool {
	switch s {
	case Resuelto, NoResuelto, Cerrado, InfoInsuficiente, NoProcedente:
		return true
	}
	return false
}

// Categories of PD-GT-1 (actividades 5, 14, 17 and 19): every case is an
// orientation, a requirement or an incident.
const (
	CatOrientacion   = "Informativo/Orientación"
	CatRequerimiento = "Requerimiento"
	CatIncidente     = "Incidente"
)

// Locations of a locativo requirement (PD-GT-1 decision «¿Locación propia o
// en arriendo?»): each is escalated to a different area.
const (
	LocPropia   = "Propia"      // actividad 12: Recursos Físicos
	LocArriendo = "En arriendo" // actividad 13: Dirección Técnica, by e-mail
)

// Wait reasons of Funza paso 5.
const (
	WaitWarranty     = "Garantía"
	WaitEscalation   = "Escalamiento"
	WaitAvailability = "Disponibilidad del usuario"
	// WaitTechnical is not an agent's answer: a locativo requirement in a
	// rented location waits for the Dirección Técnica (PD-GT-1 actividad 13).
	WaitTechnical = "Respuesta de la Dirección Técnica"
)

// Reassignment criteria: the only three the procedure allows (Funza,
// definición 14).
var Criteria = []string{
	"Ausencia justificada",
	"No cuenta con la competencia",
	"Orden directa del Jefe de la Oficina",
}

// Unassigned is the agent column of a case no rule could assign.
const Unassigned = "Sin asignar"
