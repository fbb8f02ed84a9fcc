package demo

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

// Summary is what the demo left in the workbook, as the terminal shows it.
type Summary struct {
	From, To   time.Time // first and last cycle
	Days       int       // business days played
	Cycles     int
	Requests   int // Solicitudes responses submitted
	Responses  int // form responses submitted, all forms
	Cases      []int
	ByState    []Count
	ByAgent    []Count
	Reassigned int
	AutoSolved []int // cases resolved by F-5c
	Rejections []Rejection
	MailSent   int
	MailByKind []Count
	Invited    int
	Answered   int
	MeanRating float64

	Workbook, MailDir, Workspace string
	MailFiles                    int
	Files                        []File // what to open, in order

	mailNames map[string]string // Gmail id -> file label
}

// Count is a name and how many.
type Count struct {
	Name string
	N    int
}

// File is something the demo left for a person to open.
type File struct{ Label, Path, Note string }

// Rejection is a row of the Rechazos tab.
type Rejection struct {
	Form, Email string
	Case        int
	Reason      string
}

// summarize reads the workbook through the Sheets client, as a person
// opening it would.
func summarize(ctx context.Context, ws *backend.Workspace, s *sim) (*Summary, error) {
	tabs := []workbook.Tab{workbook.Casos, workbook.Rechazos, workbook.Notificaciones, workbook.Historial, workbook.Encuestas}
	names := make([]string, len(tabs))
	for i, t := range tabs {
		names[i] = t.Name
	}
	vals, err := ws.Sheets.Read(ctx, names)
	if err != nil {
		return nil, err
	}
	t := map[string][]workbook.Record{}
	for i, tab := range tabs {
		t[tab.Name] = workbook.NewTable(tab, vals[i]).Records()
	}
	sum := &Summary{From: s.days[0].Add(cycleTimes[0]), To: s.final, Days: len(s.days), Cycles: s.cycles,
		Requests: len(s.reqs), Responses: s.submitted, mailNames: map[string]string{}}
	states, byAgent := map[string]int{}, map[string]int{}
	for _, r := range t[workbook.Casos.Name] {
		n, _ := strconv.Atoi(r.Get("Caso"))
		sum.Cases = append(sum.Cases, n)
		states[r.Get("Estado")]++
		byAgent[r.Get("Agente asignado")]++
		k, _ := strconv.Atoi(r.Get("Reasignaciones"))
		sum.Reassigned += k
	}
	sort.Ints(sum.Cases)
	sum.ByState, sum.ByAgent = counts(states), counts(byAgent)
	for _, r := range t[workbook.Rechazos.Name] {
		n, _ := strconv.Atoi(r.Get("Caso"))
		sum.Rejections = append(sum.Rejections, Rejection{Form: r.Get("Formulario"), Email: r.Get("Correo"), Case: n, Reason: r.Get("Motivo")})
	}
	kinds := map[string]int{}
	for _, r := range t[workbook.Notificaciones.Name] {
		if r.Get("Estado") != worker.Sent {
			continue
		}
		sum.MailSent++
		kinds[r.Get("Tipo")]++
		label := r.Get("Tipo")
		if c := r.Get("Caso"); c != "" {
			label += "-caso-" + c
		}
		sum.mailNames[r.Get("ID Gmail")] = strings.ReplaceAll(label, "_", "-")
	}
	sum.MailByKind = counts(kinds)
	for _, r := range t[workbook.Historial.Name] {
		if r.Get("Regla") == string(procedure.F5c) {
			n, _ := strconv.Atoi(r.Get("Caso"))
			sum.AutoSolved = append(sum.AutoSolved, n)
		}
	}
	sort.Ints(sum.AutoSolved)
	total := 0
	for _, r := range t[workbook.Encuestas.Name] {
		if r.Get("Invitación") != "" {
			sum.Invited++
		}
		if k, err := strconv.Atoi(r.Get("Calificación")); err == nil && k > 0 {
			sum.Answered++
			total += k
		}
	}
	if sum.Answered > 0 {
		sum.MeanRating = float64(total) / float64(sum.Answered)
	}
	return sum, nil
}

// counts sorts a tally by count, then name.
func counts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Print writes the summary for the terminal, in Spanish: it is what the
// office sees of the demo.
func (s *Summary) Print(w io.Writer) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }
	p("")
	p("mesa demo: Alcaldía de Funza, del %s al %s (%s, %s)",
		spanishDay(s.From), spanishDay(s.To), plural(s.Days, "día hábil", "días hábiles"), plural(s.Cycles, "ciclo", "ciclos"))
	p("")
	numbering := "ningún caso"
	if n := len(s.Cases); n > 0 {
		numbering = fmt.Sprintf("%d casos numerados del %d al %d", n, s.Cases[0], s.Cases[n-1])
		if s.Cases[n-1]-s.Cases[0]+1 != n {
			numbering += " (¡CON SALTOS!)"
		}
	}
	p("Solicitudes   %d enviadas, %s (%d respuestas de formularios en total)", s.Requests, numbering, s.Responses)
	p("Por estado    %s", join(s.ByState))
	p("Por agente")
	for _, c := range s.ByAgent {
		p("  %-34s %3d", c.Name, c.N)
	}
	p("Reasignados   %s por el Administrador (F-4)", plural(s.Reassigned, "vez", "veces"))
	auto := "ninguno"
	if len(s.AutoSolved) > 0 {
		auto = fmt.Sprintf("%s (%s)", plural(len(s.AutoSolved), "caso", "casos"), ints(s.AutoSolved))
	}
	p("F-5c          resueltos tras ocho días hábiles sin el usuario: %s", auto)
	p("Encuestas     %d invitaciones, %d respondidas, calificación media %s", s.Invited, s.Answered, strings.Replace(fmt.Sprintf("%.1f", s.MeanRating), ".", ",", 1))
	p("Rechazos      %d (pestaña Rechazos)", len(s.Rejections))
	for _, r := range s.Rejections {
		c := ""
		if r.Case > 0 {
			c = fmt.Sprintf(" caso %d", r.Case)
		}
		p("  - %s%s: %s", r.Form, c, r.Reason)
	}
	p("Correos       %d enviados: %s", s.MailSent, join(s.MailByKind))
	p("")
	p("Para abrir:")
	for _, f := range s.Files {
		note := ""
		if f.Note != "" {
			note = " (" + f.Note + ")"
		}
		p("  %-10s %s%s", f.Label, f.Path, note)
	}
}

// spanishDay writes "lun 2026-03-02".
func spanishDay(t time.Time) string {
	return [...]string{"dom", "lun", "mar", "mié", "jue", "vie", "sáb"}[t.Weekday()] + " " + t.Format("2006-01-02")
}

func join(cs []Count) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s %d", c.Name, c.N)
	}
	return strings.Join(parts, ", ")
}

func ints(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// plural writes "1 caso" or "3 casos".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
