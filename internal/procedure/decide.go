package procedure

import (
	"fmt"
	"net/mail"
	"sort"
	"strings"
	"time"
)

// register applies a Solicitudes response: Funza paso 2 (a consecutive case
// number) and paso 3 (assignment by building, dependencia or service).
func (f *fold) register(r Response) {
	email := r.Answer(FEmail)
	if email == "" {
		email = r.Email
	}
	if _, err := mail.ParseAddress(email); err != nil {
		f.reject(r, 0, "La solicitud no tiene un correo electrónico válido para informar el número de caso.")
		return
	}
	if r.Answer(FDescription) == "" {
		f.reject(r, 0, "La solicitud no describe el servicio requerido (campo «Descripción de la solicitud» vacío).")
		return
	}
	n := f.book.last + 1 // F-2: gap-free, in order of first observation, never reused
	rule := F2
	if f.Set.Profile == SCJBogota {
		rule = S1
	}
	d := Data{
		Form: r.Form, Requester: r.Answer(FName), Email: email, Phone: r.Answer(FPhone),
		Dependencia: r.Answer(FDependencia), Building: r.Answer(FBuilding),
		Service: r.Answer(FService), Category: r.Answer(FCategory), Description: r.Answer(FDescription),
	}
	f.emit(Event{ID: eventID(string(F2), r.ID), At: r.Submitted, Case: n, Rule: rule, Kind: KRegistered, Response: r.ID, Data: d})
	f.assign(f.book.cases[n], r.Submitted)
}

// assign is Funza paso 3: building services go to the agent whose Edificios
// list the case's building or dependencia; redes, telefonía, cuentas de
// correo and copias de seguridad go by Servicios (definición 14, nota 1).
// Ties go to the agent with fewer open cases, then by name.
func (f *fold) assign(c *Case, at time.Time) {
	byService := false
	for _, s := range f.Set.NonBuildingServices {
		byService = byService || same(s, c.Service)
	}
	var fits []*Agent
	for i := range f.in.Agents {
		a := &f.in.Agents[i]
		if !a.Active || !(a.Role == RoleAgent || a.Role == "") {
			continue
		}
		list, keys := a.Buildings, []string{c.Building, c.Dependencia}
		if byService {
			list, keys = a.Services, []string{c.Service}
		}
		if containsAny(list, keys) {
			fits = append(fits, a)
		}
	}
	sort.SliceStable(fits, func(i, j int) bool {
		oi, oj := f.book.open[fits[i].Name], f.book.open[fits[j].Name]
		if oi != oj {
			return oi < oj
		}
		return fits[i].Name < fits[j].Name
	})
	d := Data{Agent: Unassigned}
	switch {
	case len(fits) == 0 && byService:
		d.Note = fmt.Sprintf("Ningún agente activo atiende el servicio «%s»: el Administrador debe reasignarlo.", c.Service)
	case len(fits) == 0:
		d.Note = fmt.Sprintf("Ningún agente activo tiene asignado el edificio «%s» ni la dependencia «%s»: el Administrador debe reasignarlo.", c.Building, c.Dependencia)
	default:
		d.Agent, d.Email = fits[0].Name, fits[0].Email
		if byService {
			d.Note = fmt.Sprintf("Asignado por servicio (%s).", c.Service)
		} else {
			d.Note = "Asignado por edificio o dependencia."
		}
		if len(fits) > 1 {
			d.Note += fmt.Sprintf(" %d agentes posibles: se eligió el de menos casos abiertos.", len(fits))
		}
	}
	f.emit(Event{ID: eventID(string(F3), caseKey(c.Number)), At: at, Case: c.Number, Rule: F3, Kind: KAssigned, Data: d})
}

func containsAny(list, keys []string) bool {
	for _, l := range list {
		for _, k := range keys {
			if k != "" && same(l, k) {
				return true
			}
		}
	}
	return false
}

// caseFor finds the case a response refers to, rejecting it when the number
// is missing or unknown.
func (f *fold) caseFor(r Response) *Case {
	raw := r.Answer(FCase)
	n, ok := ParseCaseNumber(raw)
	if !ok {
		f.reject(r, 0, fmt.Sprintf("El número de caso «%s» no es válido: escriba solo el número, por ejemplo 1024.", raw))
		return nil
	}
	c := f.book.cases[n]
	if c == nil {
		f.reject(r, 0, fmt.Sprintf("El caso %d no existe en la mesa de ayuda.", n))
		return nil
	}
	return c
}

