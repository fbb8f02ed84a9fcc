package procedure_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	. "github.com/funza-tic/mesa/internal/procedure"
)

// The written procedures, read sentence by sentence (issue 13). Each row
// quotes the sentence of the procedure its expected result comes from; where
// the procedure is silent the row says what mesa chose.

const (
	funzaPaso5  = "Funza paso 5: «El Agente asignado , se desplaza de ser requerido al edificio - dependencia donde se solicitó el servicio - caso; realiza las actividades correspondientes y procede a documentar en la herramienta digital actualizando el estado.» (QUIÉN: Agente Asignado)"
	funzaPaso6  = "Funza paso 6: «Si la gestión de garantía es positiva, se documenta en la herramienta digital y se cambio el estado a Resuelto» (QUIÉN: Agente Asignado Administrador Funcionario Encargado Garantías)"
	funzaPaso8  = "Funza paso 8: «Cada agente solicita durante la semana aleatoriamente mínimo a tres de los usuarios que recibieron el servicio , el diligenciamiento de la encuesta de satisfacción»"
	scjAct7     = "PD-GT-1 actividad 7: «El sistema envía de manera automática la encuesta de satisfacción del servicio. El usuario tiene la opción de diligenciar la encuesta que le llega por medio de correo electrónico»"
	scjAct6     = "PD-GT-1 actividad 6: «Documentar detalladamente cómo se gestionó el caso y cuáles fueron los resultados en la herramienta de mesa de servicio.» (Responsable: Técnico - Agente Mesa de Servicio)"
	funzaDef14  = "Funza definición 14: «Re-asignación de Caso : Actividad que realiza el Administrador de la herramienta digital para los siguientes criterios cuando el Agente : 1. No puede atender la solicitud por ausencia justificada. 2. No cuenta con la competencia. 3. Orden directa del Jefe de la Oficina de Relacionamiento con el Ciudadano.»"
	funzaPaso4  = "Funza paso 4: «procede a reasignar el numero del caso al Agente requerido»; definición 2: «Agente: Funcionario o contratista asignado para atender los servicios solicitados»"
	funzaPaso53 = "Funza paso 5: «3. Por que el usuario tiene alguna situación de tiempo , se pacta nueva fecha y hora de atención , regresa al paso 5; (si finalmente no se logra la disponibilidad del usuario para la prestación del servicio se documenta y se cambia el estado a Resuelto.»"
	funzaDef7   = "Funza definición 7: «disponibilidad del usuario (se pacta fecha de nueva visita); pasado ocho (08) días hábiles si el usuario no permite el desarrollo de actividades, se documenta y se cambia al estado Resuelto.»"
	scjAct14    = "PD-GT-1 actividad 14: «Definir categoría adecuada de acuerdo con la solicitud realizada por el usuario. Se debe analizar si está asociada a una consulta u orientación acerca de algún tema, un requerimiento o un incidente.»"
	scjAct13    = "PD-GT-1 actividad 13: «Escalar con la persona a cargo de la dependencia de técnica por medio de un correo electrónico. La solicitud queda en espera hasta que se reciba el correo por parte del área de técnica»"
)

func survey(when, by, caso, rating string) Response {
	return respond(Encuestas, "", when, by, kv{FCase: caso, FRating: rating, FSolved: "Sí"})
}

