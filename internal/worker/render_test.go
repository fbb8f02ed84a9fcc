package worker_test

import (
	"context"
	"strings"
	"testing"

	"github.com/funza-tic/mesa/internal/procedure"
)

// scjEnv is a worker with the scj-bogota profile: an agent, an
// administrator and the Coordinador de Mesa de Servicio.
func scjEnv(t *testing.T) *env {
	e := newEnv(t)
	e.w.Config.Settings = procedure.DefaultSettings(procedure.SCJBogota)
	e.w.Config.Office.Name = "Secretaría Distrital de Seguridad, Convivencia y Justicia"
	e.w.Config.Office.SurveyURL = "https://forms.gle/encuesta?caso={caso}"
	rows := [][]string{
		{"Nombre", "Correo", "Activo", "Rol", "Edificios", "Servicios"},
		{"Hugo Salas", "hugo.salas@scj.gov.co", "Sí", "Agente", "Palacio Municipal", ""},
		{"Sandra Rosas", "sandra.rosas@scj.gov.co", "Sí", "Administrador", "", ""},
		{"Olga Rincón", "olga.rincon@scj.gov.co", "Sí", "Coordinador", "", ""},
	}
	if err := e.ws.Sheets.Replace(context.Background(), "Agentes", rows); err != nil {
		t.Fatal(err)
	}
	e.sheet("Catálogo", "sheets/catalogo.csv")
	return e
}

// mailOf returns the text of the one mail of kind to the address, failing
// the test when there is none or several.
func (e *env) mailOf(kind, to string) (subject, text string) {
	e.t.Helper()
	var found []sentMail
	for _, m := range e.sent() {
		if m.Kind == kind && m.To == to {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		var all []string
		for _, m := range e.sent() {
			all = append(all, m.Kind+"→"+m.To)
		}
		e.t.Fatalf("%d mails %s to %s, want 1 (sent: %v)", len(found), kind, to, all)
	}
	return found[0].Subject, parts(e.t, found[0].Msg)["text/plain"]
}

// PD-GT-1 actividades 9 and 15: a request closed as No procedente tells the
// requester so, with the agent's reason, and not as No Resuelto.
func TestSCJClosedNoProcedenteMail(t *testing.T) {
	for _, tc := range []struct{ state, subject, says string }{
		{"No procedente", "solicitud no procedente", "se cerró en estado No procedente"},
		{"Información insuficiente", "cerrado por información insuficiente", "se cerró en estado Información insuficiente"},
	} {
		t.Run(tc.state, func(t *testing.T) {
			e := scjEnv(t)
			const ana, hugo = "ana.torres@scj.gov.co", "hugo.salas@scj.gov.co"
			e.request(ana, "Ana Torres", "Necesito un computador nuevo para mi casa", bogota("2026-03-16 08:00"))
			e.cycle(bogota("2026-03-16 09:00"))
			if got := e.casos()["1"].Get("Agente asignado"); got != "Hugo Salas" {
				t.Fatalf("assigned to %q", got)
			}
			const reason = "La Mesa de Servicio no entrega equipos para uso personal: radique la solicitud con el formato de la Dirección Administrativa."
			e.answer(procedure.Respuestas, hugo, bogota("2026-03-16 10:00"), map[procedure.Field]string{
				procedure.FCase: "1", procedure.FState: tc.state, procedure.FActivities: reason})
			e.cycle(bogota("2026-03-16 11:00"))
			if got := e.casos()["1"].Get("Estado"); got != tc.state {
				t.Fatalf("Estado = %q, want %s", got, tc.state)
			}

			subject, text := e.mailOf("cierre_sin_tramite", ana)
			if !strings.Contains(subject, "Caso 1") || !strings.Contains(subject, tc.subject) {
				t.Errorf("subject %q", subject)
			}
			for _, w := range []string{tc.says, reason, "Hugo Salas", "nueva solicitud"} {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q:\n%s", w, text)
				}
			}
			if strings.Contains(text, "No Resuelto") {
				t.Errorf("text speaks of No Resuelto:\n%s", text)
			}
			for _, m := range e.sent() {
				if m.Kind == "no_resuelto" || m.Kind == "encuesta" {
					t.Errorf("also sent %s to %s", m.Kind, m.To)
				}
			}
		})
	}
}

