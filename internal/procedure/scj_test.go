package procedure_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	. "github.com/funza-tic/mesa/internal/procedure"
)

// scjSolved registers case 1 (Hugo) and resolves it on Wed 18 March 2026
// 10:00: the survey is open Thu 19, Fri 20 and Tue 24 (Mon 23 is a holiday).
func scjSolved(t *testing.T) *desk {
	t.Helper()
	d := newDesk(t, SCJBogota)
	d.cycle("2026-03-17 09:00", req("a", "2026-03-17 08:00", nil))
	d.cycle("2026-03-18 11:00", ans("2026-03-18 10:00", "hugo@mesa.test", "1", "Resuelto", nil))
	return d
}

// PD-GT-1 actividades 10 and 11: the ticket is registered and told.
func TestSCJRegistration(t *testing.T) {
	tests := []struct {
		name     string
		request  kv
		category string
	}{
		{"category from the answer", kv{FCategory: "Incidente"}, CatIncidente},
		{"orientation spelled as the procedure does", kv{FCategory: "Informativo"}, CatOrientacion},
		{"orientation without accent", kv{FCategory: "orientacion"}, CatOrientacion},
		{"category from the Catálogo", kv{FService: "Instalación de software"}, CatRequerimiento},
		{"catalogue category canonicalized", kv{FService: "Consulta"}, CatOrientacion},
		{"answer wins over the Catálogo", kv{FService: "Soporte", FCategory: "Requerimiento"}, CatRequerimiento},
		{"unknown service and no answer: blank for the agent", kv{FService: "Otro"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, SCJBogota)
			res := d.cycle("2026-03-17 09:00", req("a", "2026-03-17 08:00", tc.request))
			c := res.Case(1)
			if c.Category != tc.category {
				t.Errorf("category %q, want %q", c.Category, tc.category)
			}
			if ev := eventsOf(res.New, KRegistered); ev[0].Rule != S1 {
				t.Errorf("registered under %s", ev[0].Rule)
			}
			if ev := eventsOf(res.New, KAssigned); ev[0].Rule != S14 {
				t.Errorf("assigned under %s", ev[0].Rule)
			}
			if got := sent(res.Notices); !slices.Contains(got, "acuse→usuario@mesa.test") {
				t.Errorf("no acknowledgement: %v", got)
			}
		})
	}
}

// PD-GT-1 actividad 7 and políticas de operación: the survey at closure,
// open three business days, one reminder, then closed as satisfactory.
func TestSCJSurveyWindow(t *testing.T) {
	d := scjSolved(t)
	inv := eventsOf(d.journal, KInvited)
	if len(inv) != 1 || inv[0].Rule != S7 || inv[0].Data.Deadline != at("2026-03-25").Format(time.RFC3339) ||
		inv[0].Data.Reminder != at("2026-03-24").Format(time.RFC3339) {
		t.Fatalf("invitation %+v", inv)
	}
	if got := sent(d.notices); !slices.Contains(got, "encuesta→usuario@mesa.test") || !slices.Contains(got, "resuelto→usuario@mesa.test") {
		t.Fatalf("notices %v", got)
	}
	if ev := eventsOf(d.journal, KAttended); ev[0].Rule != S6 {
		t.Errorf("attended under %s, want S-6", ev[0].Rule)
	}
	if res := d.cycle("2026-03-23 23:59"); len(res.New) != 0 {
		t.Fatalf("early: %v", kinds(res.New))
	}
	res := d.cycle("2026-03-24 08:00")
	if got := kinds(res.New); !slices.Equal(got, []Kind{KReminded}) || !res.New[0].At.Equal(at("2026-03-24")) {
		t.Fatalf("reminder events %v", res.New)
	}
	if got := sent(res.Notices); !slices.Equal(got, []string{"encuesta_recordatorio→usuario@mesa.test"}) {
		t.Fatalf("reminder notices %v", got)
	}
	res = d.cycle("2026-03-26 15:00")
	c := res.Case(1)
	if got := kinds(res.New); !slices.Equal(got, []Kind{KSurveyClose}) || c.State != Cerrado || !c.AutoSatisfied || !c.StateAt.Equal(at("2026-03-25")) {
		t.Fatalf("close: %v, %s auto=%v at %v", got, c.State, c.AutoSatisfied, c.StateAt)
	}
	if !c.Solved.Equal(at("2026-03-18 10:00")) {
		t.Errorf("closing moved the resolution date to %v", c.Solved)
	}
	rej := rejections(d.cycle("2026-03-27 09:00", enc("2026-03-27 08:00", "1", "2")).New)
	if len(rej) != 1 || !strings.Contains(rej[0], "ya cerró el 25/03/2026") {
		t.Fatalf("late survey: %q", rej)
	}
}

