package procedure

import (
	"fmt"
	"net/mail"
	"sort"
	"strings"
	"time"
)

// register applies a Solicitudes response: Funza paso 2 (a consecutive case
// number) and paso 3 (assignment); in scj-bogota PD-GT-1 actividades 10 and
// 11 (register and tell the ticket), 14 (category) and the locativo
// decisions.
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
	// F-2: gap-free, in order of first observation, never reused. A rejected
	// request (above) consumes no number.
	n := f.book.last + 1
	d := Data{
		Form: r.Form, Requester: r.Answer(FName), Email: email, Phone: r.Answer(FPhone),
		Dependencia: r.Answer(FDependencia), Building: r.Answer(FBuilding),
		Service: r.Answer(FService), Category: r.Answer(FCategory), Description: r.Answer(FDescription),
	}
	rule := F2
	if f.Set.scj() {
		rule = S1
		d.Category = f.category(d.Category, d.Service)
		if f.locative(d.Service) {
			d.Location = location(r.Answer(FLocation))
		}
	}
	f.emit(Event{ID: eventID(string(F2), r.ID), At: r.Submitted, Case: n, Rule: rule, Kind: KRegistered, Response: r.ID, Data: d})
	c := f.book.cases[n]
	f.assign(c, r.Submitted)
	if f.Set.scj() {
		f.detectProblem(c)
	}
}

// category is PD-GT-1 actividad 14: the request is an orientation, a
// requirement or an incident. The requester's answer wins when it names one
// of them; otherwise the Catálogo's category of the service; otherwise it
// stays blank for the agent to decide.
func (f *fold) category(answer, service string) string {
	if c := canonicalCategory(answer); c != "" {
		return c
	}
	if s, ok := f.catalog[f.book.keys.of(service)]; ok {
		if c := canonicalCategory(s.Category); c != "" {
			return c
		}
		return s.Category
	}
	return answer
}

func canonicalCategory(s string) string {
	switch norm(s) {
	case "informativo", "orientacion", "informativo/orientacion", "informativo / orientacion", "consulta", "informativo u orientacion":
		return CatOrientacion
	case "requerimiento":
		return CatRequerimiento
	case "incidente":
		return CatIncidente
	}
	return ""
}

// locative reports whether a service is a locativo requirement (PD-GT-1
// decision «¿Es un requerimiento locativo?»).
func (f *fold) locative(service string) bool {
	_, ok := oneOf(service, f.Set.LocativeServices...)
	return ok
}

// location reads the answer to «¿Locación propia o en arriendo?».
func location(s string) string {
	k := norm(s)
	switch {
	case k == "":
		return ""
	case strings.Contains(k, "arriendo") || strings.Contains(k, "arrendad"):
		return LocArriendo
	case strings.Contains(k, "propia"):
		return LocPropia
	}
	return ""
}