func (f *fold) agent(email string) *Agent { return f.byEmail[norm(email)] }

func (f *fold) isAdmin(email string) bool {
	a := f.agent(email)
	return a != nil && a.Active && a.Role == RoleAdmin
}

// attend applies a Respuesta del agente: Funza paso 5, with 6 (garantía), 7
// (escalamiento), the eight-business-day rule and 9 (lecciones).
func (f *fold) attend(r Response) {
	c := f.caseFor(r)
	if c == nil {
		return
	}
	a := f.agent(r.Email)
	switch {
	case a == nil || !a.Active:
		f.reject(r, c.Number, fmt.Sprintf("Quien responde (%s) no es un agente activo de la mesa de ayuda.", r.Email))
		return
	case a.Role != RoleAdmin && !same(a.Name, c.Agent):
		f.reject(r, c.Number, fmt.Sprintf("El caso %d está asignado a %s: solo el agente asignado o un Administrador pueden responderlo.", c.Number, c.Agent))
		return
	case c.State.Closed():
		f.reject(r, c.Number, fmt.Sprintf("El caso %d ya está %s desde el %s: no admite más respuestas.", c.Number, c.State, c.StateAt.In(f.Cal.Location()).Format("02/01/2006")))
		return
	}
	state, ok := oneOf(r.Answer(FState), string(Resuelto), string(NoResuelto), string(EnEspera))
	if !ok {
		f.reject(r, c.Number, fmt.Sprintf("El estado «%s» no es válido: use Resuelto, No Resuelto o En Espera.", r.Answer(FState)))
		return
	}
	d := Data{Form: r.Form, By: r.Email, Agent: a.Name, State: State(state),
		Activities: r.Answer(FActivities), Concept: r.Answer(FConcept), Lesson: yes(r.Answer(FLesson))}
	rule := F5
	switch d.State {
	case NoResuelto:
		// Funza definición 5 and paso 6: a device left not operative is documented with a concepto técnico.
		if d.Concept == "" {
			f.reject(r, c.Number, "Un caso No Resuelto requiere el Concepto técnico del dispositivo.")
			return
		}
	case EnEspera:
		reason, ok := oneOf(r.Answer(FWaitReason), WaitWarranty, WaitEscalation, WaitAvailability)
		if !ok {
			f.reject(r, c.Number, fmt.Sprintf("El motivo de espera «%s» no es válido: use Garantía, Escalamiento o Disponibilidad del usuario.", r.Answer(FWaitReason)))
			return
		}
		d.WaitReason = reason
		if raw := r.Answer(FVisitDate); raw != "" {
			day, ok := ParseDate(raw, f.Cal.Location())
			if !ok {
				f.reject(r, c.Number, fmt.Sprintf("La fecha acordada de nueva visita «%s» no es una fecha válida (use dd/mm/aaaa).", raw))
				return
			}
			d.VisitDate = day.Format("2006-01-02")
		}
		switch reason {
		case WaitWarranty:
			rule = F6
		case WaitEscalation:
			rule = F7
		case WaitAvailability:
			// Funza definición 7: after eight business days without the user's
			// availability the case becomes Resuelto. A new response restarts the count.
			d.Deadline = f.waitDeadline(r.Submitted).Format(time.RFC3339)
		}
	}
	f.emit(Event{ID: eventID(string(F5), r.ID), At: r.Submitted, Case: c.Number, Rule: rule, Kind: KAttended, Response: r.ID, Data: d})
	if f.Set.Profile == SCJBogota && (d.State == Resuelto || d.State == NoResuelto) {
		f.inviteAtClosure(c, r.Submitted)
	}
}

// waitDeadline is the instant F-5c fires for a wait that started at t: 00:00
// (America/Bogota) of the day after the WaitDays-th business day, counting
// from the day after t.
func (f *fold) waitDeadline(t time.Time) time.Time {
	last := f.Cal.AddBusinessDays(t, f.Set.WaitDays)
	return last.AddDate(0, 0, 1)
}