// PD-GT-1 actividad 7 and actividades 21 to 25, end to end: the survey
// reminder says the last day, the Coordinador's Reabrir reaches the agent
// with the observations and the survey, and Justificar reaches the
// requester with the explanation.
func TestSCJSurveyReminderAndReview(t *testing.T) {
	e := scjEnv(t)
	const ana, luis, hugo, olga = "ana.torres@scj.gov.co", "luis.mora@scj.gov.co", "hugo.salas@scj.gov.co", "olga.rincon@scj.gov.co"
	e.request(ana, "Ana Torres", "La impresora no imprime", bogota("2026-03-16 08:00"))
	e.request(luis, "Luis Mora", "No abre el correo", bogota("2026-03-16 08:05"))
	e.cycle(bogota("2026-03-16 09:00"))
	for _, n := range []string{"1", "2"} {
		e.answer(procedure.Respuestas, hugo, bogota("2026-03-16 10:00"), map[procedure.Field]string{
			procedure.FCase: n, procedure.FState: "Resuelto", procedure.FActivities: "Se reinstaló el controlador"})
	}
	e.cycle(bogota("2026-03-16 11:00"))
	// Closed on Monday 16: open three business days, Tuesday 17 to
	// Thursday 19, closing at 00:00 of Friday 20; the reminder goes out at
	// 00:00 of the last day.
	e.cycle(bogota("2026-03-19 07:00"))
	_, text := e.mailOf("encuesta_recordatorio", ana)
	if !strings.Contains(text, "estará abierta hasta el jueves 19 de marzo de 2026") {
		t.Errorf("reminder does not give the last day:\n%s", text)
	}

	for n, who := range map[string]string{"1": ana, "2": luis} {
		e.answer(procedure.Encuestas, who, bogota("2026-03-19 08:00"), map[procedure.Field]string{
			procedure.FCase: n, procedure.FRating: "2", procedure.FSolved: "No", procedure.FComments: "Volvió a fallar al día siguiente"})
	}
	e.cycle(bogota("2026-03-19 09:00"))
	e.answer(procedure.Revisiones, olga, bogota("2026-03-19 10:00"), map[procedure.Field]string{
		procedure.FCase: "1", procedure.FDecision: "Reabrir", procedure.FObservations: "Verifique la impresión de prueba antes de cerrar."})
	e.answer(procedure.Revisiones, olga, bogota("2026-03-19 10:05"), map[procedure.Field]string{
		procedure.FCase: "2", procedure.FDecision: "Justificar", procedure.FObservations: "El fallo posterior fue por un cambio de contraseña, no por la solución dada."})
	e.cycle(bogota("2026-03-19 11:00"))

	subject, text := e.mailOf("reapertura", hugo)
	if !strings.Contains(subject, "Caso 1 reabierto") {
		t.Errorf("reapertura subject %q", subject)
	}
	for _, w := range []string{"Verifique la impresión de prueba antes de cerrar.", "2 de 5", "Volvió a fallar al día siguiente", "La impresora no imprime"} {
		if !strings.Contains(text, w) {
			t.Errorf("reapertura lacks %q:\n%s", w, text)
		}
	}
	if _, text := e.mailOf("reapertura_usuario", ana); strings.Contains(text, "Verifique la impresión") {
		t.Errorf("the requester got the feedback meant for the agent:\n%s", text)
	}
	_, text = e.mailOf("justificacion", luis)
	for _, w := range []string{"El fallo posterior fue por un cambio de contraseña", "Caso 2", "Se reinstaló el controlador"} {
		if !strings.Contains(text, w) {
			t.Errorf("justificacion lacks %q:\n%s", w, text)
		}
	}
	e.mailOf("resuelto", luis) // only the resolution's: Justificar sends its own kind
	for _, m := range e.sent() {
		if m.Kind == "reasignacion_entrante" {
			t.Errorf("review sent %s to %s", m.Kind, m.To)
		}
	}
}
