// Package demo plays a Funza-like alcaldía on the local backend: it seeds
// the admin tabs, has people file requests, agents answer them, the
// Administrador reassign and users answer surveys — all through the Google
// clients and the forms, exactly as people would — while it runs the worker's
// cycles through simulated weeks. It leaves the workbook as an .xlsx file and
// the sent mail as .eml files for a person to open.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

// Options shape a demo run.
type Options struct {
	Start    time.Time // the first day (a Monday), in America/Bogota
	Weeks    int       // weeks during which people file requests
	Requests int       // requests filed over those weeks
	TailDays int       // business days after them in which agents finish their work
	Seed     uint64    // the same seed plays the same demo
	Progress io.Writer // optional: one line per simulated week
	// Report, if set, runs the monthly report of each month fully played,
	// at the instant of the final cycle, before the workbook is exported;
	// it returns where it left the files.
	Report func(ctx context.Context, month time.Time, now time.Time) (dir string, err error)
}

// DefaultOptions is the demo `make demo` runs: six weeks from Monday
// 2 February 2026, about two hundred requests.
func DefaultOptions() Options {
	return Options{
		Start: time.Date(2026, 2, 2, 0, 0, 0, 0, calendar.Bogota()),
		Weeks: 6, Requests: 200, TailDays: 5, Seed: 20260202,
	}
}

// ErrNotEmpty is returned when the workspace already holds a help desk: the
// demo plays its story from the beginning and would mix with it.
var ErrNotEmpty = errors.New("the workspace already holds cases")

// cycleTimes are when the worker runs on a business day (in production it
// runs every few minutes; three runs a day are enough to tell the story).
var cycleTimes = []time.Duration{8 * time.Hour, 12 * time.Hour, 17*time.Hour + 30*time.Minute}

// Run seeds the office in the workspace, plays the weeks, and leaves the
// workbook and the mail under dir.
func Run(ctx context.Context, ws *backend.Workspace, w *worker.Worker, dir string, opt Options) (*Summary, error) {
	if ws.Fake == nil {
		return nil, errors.New("the demo needs the local backend")
	}
	if opt.Weeks < 1 || opt.Requests < 1 {
		return nil, fmt.Errorf("demo needs at least one week and one request (got %d weeks, %d requests)", opt.Weeks, opt.Requests)
	}
	vals, err := ws.Sheets.Read(ctx, []string{workbook.Historial.Name})
	if err != nil {
		return nil, err
	}
	if len(vals[0]) > 1 {
		return nil, ErrNotEmpty
	}
	// The demo's worker is alone on its in-process workspace: no other cycle
	// can claim the same outbox rows, so the claim's settle wait (real time,
	// two seconds by default) is cut short, or a hundred cycles would take
	// minutes. It must still exceed the latency of the claim (a read and a
	// write of Notificaciones), or the worker leaves the mail claimed for a
	// later cycle; cycle() lengthens it when that happens on a busy machine.
	if w.Config.ClaimSettle == 0 {
		w.Config.ClaimSettle = 200 * time.Millisecond
	}
	if err := seedOffice(ctx, ws.Sheets); err != nil {
		return nil, err
	}
	s := newSim(ctx, ws, w, opt)
	if err := s.play(); err != nil {
		return nil, err
	}
	var reports []File
	if opt.Report != nil {
		for m := monthStart(s.days[0]); !m.AddDate(0, 1, 0).After(s.final); m = m.AddDate(0, 1, 0) {
			out, err := opt.Report(ctx, m, s.final)
			if err != nil {
				return nil, fmt.Errorf("monthly report of %s: %w", m.Format("2006-01"), err)
			}
			reports = append(reports, File{"informe", out, "indicadores, archivo KAWAK e informe HTML de " + m.Format("2006-01")})
		}
	}
	sum, err := summarize(ctx, ws, s)
	if err != nil {
		return nil, err
	}
	sum.Files = reports
	if err := export(ctx, ws, dir, sum); err != nil {
		return nil, err
	}
	return sum, nil
}

// sim is the state of the people in the story.
type sim struct {
	ctx  context.Context
	ws   *backend.Workspace
	w    *worker.Worker
	opt  Options
	r    *rand.Rand
	cal  *calendar.Calendar
	days []time.Time // the business days played, at 00:00
	reqs []request
	// lastRequestDay is the index in days of the last day with requests.
	lastRequestDay int

	today       int // index in days
	plans       map[int]*plan
	surveys     map[int]*surveyPlan
	handedOver  map[int]string // case -> agent the Administrador reassigned it to, until the Casos tab shows it
	absent      absence
	competences int // reassignments for lack of competence so far
	bad         struct{ typo, reassign, rating bool }
	final       time.Time

	cycles, submitted int
	week              weekTally
}