// Item 1: only the person served answers the survey of their case; any
// other respondent is rejected with a reason and changes nothing.
func TestSurveyOnlyFromTheRequester(t *testing.T) {
	tests := []struct {
		name    string
		quote   string
		profile Profile
		by      string
		rating  string
		reject  string // part of the reason; "" = applied
		state   State  // the case's state after the answer
	}{
		{"funza: the requester answers", funzaPaso8, Funza, "usuario@mesa.test", "5", "", Resuelto},
		{"funza: the requester's address typed in another case", funzaPaso8, Funza, " Usuario@Mesa.test", "2", "", Resuelto},
		{"funza: the agent who served the case may not rate it", funzaPaso8, Funza, "hugo@mesa.test", "5", "solo la puede responder quien solicitó el servicio", Resuelto},
		{"funza: another user may not", funzaPaso8, Funza, "otra@mesa.test", "1", "otra@mesa.test no es el solicitante", Resuelto},
		{"funza: an answer without the respondent's e-mail", funzaPaso8, Funza, "", "5", "(sin correo) no es el solicitante", Resuelto},
		{"scj: the requester's satisfied answer closes the case", scjAct7, SCJBogota, "usuario@mesa.test", "5", "", Cerrado},
		{"scj: the agent's answer does not close the case", scjAct7, SCJBogota, "hugo@mesa.test", "5", "solo la puede responder quien solicitó el servicio", Resuelto},
		{"scj: the coordinator may not answer either", scjAct7, SCJBogota, "olga@mesa.test", "1", "no es el solicitante", Resuelto},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, tc.profile)
			d.cycle("2026-03-17 09:00", req("a", "2026-03-17 08:00", nil))
			d.cycle("2026-03-18 11:00", ans("2026-03-18 10:00", "hugo@mesa.test", "1", "Resuelto", nil))
			before := len(d.cycle("2026-03-18 12:00").Events(1))
			res := d.cycle("2026-03-19 12:00", survey("2026-03-19 11:00", tc.by, "1", tc.rating))
			c := res.Case(1)
			if c.State != tc.state {
				t.Errorf("state %s, want %s (%s)", c.State, tc.state, tc.quote)
			}
			rej := rejections(res.New)
			if tc.reject == "" {
				if len(rej) != 0 || c.Rating == 0 {
					t.Fatalf("rejected %q, rating %d; want the answer applied (%s)", rej, c.Rating, tc.quote)
				}
				return
			}
			if len(rej) != 1 || !strings.Contains(rej[0], tc.reject) {
				t.Fatalf("rejections %q, want one containing %q (%s)", rej, tc.reject, tc.quote)
			}
			if c.Rating != 0 || len(res.Events(1)) != before {
				t.Errorf("a rejected survey changed the case: rating %d, events %d → %d", c.Rating, before, len(res.Events(1)))
			}
			if got := sent(res.Notices); !slices.Contains(got, "rechazo→eva@mesa.test") {
				t.Errorf("the administrator was not told: %v", got)
			}
		})
	}
}

