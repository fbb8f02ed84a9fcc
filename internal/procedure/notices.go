package procedure

import "time"

// Notice is a notification a decision calls for: who hears what, and about
// which case. The worker renders it with the notify templates and sends it
// through the outbox exactly once (its ID is deterministic).
type Notice struct {
	ID     string
	Kind   string // a notify.Kind: acuse, asignacion, en_espera, ...
	Case   int
	Event  string // the journal event that caused it
	At     time.Time
	To     string // e-mail address
	ToName string
}

// Notice kinds: the notify templates of the same name render them.
const (
	NAcuse                = "acuse"
	NAsignacion           = "asignacion"
	NSinAsignar           = "sin_asignar"
	NReasignacionEntrante = "reasignacion_entrante"
	NReasignacionSaliente = "reasignacion_saliente"
	NEnEspera             = "en_espera"
	NGarantia             = "garantia"
	NResuelto             = "resuelto"
	NNoResuelto           = "no_resuelto"
	NCierreAutomatico     = "cierre_automatico"
	NRechazo              = "rechazo"
	NEncuesta             = "encuesta"
	NEncuestaRecordatorio = "encuesta_recordatorio"
	NInsatisfecho         = "insatisfecho"

	// NCerradoSinAtencion tells the requester a case was closed as
	// Información insuficiente or No procedente: which one, the reason the
	// agent wrote in Actividades realizadas and what to do next (PD-GT-1
	// actividades 8, 9 and 15).
	NCerradoSinAtencion = "cierre_sin_tramite"

	// The Coordinador's review of an unsatisfactory survey (scj-bogota).
	NReapertura        = "reapertura"         // agent: solve it again, with the observations (actividades 23 and 24)
	NReaperturaUsuario = "reapertura_usuario" // requester: the case was reopened (actividad 23)
	NJustificacion     = "justificacion"      // requester: why the solution was appropriate (actividad 25)
)

// notify turns a decision into notifications (DESIGN.md §9 and issue 5,
// "who hears what"):
//   - requester: acknowledgement with the case number, En Espera,
//     resolution or closure, survey invitation and its reminder, and the
//     Coordinador's answer to an unsatisfactory survey (reopened or
//     justified);
//   - agent: new assignment, reassignment to or away from them, a case the
//     Coordinador reopened (with the observations);
//   - Garantías: a new warranty case;
//   - Administrador: rejections and unassigned cases (and the respondent of
//     a rejected response hears why);
//   - Coordinador (scj-bogota): unsatisfactory surveys.
func (f *fold) notify(ev Event) {
	c := f.book.caseOf(ev.Case)
	d := ev.Data
	seen := map[string]bool{}
	add := func(kind, to, name string) {
		id := NoticeID(ev.ID, kind, to)
		if to == "" || seen[id] {
			return
		}
		seen[id] = true
		f.notices = append(f.notices, Notice{ID: id, Kind: kind, Case: ev.Case, Event: ev.ID, At: ev.At, To: to, ToName: name})
	}
	toRequester := func(kind string) {
		if c != nil {
			add(kind, c.Email, c.Requester)
		}
	}
	toAgent := func(kind, name string) {
		if a := f.byName[norm(name)]; a != nil {
			add(kind, a.Email, a.Name)
		}
	}
	toRole := func(kind string, role Role) {
		for _, a := range f.in.Agents {
			if a.Active && a.Role == role {
				add(kind, a.Email, a.Name)
			}
		}
	}
	switch ev.Kind {
	case KAssigned:
		toRequester(NAcuse) // S-1: the ticket number; Funza too
		if d.Agent == Unassigned {
			toRole(NSinAsignar, RoleAdmin)
		} else {
			toAgent(NAsignacion, d.Agent)
		}
	case KReassigned:
		toAgent(NReasignacionEntrante, d.Agent)
		if d.Previous != Unassigned {
			toAgent(NReasignacionSaliente, d.Previous)
		}
	case KAttended:
		switch d.State {
		case EnEspera:
			toRequester(NEnEspera)
			if d.WaitReason == WaitWarranty && f.has(F6) { // Funza paso 6: the Garantías officer's trámite
				toRole(NGarantia, RoleWarranty)
			}
		case Resuelto:
			toRequester(NResuelto)
		case NoResuelto:
			toRequester(NNoResuelto)
		case InfoInsuficiente, NoProcedente:
			toRequester(NCerradoSinAtencion)
		}
	case KAwaiting:
		toRequester(NEnEspera)
	case KAutoSolved:
		toRequester(NCierreAutomatico)
	case KRejected:
		add(NRechazo, d.By, "")
		toRole(NRechazo, RoleAdmin)
	case KInvited:
		toRequester(NEncuesta)
	case KReminded:
		toRequester(NEncuestaRecordatorio)
	case KSurveyed:
		if f.has(S21) && !f.Set.Satisfied(d.Rating) {
			toRole(NInsatisfecho, RoleCoordinator)
		}
	case KReviewed:
		if d.State == Reabierto {
			// PD-GT-1 actividad 24: the agent is told to solve it again,
			// with the Coordinador's observations; actividad 23: the user
			// learns the case is being worked again.
			if c != nil {
				toAgent(NReapertura, c.Agent)
			}
			toRequester(NReaperturaUsuario)
		} else {
			// PD-GT-1 actividad 25: the user gets the justified answer.
			toRequester(NJustificacion)
		}
	}
}