// plan is how an agent will handle a case, drawn when the case first shows
// up in the Casos tab.
type plan struct {
	outcome outcome
	act     int  // day of the first response
	follow  int  // day of the closing response after a wait; -1: none (F-5c resolves it)
	pm      bool // in the afternoon
	step    int  // 0: first response due; 1: waiting; 2: done
	lesson  bool
}

// surveyPlan is whether and when a user answers an invitation.
type surveyPlan struct {
	answer bool
	day    int
	rating int
	bad    bool // types 7, gets the rejection mail, answers again
}

// absence is an agent's justified absence (an incapacidad médica): the
// Administrador reassigns their open cases (Funza definición 14, criterio 1).
type absence struct {
	agent, backup string
	from, to      int // day indexes, inclusive
}

type weekTally struct{ requests, responses, reassignments, surveys int }

func newSim(ctx context.Context, ws *backend.Workspace, w *worker.Worker, opt Options) *sim {
	loc := calendar.Bogota()
	s := &sim{ctx: ctx, ws: ws, w: w, opt: opt,
		r:     rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x6d657361)),
		cal:   calendar.New(loc, []calendar.Holiday{{Date: closure.Date, Name: closure.Name}}, w.Config.Hours),
		plans: map[int]*plan{}, surveys: map[int]*surveyPlan{}, handedOver: map[int]string{},
	}
	start := time.Date(opt.Start.Year(), opt.Start.Month(), opt.Start.Day(), 0, 0, 0, 0, loc)
	end := start.AddDate(0, 0, 7*opt.Weeks)
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		if s.cal.IsBusinessDay(d) {
			s.days = append(s.days, d)
		}
	}
	s.lastRequestDay = len(s.days) - 1
	d := s.days[len(s.days)-1]
	for range opt.TailDays {
		d = s.cal.AddBusinessDays(d, 1)
		s.days = append(s.days, d)
	}
	s.final = s.cal.AddBusinessDays(d, 1).Add(cycleTimes[0])
	staff := newPeople(s.r, 40+opt.Requests/3)
	s.reqs = newRequests(s.r, opt.Requests, s.days[:s.lastRequestDay+1], staff)
	// A bad input on purpose: someone sends the form without a description on
	// the first morning, and sends it again complete a few minutes later.
	if len(s.reqs) > 3 {
		bad := s.reqs[2]
		bad.At, bad.Description = bad.At.Add(-4*time.Minute), ""
		s.reqs = append(s.reqs[:2], append([]request{bad}, s.reqs[2:]...)...)
	}
	// In the third week an agent is out sick for two days.
	if s.lastRequestDay >= 14 {
		s.absent = absence{agent: agents[2].Name, backup: agents[4].Name, from: 10, to: 11}
	} else {
		s.absent = absence{from: -1, to: -1}
	}
	return s
}

// play runs the business days: requests arrive, cycles run at fixed times,
// and between cycles people read the workbook and answer.
func (s *sim) play() error {
	next := 0
	for i, day := range s.days {
		s.today = i
		prev := day
		for k, at := range cycleTimes {
			now := day.Add(at)
			for next < len(s.reqs) && s.reqs[next].At.Before(now) {
				if err := s.submitRequest(s.reqs[next]); err != nil {
					return err
				}
				next++
			}
			if k > 0 {
				if err := s.act(prev, now); err != nil {
					return err
				}
			}
			if err := s.cycle(now); err != nil {
				return err
			}
			prev = now
		}
		if s.opt.Progress != nil && (i == len(s.days)-1 || isoWeek(s.days[i+1]) != isoWeek(day)) {
			s.progress(day)
		}
	}
	if err := s.cycle(s.final); err != nil {
		return err
	}
	// A cycle whose outbox claim landed slowly leaves that mail to a later
	// cycle (the worker's claim protocol); in production the next sync comes
	// minutes later. So does it here, until the outbox is empty.
	for i := 1; i <= 5; i++ {
		n, err := s.unsent()
		if err != nil || n == 0 {
			return err
		}
		if err := s.cycle(s.final.Add(time.Duration(i) * 20 * time.Minute)); err != nil {
			return err
		}
	}
	return nil
}

// unsent counts the Notificaciones rows not yet sent nor failed.
func (s *sim) unsent() (int, error) {
	vals, err := s.ws.Sheets.Read(s.ctx, []string{workbook.Notificaciones.Name})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range workbook.NewTable(workbook.Notificaciones, vals[0]).Records() {
		if st := r.Get("Estado"); st == worker.Pending || st == worker.Sending {
			n++
		}
	}
	return n, nil
}

