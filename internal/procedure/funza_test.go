package procedure_test

import (
	"slices"
	"strings"
	"testing"

	. "github.com/funza-tic/mesa/internal/procedure"
)

// F-2: consecutive, gap-free numbers in order of submission; a rejected
// request consumes none; NumberingStart continues a hand-kept workbook.
func TestNumbering(t *testing.T) {
	tests := []struct {
		name  string
		start int
		rs    []Response
		want  map[string]int // response ID -> case number (0: rejected)
	}{
		{"consecutive from one", 1, []Response{req("a", "2026-03-16 08:00", nil), req("b", "2026-03-16 08:05", nil)},
			map[string]int{"a": 1, "b": 2}},
		{"rejected requests consume no number", 1, []Response{
			req("a", "2026-03-16 08:00", nil),
			req("no-mail", "2026-03-16 08:01", kv{FEmail: "no es correo"}),
			req("no-desc", "2026-03-16 08:02", kv{FDescription: "  "}),
			req("b", "2026-03-16 08:03", nil)},
			map[string]int{"a": 1, "no-mail": 0, "no-desc": 0, "b": 2}},
		{"order of submission, not of listing", 1, []Response{req("late", "2026-03-16 09:00", nil), req("early", "2026-03-16 08:00", nil)},
			map[string]int{"early": 1, "late": 2}},
		{"equal timestamps go by response ID", 1, []Response{req("z", "2026-03-16 08:00", nil), req("m", "2026-03-16 08:00", nil)},
			map[string]int{"m": 1, "z": 2}},
		{"numbering.start continues a hand-kept workbook", 1024, []Response{req("a", "2026-03-16 08:00", nil), req("b", "2026-03-16 08:05", nil)},
			map[string]int{"a": 1024, "b": 1025}},
		{"respondent e-mail stands in for a blank answer", 1, []Response{
			{Form: Solicitudes, ID: "a", Submitted: at("2026-03-16 08:00"), Email: "x@mesa.test", Answers: kv{FDescription: "Impresora"}}},
			map[string]int{"a": 1}},
		{"the same response listed twice is one case", 1, []Response{req("a", "2026-03-16 08:00", nil), req("a", "2026-03-16 08:00", nil), req("b", "2026-03-16 08:01", nil)},
			map[string]int{"a": 1, "b": 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, Funza)
			d.eng.Set.NumberingStart = tc.start
			res := d.cycle("2026-03-16 12:00", tc.rs...)
			got := map[string]int{}
			for _, e := range res.New {
				switch e.Kind {
				case KRegistered:
					got[e.Response] = e.Case
					if e.Rule != F2 {
						t.Errorf("case %d registered under %s, want F-2", e.Case, e.Rule)
					}
				case KRejected:
					got[e.Response] = 0
				}
			}
			if !mapsEqual(got, tc.want) {
				t.Errorf("numbers = %v, want %v", got, tc.want)
			}
		})
	}
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// A later cycle continues the numbering of the journal, also after a case
// adopted from the hand-kept workbook, and never reuses a number.
func TestNumberingContinuesJournal(t *testing.T) {
	d := newDesk(t, Funza)
	d.journal = []Event{{ID: "imp-1", At: at("2026-01-10 09:00"), Case: 700, Rule: FI, Kind: KImported,
		Data: Data{Requester: "Histórico", Email: "h@mesa.test", Service: "Soporte", State: Resuelto, Agent: "Hugo Sol"}}}
	d.cycle("2026-03-16 12:00", req("a", "2026-03-16 08:00", nil))
	res := d.cycle("2026-03-17 12:00", req("b", "2026-03-17 08:00", nil))
	if c := res.Case(701); c == nil || c.Response != "a" {
		t.Fatalf("case 701 = %+v, want the first new request", c)
	}
	if c := res.Case(702); c == nil || c.Response != "b" {
		t.Fatalf("case 702 = %+v, want the request of the second cycle", c)
	}
}

