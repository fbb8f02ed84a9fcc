package report

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
)

// The scenarios of the golden tests: a month of each office, written as the
// form responses people would submit, with the figures computed by hand in
// testdata/report/README.md.

var bogota = calendar.Bogota()

func at(s string) time.Time {
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, bogota); err == nil {
			return t
		}
	}
	panic("bad time " + s)
}

type kv = map[procedure.Field]string

// requester is a person who files requests: every field here is personal
// data that must never reach the Looker tab or the KAWAK files.
type requester struct{ Name, Email, Phone, Dependencia, Building string }

type scenario struct {
	eng       *procedure.Engine
	agents    []procedure.Agent
	catalog   []procedure.Service
	people    []requester
	responses []procedure.Response
	seq       int
}

func (s *scenario) add(f procedure.Form, when, by string, a kv) {
	s.seq++
	s.responses = append(s.responses, procedure.Response{Form: f, ID: string(f) + "-" + strconv.Itoa(s.seq), Submitted: at(when), Email: by, Answers: a})
}

// request files a request by person p (index into s.people).
func (s *scenario) request(when string, p int, service, description string) {
	r := s.people[p]
	s.add(procedure.Solicitudes, when, r.Email, kv{
		procedure.FEmail: r.Email, procedure.FName: r.Name, procedure.FPhone: r.Phone,
		procedure.FDependencia: r.Dependencia, procedure.FBuilding: r.Building,
		procedure.FService: service, procedure.FDescription: description,
	})
}

func (s *scenario) answer(when, agent string, caso int, state string, extra kv) {
	a := kv{procedure.FCase: strconv.Itoa(caso), procedure.FState: state, procedure.FActivities: "Revisión en sitio con el usuario"}
	for k, v := range extra {
		a[k] = v
	}
	s.add(procedure.Respuestas, when, agent, a)
}

func (s *scenario) survey(when string, p, caso, rating int, comment string) {
	s.add(procedure.Encuestas, when, s.people[p].Email, kv{procedure.FCase: strconv.Itoa(caso),
		procedure.FRating: strconv.Itoa(rating), procedure.FSolved: "Sí", procedure.FComments: comment})
}

// fold folds every response submitted up to now, as a worker would.
func (s *scenario) fold(now time.Time) *procedure.Book {
	return s.eng.Fold(procedure.Inputs{Responses: s.responses, Agents: s.agents, Catalog: s.catalog, Now: now}).Book
}

// refold replays a journal at an earlier now, as Worker.Book does when a
// month's report is re-run later.
func (s *scenario) refold(journal procedure.Journal, now time.Time) *procedure.Book {
	return s.eng.Fold(procedure.Inputs{Journal: journal, Agents: s.agents, Catalog: s.catalog, Now: now}).Book
}

func engine(t *testing.T, p procedure.Profile) *procedure.Engine {
	t.Helper()
	spec := calendar.FunzaHours
	if p == procedure.SCJBogota {
		spec = calendar.SCJHours
	}
	h, err := calendar.OfficeHours(spec)
	if err != nil {
		t.Fatal(err)
	}
	h.HolidaysAsWeekend = p == procedure.SCJBogota
	return &procedure.Engine{Cal: calendar.New(bogota, nil, h), Set: procedure.DefaultSettings(p)}
}

const (
	ana   = "ana.rojas@funza.test"
	bruno = "bruno.diaz@funza.test"
	carla = "carla.gomez@funza.test"
	diana = "diana.torres@funza.test"
)