// Item 3: who may document a case.
func TestWhoDocumentsACase(t *testing.T) {
	warranty := []Response{ans("2026-03-17 10:00", "hugo@mesa.test", "1", "En Espera", kv{FWaitReason: "Garantía"})}
	escalation := []Response{ans("2026-03-17 10:00", "hugo@mesa.test", "1", "En Espera", kv{FWaitReason: "Escalamiento"})}
	tests := []struct {
		name    string
		quote   string
		profile Profile
		setup   []Response
		r       Response
		reject  string
		state   State
	}{
		{"the assigned agent documents", funzaPaso5, Funza, nil, ans("2026-03-18 10:00", "hugo@mesa.test", "1", "Resuelto", nil), "", Resuelto},
		{"the administrator does not document an open case", funzaPaso5, Funza, nil, ans("2026-03-18 10:00", "eva@mesa.test", "1", "Resuelto", nil), "solo el agente asignado puede documentarlo", Abierto},
		{"the Garantías officer does not document an open case", funzaPaso5, Funza, nil, ans("2026-03-18 10:00", "gus@mesa.test", "1", "Resuelto", nil), "solo el agente asignado", Abierto},
		{"the Garantías officer records a positive warranty", funzaPaso6, Funza, warranty, ans("2026-03-18 10:00", "gus@mesa.test", "1", "Resuelto", kv{FActivities: "El proveedor cambió el equipo en garantía"}), "", Resuelto},
		{"the administrator records a failed warranty with its concepto técnico", "Funza paso 6: «Si la gestión de garantía no fue exitosa y /o el elemento no quedo operativo se realiza concepto técnico .»", Funza, warranty,
			ans("2026-03-18 10:00", "eva@mesa.test", "1", "No Resuelto", kv{FConcept: "Tarjeta madre sin repuesto"}), "", NoResuelto},
		{"the Garantías officer records only the warranty's outcome", funzaPaso6, Funza, warranty, ans("2026-03-18 10:00", "gus@mesa.test", "1", "En Espera", kv{FWaitReason: "Escalamiento"}), "solo puede registrar el resultado", EnEspera},
		{"another agent does not document a warranty case", funzaPaso6, Funza, warranty, ans("2026-03-18 10:00", "ana@mesa.test", "1", "Resuelto", nil), "solo el agente asignado", EnEspera},
		{"escalation is the assigned agent's", "Funza paso 7: «El Agente asignado realiza el proceso administrativo que corresponda para contactar al proveedor y solicitar apoyo.» (QUIÉN: Agente Asignado)", Funza, escalation,
			ans("2026-03-18 10:00", "eva@mesa.test", "1", "Resuelto", nil), "solo el agente asignado", EnEspera},
		{"scj: the agent documents a warranty case, nobody else", scjAct6, SCJBogota, warranty, ans("2026-03-18 10:00", "eva@mesa.test", "1", "Resuelto", nil), "solo el agente asignado puede documentarlo.", EnEspera},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, tc.profile)
			d.cycle("2026-03-16 08:30", req("a", "2026-03-16 08:00", nil))
			d.cycle("2026-03-17 12:00", tc.setup...)
			res := d.cycle("2026-03-18 12:00", tc.r)
			rej := rejections(res.New)
			switch {
			case tc.reject == "" && len(rej) > 0:
				t.Fatalf("rejected %q (%s)", rej, tc.quote)
			case tc.reject != "" && (len(rej) != 1 || !strings.Contains(rej[0], tc.reject)):
				t.Fatalf("rejections %q, want one containing %q (%s)", rej, tc.reject, tc.quote)
			}
			if c := res.Case(1); c.State != tc.state || c.Agent != "Hugo Sol" {
				t.Errorf("case %s, agent %s; want %s, Hugo Sol", c.State, c.Agent, tc.state)
			}
		})
	}
}

// Item 9: a case is not closed without documenting what was done.
func TestActivitiesRequired(t *testing.T) {
	tests := []struct {
		name    string
		quote   string
		profile Profile
		r       Response
		reject  string
	}{
		{"funza resuelto without activities", funzaPaso5, Funza, ans("2026-03-18 10:00", "hugo@mesa.test", "1", "Resuelto", kv{FActivities: " "}), "escriba en «Actividades realizadas»"},
		{"funza no resuelto without activities", funzaPaso5, Funza, ans("2026-03-18 10:00", "hugo@mesa.test", "1", "No Resuelto", kv{FActivities: "", FConcept: "Disco dañado"}), "Actividades realizadas"},
		{"funza resuelto with activities", funzaPaso5, Funza, ans("2026-03-18 10:00", "hugo@mesa.test", "1", "Resuelto", nil), ""},
		{"funza en espera needs none (the case is not closed)", funzaPaso5, Funza, ans("2026-03-18 10:00", "hugo@mesa.test", "1", "En Espera", kv{FActivities: "", FWaitReason: "Escalamiento"}), ""},
		{"scj resuelto without activities", scjAct6, SCJBogota, ans("2026-03-18 10:00", "hugo@mesa.test", "1", "Resuelto", kv{FActivities: ""}), "Actividades realizadas"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, tc.profile)
			d.cycle("2026-03-16 08:30", req("a", "2026-03-16 08:00", nil))
			res := d.cycle("2026-03-18 12:00", tc.r)
			rej := rejections(res.New)
			if tc.reject == "" {
				if len(rej) > 0 {
					t.Fatalf("rejected %q (%s)", rej, tc.quote)
				}
				return
			}
			if len(rej) != 1 || !strings.Contains(rej[0], tc.reject) || res.Case(1).State != Abierto {
				t.Fatalf("rejections %q, state %s; want one containing %q and the case untouched (%s)", rej, res.Case(1).State, tc.reject, tc.quote)
			}
		})
	}
}