// F-3 assignment.
func TestAssignment(t *testing.T) {
	tests := []struct {
		name    string
		busy    []Response // earlier requests, to load agents with open cases
		request kv
		agent   string
		notices []string
	}{
		{"by building", nil, kv{FBuilding: "Edificio C"}, "Hugo Sol",
			[]string{"acuse→usuario@mesa.test", "asignacion→hugo@mesa.test"}},
		{"by dependencia when the building is unknown", nil, kv{FBuilding: "Edificio Z", FDependencia: "Secretaría de Hacienda"}, "Ana Ruiz", nil},
		{"by building ignoring accents and case", nil, kv{FBuilding: "  edificio   c "}, "Hugo Sol", nil},
		{"redes goes by Servicios, not by building", nil, kv{FBuilding: "Edificio C", FService: "Redes"}, "Carla Díaz", nil},
		{"telefonía typed without accent", nil, kv{FService: "telefonia"}, "Carla Díaz", nil},
		{"tie goes by name when open cases are equal", nil, kv{FBuilding: "Edificio A"}, "Ana Ruiz", nil},
		{"tie goes to fewer open cases", []Response{req("busy", "2026-03-16 07:00", kv{FBuilding: "Edificio A"})}, kv{FBuilding: "Edificio A"}, "Beto Gil", nil},
		{"inactive agents are skipped", nil, kv{FBuilding: "Edificio B"}, Unassigned,
			[]string{"acuse→usuario@mesa.test", "sin_asignar→eva@mesa.test"}},
		{"service nobody active serves", nil, kv{FService: "Copias de seguridad"}, Unassigned,
			[]string{"acuse→usuario@mesa.test", "sin_asignar→eva@mesa.test"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, Funza)
			d.cycle("2026-03-16 07:30", tc.busy...)
			res := d.cycle("2026-03-16 12:00", req("r", "2026-03-16 08:00", tc.request))
			n := len(tc.busy) + 1
			c := res.Case(n)
			if c.Agent != tc.agent || c.State != Abierto {
				t.Fatalf("case %d: %s %s, want Abierto %s (note %q)", n, c.State, c.Agent, tc.agent, c.Note)
			}
			as := eventsOf(res.New, KAssigned)
			if len(as) != 1 || as[0].Rule != F3 || as[0].At != at("2026-03-16 08:00") {
				t.Fatalf("assignment events = %+v", as)
			}
			if tc.agent == Unassigned && !strings.Contains(c.Note, "Administrador") {
				t.Errorf("note %q does not tell the administrator", c.Note)
			}
			if tc.notices != nil && !slices.Equal(sent(res.Notices), tc.notices) {
				t.Errorf("notices = %v, want %v", sent(res.Notices), tc.notices)
			}
		})
	}
}

// Once made, an assignment stands: changing Agentes later moves no case.
func TestAssignmentStands(t *testing.T) {
	d := newDesk(t, Funza)
	d.cycle("2026-03-16 09:00", req("a", "2026-03-16 08:00", nil))
	d.agents = append(d.agents[:8:8], Agent{Name: "Nuevo", Email: "n@mesa.test", Active: true, Buildings: []string{"Edificio C"}})
	res := d.cycle("2026-03-17 09:00")
	if got := res.Case(1).Agent; got != "Hugo Sol" {
		t.Fatalf("agent = %s after Agentes changed, want Hugo Sol", got)
	}
}