// assign is Funza paso 3: building services go to the agent whose Edificios
// list the case's building or dependencia; redes, telefonía, cuentas de
// correo and copias de seguridad go by Servicios (definición 14, nota 1).
// Ties go to the agent with fewer open cases, then by name. In scj-bogota a
// locativo requirement goes by Servicios too, to the agent of the area that
// handles it (rule S-L), and every other case is routed the same way as in
// Funza under rule S-14 (actividades 17 and 19: "enrutar el caso").
func (f *fold) assign(c *Case, at time.Time) {
	rule := F3
	if f.Set.scj() {
		rule = S14
	}
	_, byService := oneOf(c.Service, f.Set.NonBuildingServices...)
	if f.Set.scj() && f.locative(c.Service) {
		rule, byService = SL, true
	}
	keys := []string{f.book.keys.of(c.Building), f.book.keys.of(c.Dependencia)}
	if byService {
		keys = []string{f.book.keys.of(c.Service)}
	}
	var fits []*Agent
	for i := range f.in.Agents {
		a := &f.in.Agents[i]
		if !a.Active || !(a.Role == RoleAgent || a.Role == "") {
			continue
		}
		list := f.serves[a].buildings
		if byService {
			list = f.serves[a].services
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
	if rule == SL {
		d.Note += " " + locativeNote(c.Location)
	}
	f.emit(Event{ID: eventID(string(F3), caseKey(c.Number)), At: at, Case: c.Number, Rule: rule, Kind: KAssigned, Data: d})
}

// locativeNote says where a locativo requirement is escalated. PD-GT-1 sends
// "Locación propia" to "Actividad 9" and "en arriendo" to "Actividad 10",
// but the activities that escalate them are numbered 12 (Recursos Físicos)
// and 13 (Dirección Técnica): the note cites those, which is what the
// decision means.
func locativeNote(loc string) string {
	switch loc {
	case LocPropia:
		return "Requerimiento locativo en locación propia: se escala a Recursos Físicos (PD-GT-1 actividad 12)."
	case LocArriendo:
		return "Requerimiento locativo en locación en arriendo: se escala a la Dirección Técnica por correo electrónico (PD-GT-1 actividad 13)."
	}
	return "Requerimiento locativo: la solicitud no dice si la locación es propia o en arriendo; el agente lo determina (PD-GT-1)."
}

func containsAny(set map[string]bool, keys []string) bool {
	for _, k := range keys {
		if k != "" && set[k] {
			return true
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
// (escalamiento), the eight-business-day rule and 9 (lecciones); in
// scj-bogota also PD-GT-1 actividad 6 and the two closing outcomes of the
// decisions «¿Información insuficiente?» and «¿La solicitud es procedente?».
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
		f.reject(r, c.Number, fmt.Sprintf("El caso %d ya está %s desde el %s: no admite más respuestas.", c.Number, c.State, f.day(c.StateAt)))
		return
	}
	states := []string{string(Resuelto), string(NoResuelto), string(EnEspera)}
	if f.Set.scj() {
		states = append(states, string(InfoInsuficiente), string(NoProcedente))
	}
	state, ok := oneOf(r.Answer(FState), states...)
	if !ok {
		f.reject(r, c.Number, fmt.Sprintf("El estado «%s» no es válido: use %s.", r.Answer(FState), orList(states)))
		return
	}
	d := Data{Form: r.Form, By: r.Email, Agent: a.Name, State: State(state),
		Activities: r.Answer(FActivities), Concept: r.Answer(FConcept), Lesson: yes(r.Answer(FLesson))}
	rule := F5
	if f.Set.scj() {
		rule = S6
	}
	switch d.State {
	case NoResuelto:
		// Funza definición 5 and paso 6: a device left not operative is documented with a concepto técnico.
		if d.Concept == "" {
			f.reject(r, c.Number, "Un caso No Resuelto requiere el Concepto técnico del dispositivo.")
			return
		}
	case InfoInsuficiente, NoProcedente:
		// PD-GT-1 actividades 8 and 9: the user is told why; the reason is
		// what the agent wrote in Actividades realizadas.
		if d.Activities == "" {
			f.reject(r, c.Number, fmt.Sprintf("Para cerrar el caso como «%s» escriba en «Actividades realizadas» el motivo que se informará al usuario.", d.State))
			return
		}
		rule = S8
		if d.State == NoProcedente {
			rule = S9
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
			// Funza definición 7 and paso 5: after eight business days
			// without the user's availability the case becomes Resuelto. A
			// new response replaces this deadline, restarting the count.
			// PD-GT-1 has no such rule; mesa applies it in both profiles
			// because the response form is the same.
			d.Deadline = f.waitDeadline(r.Submitted).Format(time.RFC3339)
		}
	}
	f.emit(Event{ID: eventID(string(F5), r.ID), At: r.Submitted, Case: c.Number, Rule: rule, Kind: KAttended, Response: r.ID, Data: d})
	if f.Set.scj() && (d.State == Resuelto || d.State == NoResuelto) {
		f.inviteAtClosure(c, r.Submitted)
	}
}

func orList(options []string) string {
	if len(options) < 2 {
		return strings.Join(options, "")
	}
	return strings.Join(options[:len(options)-1], ", ") + " o " + options[len(options)-1]
}

// day formats an instant as the office reads a date.
func (f *fold) day(t time.Time) string { return t.In(f.Cal.Location()).Format("02/01/2006") }

// waitDeadline is the instant F-5c fires for a wait that started at t: 00:00
// (America/Bogota) of the day after the WaitDays-th business day, counting
// from the day after t (DESIGN.md §6). AddBusinessDays returns that day at
// 00:00, so the time of day of t never matters.
func (f *fold) waitDeadline(t time.Time) time.Time {
	last := f.Cal.AddBusinessDays(t, f.Set.WaitDays)
	return last.AddDate(0, 0, 1)
}

// timer fires the earliest pending timer of a case, at its own instant
// (whatever time the cycle runs).
func (f *fold) timer(c *Case) {
	at := c.nextTimer()
	awaitingSurvey := c.Invited && (c.State == Resuelto || c.State == NoResuelto)
	switch {
	case at.Equal(c.remindAt) && awaitingSurvey:
		f.remind(c, at)
	case at.Equal(c.deadline) && c.State == EnEspera && c.WaitReason == WaitAvailability:
		note := fmt.Sprintf("Resuelto automáticamente el %s: %d días hábiles sin disponibilidad del usuario (regla F-5c, Funza definición 7 y paso 5).",
			at.In(f.Cal.Location()).Format("02/01/2006 15:04"), f.Set.WaitDays)
		f.emit(Event{ID: eventID(string(F5c), caseKey(c.Number), at.UTC().Format(time.RFC3339)), At: at, Case: c.Number,
			Rule: F5c, Kind: KAutoSolved, Data: Data{State: Resuelto, Note: note}})
		if f.Set.scj() {
			f.inviteAtClosure(c, at) // PD-GT-1 actividad 7: every finished case gets its survey
		}
	case at.Equal(c.deadline) && awaitingSurvey:
		f.closeUnanswered(c, at)
	}
	if c.nextTimer().Equal(at) {
		// A stale timer (the case moved on without an event clearing it):
		// drop it without a journal entry, so fireTimers always progresses.
		if c.remindAt.Equal(at) {
			c.remindAt = time.Time{}
		} else {
			c.deadline = time.Time{}
		}
		if c.nextTimer().IsZero() {
			delete(f.book.timers, c.Number)
		}
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
	// PD-GT-1 políticas de operación: the survey is open at most 3 business
	// days; once the case is Cerrado (unanswered, satisfied, or justified)
	// it takes no more answers. Funza paso 8 sets no window.
	if f.Set.scj() && c.State == Cerrado {
		f.reject(r, c.Number, fmt.Sprintf("La encuesta del caso %d ya cerró el %s.", c.Number, f.day(c.StateAt)))
		return
	}
	if f.Set.scj() && (c.State == InfoInsuficiente || c.State == NoProcedente) {
		f.reject(r, c.Number, fmt.Sprintf("El caso %d se cerró como «%s»: no tiene encuesta de satisfacción.", c.Number, c.State))
		return
	}
	rule := F8
	if f.Set.scj() {
		rule = S7
	}
	f.emit(Event{ID: eventID(string(F8), r.ID), At: r.Submitted, Case: c.Number, Rule: rule, Kind: KSurveyed, Response: r.ID,
		Data: Data{Form: r.Form, By: r.Email, Rating: rating, Solved: r.Answer(FSolved), Comments: r.Answer(FComments)}})
	if f.Set.scj() {
		f.afterSurvey(c, r.Submitted)
	}
}

// Satisfied reports whether a rating counts as satisfied for the indicator.
func (s Settings) Satisfied(rating int) bool { return rating >= s.SatisfiedFrom }
