package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Synthetic is an office with n cases built in memory, for benchmarks and
// the load scenario: 20 agents over 10 buildings, the Funza catalogue, and a
// journal made by folding n requests and the agents' answers once (no form
// submissions, no HTTP), so 100,000 cases take seconds to make.
type Synthetic struct {
	Agents   []procedure.Agent
	Catalog  []procedure.Service
	Settings procedure.Settings
	Cal      *calendar.Calendar
	Journal  procedure.Journal
	Now      time.Time // an hour after the last response
	Book     *procedure.Book
}

// SyntheticAgents is a 20-agent office: two agents per building, four of
// them also serving the non-building services, an Administrador.
func SyntheticAgents() []procedure.Agent {
	var out []procedure.Agent
	for i := range 20 {
		a := procedure.Agent{Name: fmt.Sprintf("Agente %02d", i+1), Email: fmt.Sprintf("agente%02d@funza-cundinamarca.gov.co", i+1),
			Active: true, Role: procedure.RoleAgent, Buildings: []string{fmt.Sprintf("Sede %d", i/2+1)}}
		if i%5 == 0 {
			a.Services = []string{"Redes", "Telefonía", "Cuentas de correo", "Copias de seguridad"}
		}
		out = append(out, a)
	}
	return append(out, procedure.Agent{Name: "Administradora", Email: "admin@funza-cundinamarca.gov.co", Active: true, Role: procedure.RoleAdmin})
}

// SyntheticCatalog is the catalogue of testdata/sheets/catalogo.csv.
func SyntheticCatalog() []procedure.Service {
	day := func(n int) procedure.SLA { return procedure.SLA{Amount: n, Days: true} }
	hours := func(n int) procedure.SLA { return procedure.SLA{Amount: n} }
	return []procedure.Service{
		{Type: "Soporte de hardware", Category: "Incidente", NeedsBuilding: true, SLA: hours(8)},
		{Type: "Soporte de software", Category: "Incidente", NeedsBuilding: true, SLA: hours(8)},
		{Type: "Impresoras y escáneres", Category: "Incidente", NeedsBuilding: true, SLA: day(1)},
		{Type: "Instalación de software", Category: "Requerimiento", NeedsBuilding: true, SLA: day(3)},
		{Type: "Redes", Category: "Incidente", SLA: hours(4)},
		{Type: "Telefonía", Category: "Incidente", SLA: day(1)},
		{Type: "Cuentas de correo", Category: "Requerimiento", SLA: day(1)},
		{Type: "Copias de seguridad", Category: "Requerimiento", SLA: day(2)},
	}
}

// Requests returns n Solicitudes responses from start on, a few minutes
// apart during office hours (Mon-Fri 08:00-17:00).
func Requests(rng *rand.Rand, n int, start time.Time, gap time.Duration) []procedure.Response {
	q := func(i int) map[procedure.Field]string {
		return map[procedure.Field]string{
			procedure.FName: fmt.Sprintf("Funcionario %d", i), procedure.FDependencia: fmt.Sprintf("Dependencia %d", rng.IntN(30)),
			procedure.FBuilding: fmt.Sprintf("Sede %d", 1+rng.IntN(10)), procedure.FService: services[rng.IntN(len(services))],
			procedure.FDescription: descriptions[rng.IntN(len(descriptions))], procedure.FPhone: strconv.Itoa(3000 + rng.IntN(999)),
		}
	}
	t := start
	out := make([]procedure.Response, n)
	for i := range out {
		t = nextOfficeTime(t.Add(time.Duration(1+rng.Int64N(int64(2*gap/time.Second))) * time.Second))
		out[i] = procedure.Response{Form: procedure.Solicitudes, ID: fmt.Sprintf("SYN-R%07d", i), Submitted: t,
			Email: fmt.Sprintf("funcionario%04d@funza-cundinamarca.gov.co", rng.IntN(2000)), Answers: q(i)}
	}
	return out
}

// nextOfficeTime moves t into Mon-Fri 08:00-17:00 (Bogotá).
func nextOfficeTime(t time.Time) time.Time {
	loc := calendar.Bogota()
	t = t.In(loc)
	for {
		open := time.Date(t.Year(), t.Month(), t.Day(), 8, 0, 0, 0, loc)
		closeAt := open.Add(9 * time.Hour)
		switch {
		case t.Weekday() == time.Saturday || t.Weekday() == time.Sunday || !t.Before(closeAt):
			t = open.AddDate(0, 0, 1)
		case t.Before(open):
			return open
		default:
			return t
		}
	}
}

// Answers returns the agents' answers to the cases of b: most are
// resolved by their agent a few business hours later, some wait for a
// warranty, some are not answered yet.
func Answers(rng *rand.Rand, b *procedure.Book, agents []procedure.Agent) []procedure.Response {
	email := map[string]string{}
	for _, a := range agents {
		email[a.Name] = a.Email
	}
	var out []procedure.Response
	for _, c := range b.Cases() {
		by := email[c.Agent]
		if by == "" || rng.IntN(10) == 0 {
			continue
		}
		a := map[procedure.Field]string{procedure.FCase: strconv.Itoa(c.Number), procedure.FActivities: "Revisión en sitio", procedure.FState: string(procedure.Resuelto)}
		if rng.IntN(10) == 0 {
			a[procedure.FState], a[procedure.FWaitReason] = string(procedure.EnEspera), procedure.WaitWarranty
		}
		out = append(out, procedure.Response{Form: procedure.Respuestas, ID: fmt.Sprintf("SYN-A%07d", c.Number),
			Submitted: nextOfficeTime(c.Registered.Add(time.Duration(1+rng.IntN(30)) * time.Hour)), Email: by, Answers: a})
	}
	return out
}