// One cycle that runs after the whole window fires the reminder and the
// closing in order, each at its own instant.
func TestSCJSurveyWindowInOneCycle(t *testing.T) {
	d := scjSolved(t)
	res := d.cycle("2026-04-10 12:00")
	if got := kinds(res.New); !slices.Equal(got, []Kind{KReminded, KSurveyClose}) {
		t.Fatalf("events %v", got)
	}
}

func TestSCJSurveyAnswered(t *testing.T) {
	t.Run("satisfied closes the case", func(t *testing.T) {
		d := scjSolved(t)
		res := d.cycle("2026-03-19 12:00", enc("2026-03-19 11:00", "1", "5"))
		if c := res.Case(1); c.State != Cerrado || c.AutoSatisfied || c.Rating != 5 {
			t.Fatalf("%s auto=%v rating=%d", c.State, c.AutoSatisfied, c.Rating)
		}
		if res := d.cycle("2026-04-10"); len(res.New) != 0 {
			t.Fatalf("timers still ran: %v", kinds(res.New))
		}
	})
	t.Run("unsatisfied goes to the Coordinador and stops the timers", func(t *testing.T) {
		d := scjSolved(t)
		res := d.cycle("2026-03-19 12:00", enc("2026-03-19 11:00", "1", "2"))
		if got := sent(res.Notices); !slices.Equal(got, []string{"insatisfecho→olga@mesa.test"}) {
			t.Fatalf("notices %v", got)
		}
		if ev := eventsOf(res.New, KSurveyed); ev[0].Rule != S7 {
			t.Errorf("rule %s", ev[0].Rule)
		}
		if res := d.cycle("2026-04-10"); len(res.New) != 0 || res.Case(1).State != Resuelto {
			t.Fatalf("after: %v %s", kinds(res.New), res.Case(1).State)
		}
	})
	t.Run("no survey for a case closed without service", func(t *testing.T) {
		d := newDesk(t, SCJBogota)
		d.cycle("2026-03-17 09:00", req("a", "2026-03-17 08:00", nil))
		d.cycle("2026-03-18 11:00", ans("2026-03-18 10:00", "hugo@mesa.test", "1", "No procedente", kv{FActivities: "No es un servicio de TI"}))
		rej := rejections(d.cycle("2026-03-19 12:00", enc("2026-03-19 11:00", "1", "5")).New)
		if len(rej) != 1 || !strings.Contains(rej[0], "no tiene encuesta") {
			t.Fatalf("rejections %q", rej)
		}
	})
}