// Item 4: En Espera por disponibilidad del usuario carries the agreed visit
// date, and F-5c fires at the later of 00:00 after the 8th business day and
// 00:00 after the agreed visit day.
func TestAgreedVisitDate(t *testing.T) {
	tests := []struct {
		name     string
		quote    string
		profile  Profile
		visit    string
		reject   string
		deadline string // "" = no F-5c deadline
	}{
		{"funza: the agreed date is required", funzaPaso53, Funza, "", "requiere la «Fecha acordada de nueva visita»", ""},
		{"funza: not earlier than the response", funzaPaso53, Funza, "17/03/2026", "es anterior a la fecha de la respuesta", ""},
		{"funza: the same day is fine; eight business days decide", funzaDef7, Funza, "18/03/2026", "", "2026-04-01 00:00"},
		{"funza: a visit before the 8th business day changes nothing", funzaDef7, Funza, "27/03/2026", "", "2026-04-01 00:00"},
		{"funza: the 8th business day itself changes nothing", funzaDef7, Funza, "31/03/2026", "", "2026-04-01 00:00"},
		{"funza: a later visit day must end first", funzaDef7 + " y " + funzaPaso53, Funza, "06/04/2026", "", "2026-04-07 00:00"},
		{"scj: PD-GT-1 has neither the date nor F-5c", scjAct6, SCJBogota, "", "", ""},
		{"scj: a date given is still checked", scjAct6, SCJBogota, "01/03/2026", "es anterior", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, tc.profile)
			d.cycle("2026-03-18 09:30", req("a", "2026-03-18 09:00", nil))
			res := d.cycle("2026-03-18 12:00", ans("2026-03-18 10:00", "hugo@mesa.test", "1", "En Espera",
				kv{FWaitReason: "Disponibilidad del usuario", FVisitDate: tc.visit}))
			rej := rejections(res.New)
			if tc.reject != "" {
				if len(rej) != 1 || !strings.Contains(rej[0], tc.reject) || res.Case(1).State != Abierto {
					t.Fatalf("rejections %q, state %s; want one containing %q (%s)", rej, res.Case(1).State, tc.reject, tc.quote)
				}
				return
			}
			if len(rej) > 0 {
				t.Fatalf("rejected %q (%s)", rej, tc.quote)
			}
			ev := eventsOf(res.New, KAttended)[0]
			if tc.deadline == "" {
				if ev.Data.Deadline != "" {
					t.Fatalf("deadline %s, want none (%s)", ev.Data.Deadline, tc.quote)
				}
				return
			}
			deadline := at(tc.deadline)
			if ev.Data.Deadline != deadline.Format(time.RFC3339) {
				t.Fatalf("deadline %s, want %s (%s)", ev.Data.Deadline, deadline.Format(time.RFC3339), tc.quote)
			}
			if c := d.cycle(deadline.Add(-time.Second).Format("2006-01-02 15:04:05")).Case(1); c.State != EnEspera {
				t.Fatalf("a second before: %s", c.State)
			}
			c := d.cycle(deadline.Add(50 * time.Hour).Format("2006-01-02 15:04")).Case(1)
			if c.State != Resuelto || !c.StateAt.Equal(deadline) {
				t.Fatalf("%s at %v, want Resuelto at %v", c.State, c.StateAt, deadline)
			}
		})
	}
}

