package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
)

// Submission is one form response as a person submits it.
type Submission struct {
	Form    procedure.Form
	Email   string
	At      time.Time
	Answers map[string]string // by question title
}

// Submit records s in the office's form, as if a person had sent it, and
// returns its responseId.
func (o *Office) Submit(s Submission) (string, error) {
	return o.Fake.SubmitResponse(o.WS.FormIDs[s.Form], s.Email, s.At, s.Answers)
}

// Staff is who works at the office of testdata/sheets/agentes.csv.
type Staff struct {
	Agents []Person // Rol Agente, active
	Admin  Person
}

// Person is a name and an e-mail address.
type Person struct{ Name, Email string }

// LoadStaff reads the Agentes CSV.
func LoadStaff(file string) (Staff, error) {
	rows, err := readCSV(file)
	if err != nil {
		return Staff{}, err
	}
	var s Staff
	for _, r := range rows[1:] {
		p := Person{Name: r[0], Email: r[1]}
		switch {
		case procedure.Norm(r[3]) == "administrador":
			s.Admin = p
		case procedure.Norm(r[3]) == "agente" && procedure.Norm(r[2]) == "si":
			s.Agents = append(s.Agents, p)
		}
	}
	if len(s.Agents) == 0 || s.Admin.Email == "" {
		return Staff{}, fmt.Errorf("%s: want active agents and an Administrador", file)
	}
	return s, nil
}

// Generator makes a seeded stream of form responses: requests (some of
// them invalid or for a place nobody covers), agent answers, reassignments
// and surveys about the cases it has asked for so far.
type Generator struct {
	rng   *rand.Rand
	staff Staff
	cases int // valid requests so far: case numbers are 1..cases
	users int
	// requesters of the cases of earlier steps, by case number - 1: only
	// the person served answers a survey (Funza paso 8, issue 13).
	requesters []string
}

// NewGenerator returns a generator seeded with seed.
func NewGenerator(seed uint64, staff Staff) *Generator {
	return &Generator{rng: rand.New(rand.NewPCG(seed, 0x6d657361)), staff: staff}
}

var (
	places = []struct{ dep, building string }{
		{"Secretaría de Hacienda", "Palacio Municipal"},
		{"Secretaría de Salud", "Palacio Municipal"},
		{"Casa de la Cultura", "Casa de la Cultura"},
		{"Secretaría de Movilidad", "Edificio Administrativo"},
		{"Comisaría de Familia", "Sede Comisaría"}, // nobody covers it: Sin asignar
	}
	services = []string{"Soporte de hardware", "Soporte de software", "Impresoras y escáneres", "Instalación de software",
		"Redes", "Telefonía", "Cuentas de correo", "Copias de seguridad"}
	descriptions = []string{
		"La impresora no imprime", "No abre el aplicativo de nómina", `=HYPERLINK("http://x","clic")`,
		"Sin internet\nen la sala 2", "Solicito cuenta de correo para contratista", "Pantalla azul al iniciar; \"error\" 0x0000",
		"+57 300 000 0000 llamar", "Ñandú, acentos áéíóú y emoji 🖨️",
	}
	waits = []string{procedure.WaitWarranty, procedure.WaitEscalation, procedure.WaitAvailability}

	// longDescription is 60,000 characters: a request with an error log
	// pasted in, with '<' that JSON escapes six-fold in the journal.
	longDescription = strings.Repeat("El equipo muestra <error 0x0000> al iniciar; ", 60000/40)[:60000]
)

