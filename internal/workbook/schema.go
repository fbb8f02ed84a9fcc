// Package workbook knows the tabs of the help-desk workbook: their Spanish
// headers, who owns each column, how values are written, and how to turn a
// desired table into the smallest set of cell writes.
package workbook

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

// The worker-owned tabs (DESIGN.md §4).
var (
	Casos = Tab{Name: "Casos", Key: "Caso", Columns: join(
		[]Column{{"Caso", Number}, {"Fecha de registro", Instant}},
		cols(Text, "Solicitante", "Correo", "Teléfono", "Dependencia", "Edificio", "Tipo de servicio", "Categoría", "Descripción", "Estado", "Motivo de espera"),
		[]Column{{"Fecha de nueva visita", Date}, {"Agente asignado", Text}, {"Fecha de estado", Instant}, {"Vence ANS", Instant}, {"Vencido", Text},
			{"Fecha de solución", Instant}, {"Reasignaciones", Number}, {"Satisfacción", Text}, {"Observaciones del sistema", Text}},
	)}
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
	// Looker is the tidy per-case table Looker Studio reads: snake_case names
	// that never change (a data source built once keeps working), typed
	// values, flags as 0/1, and no personal data (Ley 1581 de 2012). The
	// columns are documented in internal/report/LOOKER.md.
	Looker = Tab{Name: "Looker", Key: "caso", Columns: join(
		[]Column{{"caso", Number}, {"fecha_registro", Date}, {"instante_registro", Instant}},
		cols(Text, "mes_registro", "dependencia", "edificio", "tipo_servicio", "categoria", "estado", "motivo_espera"),
		[]Column{{"fecha_solucion", Date}, {"instante_solucion", Instant}, {"mes_solucion", Text}, {"vence_ans", Instant}},
		cols(Number, "horas_solucion", "cerrado", "resuelto", "dentro_ans", "vencido", "reabierto", "reaperturas",
			"en_espera_8_dias", "garantia", "escalamiento", "reasignado", "reasignaciones", "sin_asignar",
			"encuestado", "encuesta_respondida"),
		[]Column{{"fecha_encuesta", Date}},
		cols(Number, "calificacion", "satisfecho", "satisfecho_sin_respuesta"),
	)}
)

// Reports lists the tabs `mesa report` writes.
var Reports = []Tab{Indicadores, Looker}