// funzaMarch is the Funza office in March 2026 (Monday 23 March is San
// José). Cases, in order of registration:
//
//	1  Feb 16  Impresoras, Anexo (Bruno)   resolved Feb 16 15:00 (in ANS); survey answered Mar 3: 4
//	2  Feb 27  Impresoras, Central (Ana)   resolved Mar 2 11:00, due Mar 2 09:00 (out)
//	3  Mar 2   Redes (Carla)               never answered: open and overdue at the cut
//	4  Mar 3   Equipos, Anexo (Bruno)      resolved Mar 4 15:00 (in); survey Mar 10: 5
//	5  Mar 10  Redes (Carla)               En Espera (disponibilidad) Mar 10 11:00, F-5c Resuelto Mar 21 00:00 (in); survey Apr 2: 4
//	6  Mar 11  Impresoras, Central (Ana)   resolved Mar 12 16:00, due Mar 11 16:30 (out); survey Mar 17: 2
//	7  Mar 18  Equipos, Anexo (Bruno)      En Espera (disponibilidad) Mar 18 10:00, F-5c Resuelto Apr 1 00:00
//	8  Mar 19  Equipos, Central (Ana)      reassigned to Bruno; No Resuelto Mar 20 12:00 (in)
//	9  Mar 31  Impresoras, Central (Ana)   resolved Apr 1 09:00
func funzaMarch(t *testing.T) *scenario {
	s := &scenario{
		eng: engine(t, procedure.Funza),
		agents: []procedure.Agent{
			{Name: "Ana Rojas", Email: ana, Active: true, Role: procedure.RoleAgent, Buildings: []string{"Edificio Central"}},
			{Name: "Bruno Díaz", Email: bruno, Active: true, Role: procedure.RoleAgent, Buildings: []string{"Edificio Anexo"}},
			{Name: "Carla Gómez", Email: carla, Active: true, Role: procedure.RoleAgent, Services: []string{"Redes"}},
			{Name: "Diana Torres", Email: diana, Active: true, Role: procedure.RoleAdmin},
		},
		catalog: []procedure.Service{
			{Type: "Impresoras", Category: "Incidente", NeedsBuilding: true, SLA: procedure.SLA{Amount: 8}},
			{Type: "Equipos de cómputo", Category: "Incidente", NeedsBuilding: true, SLA: procedure.SLA{Amount: 2, Days: true}},
			{Type: "Redes", Category: "Incidente", SLA: procedure.SLA{Amount: 4}},
		},
		people: []requester{
			{"Pedro Pérez Molina", "pedro.perez@gmail.com", "3001234567", "Secretaría de Hacienda", "Edificio Anexo"},
			{"Lucía Fernández Ortiz", "lucia.fernandez@funza.test", "310 987 6543", "Secretaría de Gobierno", "Edificio Central"},
			{"Jorge Ramírez Vélez", "jorge.ramirez@hotmail.com", "601 555 0101 ext. 214", "Secretaría de Hacienda", "Edificio Central"},
			{"María Camila Suárez", "mcsuarez@funza.test", "3154445566", "Secretaría de Educación", "Edificio Anexo"},
			{"Andrés Felipe Castro", "afcastro@yahoo.com", "3207778899", "Secretaría de Gobierno", "Edificio Central"},
			{"Sofía Herrera Gil", "sofia.herrera@funza.test", "3013332211", "Secretaría de Gobierno", "Edificio Central"},
			{"Julián Mejía Arango", "julian.mejia@funza.test", "3185550000", "Secretaría de Educación", "Edificio Anexo"},
			{"Valentina López Pardo", "vlopez@funza.test", "3126667788", "Secretaría de Hacienda", "Edificio Central"},
			{"Ricardo Gutiérrez Niño", "rgutierrez@funza.test", "3009990011", "Secretaría de Gobierno", "Edificio Central"},
		},
	}
	resolved := kv{procedure.FConcept: ""}
	// Funza paso 5.3: a new visit is agreed; both fall before the 8th
	// business day, so F-5c's instants are the eight days'.
	waiting := func(visit string) kv {
		return kv{procedure.FWaitReason: procedure.WaitAvailability, procedure.FVisitDate: visit}
	}
	s.request("2026-02-16 09:00", 0, "Impresoras", "La impresora de Pedro Pérez Molina no imprime; llamar al 3001234567")
	s.answer("2026-02-16 15:00", bruno, 1, "Resuelto", resolved)
	s.request("2026-02-27 10:00", 1, "Impresoras", "Atasco de papel; escribir a lucia.fernandez@funza.test")
	s.request("2026-03-02 08:00", 2, "Redes", "Sin red en la oficina de Jorge Ramírez Vélez")
	s.answer("2026-03-02 11:00", ana, 2, "Resuelto", resolved)
	s.survey("2026-03-03 10:00", 0, 1, 4, "Gracias, Pedro Pérez Molina quedó satisfecho")
	s.request("2026-03-03 09:00", 3, "Equipos de cómputo", "El computador no enciende")
	s.answer("2026-03-04 15:00", bruno, 4, "Resuelto", resolved)
	s.survey("2026-03-10 08:00", 3, 4, 5, "Excelente")
	s.request("2026-03-10 10:00", 4, "Redes", "No hay internet")
	s.answer("2026-03-10 11:00", carla, 5, "En Espera", waiting("12/03/2026"))
	s.request("2026-03-11 08:30", 5, "Impresoras", "Tóner agotado")
	s.answer("2026-03-12 16:00", ana, 6, "Resuelto", resolved)
	s.survey("2026-03-17 09:00", 5, 6, 2, "Demoraron mucho, llamar a Sofía al 3013332211")
	s.request("2026-03-18 08:00", 6, "Equipos de cómputo", "Pantalla azul")
	s.answer("2026-03-18 10:00", bruno, 7, "En Espera", waiting("20/03/2026"))
	s.request("2026-03-19 09:00", 7, "Equipos de cómputo", "El equipo hace ruido")
	s.add(procedure.Reasignaciones, "2026-03-19 10:00", diana, kv{procedure.FCase: "8", procedure.FNewAgent: "Bruno Díaz",
		procedure.FCriterion: "Ausencia justificada", procedure.FObservations: "Ana Rojas está de vacaciones"})
	s.answer("2026-03-20 12:00", bruno, 8, "No Resuelto", kv{procedure.FConcept: "Fuente de poder dañada; equipo no operativo"})
	s.request("2026-03-31 16:00", 8, "Impresoras", "La impresora no aparece en red")
	s.answer("2026-04-01 09:00", ana, 9, "Resuelto", resolved)
	s.survey("2026-04-02 10:00", 4, 5, 4, "Bien")
	return s
}