// PD-GT-1 actividades 21 to 25: the Coordinador reopens or justifies.
func TestSCJReview(t *testing.T) {
	tests := []struct {
		name    string
		survey  string // rating answered before the review; "" = none
		r       Response
		reject  string
		state   State
		notices []string
	}{
		{"reopen", "1", rev("2026-03-20 09:00", "olga@mesa.test", "1", "Reabrir"), "", Reabierto, []string{"reapertura_usuario→usuario@mesa.test", "reapertura→hugo@mesa.test"}},
		{"justify", "2", rev("2026-03-20 09:00", "olga@mesa.test", "1", "justificar"), "", Cerrado, []string{"justificacion→usuario@mesa.test"}},
		{"not the coordinator", "1", rev("2026-03-20 09:00", "eva@mesa.test", "1", "Reabrir"), "Solo el Coordinador", "", nil},
		{"bad decision", "1", rev("2026-03-20 09:00", "olga@mesa.test", "1", "Archivar"), "«Archivar» no es válida", "", nil},
		{"no unsatisfactory survey", "", rev("2026-03-20 09:00", "olga@mesa.test", "1", "Reabrir"), "no tiene una encuesta no satisfactoria", "", nil},
		{"satisfied survey", "5", rev("2026-03-20 09:00", "olga@mesa.test", "1", "Reabrir"), "no tiene una encuesta no satisfactoria", "", nil},
		{"unknown case", "1", rev("2026-03-20 09:00", "olga@mesa.test", "9", "Reabrir"), "no existe", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := scjSolved(t)
			if tc.survey != "" {
				d.cycle("2026-03-19 12:00", enc("2026-03-19 11:00", "1", tc.survey))
			}
			before := d.cycle("2026-03-19 12:00").Case(1).State
			res := d.cycle("2026-03-20 10:00", tc.r)
			c := res.Case(1)
			rej := rejections(res.New)
			if tc.reject != "" {
				if len(rej) != 1 || !strings.Contains(rej[0], tc.reject) {
					t.Fatalf("rejections %q, want %q", rej, tc.reject)
				}
				if c.State != before {
					t.Errorf("state moved from %s to %s", before, c.State)
				}
				return
			}
			if c.State != tc.state {
				t.Fatalf("state %s, want %s", c.State, tc.state)
			}
			if got := sent(res.Notices); !slices.Equal(got, tc.notices) {
				t.Errorf("notices %v, want %v", got, tc.notices)
			}
		})
	}
}

// A reopened case is worked again and gets a new survey.
func TestSCJReopenedCaseIsWorkedAgain(t *testing.T) {
	d := scjSolved(t)
	d.cycle("2026-03-19 12:00", enc("2026-03-19 11:00", "1", "1"))
	d.cycle("2026-03-20 10:00", rev("2026-03-20 09:00", "olga@mesa.test", "1", "Reabrir"))
	res := d.cycle("2026-03-20 12:00", enc("2026-03-20 11:00", "1", "5"))
	if rej := rejections(res.New); len(rej) != 1 || !strings.Contains(rej[0], "aún no ha sido atendido") {
		t.Fatalf("survey on a reopened case: %q", rej)
	}
	res = d.cycle("2026-03-24 12:00", ans("2026-03-24 11:00", "hugo@mesa.test", "1", "Resuelto", kv{FActivities: "Cambio de disco"}))
	c := res.Case(1)
	if c.State != Resuelto || c.Reopened != 1 || c.Rating != 0 || !c.Invited {
		t.Fatalf("%s reopened=%d rating=%d invited=%v", c.State, c.Reopened, c.Rating, c.Invited)
	}
	if inv := eventsOf(d.journal, KInvited); len(inv) != 2 {
		t.Fatalf("%d invitations, want a second one", len(inv))
	}
	if c := d.cycle("2026-03-25 12:00", enc("2026-03-25 11:00", "1", "4")).Case(1); c.State != Cerrado || c.Rating != 4 {
		t.Fatalf("%s %d", c.State, c.Rating)
	}
}

