package procedure

// Rule identifies the rule that made a decision, and through it the step of
// the written procedure it implements; mesa explain prints both.
type Rule string

// RuleInfo says where a rule comes from, in the words users read.
type RuleInfo struct {
	Step  string // procedure step, e.g. "Funza paso 3"
	Title string
}

const (
	F2  Rule = "F-2"
	F3  Rule = "F-3"
	F4  Rule = "F-4"
	F5  Rule = "F-5"
	F5c Rule = "F-5c"
	F6  Rule = "F-6"
	F7  Rule = "F-7"
	F8  Rule = "F-8"
	F9  Rule = "F-9"
	FR  Rule = "F-R"  // validation of form input (the "herramienta digital" only accepts valid records)
	FI  Rule = "F-I"  // historic case adopted from a hand-kept workbook
	A1  Rule = "A-1"  // closed case moved to its year's archive workbook (archive.go)
	HD1 Rule = "HD-1" // a titular's personal data anonymized (habeas data, internal/privacy)

	S1  Rule = "S-1"  // scj-bogota: registration and ticket
	S6  Rule = "S-6"  // agent documents and completes the case
	S7  Rule = "S-7"  // survey at closure, 3 business days, one reminder
	S8  Rule = "S-8"  // closed for insufficient information
	S9  Rule = "S-9"  // closed as not applicable
	S14 Rule = "S-14" // category and routing
	SE  Rule = "S-E"  // escalated to a provider or an outside party (level four)
	SR  Rule = "S-R"  // case moved to another agent by the administrator
	SV  Rule = "S-V"  // validation of form input (the user supplies the information needed)
	SL  Rule = "S-L"  // locativo requirement routed to its area
	S21 Rule = "S-21" // survey review by the coordinator
	S23 Rule = "S-23" // reopen
	S25 Rule = "S-25" // justify to the user
	SP  Rule = "S-P"  // problem: >= 20 reports
)

// Rules describes every rule ID.
var Rules = map[Rule]RuleInfo{
	F2:  {"Funza paso 2", "Registro de la solicitud: número de caso consecutivo"},
	F3:  {"Funza paso 3", "Asignación por edificio, dependencia o servicio"},
	F4:  {"Funza paso 4 y definición 14", "Reasignación por el Administrador"},
	F5:  {"Funza paso 5", "Atención de la solicitud y cambio de estado"},
	F5c: {"Funza definición 7 y paso 5", "Ocho días hábiles sin disponibilidad del usuario: Resuelto"},
	F6:  {"Funza paso 6", "Trámite de garantía"},
	F7:  {"Funza paso 7", "Escalamiento al proveedor"},
	F8:  {"Funza paso 8", "Verificación de la satisfacción del usuario (solo el usuario atendido responde)"},
	F9:  {"Funza paso 9", "Lecciones aprendidas"},
	FR:  {"Funza condición de operación 5", "Validación de la respuesta del formulario"},
	FI:  {"Adopción del libro existente", "Caso histórico importado"},
	A1:  {"Ley 594 de 2000 y TRD de la oficina", "Traslado del caso cerrado al libro de archivo de su año"},
	HD1: {"Ley 1581 de 2012 art. 8 y art. 15", "Supresión de los datos personales del titular sin destruir el registro"},
	S1:  {"PD-GT-1 actividades 10 y 11", "Registro de la solicitud y comunicación del número de ticket"},
	S6:  {"PD-GT-1 actividad 6", "Documentar en el aplicativo y completar el caso"},
	S7:  {"PD-GT-1 actividad 7 y políticas de operación", "Encuesta al cierre: 3 días hábiles, un recordatorio, sin respuesta se cierra como satisfactoria"},
	S8:  {"PD-GT-1 decisión «¿Información insuficiente?» y actividad 8", "Cierre por información insuficiente"},
	S9:  {"PD-GT-1 decisión «¿La solicitud es procedente?» y actividad 9", "Cierre por solicitud no procedente"},
	S14: {"PD-GT-1 actividades 14, 17 y 19", "Categoría (orientación, requerimiento o incidente) y enrutamiento"},
	SE:  {"PD-GT-1 políticas de operación (nivel cuatro) y definición de ESCALAR", "En espera de un proveedor o ente externo (garantía o escalamiento)"},
	SR:  {"PD-GT-1 definiciones de ESCALAR y ESPECIALISTA", "Traslado del caso a otro agente por el Administrador"},
	SV:  {"PD-GT-1 políticas de operación", "Validación de la respuesta del formulario: el usuario suministra la información necesaria"},
	SL:  {"PD-GT-1 decisiones «¿Es un requerimiento locativo?» y «¿Locación propia o en arriendo?», actividades 12 y 13", "Requerimiento locativo enrutado a su área; en arriendo queda en espera de la Dirección Técnica"},
	S21: {"PD-GT-1 actividades 21 y 22", "Revisión de encuesta no satisfactoria por el Coordinador"},
	S23: {"PD-GT-1 actividades 23 y 24", "Reapertura del caso y retroalimentación al agente"},
	S25: {"PD-GT-1 actividad 25", "Respuesta justificada al usuario"},
	SP:  {"PD-GT-1 definición de Problema", "Problema: reportado como mínimo 20 veces (la ventana de conteo es una decisión de diseño de mesa)"},
}
