// Package workbook knows the tabs of the help-desk workbook: their Spanish
// headers, who owns each column, how values are written, and how to turn a
// desired table into the smallest set of cell writes.
package workbook

import "github.com/funza-tic/mesa/internal/procedure"

// Type says how a column's values are written and exported.
type Type int

const (
	Text    Type = iota
	Number       // written as a number so Looker Studio reads it typed
	Date         // YYYY-MM-DD
	Instant      // "2006-01-02 15:04:05" in America/Bogota; RFC 3339 in CSV exports
)

// Column is a header of a tab and its type.
type Column struct {
	Name string
	Type Type
}

// Tab is a worker-written tab: rows are found by the Key column, never by
// position (people sort and filter), and only these columns are written;
// every other column of the tab belongs to people.
type Tab struct {
	Name    string
	Key     string
	Columns []Column
}

// Index returns the position of the named column in the schema, or -1.
func (t Tab) Index(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func cols(t Type, names ...string) []Column {
	out := make([]Column, len(names))
	for i, n := range names {
		out[i] = Column{n, t}
	}
	return out
}

func join(parts ...[]Column) []Column {
	var out []Column
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// caseColumn is a column of a tab with one row per case: its header and
// type, and how it reads the case from procedure.Case, the one case model.
// A tab's rows are written by its columns, in their order, so the header
// and the cells under it cannot disagree.
type caseColumn struct {
	Column
	cell func(r *caseRow) string
	// field is the case's field the column shows, for a column a hand-kept
	// Casos tab is adopted from (ParseCasos, procedure.Adopt): a *string,
	// *procedure.State, *time.Time or *int (the case number); nil where
	// adopting ignores the column.
	field func(c *procedure.Case) any
}

func columnsOf(cc []caseColumn) []Column {
	out := make([]Column, len(cc))
	for i, c := range cc {
		out[i] = c.Column
	}
	return out
}

// casosColumns are the Casos tab (DESIGN.md §4), in order: every other
// column of the tab belongs to people.
var casosColumns = []caseColumn{
	{Column{"Caso", Number}, func(r *caseRow) string { return r.number }, func(c *procedure.Case) any { return &c.Number }},
	{Column{"Fecha de registro", Instant}, func(r *caseRow) string { return r.registered }, func(c *procedure.Case) any { return &c.Registered }},
	{Column{"Solicitante", Text}, func(r *caseRow) string { return r.Requester }, func(c *procedure.Case) any { return &c.Requester }},
	{Column{"Correo", Text}, func(r *caseRow) string { return r.Email }, func(c *procedure.Case) any { return &c.Email }},
	{Column{"Teléfono", Text}, func(r *caseRow) string { return r.Phone }, func(c *procedure.Case) any { return &c.Phone }},
	{Column{"Dependencia", Text}, func(r *caseRow) string { return r.Dependencia }, func(c *procedure.Case) any { return &c.Dependencia }},
	{Column{"Edificio", Text}, func(r *caseRow) string { return r.Building }, func(c *procedure.Case) any { return &c.Building }},
	{Column{"Tipo de servicio", Text}, func(r *caseRow) string { return r.Service }, func(c *procedure.Case) any { return &c.Service }},
	{Column{"Categoría", Text}, func(r *caseRow) string { return r.Category }, func(c *procedure.Case) any { return &c.Category }},
	{Column{"Descripción", Text}, func(r *caseRow) string { return r.Description }, func(c *procedure.Case) any { return &c.Description }},
	{Column{"Estado", Text}, func(r *caseRow) string { return string(r.State) }, func(c *procedure.Case) any { return &c.State }},
	{Column{"Motivo de espera", Text}, func(r *caseRow) string { return r.WaitReason }, func(c *procedure.Case) any { return &c.WaitReason }},
	{Column{"Fecha de nueva visita", Date}, func(r *caseRow) string { return r.VisitDate }, nil},
	{Column{"Agente asignado", Text}, func(r *caseRow) string { return r.Agent }, func(c *procedure.Case) any { return &c.Agent }},
	{Column{"Fecha de estado", Instant}, func(r *caseRow) string { return r.stateAt }, func(c *procedure.Case) any { return &c.StateAt }},
	// The clock stops while a case is En Espera (Funza paso 5).
	{Column{"Vence ANS", Instant}, func(r *caseRow) string {
		switch {
		case r.State == procedure.EnEspera:
			return "En pausa"
		case r.Due.IsZero():
			return ""
		}
		return r.due
	}, nil},
	{Column{"Vencido", Text}, func(r *caseRow) string {
		if r.State == procedure.EnEspera || r.Due.IsZero() {
			return ""
		}
		return siNo(r.Overdue)
	}, nil},
	{Column{"Fecha de solución", Instant}, func(r *caseRow) string { return r.solved }, func(c *procedure.Case) any { return &c.Solved }},
	{Column{"Reasignaciones", Number}, func(r *caseRow) string { return num(r.Reassignments) }, nil},
	{Column{"Satisfacción", Text}, func(r *caseRow) string { return satisfaction(r.Case, r.set) }, nil},
	{Column{"Observaciones del sistema", Text}, func(r *caseRow) string { return r.Note }, nil},
}

// handKept are the columns of a hand-kept Casos tab that mesa's own Casos
// has not, and that adopting it reads (ParseCasos).
var handKept = []caseColumn{
	{Column{"Actividades realizadas", Text}, nil, func(c *procedure.Case) any { return &c.Activities }},
}

// lookerColumns are the Looker tab: snake_case names that never change (a
// data source built once keeps working), typed values, flags as 0/1, and
// no personal data (Ley 1581 de 2012): no names, e-mails, phones,
// descriptions or comments, only the office's own classification of the
// case, its dates and flags. Each row is the case as it stood at the
// report's cut (procedure.Book.CasesAt). The columns are documented in
// internal/report/LOOKER.md.
var lookerColumns = []caseColumn{
	{Column{"caso", Number}, func(r *caseRow) string { return num(r.Number) }, nil},
	{Column{"fecha_registro", Date}, func(r *caseRow) string { return r.date(r.Registered) }, nil},
	{Column{"instante_registro", Instant}, func(r *caseRow) string { return r.f.Instant(r.Registered) }, nil},
	{Column{"mes_registro", Text}, func(r *caseRow) string { return r.month(r.Registered) }, nil},
	{Column{"dependencia", Text}, func(r *caseRow) string { return r.Dependencia }, nil},
	{Column{"edificio", Text}, func(r *caseRow) string { return r.Building }, nil},
	{Column{"tipo_servicio", Text}, func(r *caseRow) string { return r.Service }, nil},
	{Column{"categoria", Text}, func(r *caseRow) string { return r.Category }, nil},
	{Column{"estado", Text}, func(r *caseRow) string { return string(r.State) }, nil},
	{Column{"motivo_espera", Text}, func(r *caseRow) string { return r.WaitReason }, nil},
	{Column{"fecha_solucion", Date}, func(r *caseRow) string { return r.date(r.Solved) }, nil},
	{Column{"instante_solucion", Instant}, func(r *caseRow) string { return r.f.Instant(r.Solved) }, nil},
	{Column{"mes_solucion", Text}, func(r *caseRow) string { return r.month(r.Solved) }, nil},
	{Column{"vence_ans", Instant}, func(r *caseRow) string { return r.f.Instant(r.Due) }, nil},
	{Column{"horas_solucion", Number}, func(r *caseRow) string {
		if r.Solved.IsZero() {
			return ""
		}
		return number(float64(int64(r.Solved.Sub(r.Registered).Hours()*10+0.5)) / 10)
	}, nil},
	{Column{"cerrado", Number}, func(r *caseRow) string { return flag01(!r.Solved.IsZero()) }, nil},
	{Column{"resuelto", Number}, func(r *caseRow) string { return flag01(r.Resolved()) }, nil},
	{Column{"dentro_ans", Number}, func(r *caseRow) string {
		if r.Solved.IsZero() {
			return ""
		}
		return flag01(r.WithinSLA())
	}, nil},
	{Column{"vencido", Number}, func(r *caseRow) string { return flag01(r.Overdue) }, nil},
	{Column{"reabierto", Number}, func(r *caseRow) string { return flag01(r.Reopened > 0) }, nil},
	{Column{"reaperturas", Number}, func(r *caseRow) string { return num(r.Reopened) }, nil},
	{Column{"en_espera_8_dias", Number}, func(r *caseRow) string { return flag01(r.AutoSolved) }, nil},
	{Column{"garantia", Number}, func(r *caseRow) string { return flag01(!r.WarrantyFrom.IsZero()) }, nil},
	{Column{"escalamiento", Number}, func(r *caseRow) string { return flag01(!r.EscalationFrom.IsZero()) }, nil},
	{Column{"reasignado", Number}, func(r *caseRow) string { return flag01(r.Reassignments > 0) }, nil},
	{Column{"reasignaciones", Number}, func(r *caseRow) string { return num(r.Reassignments) }, nil},
	{Column{"sin_asignar", Number}, func(r *caseRow) string { return flag01(r.Agent == procedure.Unassigned) }, nil},
	{Column{"encuestado", Number}, func(r *caseRow) string { return flag01(r.Invited || len(r.Surveys) > 0) }, nil},
	{Column{"encuesta_respondida", Number}, func(r *caseRow) string { _, ok := r.LastSurvey(); return flag01(ok) }, nil},
	{Column{"fecha_encuesta", Date}, func(r *caseRow) string { a, _ := r.LastSurvey(); return r.date(a.At) }, nil},
	{Column{"calificacion", Number}, func(r *caseRow) string {
		if a, ok := r.LastSurvey(); ok {
			return num(a.Rating)
		}
		return ""
	}, nil},
	{Column{"satisfecho", Number}, func(r *caseRow) string {
		if a, ok := r.LastSurvey(); ok {
			return flag01(r.set.Satisfied(a.Rating))
		}
		return ""
	}, nil},
	{Column{"satisfecho_sin_respuesta", Number}, func(r *caseRow) string { return flag01(!r.Unanswered().IsZero()) }, nil},
}

// The worker-owned tabs (DESIGN.md §4).
var (
	Casos     = Tab{Name: "Casos", Key: "Caso", Columns: columnsOf(casosColumns)}
	Historial = Tab{Name: "Historial", Key: "ID", Columns: join(
		cols(Text, "ID"), []Column{{"Fecha efectiva", Instant}, {"Caso", Number}},
		cols(Text, "Regla", "Paso del procedimiento", "Evento", "Respuesta", "Detalle", "Datos"),
	)}
	Notificaciones = Tab{Name: "Notificaciones", Key: "ID", Columns: join(
		cols(Text, "ID"), []Column{{"Fecha", Instant}, {"Caso", Number}},
		cols(Text, "Tipo", "Destinatario", "Para", "Asunto", "Estado"), []Column{{"Intentos", Number}},
		cols(Text, "Último error", "ID Gmail"), []Column{{"Enviado", Instant}}, cols(Text, "Evento"),
		// Mail held for the recipient's working hours (Ley 2191 de 2022):
		// the instant it may go; empty for mail that goes at once.
		[]Column{{"Envío previsto", Instant}},
	)}
	Rechazos = Tab{Name: "Rechazos", Key: "Respuesta", Columns: join(
		cols(Text, "Respuesta"), []Column{{"Fecha", Instant}}, cols(Text, "Formulario", "Correo"),
		[]Column{{"Caso", Number}}, cols(Text, "Motivo"),
	)}
	Encuestas = Tab{Name: "Encuestas", Key: "Caso", Columns: join(
		[]Column{{"Caso", Number}}, cols(Text, "Semana", "Agente", "Correo"), []Column{{"Invitación", Instant}, {"Respuesta", Instant}, {"Calificación", Number}},
		cols(Text, "¿Solucionado?", "Comentarios", "Resultado"),
	)}
	Garantias = waiting("Garantías")
	Escalam   = waiting("Escalamientos")
	Lecciones = Tab{Name: "Lecciones", Key: "Caso", Columns: join(
		[]Column{{"Caso", Number}, {"Fecha", Instant}}, cols(Text, "Agente", "Tipo de servicio", "Actividades realizadas", "Concepto técnico", "Estado"),
	)}
	Problemas = Tab{Name: "Problemas", Key: "ID", Columns: join(
		cols(Text, "ID", "Categoría", "Tipo de servicio"), []Column{{"Desde", Instant}, {"Hasta", Instant}, {"Reportes", Number}}, cols(Text, "Casos"),
	)}
)

func waiting(name string) Tab {
	return Tab{Name: name, Key: "Caso", Columns: join(
		[]Column{{"Caso", Number}, {"Desde", Instant}}, cols(Text, "Agente asignado", "Dependencia", "Edificio", "Tipo de servicio", "Descripción", "Estado"),
		[]Column{{"Fecha de cierre", Instant}},
	)}
}

// Admin tabs: read each cycle, written only by `mesa setup` (headers) and
// `mesa import sheet`.
var (
	Agentes  = Tab{Name: "Agentes", Key: "Correo", Columns: cols(Text, "Nombre", "Correo", "Activo", "Rol", "Edificios", "Servicios")}
	Catalogo = Tab{Name: "Catálogo", Key: "Tipo de servicio", Columns: cols(Text, "Tipo de servicio", "Categoría", "Requiere edificio", "ANS")}
	Festivos = Tab{Name: "Festivos", Key: "Fecha", Columns: []Column{{"Fecha", Date}, {"Nombre", Text}}}
)

// Control is the small worker tab that holds the run lease (worker.Lease):
// this header row and one row, always written with an explicit range.
// `mesa setup` makes it and protects it like the other worker tabs.
var Control = Tab{Name: "Control", Key: "Clave", Columns: cols(Text, "Clave", "Dueño", "Vence", "Actualizado")}

// Worker lists the tabs a cycle writes, in write order: the journal first.
var Worker = []Tab{Historial, Casos, Notificaciones, Rechazos, Encuestas, Garantias, Escalam, Lecciones, Problemas}

// Admin lists the tabs the administrator owns.
var Admin = []Tab{Agentes, Catalogo, Festivos}

// ByName finds a tab by its name, accepting it without accents
// ("catalogo" for "Catálogo") as people type it on a command line.
func ByName(name string) (Tab, bool) {
	for _, t := range append(append([]Tab{}, Worker...), Admin...) {
		if fold(t.Name) == fold(name) {
			return t, true
		}
	}
	return Tab{}, false
}

// The monthly report tabs (DESIGN.md §10), written by `mesa report`, not by
// a cycle: a cycle never reads them, so a large Looker tab costs it nothing.
var (
	// Indicadores holds one row per month, indicator and breakdown value.
	Indicadores = Tab{Name: "Indicadores", Key: "ID", Columns: join(
		cols(Text, "ID", "Periodo", "Indicador", "Desglose", "Valor"),
		[]Column{{"Numerador", Number}, {"Denominador", Number}, {"Resultado (%)", Number}, {"Meta (%)", Number}},
		cols(Text, "Cumple", "Análisis", "Fórmula"), []Column{{"Corte", Instant}},
	)}
	// Looker is the tidy per-case table Looker Studio reads (lookerColumns).
	Looker = Tab{Name: "Looker", Key: "caso", Columns: columnsOf(lookerColumns)}
)

// Reports lists the tabs `mesa report` writes.
var Reports = []Tab{Indicadores, Looker}
