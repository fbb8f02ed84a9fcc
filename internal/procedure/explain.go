package procedure

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Describe says in Spanish what an event did, for the Historial tab and
// `mesa explain`.
func Describe(e Event, loc *time.Location) string {
	d := e.Data
	switch e.Kind {
	case KRegistered:
		s := fmt.Sprintf("Solicitud registrada como caso %d: %s (%s).", e.Case, d.Service, firstLine(d.Description, 80))
		if d.Category != "" {
			s += " Categoría: " + d.Category + "."
		}
		if d.Location != "" {
			s += " Locación: " + d.Location + "."
		}
		return s
	case KImported:
		return fmt.Sprintf("Caso %d importado del libro existente, en estado %s.", e.Case, d.State)
	case KAssigned:
		if d.Agent == Unassigned {
			return "Sin asignar. " + d.Note
		}
		return fmt.Sprintf("Asignado a %s. %s", d.Agent, d.Note)
	case KReassigned:
		s := fmt.Sprintf("Reasignado de %s a %s por %s. Criterio: %s.", d.Previous, d.Agent, d.By, d.Criterion)
		if d.Note != "" {
			s += " Observaciones: " + d.Note
		}
		return s
	case KAttended:
		s := fmt.Sprintf("%s registró el estado %s", d.Agent, d.State)
		if d.WaitReason != "" {
			s += " por " + d.WaitReason
		}
		if v, err := time.Parse("2006-01-02", d.VisitDate); err == nil {
			s += ", nueva visita el " + v.Format("02/01/2006")
		}
		if t := parseTime(d.Deadline); !t.IsZero() {
			s += fmt.Sprintf("; si no hay disponibilidad pasa a Resuelto el %s", t.In(loc).Format("02/01/2006 15:04"))
		}
		s += "."
		if d.Activities != "" {
			s += " Actividades: " + firstLine(d.Activities, 120)
		}
		if d.State == InfoInsuficiente || d.State == NoProcedente {
			s = fmt.Sprintf("%s cerró el caso como %s. Motivo informado al usuario: %s", d.Agent, d.State, firstLine(d.Activities, 160))
		}
		if d.Lesson {
			s += " Marcado para lección aprendida (Funza paso 9)."
		}
		return s
	case KAutoSolved, KSurveyClose, KReminded, KReviewed, KProblem, KAwaiting, KArchived, KAnonymized:
		return d.Note
	case KRejected:
		return "Respuesta rechazada: " + d.Reason
	case KInvited:
		if d.Week != "" {
			return fmt.Sprintf("Invitado a la encuesta de satisfacción (muestra de la semana %s del agente %s).", d.Week, d.Agent)
		}
		s := "Encuesta de satisfacción enviada al cierre del caso"
		if t := parseTime(d.Deadline); !t.IsZero() {
			s += fmt.Sprintf("; abierta hasta el %s", t.AddDate(0, 0, -1).In(loc).Format("02/01/2006"))
		}
		return s + "."
	case KWeekSampled:
		return fmt.Sprintf("Muestra semanal de encuestas de la semana %s tomada.", d.Week)
	case KSurveyed:
		return fmt.Sprintf("Encuesta respondida: calificación %d, ¿solucionado? %s.", d.Rating, orDash(d.Solved))
	}
	return string(e.Kind)
}

func firstLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// Explain prints the history of a case under the procedure the book was
// folded with: the procedure's name, then each decision with its rule and
// the step of that procedure it implements, and the Problemas the case is
// part of.
func Explain(b *Book, n int, loc *time.Location) (string, bool) {
	c := b.Case(n)
	if c == nil {
		return "", false
	}
	p := b.Procedure()
	var sb strings.Builder
	fmt.Fprintf(&sb, "Caso %d — %s — estado actual: %s", n, c.Service, c.State)
	if c.WaitReason != "" {
		fmt.Fprintf(&sb, " (%s)", c.WaitReason)
	}
	fmt.Fprintf(&sb, "\nAgente asignado: %s\nProcedimiento: %s\n\n", c.Agent, p.Document)
	line := func(e Event) {
		fmt.Fprintf(&sb, "%s  [%s · %s]\n    %s\n", e.At.In(loc).Format("2006-01-02 15:04"), e.Rule, p.Step(e.Rule).Step, Describe(e, loc))
	}
	for _, e := range b.Events(n) {
		line(e)
	}
	for _, e := range b.Problems() {
		if slices.Contains(e.Data.Cases, n) {
			line(e)
			fmt.Fprintf(&sb, "    %s\n", ProblemWindowNote(e, loc))
		}
	}
	if !c.Due.IsZero() {
		estado := "dentro del ANS"
		if c.Overdue {
			estado = "VENCIDO"
		}
		fmt.Fprintf(&sb, "\nVence ANS: %s (%s)\n", c.Due.In(loc).Format("2006-01-02 15:04"), estado)
	}
	return sb.String(), true
}

// ProblemWindowNote says how a Problema's window was chosen. PD-GT-1
// defines a Problema as a case "reportado como mínimo 20 veces" and sets no
// period; counting since the desk began would make every frequent service a
// Problema forever, so mesa counts within a window of calendar days
// (rules.problem_window_days, 30 by default), a design choice.
func ProblemWindowNote(e Event, loc *time.Location) string {
	s := "Ventana de conteo"
	if until := parseTime(e.Data.Until); !until.IsZero() {
		s += " hasta el " + until.In(loc).Format("02/01/2006 15:04")
	}
	return s + ": PD-GT-1 define el Problema como un caso «reportado como mínimo 20 veces» sin fijar un periodo; " +
		"contar desde el inicio de la mesa volvería Problema para siempre a todo servicio frecuente, así que mesa cuenta dentro de una " +
		"ventana configurable de días calendario (rules.problem_window_days, 30 por defecto). Es una decisión de diseño, no del procedimiento."
}
