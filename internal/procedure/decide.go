package procedure

import (
	"fmt"
	"net/mail"
	"slices"
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
		Service: r.Answer(FService), Description: r.Answer(FDescription),
	}
	d.Category, d.Note = f.category(r.Answer(FCategory), d.Service)
	if f.has(SL) && f.locative(d.Service) {
		d.Location = location(r.Answer(FLocation))
	}
	f.emit(Event{ID: eventID(string(F2), r.ID), At: r.Submitted, Case: n, Rule: f.proc.Register, Kind: KRegistered, Response: r.ID, Data: d})
	c := f.book.caseOf(n)
	f.assign(c, r.Submitted, d.Note)
	if f.has(SL) && c.Location == LocArriendo && f.locative(c.Service) {
		f.awaitTechnical(c, r.Submitted)
	}
	if f.has(SP) {
		f.detectProblem(c)
	}
}

// category reads the requester's category. Only the procedure's categories
// are stored (Funza definiciones 10 y 15; PD-GT-1 actividad 14), however
// they are spelled; an answer naming none of them is not stored: the case
// gets the Catálogo's category of its service (when it is one of the
// procedure's) or none, and the note quotes what was answered (DESIGN.md
// §5: a category never rejects a request). Where the procedure has the desk
// define every case's category (PD-GT-1 actividad 14), a blank answer gets
// the Catálogo's category too; in Funza it stays blank.
func (f *fold) category(answer, service string) (category, note string) {
	if c := f.canonicalCategory(answer); c != "" {
		return c, ""
	}
	if answer == "" && !f.proc.DefinesCategory {
		return "", ""
	}
	if s, ok := f.catalog[f.book.keys.of(service)]; ok {
		category = f.canonicalCategory(s.Category)
	}
	if answer == "" {
		return category, ""
	}
	note = fmt.Sprintf("La categoría respondida «%s» no es una de las del procedimiento (%s)", firstLine(answer, 60), orList(f.proc.Categories))
	if category != "" {
		return category, note + fmt.Sprintf(": se tomó la del Catálogo, %s.", category)
	}
	return "", note + ": el caso queda sin categoría para que el agente la defina."
}