// Item 8: the reassignment criteria as the procedure words them, and only
// to an active person who attends cases.
func TestReassignmentAsWritten(t *testing.T) {
	tests := []struct {
		name    string
		quote   string
		profile Profile
		to      string
		crit    string
		reject  string
		saved   string // the criterion recorded
	}{
		{"criterion 1 as worded", funzaDef14, Funza, "Ana Ruiz", "No puede atender la solicitud por ausencia justificada", "", "Ausencia justificada"},
		{"criterion 1 with its number", funzaDef14, Funza, "Ana Ruiz", "1. No puede atender la solicitud por ausencia justificada.", "", "Ausencia justificada"},
		{"criterion 2 with its number", funzaDef14, Funza, "Ana Ruiz", "2) No cuenta con la competencia", "", "No cuenta con la competencia"},
		{"criterion 3 as worded", funzaDef14, Funza, "Ana Ruiz", "Orden directa del Jefe de la Oficina de Relacionamiento con el Ciudadano", "", "Orden directa del Jefe de la Oficina"},
		{"criterion 3 without accents, loosely typed", funzaDef14, Funza, "Ana Ruiz", "3. orden directa del jefe de la oficina de relacionamiento con el ciudadano", "", "Orden directa del Jefe de la Oficina"},
		{"short option of the form", funzaDef14, Funza, "Ana Ruiz", "Ausencia justificada", "", "Ausencia justificada"},
		{"anything else", funzaDef14, Funza, "Ana Ruiz", "Carga de trabajo", "no es uno de los tres del procedimiento", ""},
		{"not to the Garantías officer", funzaPaso4, Funza, "Gus Lara", "Ausencia justificada", "tiene el rol Garantías y no atiende casos", ""},
		{"not to the Coordinador", funzaPaso4, Funza, "Olga Ríos", "Ausencia justificada", "no atiende casos", ""},
		{"not to an Administrador who serves nothing", funzaPaso4, Funza, "Eva Mora", "Ausencia justificada", "no atiende casos", ""},
		{"to an Administrador who also attends a building", funzaPaso4, Funza, "Nora Gil", "Ausencia justificada", "", "Ausencia justificada"},
		{"not to an inactive agent", funzaPaso4, Funza, "Dora Paz", "Ausencia justificada", "no está activo", ""},
		{"scj: PD-GT-1 names no criteria; the administrator's words are kept", "PD-GT-1 definición ESCALAR: «Traslado de un caso a personal más especializado de acuerdo a la complejidad, previa documentación del mismo.» (no criteria: mesa keeps what the administrator wrote)",
			SCJBogota, "Ana Ruiz", "Requiere especialista de redes", "", "Requiere especialista de redes"},
		{"scj: not to the Coordinador either", "PD-GT-1 políticas de operación: the Coordinador «administrar, coordinar y realizar seguimiento», not attend", SCJBogota, "Olga Ríos", "", "no atiende casos", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, tc.profile)
			d.agents = append(d.agents, Agent{Name: "Nora Gil", Email: "nora@mesa.test", Active: true, Role: RoleAdmin, Buildings: []string{"Edificio D"}})
			d.cycle("2026-03-16 08:30", req("a", "2026-03-16 08:00", nil))
			res := d.cycle("2026-03-16 11:00", reas("2026-03-16 10:00", "eva@mesa.test", "1", tc.to, tc.crit))
			c, rej := res.Case(1), rejections(res.New)
			if tc.reject != "" {
				if len(rej) != 1 || !strings.Contains(rej[0], tc.reject) || c.Agent != "Hugo Sol" || c.Reassignments != 0 {
					t.Fatalf("rejections %q, agent %s; want one containing %q and the case untouched (%s)", rej, c.Agent, tc.reject, tc.quote)
				}
				return
			}
			if len(rej) > 0 || c.Agent != tc.to {
				t.Fatalf("rejected %q, agent %s; want %s (%s)", rej, c.Agent, tc.to, tc.quote)
			}
			ev := eventsOf(res.New, KReassigned)[0]
			if ev.Data.Criterion != tc.saved || ev.Rule != ProcedureOf(tc.profile).Reassign {
				t.Errorf("criterion %q under %s, want %q under %s", ev.Data.Criterion, ev.Rule, tc.saved, ProcedureOf(tc.profile).Reassign)
			}
		})
	}
}

