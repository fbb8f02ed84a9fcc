package procedure_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	. "github.com/funza-tic/mesa/internal/procedure" // the tests read like the procedure
)

var bogota = calendar.Bogota()

// at reads "2026-03-18 10:00" (or "2026-03-18", midnight) in America/Bogota.
func at(s string) time.Time {
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, bogota); err == nil {
			return t
		}
	}
	panic("bad time " + s)
}

type kv = map[Field]string

// The office of the tests. Edificio A has two agents (ties), Edificio B only
// an inactive one, Edificio C only Hugo; Carla serves the services that are
// not tied to a building, Luis the locativo requirements.
func staff() []Agent {
	return []Agent{
		{Name: "Ana Ruiz", Email: "ana@mesa.test", Active: true, Role: RoleAgent, Buildings: []string{"Edificio A", "Secretaría de Hacienda"}},
		{Name: "Beto Gil", Email: "beto@mesa.test", Active: true, Role: RoleAgent, Buildings: []string{"Edificio A"}},
		{Name: "Carla Díaz", Email: "carla@mesa.test", Active: true, Role: RoleAgent, Services: []string{"Redes", "Telefonía"}},
		{Name: "Dora Paz", Email: "dora@mesa.test", Active: false, Role: RoleAgent, Buildings: []string{"Edificio B"}, Services: []string{"Redes"}},
		{Name: "Eva Mora", Email: "eva@mesa.test", Active: true, Role: RoleAdmin},
		{Name: "Gus Lara", Email: "gus@mesa.test", Active: true, Role: RoleWarranty},
		{Name: "Olga Ríos", Email: "olga@mesa.test", Active: true, Role: RoleCoordinator},
		{Name: "Luis Vega", Email: "luis@mesa.test", Active: true, Role: RoleAgent, Services: []string{"Requerimiento locativo"}},
		{Name: "Hugo Sol", Email: "hugo@mesa.test", Active: true, Role: RoleAgent, Buildings: []string{"Edificio C"}},
		{Name: "Iris Paz", Email: "iris@mesa.test", Active: false, Role: RoleAdmin},
	}
}

func catalog() []Service {
	return []Service{
		{Type: "Soporte", Category: "Incidente", NeedsBuilding: true, SLA: SLA{Amount: 4}},
		{Type: "Instalación de software", Category: "Requerimiento", NeedsBuilding: true, SLA: SLA{Amount: 2, Days: true}},
		{Type: "Redes", Category: "Incidente", SLA: SLA{Amount: 8}},
		{Type: "Consulta", Category: "Orientación", SLA: SLA{Amount: 1}},
	}
}

// desk runs cycles of one office the way the worker does: every cycle sees
// every response submitted so far and the journal of the earlier cycles.
type desk struct {
	t         *testing.T
	eng       *Engine
	agents    []Agent
	catalog   []Service
	journal   []Event
	responses []Response
	notices   []Notice
}

func newDesk(t *testing.T, p Profile) *desk {
	t.Helper()
	hours, err := calendar.OfficeHours(calendar.FunzaHours)
	if p == SCJBogota {
		hours, err = calendar.OfficeHours(calendar.SCJHours)
		hours.HolidaysAsWeekend = true
	}
	if err != nil {
		t.Fatal(err)
	}
	return &desk{t: t, eng: &Engine{Cal: calendar.New(bogota, nil, hours), Set: DefaultSettings(p)}, agents: staff(), catalog: catalog()}
}

// cycle adds responses and folds at now, keeping the new events.
func (d *desk) cycle(now string, rs ...Response) *Result {
	d.t.Helper()
	d.responses = append(d.responses, rs...)
	res := d.eng.Fold(Inputs{Journal: JournalOf(d.journal...), Responses: d.responses, Agents: d.agents, Catalog: d.catalog, Now: at(now)})
	checkEvents(d.t, res.New)
	d.journal = append(d.journal, res.New...)
	d.notices = append(d.notices, res.Notices...)
	return res
}

// checkEvents holds every decision to the rules of the journal: a rule ID
// that exists, a kind, an ID, an effective instant.
func checkEvents(t *testing.T, evs []Event) {
	t.Helper()
	for _, e := range evs {
		if _, ok := Rules[e.Rule]; !ok {
			t.Errorf("event %s (%s) has rule %q, not in procedure.Rules", e.ID, e.Kind, e.Rule)
		}
		if e.ID == "" || e.Kind == "" || e.At.IsZero() {
			t.Errorf("incomplete event %+v", e)
		}
	}
}

var seq int

func respond(f Form, id, when, by string, a kv) Response {
	if id == "" {
		seq++
		id = string(f) + "-" + strings.ReplaceAll(when, " ", "T") + "-" + strconv.Itoa(seq)
	}
	return Response{Form: f, ID: id, Submitted: at(when), Email: by, Answers: a}
}

// req is a Solicitudes response; unset answers get defaults (Edificio C,
// Soporte), so a bare request goes to Hugo.
func req(id, when string, a kv) Response {
	full := kv{FEmail: "usuario@mesa.test", FName: "Usuaria Uno", FDependencia: "Secretaría General", FBuilding: "Edificio C",
		FService: "Soporte", FDescription: "El computador no enciende", FPhone: "101"}
	for k, v := range a {
		full[k] = v
	}
	return respond(Solicitudes, id, when, full[FEmail], full)
}

func ans(when, by string, caso, estado string, a kv) Response {
	full := kv{FCase: caso, FState: estado, FActivities: "Revisión del equipo"}
	for k, v := range a {
		full[k] = v
	}
	return respond(Respuestas, "", when, by, full)
}

func reas(when, by, caso, to, criterio string) Response {
	return respond(Reasignaciones, "", when, by, kv{FCase: caso, FNewAgent: to, FCriterion: criterio})
}

func enc(when, caso, rating string) Response {
	return respond(Encuestas, "", when, "usuario@mesa.test", kv{FCase: caso, FRating: rating, FSolved: "Sí"})
}

func rev(when, by, caso, decision string) Response {
	return respond(Revisiones, "", when, by, kv{FCase: caso, FDecision: decision, FObservations: "Revisado"})
}

// kinds lists the new events' kinds.
func kinds(evs []Event) []Kind {
	var out []Kind
	for _, e := range evs {
		out = append(out, e.Kind)
	}
	return out
}

func rejections(evs []Event) []string {
	var out []string
	for _, e := range evs {
		if e.Kind == KRejected {
			out = append(out, e.Data.Reason)
		}
	}
	return out
}

// sent renders notices as "kind→address", sorted.
func sent(ns []Notice) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Kind+"→"+n.To)
	}
	slices.Sort(out)
	return out
}

func eventsOf(evs []Event, k Kind) []Event {
	var out []Event
	for _, e := range evs {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

// newCalendarWith is the Funza calendar plus extra closures (Festivos).
func newCalendarWith(t *testing.T, days ...string) *calendar.Calendar {
	t.Helper()
	hours, err := calendar.OfficeHours(calendar.FunzaHours)
	if err != nil {
		t.Fatal(err)
	}
	var extra []calendar.Holiday
	for _, d := range days {
		extra = append(extra, calendar.Holiday{Date: at(d), Name: "Cierre"})
	}
	return calendar.New(bogota, extra, hours)
}