// F-4 reassignment and its rejections.
func TestReassignment(t *testing.T) {
	const crit = "Ausencia justificada"
	tests := []struct {
		name   string
		setup  []Response
		r      Response
		reject string // part of the reason; "" = applied
		agent  string
	}{
		{"by an administrator", nil, reas("2026-03-16 10:00", "eva@mesa.test", "1", "Ana Ruiz", crit), "", "Ana Ruiz"},
		{"new agent by e-mail and criterion loosely typed", nil, reas("2026-03-16 10:00", "EVA@mesa.test", "Caso 1", "beto@mesa.test", "no cuenta con la COMPETENCIA"), "", "Beto Gil"},
		{"third criterion", nil, reas("2026-03-16 10:00", "eva@mesa.test", "1", "Ana Ruiz", "Orden directa del Jefe de la Oficina"), "", "Ana Ruiz"},
		{"not an administrator", nil, reas("2026-03-16 10:00", "ana@mesa.test", "1", "Ana Ruiz", crit), "Solo un Administrador", "Hugo Sol"},
		{"inactive administrator", nil, reas("2026-03-16 10:00", "iris@mesa.test", "1", "Ana Ruiz", crit), "Solo un Administrador", "Hugo Sol"},
		{"criterion not in the procedure", nil, reas("2026-03-16 10:00", "eva@mesa.test", "1", "Ana Ruiz", "Porque sí"), "no es uno de los tres", "Hugo Sol"},
		{"unknown agent", nil, reas("2026-03-16 10:00", "eva@mesa.test", "1", "Zoe", crit), "no existe", "Hugo Sol"},
		{"inactive agent", nil, reas("2026-03-16 10:00", "eva@mesa.test", "1", "Dora Paz", crit), "no está activo", "Hugo Sol"},
		{"same agent", nil, reas("2026-03-16 10:00", "eva@mesa.test", "1", "hugo sol", crit), "ya está asignado", "Hugo Sol"},
		{"closed case", []Response{ans("2026-03-16 09:00", "hugo@mesa.test", "1", "Resuelto", nil)},
			reas("2026-03-16 10:00", "eva@mesa.test", "1", "Ana Ruiz", crit), "no se puede reasignar", "Hugo Sol"},
		{"unknown case", nil, reas("2026-03-16 10:00", "eva@mesa.test", "99", "Ana Ruiz", crit), "no existe", "Hugo Sol"},
		{"malformed case number", nil, reas("2026-03-16 10:00", "eva@mesa.test", "uno", "Ana Ruiz", crit), "no es válido", "Hugo Sol"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, Funza)
			d.cycle("2026-03-16 08:30", req("a", "2026-03-16 08:00", nil))
			d.cycle("2026-03-16 09:30", tc.setup...)
			res := d.cycle("2026-03-16 11:00", tc.r)
			c := res.Case(1)
			if c.Agent != tc.agent {
				t.Errorf("agent = %s, want %s", c.Agent, tc.agent)
			}
			rej := rejections(res.New)
			if tc.reject == "" {
				if len(rej) > 0 || c.Reassignments != 1 {
					t.Fatalf("rejected %v, reassignments %d; want applied once", rej, c.Reassignments)
				}
				ev := eventsOf(res.New, KReassigned)[0]
				if ev.Rule != F4 || ev.Data.Previous != "Hugo Sol" {
					t.Errorf("event %+v", ev)
				}
				want := []string{"reasignacion_entrante→" + agentMail(tc.agent), "reasignacion_saliente→hugo@mesa.test"}
				slices.Sort(want)
				if !slices.Equal(sent(res.Notices), want) {
					t.Errorf("notices = %v, want %v", sent(res.Notices), want)
				}
				return
			}
			if len(rej) != 1 || !strings.Contains(rej[0], tc.reject) {
				t.Fatalf("rejections = %q, want one containing %q", rej, tc.reject)
			}
			if c.Reassignments != 0 {
				t.Errorf("a rejected reassignment was counted")
			}
			want := []string{"rechazo→eva@mesa.test"}
			if tc.r.Email != "eva@mesa.test" {
				want = append(want, "rechazo→"+tc.r.Email)
			}
			slices.Sort(want)
			if !slices.Equal(sent(res.Notices), want) {
				t.Errorf("notices = %v, want %v", sent(res.Notices), want)
			}
		})
	}
}

func agentMail(name string) string {
	for _, a := range staff() {
		if a.Name == name {
			return a.Email
		}
	}
	return ""
}

// Reassignments are counted, from an unassigned case too (no one hears
// that it left nobody).
func TestReassignmentCounted(t *testing.T) {
	d := newDesk(t, Funza)
	d.cycle("2026-03-16 08:30", req("a", "2026-03-16 08:00", kv{FBuilding: "Edificio B"}))
	res := d.cycle("2026-03-16 12:00",
		reas("2026-03-16 09:00", "eva@mesa.test", "1", "Ana Ruiz", "Ausencia justificada"),
		reas("2026-03-16 10:00", "eva@mesa.test", "1", "Beto Gil", "Ausencia justificada"))
	if c := res.Case(1); c.Agent != "Beto Gil" || c.Reassignments != 2 {
		t.Fatalf("agent %s, reassignments %d; want Beto Gil, 2", c.Agent, c.Reassignments)
	}
	for _, n := range sent(res.Notices) {
		if strings.HasPrefix(n, "reasignacion_saliente→") && !strings.HasSuffix(n, "ana@mesa.test") {
			t.Errorf("unexpected %s", n)
		}
	}
}