// Item 7: only the procedure's categories are stored; anything else gets
// the Catálogo's category or none, and the note quotes what was answered.
func TestCategoriesOutsideTheProcedure(t *testing.T) {
	tests := []struct {
		name     string
		quote    string
		profile  Profile
		request  kv
		category string
		note     string // part of Observaciones del sistema; "" = no note on the category
	}{
		{"scj: «Queja» is no category: the Catálogo's", scjAct14, SCJBogota, kv{FCategory: "Queja"}, CatIncidente, "La categoría respondida «Queja» no es una de las del procedimiento"},
		{"scj: «Queja» with a service outside the Catálogo: none", scjAct14, SCJBogota, kv{FCategory: "Queja", FService: "Otro"}, "", "queda sin categoría para que el agente la defina"},
		{"scj: plural spelling", scjAct14, SCJBogota, kv{FCategory: "Incidentes"}, CatIncidente, ""},
		{"scj: «Informativo» is the orientation", scjAct14 + "; actividad 5: «Catalogar \"Informativo\"»", SCJBogota, kv{FCategory: "Informativo."}, CatOrientacion, ""},
		{"scj: «Requerimientos»", scjAct14, SCJBogota, kv{FCategory: "requerimientos"}, CatRequerimiento, ""},
		{"funza: incidente and requerimiento are its definitions", "Funza definiciones 10 (Incidente) y 15 (Requerimiento)", Funza, kv{FCategory: "incidente"}, CatIncidente, ""},
		{"funza: «Queja» is no category: the Catálogo's", "Funza definiciones 10 y 15 (Funza has no other category)", Funza, kv{FCategory: "Queja"}, CatIncidente, "«Queja»"},
		{"funza: orientation is not a Funza category", "Funza definiciones 10 y 15", Funza, kv{FCategory: "Orientación", FService: "Consulta"}, "", "queda sin categoría"},
		{"funza: a blank answer stays blank (Funza has no «Definir categoría»)", "Funza pasos 2 y 3 (no category step)", Funza, kv{FCategory: ""}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, tc.profile)
			res := d.cycle("2026-03-17 09:00", req("a", "2026-03-17 08:00", tc.request))
			c := res.Case(1)
			if c.Category != tc.category {
				t.Errorf("category %q, want %q (%s)", c.Category, tc.category, tc.quote)
			}
			if tc.note != "" && !strings.Contains(c.Note, tc.note) {
				t.Errorf("note %q lacks %q", c.Note, tc.note)
			}
			if tc.note == "" && strings.Contains(c.Note, "categoría") {
				t.Errorf("unexpected category note %q", c.Note)
			}
			if len(rejections(res.New)) != 0 {
				t.Error("a category answer rejected the request (DESIGN.md §5: it never does)")
			}
		})
	}
}

// Item 5: a locativo requirement in a rented location waits for the
// Dirección Técnica, its service-level clock stopped.
func TestLocativoEnArriendoWaits(t *testing.T) {
	d := newDesk(t, SCJBogota)
	res := d.cycle("2026-03-17 09:00", req("a", "2026-03-17 08:00", kv{FService: "Requerimiento locativo", FLocation: "En arriendo"}),
		req("b", "2026-03-17 08:05", kv{FService: "Requerimiento locativo", FLocation: "Propia"}))
	c := res.Case(1)
	if c.State != EnEspera || c.WaitReason != WaitTechnical || !c.Due.IsZero() {
		t.Fatalf("en arriendo: %s (%s), due %v; want En Espera for the Dirección Técnica with the clock stopped (%s)", c.State, c.WaitReason, c.Due, scjAct13)
	}
	if ev := eventsOf(res.New, KAwaiting); len(ev) != 1 || ev[0].Rule != SL || !ev[0].At.Equal(at("2026-03-17 08:00")) {
		t.Fatalf("waiting events %+v", ev)
	}
	if got := sent(res.Notices); !slices.Contains(got, "en_espera→usuario@mesa.test") {
		t.Errorf("the requester was not told the request waits: %v", got)
	}
	if c := res.Case(2); c.State != Abierto || c.Due.IsZero() {
		t.Fatalf("locación propia: %s, due %v; want Abierto with its clock running (PD-GT-1 actividad 12)", c.State, c.Due)
	}
	// Weeks later the answer arrives and the agent closes the case
	// ("se procede a cerrar caso adjuntando como evidencia el correo"): the
	// weeks of waiting do not count against the service level.
	res = d.cycle("2026-04-20 12:00", ans("2026-04-20 10:00", "luis@mesa.test", "1", "Resuelto", kv{FActivities: "Respuesta de la Dirección Técnica adjunta"}))
	if c := res.Case(1); c.State != Resuelto || c.Overdue {
		t.Fatalf("after the answer: %s, overdue %v; want Resuelto within the ANS", c.State, c.Overdue)
	}
}