// canonicalCategory maps the procedure's category names and their obvious
// spellings to the name the procedure uses; "" when s names none of the
// procedure's categories.
func (f *fold) canonicalCategory(s string) string {
	var c string
	switch norm(strings.Trim(s, " .")) {
	case "informativo", "informativa", "orientacion", "informativo/orientacion", "informativo / orientacion",
		"informativo - orientacion", "informativo u orientacion", "informativo o orientacion", "consulta", "consulta u orientacion":
		c = CatOrientacion
	case "requerimiento", "requerimientos", "req", "requerimiento de servicio":
		c = CatRequerimiento
	case "incidente", "incidentes", "incidencia", "incidencias":
		c = CatIncidente
	}
	if !slices.Contains(f.proc.Categories, c) {
		return ""
	}
	return c
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
func (f *fold) assign(c *Case, at time.Time, note string) {
	rule := f.proc.Assign
	_, byService := oneOf(c.Service, f.Set.NonBuildingServices...)
	if f.has(SL) && f.locative(c.Service) {
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
	if note != "" {
		d.Note += " " + note
	}
	f.emit(Event{ID: eventID(string(F3), caseKey(c.Number)), At: at, Case: c.Number, Rule: rule, Kind: KAssigned, Data: d})
}

// awaitTechnical is PD-GT-1 actividad 13: a locativo requirement in a
// rented location is escalated to the Dirección Técnica by e-mail and "la
// solicitud queda en espera hasta que se reciba el correo": the case is En
// Espera from its registration, its service-level clock stopped, until the
// agent documents the answer (actividad 6).
func (f *fold) awaitTechnical(c *Case, at time.Time) {
	f.emit(Event{ID: eventID(string(SL), "espera", caseKey(c.Number)), At: at, Case: c.Number, Rule: SL, Kind: KAwaiting,
		Data: Data{State: EnEspera, WaitReason: WaitTechnical,
			Note: "En espera de la respuesta de la Dirección Técnica por correo electrónico (PD-GT-1 actividad 13): el ANS se detiene mientras tanto."}})
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
	c := f.book.caseOf(n)
	// From its snapshot on, a case takes no answer, also while its events
	// are still live (the archive run died before deleting them): its rows
	// in the archive are final, and the snapshot lists every response it
	// consumed, so a reconcile after the deletion applies none again.
	if where, ok := f.book.archived[n]; ok {
		f.reject(r, 0, fmt.Sprintf("El caso %d está cerrado y archivado en «%s»: ya no admite respuestas.", n, where))
		return nil
	}
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
// scj-bogota PD-GT-1 actividad 6, the escalation of level four and the two
// closing outcomes of the decisions «¿Información insuficiente?» and «¿La
// solicitud es procedente?».
func (f *fold) attend(r Response) {
	c := f.caseFor(r)
	if c == nil {
		return
	}
	a := f.agent(r.Email)
	if a == nil || !a.Active {
		f.reject(r, c.Number, fmt.Sprintf("Quien responde (%s) no es un agente activo de la mesa de ayuda.", r.Email))
		return
	}
	if c.State.Closed() {
		f.reject(r, c.Number, fmt.Sprintf("El caso %d ya está %s desde el %s: no admite más respuestas.", c.Number, c.State, f.day(c.StateAt)))
		return
	}
	states := []string{string(Resuelto), string(NoResuelto), string(EnEspera)}
	if f.has(S8) {
		states = append(states, string(InfoInsuficiente))
	}
	if f.has(S9) {
		states = append(states, string(NoProcedente))
	}
	state, ok := oneOf(r.Answer(FState), states...)
	if !ok {
		f.reject(r, c.Number, fmt.Sprintf("El estado «%s» no es válido: use %s.", r.Answer(FState), orList(states)))
		return
	}
	// Funza paso 5 (QUIÉN: Agente Asignado): the assigned agent documents the
	// case. Paso 6 (QUIÉN: Agente Asignado, Administrador, Funcionario
	// Encargado Garantías): a warranty case may also be documented by the
	// Garantías officer and the Administrador, with the warranty's outcome,
	// Resuelto or No Resuelto with its concepto técnico.
	if !same(a.Name, c.Agent) {
		warranty := c.State == EnEspera && c.WaitReason == WaitWarranty && slices.Contains(f.proc.WarrantyRoles, a.Role)
		switch {
		case warranty && State(state) != Resuelto && State(state) != NoResuelto:
			f.reject(r, c.Number, fmt.Sprintf("En el trámite de garantía del caso %d, %s solo puede registrar el resultado: Resuelto o No Resuelto.", c.Number, a.Name))
			return
		case !warranty:
			f.reject(r, c.Number, fmt.Sprintf("El caso %d está asignado a %s: solo el agente asignado puede documentarlo%s.", c.Number, c.Agent, f.warrantyHint()))
			return
		}
	}
	d := Data{Form: r.Form, By: r.Email, Agent: a.Name, State: State(state),
		Activities: r.Answer(FActivities), Concept: r.Answer(FConcept), Lesson: yes(r.Answer(FLesson))}
	rule := f.proc.Attend
	switch d.State {
	case Resuelto, NoResuelto:
		// Funza paso 5: the agent "realiza las actividades correspondientes y
		// procede a documentar"; PD-GT-1 actividad 6: "Documentar
		// detalladamente cómo se gestionó el caso".
		if d.Activities == "" {
			f.reject(r, c.Number, fmt.Sprintf("Para registrar el caso como %s escriba en «Actividades realizadas» lo que se hizo: el procedimiento exige documentar la atención.", d.State))
			return
		}
		// Funza definición 5 and paso 6: a device left not operative is documented with a concepto técnico.
		if d.State == NoResuelto && d.Concept == "" {
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
		var visit time.Time
		if raw := r.Answer(FVisitDate); raw != "" {
			day, ok := ParseDate(raw, f.Cal.Location())
			if !ok {
				f.reject(r, c.Number, fmt.Sprintf("La fecha acordada de nueva visita «%s» no es una fecha válida (use dd/mm/aaaa).", raw))
				return
			}
			if y, m, dd := r.Submitted.In(f.Cal.Location()).Date(); day.Before(time.Date(y, m, dd, 0, 0, 0, 0, f.Cal.Location())) {
				f.reject(r, c.Number, fmt.Sprintf("La fecha acordada de nueva visita (%s) es anterior a la fecha de la respuesta (%s): se pacta una fecha futura.", day.Format("02/01/2006"), f.day(r.Submitted)))
				return
			}
			visit, d.VisitDate = day, day.Format("2006-01-02")
		}
		switch reason {
		case WaitWarranty:
			rule = f.proc.Warranty
		case WaitEscalation:
			rule = f.proc.Escalation
		case WaitAvailability:
			// Funza paso 5.3: "se pacta nueva fecha y hora de atención".
			if visit.IsZero() && f.proc.VisitDateRequired {
				f.reject(r, c.Number, "En Espera por disponibilidad del usuario requiere la «Fecha acordada de nueva visita» (Funza paso 5: se pacta nueva fecha y hora de atención).")
				return
			}
			// Funza definición 7 and paso 5: after eight business days
			// without the user's availability the case becomes Resuelto, and
			// never before the agreed visit day has ended. A new response
			// replaces this deadline, restarting the count. PD-GT-1 has no
			// such rule: without F-5c the case waits for the agent.
			if f.has(F5c) {
				d.Deadline = f.waitDeadline(r.Submitted, visit).Format(time.RFC3339)
			}
		}
	}
	f.emit(Event{ID: eventID(string(F5), r.ID), At: r.Submitted, Case: c.Number, Rule: rule, Kind: KAttended, Response: r.ID, Data: d})
	if f.has(S7) && (d.State == Resuelto || d.State == NoResuelto) {
		f.inviteAtClosure(c, r.Submitted)
	}
}

// warrantyHint completes the rejection of a response from someone other
// than the assigned agent with who else may document, and when.
func (f *fold) warrantyHint() string {
	if len(f.proc.WarrantyRoles) == 0 {
		return ""
	}
	roles := make([]string, len(f.proc.WarrantyRoles))
	for i, r := range f.proc.WarrantyRoles {
		roles[i] = string(r)
	}
	return fmt.Sprintf(" (en un trámite de garantía también %s)", orList(roles))
}

func orList(options []string) string {
	if len(options) < 2 {
		return strings.Join(options, "")
	}
	return strings.Join(options[:len(options)-1], ", ") + " o " + options[len(options)-1]
}

// day formats an instant as the office reads a date.
func (f *fold) day(t time.Time) string { return t.In(f.Cal.Location()).Format("02/01/2006") }

// waitDeadline is the instant F-5c fires for a wait that started at t with
// a new visit agreed for the day visit (zero: none): the later of 00:00
// (America/Bogota) of the day after the WaitDays-th business day, counting
// from the day after t, and 00:00 of the day after the agreed visit
// (DESIGN.md §6). AddBusinessDays returns that day at 00:00, so the time of
// day of t never matters.
func (f *fold) waitDeadline(t, visit time.Time) time.Time {
	deadline := f.Cal.AddBusinessDays(t, f.Set.WaitDays).AddDate(0, 0, 1)
	if !visit.IsZero() {
		if after := visit.AddDate(0, 0, 1); after.After(deadline) {
			return after
		}
	}
	return deadline
}

// timer fires the earliest pending timer of a case, at its own instant
// (whatever time the cycle runs).
func (f *fold) timer(c *Case) {
	at := c.nextTimer()
	awaitingSurvey := c.Invited && (c.State == Resuelto || c.State == NoResuelto)
	switch {
	case at.Equal(c.remindAt) && awaitingSurvey:
		f.remind(c, at)
	case at.Equal(c.deadline) && c.State == EnEspera && c.WaitReason == WaitAvailability && f.has(F5c):
		visit := ""
		if v, err := time.Parse("2006-01-02", c.VisitDate); err == nil {
			visit = fmt.Sprintf(" y terminado el día de la visita acordada (%s)", v.Format("02/01/2006"))
		}
		note := fmt.Sprintf("Resuelto automáticamente el %s: %d días hábiles sin disponibilidad del usuario%s (regla F-5c, Funza definición 7 y paso 5).",
			at.In(f.Cal.Location()).Format("02/01/2006 15:04"), f.Set.WaitDays, visit)
		f.emit(Event{ID: eventID(string(F5c), caseKey(c.Number), at.UTC().Format(time.RFC3339)), At: at, Case: c.Number,
			Rule: F5c, Kind: KAutoSolved, Data: Data{State: Resuelto, Note: note}})
		if f.has(S7) {
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

// reassign applies the Reasignación form: Funza paso 4 and definición 14
// (F-4); in scj-bogota the transfer of a case to another agent (S-R,
// PD-GT-1 definiciones de ESCALAR y ESPECIALISTA), which names no criteria.
func (f *fold) reassign(r Response) {
	c := f.caseFor(r)
	if c == nil {
		return
	}
	if !f.isAdmin(r.Email) {
		f.reject(r, c.Number, fmt.Sprintf("Solo un Administrador puede reasignar casos; %s no lo es.", r.Email))
		return
	}
	criterion := r.Answer(FCriterion)
	if f.proc.Criteria != nil {
		var ok bool
		if criterion, ok = f.criterion(criterion); !ok {
			wordings := make([]string, len(f.proc.Criteria))
			for i, c := range f.proc.Criteria {
				wordings[i] = fmt.Sprintf("%d. %s", i+1, c.Wording)
			}
			f.reject(r, c.Number, fmt.Sprintf("El criterio «%s» no es uno de los tres del procedimiento: %s.", r.Answer(FCriterion), strings.Join(wordings, "; ")))
			return
		}
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
	case !attends(to):
		f.reject(r, c.Number, fmt.Sprintf("%s tiene el rol %s y no atiende casos: reasigne a una persona con rol Agente, o a quien tenga Edificios o Servicios asignados en la pestaña Agentes.", to.Name, to.Role))
		return
	case same(to.Name, c.Agent):
		f.reject(r, c.Number, fmt.Sprintf("El caso %d ya está asignado a %s.", c.Number, to.Name))
		return
	}
	f.emit(Event{ID: eventID(string(F4), r.ID), At: r.Submitted, Case: c.Number, Rule: f.proc.Reassign, Kind: KReassigned, Response: r.ID,
		Data: Data{Form: r.Form, By: r.Email, Agent: to.Name, Email: to.Email, Previous: c.Agent, Criterion: criterion, Note: r.Answer(FObservations)}})
}

// criterion reads a reassignment criterion as the form's short option or as
// the procedure words it (Funza definición 14: "1. No puede atender la
// solicitud por ausencia justificada. 2. No cuenta con la competencia. 3.
// Orden directa del Jefe de la Oficina de Relacionamiento con el
// Ciudadano"), with or without its number; it returns the short label.
func (f *fold) criterion(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && i < len(s) && strings.ContainsRune(".)-", rune(s[i])) {
		s = s[i+1:]
	}
	k := norm(strings.Trim(s, " ."))
	for _, c := range f.proc.Criteria {
		if k == norm(c.Label) || k == norm(c.Wording) {
			return c.Label, true
		}
	}
	return "", false
}

// attends reports whether a person attends cases: the Agente role, or
// another role held by someone who also serves buildings or services
// (Funza definición 2: "Agente: Funcionario o contratista asignado para
// atender los servicios"). A Garantías officer, a Coordinador or an
// Administrador with nothing to serve does not (definición 14: the case
// goes to "el Agente requerido").
func attends(a *Agent) bool {
	return a.Role == RoleAgent || a.Role == "" || len(a.Buildings) > 0 || len(a.Services) > 0
}

// survey applies an Encuesta de satisfacción: Funza paso 8 (voluntary, "el
// usuario es autónomo de participar") and PD-GT-1 actividad 7 ("El usuario
// tiene la opción de diligenciar la encuesta"). Only the person served, the
// case's requester, may answer it: anyone else's answer is rejected and
// changes nothing. The respondent is compared with the requester as the
// case recorded them when the answer is applied; once applied, the answer
// stands on every replay.
func (f *fold) survey(r Response) {
	c := f.caseFor(r)
	if c == nil {
		return
	}
	if norm(r.Email) == "" || norm(r.Email) != norm(c.Email) {
		who := r.Email
		if who == "" {
			who = "(sin correo)"
		}
		f.reject(r, c.Number, fmt.Sprintf("La encuesta del caso %d solo la puede responder quien solicitó el servicio; %s no es el solicitante.", c.Number, who))
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
	if f.has(S7) {
		// PD-GT-1 políticas de operación: the survey is open at most 3
		// business days; once the case is Cerrado (unanswered, satisfied,
		// or justified) it takes no more answers. Funza paso 8 sets no window.
		if c.State == Cerrado {
			f.reject(r, c.Number, fmt.Sprintf("La encuesta del caso %d ya cerró el %s.", c.Number, f.day(c.StateAt)))
			return
		}
		if c.State == InfoInsuficiente || c.State == NoProcedente {
			f.reject(r, c.Number, fmt.Sprintf("El caso %d se cerró como «%s»: no tiene encuesta de satisfacción.", c.Number, c.State))
			return
		}
	}
	rule := F8
	if f.has(S7) {
		rule = S7
	}
	f.emit(Event{ID: eventID(string(F8), r.ID), At: r.Submitted, Case: c.Number, Rule: rule, Kind: KSurveyed, Response: r.ID,
		Data: Data{Form: r.Form, By: r.Email, Rating: rating, Solved: r.Answer(FSolved), Comments: r.Answer(FComments)}})
	if f.has(S7) {
		f.afterSurvey(c, r.Submitted)
	}
}

// Satisfied reports whether a rating counts as satisfied for the indicator.
func (s Settings) Satisfied(rating int) bool { return rating >= s.SatisfiedFrom }