// F-5, F-6, F-7, F-9: agent responses and their rejections.
func TestAgentResponses(t *testing.T) {
	hugo := "hugo@mesa.test"
	tests := []struct {
		name   string
		r      Response
		reject string
		state  State
		rule   Rule
		check  func(t *testing.T, c *Case, res *Result)
	}{
		{name: "resuelto by the assigned agent", r: ans("2026-03-18 10:00", hugo, "1", "Resuelto", nil), state: Resuelto, rule: F5,
			check: func(t *testing.T, c *Case, res *Result) {
				if c.Solved != at("2026-03-18 10:00") || c.Activities != "Revisión del equipo" {
					t.Errorf("solved %v activities %q", c.Solved, c.Activities)
				}
				if got := sent(res.Notices); !slices.Equal(got, []string{"resuelto→usuario@mesa.test"}) {
					t.Errorf("notices %v", got)
				}
			}},
		{name: "state typed loosely", r: ans("2026-03-18 10:00", "HUGO@mesa.test", "#1", "resuelto ", nil), state: Resuelto, rule: F5},
		{name: "an administrator may not document an open case", r: ans("2026-03-18 10:00", "eva@mesa.test", "1", "Resuelto", nil), reject: "solo el agente asignado"},
		{name: "another agent may not", r: ans("2026-03-18 10:00", "ana@mesa.test", "1", "Resuelto", nil), reject: "solo el agente asignado"},
		{name: "an inactive agent may not", r: ans("2026-03-18 10:00", "dora@mesa.test", "1", "Resuelto", nil), reject: "no es un agente activo"},
		{name: "a stranger may not", r: ans("2026-03-18 10:00", "x@otro.test", "1", "Resuelto", nil), reject: "no es un agente activo"},
		{name: "unknown case", r: ans("2026-03-18 10:00", hugo, "42", "Resuelto", nil), reject: "El caso 42 no existe"},
		{name: "malformed case number", r: ans("2026-03-18 10:00", hugo, "1-2", "Resuelto", nil), reject: "no es válido"},
		{name: "empty case number", r: ans("2026-03-18 10:00", hugo, "", "Resuelto", nil), reject: "no es válido"},
		{name: "bad state", r: ans("2026-03-18 10:00", hugo, "1", "Cerrado", nil), reject: "El estado «Cerrado» no es válido"},
		{name: "scj outcome is not a Funza state", r: ans("2026-03-18 10:00", hugo, "1", "No procedente", nil), reject: "no es válido"},
		{name: "no resuelto needs a concepto técnico", r: ans("2026-03-18 10:00", hugo, "1", "No Resuelto", nil), reject: "Concepto técnico"},
		{name: "no resuelto with concepto técnico", r: ans("2026-03-18 10:00", hugo, "1", "No Resuelto", kv{FConcept: "Board dañada"}), state: NoResuelto, rule: F5,
			check: func(t *testing.T, c *Case, res *Result) {
				if c.Concept != "Board dañada" || c.Solved.IsZero() {
					t.Errorf("concept %q solved %v", c.Concept, c.Solved)
				}
				if got := sent(res.Notices); !slices.Equal(got, []string{"no_resuelto→usuario@mesa.test"}) {
					t.Errorf("notices %v", got)
				}
			}},
		{name: "en espera without motive", r: ans("2026-03-18 10:00", hugo, "1", "En Espera", nil), reject: "motivo de espera «» no es válido"},
		{name: "en espera with a bad motive", r: ans("2026-03-18 10:00", hugo, "1", "En Espera", kv{FWaitReason: "Vacaciones"}), reject: "«Vacaciones»"},
		{name: "garantía", r: ans("2026-03-18 10:00", hugo, "1", "En Espera", kv{FWaitReason: "garantia"}), state: EnEspera, rule: F6,
			check: func(t *testing.T, c *Case, res *Result) {
				if c.WaitReason != WaitWarranty {
					t.Errorf("reason %q", c.WaitReason)
				}
				want := []string{"en_espera→usuario@mesa.test", "garantia→gus@mesa.test"}
				if got := sent(res.Notices); !slices.Equal(got, want) {
					t.Errorf("notices %v, want %v", got, want)
				}
			}},
		{name: "escalamiento", r: ans("2026-03-18 10:00", hugo, "1", "En Espera", kv{FWaitReason: "Escalamiento"}), state: EnEspera, rule: F7},
		{name: "disponibilidad with visit date dd/mm/aaaa", r: ans("2026-03-18 10:00", hugo, "1", "En Espera",
			kv{FWaitReason: "Disponibilidad del usuario", FVisitDate: "25/03/2026"}), state: EnEspera, rule: F5,
			check: func(t *testing.T, c *Case, _ *Result) {
				if c.VisitDate != "2026-03-25" {
					t.Errorf("visit %q", c.VisitDate)
				}
			}},
		{name: "visit date d/m/aaaa", r: ans("2026-03-18 10:00", hugo, "1", "En Espera", kv{FWaitReason: "Disponibilidad del usuario", FVisitDate: "5/4/2026"}), state: EnEspera, rule: F5,
			check: func(t *testing.T, c *Case, _ *Result) {
				if c.VisitDate != "2026-04-05" {
					t.Errorf("visit %q", c.VisitDate)
				}
			}},
		{name: "visit date ISO", r: ans("2026-03-18 10:00", hugo, "1", "En Espera", kv{FWaitReason: "Disponibilidad del usuario", FVisitDate: "2026-03-26"}), state: EnEspera, rule: F5},
		{name: "visit date unreadable", r: ans("2026-03-18 10:00", hugo, "1", "En Espera", kv{FWaitReason: "Disponibilidad del usuario", FVisitDate: "el martes"}), reject: "no es una fecha válida"},
		{name: "visit date impossible", r: ans("2026-03-18 10:00", hugo, "1", "En Espera", kv{FWaitReason: "Disponibilidad del usuario", FVisitDate: "31/02/2026"}), reject: "no es una fecha válida"},
		{name: "lesson flag", r: ans("2026-03-18 10:00", hugo, "1", "Resuelto", kv{FLesson: "Sí"}), state: Resuelto, rule: F5,
			check: func(t *testing.T, c *Case, _ *Result) {
				if !c.Lesson {
					t.Error("lesson not flagged")
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDesk(t, Funza)
			d.cycle("2026-03-16 08:30", req("a", "2026-03-16 08:00", nil))
			res := d.cycle("2026-03-18 12:00", tc.r)
			c := res.Case(1)
			rej := rejections(res.New)
			if tc.reject != "" {
				if len(rej) != 1 || !strings.Contains(rej[0], tc.reject) {
					t.Fatalf("rejections = %q, want one containing %q", rej, tc.reject)
				}
				if c.State != Abierto || len(res.Events(1)) != 2 {
					t.Errorf("a rejected response touched the case: %s, %d events", c.State, len(res.Events(1)))
				}
				return
			}
			if len(rej) > 0 {
				t.Fatalf("rejected: %q", rej)
			}
			if c.State != tc.state {
				t.Fatalf("state = %s, want %s", c.State, tc.state)
			}
			if ev := eventsOf(res.New, KAttended); len(ev) != 1 || ev[0].Rule != tc.rule {
				t.Errorf("attended events %+v, want rule %s", ev, tc.rule)
			}
			if tc.check != nil {
				tc.check(t, c, res)
			}
		})
	}
}

// A response to a closed case is rejected, with the date it closed.
func TestResponseToClosedCase(t *testing.T) {
	d := newDesk(t, Funza)
	d.cycle("2026-03-16 08:30", req("a", "2026-03-16 08:00", nil))
	res := d.cycle("2026-03-18 12:00",
		ans("2026-03-17 10:00", "hugo@mesa.test", "1", "Resuelto", nil),
		ans("2026-03-18 10:00", "hugo@mesa.test", "1", "En Espera", kv{FWaitReason: "Garantía"}))
	rej := rejections(res.New)
	if len(rej) != 1 || !strings.Contains(rej[0], "ya está Resuelto desde el 17/03/2026") {
		t.Fatalf("rejections %q", rej)
	}
	if c := res.Case(1); c.State != Resuelto {
		t.Fatalf("state %s", c.State)
	}
}

// Garantía and Escalamiento cases stay En Espera until a later response
// resolves them; the waiting tabs read it from the journal.
func TestWaitingResolvedLater(t *testing.T) {
	d := newDesk(t, Funza)
	d.cycle("2026-03-16 08:30", req("a", "2026-03-16 08:00", nil), req("b", "2026-03-16 08:01", nil))
	d.cycle("2026-03-17 12:00",
		ans("2026-03-17 10:00", "hugo@mesa.test", "1", "En Espera", kv{FWaitReason: "Garantía"}),
		ans("2026-03-17 10:05", "hugo@mesa.test", "2", "En Espera", kv{FWaitReason: "Escalamiento"}))
	res := d.cycle("2026-05-30 12:00") // months later: no timer moves them
	if res.Case(1).State != EnEspera || res.Case(2).State != EnEspera {
		t.Fatalf("states %s %s", res.Case(1).State, res.Case(2).State)
	}
	res = d.cycle("2026-06-01 12:00",
		ans("2026-06-01 09:00", "hugo@mesa.test", "1", "Resuelto", nil),
		ans("2026-06-01 09:05", "hugo@mesa.test", "2", "No Resuelto", kv{FConcept: "El proveedor no tiene repuesto"}))
	if res.Case(1).State != Resuelto || res.Case(2).State != NoResuelto {
		t.Fatalf("states %s %s", res.Case(1).State, res.Case(2).State)
	}
}