// Item 2: each profile applies only its own procedure's rules.
func TestEachProfileItsOwnRules(t *testing.T) {
	tests := []struct {
		rule    Rule
		funza   bool
		scj     bool
		comment string
	}{
		{F5c, true, false, "Funza definición 7; PD-GT-1 has no eight-business-day rule"},
		{F8, true, false, "Funza paso 8 weekly sample; PD-GT-1 surveys at closure (S-7)"},
		{S7, false, true, "PD-GT-1 actividad 7"},
		{F6, true, false, "Funza paso 6 (trámite de garantía)"},
		{SE, false, true, "PD-GT-1 nivel cuatro"},
		{S8, false, true, "PD-GT-1 actividad 8"},
		{SP, false, true, "PD-GT-1 definición de Problema"},
		{FR, true, false, "Funza condición de operación 5"},
		{SV, false, true, "PD-GT-1 políticas de operación"},
		{FI, true, true, "both adopt a hand-kept workbook"},
	}
	for _, tc := range tests {
		if got := ProcedureOf(Funza).Has(tc.rule); got != tc.funza {
			t.Errorf("funza has %s = %v, want %v (%s)", tc.rule, got, tc.funza, tc.comment)
		}
		if got := ProcedureOf(SCJBogota).Has(tc.rule); got != tc.scj {
			t.Errorf("scj-bogota has %s = %v, want %v (%s)", tc.rule, got, tc.scj, tc.comment)
		}
	}
	// Every decision of a profile is recorded under one of its rules, and
	// explain names that profile's document and step.
	for _, p := range []Profile{Funza, SCJBogota} {
		proc := ProcedureOf(p)
		for seed := range uint64(5) {
			res := fold(t, p, nil, scenarioFor(seed, p), at("2026-04-30 12:00"))
			for _, e := range res.New {
				if !proc.Has(e.Rule) {
					t.Fatalf("%s: event %s under %s, which is not in its procedure", p, e.Kind, e.Rule)
				}
			}
		}
	}
}

func scenarioFor(seed uint64, p Profile) []Response {
	return scenario(rand.New(rand.NewPCG(seed, 4)), p)
}

// The Garantías officer's trámite is Funza paso 6; PD-GT-1 has no such
// officer, so in scj-bogota a warranty wait tells only the requester.
func TestWarrantyNoticeOnlyWhereThereIsATramite(t *testing.T) {
	for _, tc := range []struct {
		profile Profile
		want    []string
	}{
		{Funza, []string{"en_espera→usuario@mesa.test", "garantia→gus@mesa.test"}},
		{SCJBogota, []string{"en_espera→usuario@mesa.test"}},
	} {
		d := newDesk(t, tc.profile)
		d.cycle("2026-03-16 08:30", req("a", "2026-03-16 08:00", nil))
		res := d.cycle("2026-03-17 12:00", ans("2026-03-17 10:00", "hugo@mesa.test", "1", "En Espera", kv{FWaitReason: "Garantía"}))
		if got := sent(res.Notices); !slices.Equal(got, tc.want) {
			t.Errorf("%s: notices %v, want %v", tc.profile, got, tc.want)
		}
	}
}