// timer fires the deadline of a case.
func (f *fold) timer(c *Case) {
	at := c.deadline
	switch {
	case c.State == EnEspera && c.WaitReason == WaitAvailability:
		note := fmt.Sprintf("Resuelto automáticamente el %s: %d días hábiles sin disponibilidad del usuario (regla F-5c, Funza paso 5).",
			at.In(f.Cal.Location()).Format("02/01/2006 15:04"), f.Set.WaitDays)
		f.emit(Event{ID: eventID(string(F5c), caseKey(c.Number), at.UTC().Format(time.RFC3339)), At: at, Case: c.Number,
			Rule: F5c, Kind: KAutoSolved, Data: Data{State: Resuelto, Note: note}})
	case c.State == Resuelto || c.State == NoResuelto:
		f.closeUnanswered(c, at)
	default:
		// A stale timer (the case moved on): drop it without a journal entry.
		c.deadline = time.Time{}
		delete(f.book.timers, c.Number)
	}
}

// reassign applies the Reasignación form: Funza paso 4 and definición 14.
func (f *fold) reassign(r Response) {
	c := f.caseFor(r)
	if c == nil {
		return
	}
	if !f.isAdmin(r.Email) {
		f.reject(r, c.Number, fmt.Sprintf("Solo un Administrador puede reasignar casos; %s no lo es.", r.Email))
		return
	}
	criterion, ok := oneOf(r.Answer(FCriterion), Criteria...)
	if !ok {
		f.reject(r, c.Number, fmt.Sprintf("El criterio «%s» no es uno de los tres del procedimiento: %s.", r.Answer(FCriterion), strings.Join(Criteria, "; ")))
		return
	}
	if c.State.Closed() {
		f.reject(r, c.Number, fmt.Sprintf("El caso %d ya está %s: no se puede reasignar.", c.Number, c.State))
		return
	}
	want := r.Answer(FNewAgent)
	to := f.byName[norm(want)]
	if to == nil {
		to = f.agent(want)
	}
	switch {
	case to == nil:
		f.reject(r, c.Number, fmt.Sprintf("El agente «%s» no existe en la pestaña Agentes.", want))
		return
	case !to.Active:
		f.reject(r, c.Number, fmt.Sprintf("El agente %s no está activo.", to.Name))
		return
	case same(to.Name, c.Agent):
		f.reject(r, c.Number, fmt.Sprintf("El caso %d ya está asignado a %s.", c.Number, to.Name))
		return
	}
	f.emit(Event{ID: eventID(string(F4), r.ID), At: r.Submitted, Case: c.Number, Rule: F4, Kind: KReassigned, Response: r.ID,
		Data: Data{Form: r.Form, By: r.Email, Agent: to.Name, Email: to.Email, Previous: c.Agent, Criterion: criterion, Note: r.Answer(FObservations)}})
}

// survey applies an Encuesta de satisfacción: Funza paso 8 (voluntary, any
// user served may answer) and PD-GT-1 actividad 7.
func (f *fold) survey(r Response) {
	c := f.caseFor(r)
	if c == nil {
		return
	}
	raw := r.Answer(FRating)
	rating := 0
	if _, err := fmt.Sscan(raw, &rating); err != nil || rating < 1 || rating > 5 {
		f.reject(r, c.Number, fmt.Sprintf("La calificación «%s» no es válida: debe ser un número de 1 a 5.", raw))
		return
	}
	if c.Rating != 0 {
		f.reject(r, c.Number, fmt.Sprintf("La encuesta del caso %d ya fue respondida.", c.Number))
		return
	}
	if c.Solved.IsZero() {
		f.reject(r, c.Number, fmt.Sprintf("El caso %d aún no ha sido atendido: la encuesta se responde después de la atención.", c.Number))
		return
	}
	rule := F8
	if f.Set.Profile == SCJBogota {
		rule = S7
	}
	f.emit(Event{ID: eventID(string(F8), r.ID), At: r.Submitted, Case: c.Number, Rule: rule, Kind: KSurveyed, Response: r.ID,
		Data: Data{Form: r.Form, By: r.Email, Rating: rating, Solved: r.Answer(FSolved), Comments: r.Answer(FComments)}})
	if f.Set.Profile == SCJBogota {
		f.afterSurvey(c, r.Submitted)
	}
}

// Satisfied reports whether a rating counts as satisfied for the indicator.
func (s Settings) Satisfied(rating int) bool { return rating >= s.SatisfiedFrom }
