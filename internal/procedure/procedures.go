package procedure

import "slices"

// Procedure is one office's written procedure as mesa applies it: the rules
// it has, each implementing a step of that document (Rules says which). A
// rule that is not in a procedure never fires under it, so the fold asks the
// procedure, never the profile's name, what to do.
type Procedure struct {
	Profile  Profile
	Document string // the document as the office cites it
	Monthly  string // the step the monthly report implements, as its caption reads
	Desk     string // how the document names the desk ("Mesa de Servicio" in PD-GT-1)
	rules    []Rule

	// The rule each act every desk performs is recorded under.
	Register, Assign, Attend, Reassign, Warranty, Escalation, Validate Rule

	// Categories a case may have; an answer naming none of them is not
	// stored as a category (Funza definiciones 10 y 15; PD-GT-1 actividad 14).
	Categories []string
	// DefinesCategory: the desk defines every case's category, from the
	// Catálogo when the requester named none (PD-GT-1 actividad 14). Funza
	// has no such step: a blank answer stays blank.
	DefinesCategory bool
	// WarrantyRoles may document a case En Espera por Garantía besides its
	// assigned agent (Funza paso 6, QUIÉN: "Agente Asignado, Administrador,
	// Funcionario Encargado Garantías").
	WarrantyRoles []Role
	// Criteria are the reassignment criteria the procedure allows, as it
	// words them; nil when it sets none.
	Criteria []Criterion
	// StatisticsByCategory: the monthly report gives the figures by
	// category (PD-GT-1 actividad 26: "un reporte en el cual se indiquen las
	// estadísticas sobre las categorías, incidentes y requerimientos").
	StatisticsByCategory bool
	// SilenceSatisfies: a survey left unanswered counts as satisfied
	// (PD-GT-1 actividad 7: "En caso del que el usuario no conteste la
	// encuesta, esta se dará por satisfactoria"). Funza paso 8 counts the
	// answered surveys only.
	SilenceSatisfies bool
	// VisitDateRequired: En Espera por disponibilidad del usuario needs the
	// agreed date of the new visit (Funza paso 5.3, "se pacta nueva fecha").
	VisitDateRequired bool
}

// Criterion is a reassignment criterion: the short label of the form's
// option and the words of the procedure, both accepted.
type Criterion struct {
	Label   string
	Wording string
}

// Has reports whether the procedure has rule r.
func (p *Procedure) Has(r Rule) bool { return slices.Contains(p.rules, r) }

// Rules lists the procedure's rules in the order of the document.
func (p *Procedure) Rules() []Rule { return slices.Clone(p.rules) }

// Step returns where rule r comes from. Each rule ID belongs to one
// procedure (F-I, the adoption of a hand-kept workbook, to both), so the
// Historial tab and mesa explain name the same step.
func (p *Procedure) Step(r Rule) RuleInfo { return Rules[r] }

// funzaCriteria are Funza definición 14's three criteria.
var funzaCriteria = []Criterion{
	{"Ausencia justificada", "No puede atender la solicitud por ausencia justificada"},
	{"No cuenta con la competencia", "No cuenta con la competencia"},
	{"Orden directa del Jefe de la Oficina", "Orden directa del Jefe de la Oficina de Relacionamiento con el Ciudadano"},
}

var procedures = map[Profile]*Procedure{
	Funza: {
		Profile:  Funza,
		Document: "Alcaldía de Funza — Gestión TIC, procedimiento Mesa de Ayuda (versión 5, 2025)",
		Monthly:  "Procedimiento Gestión TIC – Mesa de Ayuda, paso 10: seguimiento e informes de atenciones.",
		Desk:     "Mesa de Ayuda TIC",
		rules:    []Rule{F2, F3, F4, F5, F5c, F6, F7, F8, F9, FR, FI},
		Register: F2, Assign: F3, Attend: F5, Reassign: F4, Warranty: F6, Escalation: F7, Validate: FR,
		Categories:        []string{CatIncidente, CatRequerimiento},
		WarrantyRoles:     []Role{RoleAdmin, RoleWarranty},
		Criteria:          funzaCriteria,
		VisitDateRequired: true,
	},
	SCJBogota: {
		Profile:  SCJBogota,
		Document: "Secretaría Distrital de Seguridad, Convivencia y Justicia — PD-GT-1 Atención de Servicios de Tecnología (versión 2, 2019)",
		Monthly:  "PD-GT-1 Atención de Servicios de Tecnología, actividad 26: análisis de la información del servicio.",
		Desk:     "Mesa de Servicio",
		rules:    []Rule{S1, S8, S9, SL, S14, S6, SE, SR, S7, S21, S23, S25, SP, SV, FI},
		Register: S1, Assign: S14, Attend: S6, Reassign: SR, Warranty: SE, Escalation: SE, Validate: SV,
		Categories:           []string{CatOrientacion, CatRequerimiento, CatIncidente},
		DefinesCategory:      true,
		StatisticsByCategory: true,
		SilenceSatisfies:     true,
	},
}

// ProcedureOf returns the procedure of a profile; an unknown profile gets
// Funza's, the default (configuration validation refuses unknown ones).
func ProcedureOf(p Profile) *Procedure {
	if pr, ok := procedures[p]; ok {
		return pr
	}
	return procedures[Funza]
}