func (s *sim) progress(day time.Time) {
	t := s.week
	fmt.Fprintf(s.opt.Progress, "semana del %s: %s, %s, %s, %s\n", monday(day).Format("2006-01-02"), plural(t.requests, "solicitud", "solicitudes"),
		plural(t.responses, "respuesta de agente", "respuestas de agente"), plural(t.reassignments, "reasignación", "reasignaciones"),
		plural(t.surveys, "encuesta respondida", "encuestas respondidas"))
	s.week = weekTally{}
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

func isoWeek(t time.Time) int {
	_, w := t.ISOWeek()
	return w
}

func monday(t time.Time) time.Time {
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

func (s *sim) cycle(now time.Time) error {
	rep, err := s.w.Cycle(s.ctx, now, false)
	if err != nil {
		return fmt.Errorf("cycle at %s: %w", now.Format(time.RFC3339), err)
	}
	s.cycles++
	if rep.Mail.Deferred > 0 && s.w.Config.ClaimSettle < time.Second {
		s.w.Config.ClaimSettle *= 2
	}
	return nil
}

// submit sends a form response as respondent at the instant, with answers
// keyed by field and turned into the form's question titles.
func (s *sim) submit(form procedure.Form, respondent string, at time.Time, answers map[procedure.Field]string) error {
	fc := s.w.Config.Forms[form]
	byTitle := map[string]string{}
	for f, v := range answers {
		title, ok := fc.Questions[f]
		if !ok {
			return fmt.Errorf("form %s has no question for %s", form, f)
		}
		byTitle[title] = v
	}
	if _, err := s.ws.Fake.SubmitResponse(fc.ID, respondent, at, byTitle); err != nil {
		return fmt.Errorf("submit %s response: %w", form, err)
	}
	s.submitted++
	return nil
}

func (s *sim) submitRequest(q request) error {
	s.week.requests++
	return s.submit(procedure.Solicitudes, q.Who.Email, q.At, map[procedure.Field]string{
		procedure.FName: q.Who.Name, procedure.FDependencia: q.Who.Dependencia, procedure.FBuilding: q.Who.Building,
		procedure.FService: q.Service.Type, procedure.FDescription: q.Description, procedure.FPhone: q.Who.Phone,
		// The form's Categoría drop-down, answered as the Catálogo classes
		// the service, so the demo's Casos and Looker rows have categories.
		procedure.FCategory: q.Service.Category,
	})
}

// when draws an instant in the window between two cycles, within office
// hours (08:00 to 17:00).
func (s *sim) when(from, to time.Time) time.Time {
	lo := from.Add(5 * time.Minute)
	if h := s.days[s.today].Add(8 * time.Hour); lo.Before(h) {
		lo = h
	}
	hi := to.Add(-5 * time.Minute)
	if h := s.days[s.today].Add(17 * time.Hour); hi.After(h) {
		hi = h
	}
	span := int64(hi.Sub(lo) / time.Second)
	if span <= 0 {
		return lo
	}
	return lo.Add(time.Duration(s.r.Int64N(span)) * time.Second)
}

// caseRow is what people read of a case in the Casos tab.
type caseRow struct {
	n                                     int
	state, agent, service, desc, building string
}

type surveyRow struct {
	n                   int
	email, invited, ans string
}

// read is what people see when they open the workbook: the Casos and
// Encuestas tabs, read through the Sheets client.
func (s *sim) read() ([]caseRow, []surveyRow, error) {
	vals, err := s.ws.Sheets.Read(s.ctx, []string{workbook.Casos.Name, workbook.Encuestas.Name})
	if err != nil {
		return nil, nil, err
	}
	var cases []caseRow
	for _, r := range workbook.NewTable(workbook.Casos, vals[0]).Records() {
		n, err := strconv.Atoi(r.Get("Caso"))
		if err != nil {
			continue
		}
		cases = append(cases, caseRow{n: n, state: r.Get("Estado"), agent: r.Get("Agente asignado"), service: r.Get("Tipo de servicio"),
			desc: r.Get("Descripción"), building: r.Get("Edificio")})
	}
	var surveys []surveyRow
	for _, r := range workbook.NewTable(workbook.Encuestas, vals[1]).Records() {
		n, err := strconv.Atoi(r.Get("Caso"))
		if err != nil {
			continue
		}
		surveys = append(surveys, surveyRow{n: n, email: r.Get("Correo"), invited: r.Get("Invitación"), ans: r.Get("Respuesta")})
	}
	return cases, surveys, nil
}

// act is what people do between two cycles of a business day.
func (s *sim) act(from, to time.Time) error {
	cases, surveys, err := s.read()
	if err != nil {
		return err
	}
	for _, c := range cases {
		if want, ok := s.handedOver[c.n]; ok && c.agent == want {
			delete(s.handedOver, c.n)
		}
	}
	pm := from.Sub(s.days[s.today]) >= 12*time.Hour
	if err := s.administrator(cases, from, to); err != nil {
		return err
	}
	if err := s.agentsWork(cases, from, to, pm); err != nil {
		return err
	}
	return s.users(surveys, from, to, pm)
}

func itoa(n int) string { return strconv.Itoa(n) }