// PD-GT-1 decisions «¿Información insuficiente?» and «¿La solicitud es
// procedente?»: close with the reason and tell the requester.
func TestSCJClosedWithoutService(t *testing.T) {
	tests := []struct {
		name   string
		state  string
		reason string
		want   State
		rule   Rule
		reject string
	}{
		{"información insuficiente", "Información insuficiente", "El usuario no envió la evidencia solicitada", InfoInsuficiente, S8, ""},
		{"typed without accent", "informacion insuficiente", "Sin datos del equipo", InfoInsuficiente, S8, ""},
		{"no procedente", "No procedente", "La solicitud corresponde a otra entidad", NoProcedente, S9, ""},
		{"reason required", "No procedente", " ", "", "", "escriba en «Actividades realizadas» el motivo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, SCJBogota)
			d.cycle("2026-03-17 09:00", req("a", "2026-03-17 08:00", nil))
			res := d.cycle("2026-03-18 11:00", ans("2026-03-18 10:00", "hugo@mesa.test", "1", tc.state, kv{FActivities: tc.reason}))
			if tc.reject != "" {
				if rej := rejections(res.New); len(rej) != 1 || !strings.Contains(rej[0], tc.reject) {
					t.Fatalf("rejections %q", rej)
				}
				return
			}
			c := res.Case(1)
			if c.State != tc.want || !c.State.Closed() || c.Activities != tc.reason || c.Solved.IsZero() || c.Invited {
				t.Fatalf("case %s activities %q solved %v invited %v", c.State, c.Activities, c.Solved, c.Invited)
			}
			if ev := eventsOf(res.New, KAttended); ev[0].Rule != tc.rule {
				t.Errorf("rule %s, want %s", ev[0].Rule, tc.rule)
			}
			if got := sent(res.Notices); !slices.Equal(got, []string{NCerradoSinAtencion + "→usuario@mesa.test"}) {
				t.Errorf("notices %v", got)
			}
			if rej := rejections(d.cycle("2026-03-19 11:00", ans("2026-03-19 10:00", "hugo@mesa.test", "1", "Resuelto", nil)).New); len(rej) != 1 {
				t.Errorf("a closed case took a response")
			}
		})
	}
}

// PD-GT-1 locativo decisions: routed by Servicios to the area's agent, with
// where it is escalated.
func TestSCJLocativo(t *testing.T) {
	tests := []struct {
		name     string
		request  kv
		agent    string
		location string
		note     string
	}{
		{"locación propia", kv{FService: "Requerimiento locativo", FLocation: "Locación propia"}, "Luis Vega", LocPropia, "Recursos Físicos"},
		{"en arriendo", kv{FService: "requerimiento locativo", FLocation: "En arriendo"}, "Luis Vega", LocArriendo, "Dirección Técnica"},
		{"arrendada", kv{FService: "Requerimiento locativo", FLocation: "Sede arrendada"}, "Luis Vega", LocArriendo, "Dirección Técnica"},
		{"not said", kv{FService: "Requerimiento locativo"}, "Luis Vega", "", "el agente lo determina"},
		{"nobody serves plain Locativo", kv{FService: "Locativo", FLocation: "Propia"}, Unassigned, LocPropia, "Recursos Físicos"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, SCJBogota)
			res := d.cycle("2026-03-17 09:00", req("a", "2026-03-17 08:00", tc.request))
			c := res.Case(1)
			if c.Agent != tc.agent || c.Location != tc.location || !strings.Contains(c.Note, tc.note) {
				t.Fatalf("agent %s location %q note %q", c.Agent, c.Location, c.Note)
			}
			if ev := eventsOf(res.New, KAssigned); ev[0].Rule != SL {
				t.Errorf("rule %s", ev[0].Rule)
			}
		})
	}
	t.Run("funza keeps its rules", func(t *testing.T) {
		d := newDesk(t, Funza)
		c := d.cycle("2026-03-17 09:00", req("a", "2026-03-17 08:00", kv{FService: "Requerimiento locativo", FLocation: "Propia"})).Case(1)
		if c.Agent != "Hugo Sol" || c.Location != "" {
			t.Fatalf("agent %s location %q", c.Agent, c.Location)
		}
	})
}