// Step returns the responses people submit in (from, to], in time order,
// given the agent each case is assigned to as far as the sheet shows it.
func (g *Generator) Step(from, to time.Time, assigned map[int]string) []Submission {
	r := g.rng
	n := r.IntN(5)
	var out []Submission
	span := to.Sub(from)
	at := func() time.Time { return from.Add(time.Duration(1+r.Int64N(int64(span/time.Second)-1)) * time.Second) }
	for range n {
		g.users++
		p := places[r.IntN(len(places))]
		desc := descriptions[r.IntN(len(descriptions))]
		if r.IntN(40) == 0 {
			// A pasted log or e-mail thread: more than a cell holds (50,000).
			desc = longDescription
		}
		valid := r.IntN(8) != 0
		if !valid {
			desc = "" // rejected: the description is required
		} else {
			g.cases++
		}
		q := procedure.DefaultQuestions[procedure.Solicitudes]
		out = append(out, Submission{Form: procedure.Solicitudes, Email: fmt.Sprintf("usuario%03d@funza-cundinamarca.gov.co", g.users), At: at(),
			Answers: map[string]string{q[procedure.FName]: fmt.Sprintf("Usuario %d", g.users), q[procedure.FDependencia]: p.dep,
				q[procedure.FBuilding]: p.building, q[procedure.FService]: services[r.IntN(len(services))], q[procedure.FDescription]: desc}})
	}
	if g.cases > 0 {
		for range r.IntN(4) {
			c := 1 + r.IntN(g.cases)
			out = append(out, g.answer(c, assigned[c], at()))
		}
		if r.IntN(3) == 0 {
			c := 1 + r.IntN(g.cases)
			to := g.staff.Agents[r.IntN(len(g.staff.Agents))]
			q := procedure.DefaultQuestions[procedure.Reasignaciones]
			out = append(out, Submission{Form: procedure.Reasignaciones, Email: g.staff.Admin.Email, At: at(), Answers: map[string]string{
				q[procedure.FCase]: fmt.Sprint(c), q[procedure.FNewAgent]: to.Name, q[procedure.FCriterion]: procedure.Criteria[r.IntN(len(procedure.Criteria))],
				q[procedure.FObservations]: "reparto de carga"}})
		}
		if r.IntN(3) == 0 && len(g.requesters) > 0 {
			// Mostly from the case's requester; sometimes from someone else
			// (rejected: only the person served answers).
			c := 1 + r.IntN(len(g.requesters))
			by := g.requesters[c-1]
			if r.IntN(6) == 0 {
				by = fmt.Sprintf("usuario%03d@funza-cundinamarca.gov.co", 1+r.IntN(g.users))
			}
			q := procedure.DefaultQuestions[procedure.Encuestas]
			out = append(out, Submission{Form: procedure.Encuestas, Email: by, At: at(),
				Answers: map[string]string{q[procedure.FCase]: fmt.Sprintf("Caso %d", c), q[procedure.FRating]: fmt.Sprint(1 + r.IntN(5)), q[procedure.FSolved]: "Sí"}})
		}
	}
	sortByTime(out)
	// The valid requests of this step are numbered in time order.
	desc := procedure.DefaultQuestions[procedure.Solicitudes][procedure.FDescription]
	for _, s := range out {
		if s.Form == procedure.Solicitudes && s.Answers[desc] != "" {
			g.requesters = append(g.requesters, s.Email)
		}
	}
	return out
}

// answer is an agent's response to case c: mostly from the assigned agent,
// sometimes from another one (rejected: agents answer only their cases).
func (g *Generator) answer(c int, agent string, at time.Time) Submission {
	r := g.rng
	by := g.staff.Agents[r.IntN(len(g.staff.Agents))]
	for _, a := range g.staff.Agents {
		if a.Name == agent && r.IntN(6) != 0 {
			by = a
		}
	}
	q := procedure.DefaultQuestions[procedure.Respuestas]
	a := map[string]string{q[procedure.FCase]: fmt.Sprint(c), q[procedure.FActivities]: "Revisión en sitio"}
	switch r.IntN(4) {
	case 0, 1:
		a[q[procedure.FState]] = string(procedure.Resuelto)
	case 2:
		a[q[procedure.FState]] = string(procedure.EnEspera)
		a[q[procedure.FWaitReason]] = waits[r.IntN(len(waits))]
		// Funza paso 5.3: the agreed date of the new visit, from the day of
		// the response on (issue 13).
		a[q[procedure.FVisitDate]] = at.In(calendar.Bogota()).AddDate(0, 0, r.IntN(12)).Format("02/01/2006")
	default:
		a[q[procedure.FState]] = string(procedure.NoResuelto)
		a[q[procedure.FConcept]] = "Equipo no operativo: se recomienda baja"
	}
	return Submission{Form: procedure.Respuestas, Email: by.Email, At: at, Answers: a}
}

func sortByTime(s []Submission) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].At.Before(s[j-1].At); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// Clock returns the instants the cycles of a run happen at: steps business
// days apart, at a random time of the afternoon, starting on Monday
// 2026-03-02 (the weeks around San José, 23 March, a Monday holiday).
func Clock(rng *rand.Rand, steps int) []time.Time {
	loc := calendar.Bogota()
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, loc)
	out := make([]time.Time, 0, steps)
	for len(out) < steps {
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			out = append(out, day.Add(12*time.Hour+time.Duration(rng.IntN(6*3600))*time.Second))
		}
		day = day.AddDate(0, 0, 1+rng.IntN(2))
	}
	return out
}

// AssignedAgents reads who each case is assigned to, as the sheet shows it.
func (o *Office) AssignedAgents(ctx context.Context) (map[int]string, error) {
	t, err := o.table(ctx, "Casos")
	if err != nil {
		return nil, err
	}
	out := map[int]string{}
	for _, r := range t.Records() {
		if n, ok := procedure.ParseCaseNumber(r.Get("Caso")); ok {
			out[n] = strings.TrimSpace(r.Get("Agente asignado"))
		}
	}
	return out, nil
}