const (
	ruiz = "ana.ruiz@scj.test"
	olga = "olga.rios@scj.test"
)

// scjMarch is the SCJ office in March 2026: surveys at closure, reopening
// by the Coordinador (PD-GT-1 actividades 21 to 24).
//
//	1  Feb 23  Soporte (8 h)        resolved Feb 25; survey Feb 26: 1; reopened Mar 2; resolved Mar 3 (out);
//	                                survey unanswered: closed as satisfactory Mar 7 00:00
//	2  Mar 5   Instalación (10 d)   resolved Mar 6; survey Mar 9: 2; reopened Mar 10; resolved Mar 12 (in); survey Mar 13: 5
//	3  Mar 30  Soporte (8 h)        resolved Mar 31 10:00, due Mar 30 16:00 (out); survey Apr 1: 5
func scjMarch(t *testing.T) *scenario {
	s := &scenario{
		eng: engine(t, procedure.SCJBogota),
		agents: []procedure.Agent{
			{Name: "Ana Ruiz", Email: ruiz, Active: true, Role: procedure.RoleAgent, Buildings: []string{"Sede Principal"}},
			{Name: "Olga Ríos", Email: olga, Active: true, Role: procedure.RoleCoordinator},
		},
		catalog: []procedure.Service{
			{Type: "Soporte", Category: "Incidente", NeedsBuilding: true, SLA: procedure.SLA{Amount: 8}},
			{Type: "Instalación de software", Category: "Requerimiento", NeedsBuilding: true, SLA: procedure.SLA{Amount: 10, Days: true}},
		},
		people: []requester{
			{"Hernán Quintero Rojas", "hquintero@scj.test", "3012223344", "Dirección de Seguridad", "Sede Principal"},
			{"Paola Andrea Ruiz", "paola.ruiz@gmail.com", "3045556677", "Dirección Jurídica", "Sede Principal"},
			{"Óscar Martínez León", "omartinez@scj.test", "3158889900", "Dirección de Seguridad", "Sede Principal"},
		},
	}
	done := kv{}
	s.request("2026-02-23 09:00", 0, "Soporte", "Falla en el correo de Hernán")
	s.answer("2026-02-25 10:00", ruiz, 1, "Resuelto", done)
	s.survey("2026-02-26 09:00", 0, 1, 1, "No quedó funcionando")
	s.add(procedure.Revisiones, "2026-03-02 09:00", olga, kv{procedure.FCase: "1", procedure.FDecision: "Reabrir", procedure.FObservations: "Revisar de nuevo"})
	s.answer("2026-03-03 11:00", ruiz, 1, "Resuelto", done)
	s.request("2026-03-05 08:00", 1, "Instalación de software", "Instalar el lector de PDF")
	s.answer("2026-03-06 09:00", ruiz, 2, "Resuelto", done)
	s.survey("2026-03-09 09:00", 1, 2, 2, "Falta la licencia")
	s.add(procedure.Revisiones, "2026-03-10 09:00", olga, kv{procedure.FCase: "2", procedure.FDecision: "Reabrir", procedure.FObservations: "Instalar licencia"})
	s.answer("2026-03-12 10:00", ruiz, 2, "Resuelto", done)
	s.survey("2026-03-13 09:00", 1, 2, 5, "Gracias Ana")
	s.request("2026-03-30 08:00", 2, "Soporte", "No imprime")
	s.answer("2026-03-31 10:00", ruiz, 3, "Resuelto", done)
	s.survey("2026-04-01 09:00", 2, 3, 5, "Muy bien")
	return s
}

// personal lists every piece of personal data in a scenario's inputs: the
// requesters' names, e-mails and phones, and the agents' names and e-mails.
func (s *scenario) personal() []string {
	var out []string
	for _, p := range s.people {
		out = append(out, p.Name, p.Email, p.Phone, strings.ReplaceAll(p.Phone, " ", ""))
		out = append(out, strings.Fields(p.Name)...)
	}
	for _, a := range s.agents {
		out = append(out, a.Name, a.Email)
		out = append(out, strings.Fields(a.Name)...)
	}
	return out
}