// NewSynthetic builds an office of n cases, registered from Monday
// 2024-01-01 on at the pace of a 2,000-employee office (about 150 a day).
func NewSynthetic(n int, seed uint64) *Synthetic {
	rng := rand.New(rand.NewPCG(seed, 0x73796e))
	h, _ := calendar.OfficeHours(calendar.FunzaHours)
	s := &Synthetic{Agents: SyntheticAgents(), Catalog: SyntheticCatalog(), Settings: WorkerConfig(nil).Settings,
		Cal: calendar.New(calendar.Bogota(), nil, h)}
	eng := &procedure.Engine{Cal: s.Cal, Set: s.Settings}
	reqs := Requests(rng, n, time.Date(2024, 1, 1, 8, 0, 0, 0, calendar.Bogota()), 3*time.Minute)
	last := reqs[len(reqs)-1].Submitted
	r1 := eng.Fold(procedure.Inputs{Responses: reqs, Agents: s.Agents, Catalog: s.Catalog, Now: last})
	answers := Answers(rng, r1.Book, s.Agents)
	for _, a := range answers {
		if a.Submitted.After(last) {
			last = a.Submitted
		}
	}
	s.Now = last.Add(time.Hour)
	r2 := eng.Fold(procedure.Inputs{Journal: procedure.JournalOf(r1.New...), Responses: answers, Agents: s.Agents, Catalog: s.Catalog, Now: s.Now})
	s.Journal = procedure.NewJournal(append(r1.New, r2.New...), 0)
	s.Book = r2.Book
	return s
}

// Fold replays the journal at s.Now: what a cycle's fold does with no new
// response.
func (s *Synthetic) Fold() *procedure.Result {
	eng := &procedure.Engine{Cal: s.Cal, Set: s.Settings}
	return eng.Fold(procedure.Inputs{Journal: s.Journal, Agents: s.Agents, Catalog: s.Catalog, Now: s.Now})
}

// AgentesRows renders the agents as the Agentes tab (header first).
func (s *Synthetic) AgentesRows() [][]string {
	rows := [][]string{{"Nombre", "Correo", "Activo", "Rol", "Edificios", "Servicios"}}
	for _, a := range s.Agents {
		rows = append(rows, []string{a.Name, a.Email, "Sí", string(a.Role), join(a.Buildings), join(a.Services)})
	}
	return rows
}

// CatalogoRows renders the catalogue as the Catálogo tab (header first).
func (s *Synthetic) CatalogoRows() [][]string {
	rows := [][]string{{"Tipo de servicio", "Categoría", "Requiere edificio", "ANS"}}
	for _, c := range s.Catalog {
		unit := "horas"
		if c.SLA.Days {
			unit = "días"
		}
		need := "No"
		if c.NeedsBuilding {
			need = "Sí"
		}
		rows = append(rows, []string{c.Type, c.Category, need, fmt.Sprintf("%d %s", c.SLA.Amount, unit)})
	}
	return rows
}

func join(l []string) string {
	out := ""
	for i, s := range l {
		if i > 0 {
			out += "; "
		}
		out += s
	}
	return out
}

// Load writes the office into a fresh workspace once: admin tabs, and the
// Historial and Casos tabs as a worker that had run all along would have
// left them, with every notification already sent (an empty outbox keeps
// the benchmark about the cases). Responses are not submitted: the journal
// is the record, and the forms hold only what comes next.
func (s *Synthetic) Load(ctx context.Context, o *Office) error {
	if err := o.WS.Sheets.Replace(ctx, "Agentes", s.AgentesRows()); err != nil {
		return err
	}
	if err := o.WS.Sheets.Replace(ctx, "Catálogo", s.CatalogoRows()); err != nil {
		return err
	}
	res := s.Fold()
	f := workbook.Formatter{Loc: s.Cal.Location()}
	for _, tv := range []struct {
		tab  workbook.Tab
		rows [][]string
	}{
		{workbook.Historial, f.HistorialRows(res.Book)},
		{workbook.Casos, f.CasosRows(res.Book, s.Settings)},
		{workbook.Rechazos, f.RechazosRows(res.Book)},
		{workbook.Encuestas, f.EncuestasRows(res.Book, s.Settings)},
	} {
		ups, _ := workbook.Plan(workbook.Table{Tab: tv.tab}, tv.rows)
		if _, err := o.WS.Sheets.Write(ctx, ups); err != nil {
			return fmt.Errorf("load %s: %w", tv.tab.Name, err)
		}
	}
	return nil
}

// SheetValues renders rows as the values a batchGet returns (numbers typed),
// header first, to build a workbook.Table as a cycle reads it.
func SheetValues(tab workbook.Tab, rows [][]string) [][]any {
	out := make([][]any, 0, len(rows)+1)
	h := make([]any, len(tab.Columns))
	for i, c := range tab.Columns {
		h[i] = c.Name
	}
	out = append(out, h)
	for _, r := range rows {
		line := make([]any, len(r))
		for j, v := range r {
			line[j] = v
			if j < len(tab.Columns) && tab.Columns[j].Type == workbook.Number && v != "" {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					line[j] = f
				}
			}
		}
		out = append(out, line)
	}
	return out
}