// PD-GT-1 definición de Problema: twenty reports of a category and service
// within the window make one Problema.
func TestSCJProblem(t *testing.T) {
	many := func(n int, from string, gap time.Duration, a kv) []Response {
		var rs []Response
		for i := range n {
			when := at(from).Add(time.Duration(i) * gap).Format("2006-01-02 15:04")
			rs = append(rs, req(fmt.Sprintf("p%s-%03d", from[:10], i), when, a))
		}
		return rs
	}
	redes := kv{FService: "Redes", FCategory: "Incidente"}
	t.Run("nineteen are not a problem", func(t *testing.T) {
		d := newDesk(t, SCJBogota)
		if res := d.cycle("2026-03-31", many(19, "2026-03-02 08:00", 24*time.Hour, redes)...); len(res.Problems()) != 0 {
			t.Fatal("problem with 19 reports")
		}
	})
	t.Run("the twentieth makes one, once per window", func(t *testing.T) {
		d := newDesk(t, SCJBogota)
		res := d.cycle("2026-03-31", many(25, "2026-03-02 08:00", 24*time.Hour, redes)...)
		ps := res.Problems()
		if len(ps) != 1 || ps[0].Rule != SP || len(ps[0].Data.Cases) != 20 || !ps[0].At.Equal(at("2026-03-21 08:00")) {
			t.Fatalf("problems %+v", ps)
		}
		if ps[0].Data.Until != at("2026-04-01 08:00").Format(time.RFC3339) {
			t.Errorf("window until %s", ps[0].Data.Until)
		}
		// Issue 13 item 11: PD-GT-1 says «reportado como mínimo 20 veces»
		// and sets no window; explain of every case of the Problema says the
		// window is mesa's design choice, and why.
		for _, n := range []int{1, 20} {
			out, _ := Explain(res.Book, n, bogota)
			for _, want := range []string{"[S-P · PD-GT-1 definición de Problema]", "Ventana de conteo hasta el 01/04/2026 08:00",
				"«reportado como mínimo 20 veces» sin fijar un periodo", "Es una decisión de diseño, no del procedimiento."} {
				if !strings.Contains(out, want) {
					t.Errorf("explain %d lacks %q:\n%s", n, want, out)
				}
			}
		}
		if out, _ := Explain(res.Book, 21, bogota); strings.Contains(out, "S-P") {
			t.Errorf("explain 21 (after the Problema) cites it:\n%s", out)
		}
		// After the window, twenty new reports make a second one.
		res = d.cycle("2026-05-30", many(20, "2026-04-02 08:00", time.Hour, redes)...)
		if len(res.Problems()) != 2 {
			t.Fatalf("%d problems, want 2", len(res.Problems()))
		}
	})
	t.Run("reports spread wider than the window are not", func(t *testing.T) {
		d := newDesk(t, SCJBogota)
		if res := d.cycle("2026-06-30", many(25, "2026-03-02 08:00", 48*time.Hour, redes)...); len(res.Problems()) != 0 {
			t.Fatalf("problems %+v", res.Problems())
		}
	})
	t.Run("other services and categories count apart", func(t *testing.T) {
		d := newDesk(t, SCJBogota)
		rs := append(many(10, "2026-03-02 08:00", time.Hour, redes), many(10, "2026-03-03 08:00", time.Hour, kv{FService: "Soporte", FCategory: "Incidente"})...)
		rs = append(rs, many(10, "2026-03-04 08:00", time.Hour, kv{FService: "Redes", FCategory: "Requerimiento"})...)
		if res := d.cycle("2026-03-31", rs...); len(res.Problems()) != 0 {
			t.Fatalf("problems %+v", res.Problems())
		}
	})
	t.Run("funza has no problems", func(t *testing.T) {
		d := newDesk(t, Funza)
		if res := d.cycle("2026-03-31", many(25, "2026-03-02 08:00", time.Hour, redes)...); len(res.Problems()) != 0 {
			t.Fatal("funza problem")
		}
	})
}

// PD-GT-1 has no eight-business-day rule: in scj-bogota a case En Espera
// por disponibilidad del usuario waits for the agent, its clock stopped,
// however long it takes.
func TestSCJHasNoEightDayRule(t *testing.T) {
	d := waitFrom(t, SCJBogota, "2026-03-18 10:00")
	if ev := eventsOf(d.journal, KAttended); len(ev) != 1 || ev[0].Data.Deadline != "" {
		t.Fatalf("attended %+v, want no F-5c deadline", ev)
	}
	res := d.cycle("2026-06-01 08:00")
	if c := res.Case(1); c.State != EnEspera || len(res.New) != 0 || !c.Due.IsZero() {
		t.Fatalf("months later: %s, new %v, due %v; want En Espera, nothing, clock stopped", c.State, kinds(res.New), c.Due)
	}
	if got := ProcedureOf(SCJBogota).Has(F5c); got {
		t.Error("the scj-bogota procedure has F-5c")
	}
}
