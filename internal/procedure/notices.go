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

// notify turns a decision into notifications (DESIGN.md §9, "who hears what").
func (f *fold) notify(ev Event) {
	c := f.book.cases[ev.Case]
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
		toRequester("acuse")
		if d.Agent == Unassigned {
			toRole("sin_asignar", RoleAdmin)
		} else {
			toAgent("asignacion", d.Agent)
		}
	case KReassigned:
		toAgent("reasignacion_entrante", d.Agent)
		if d.Previous != Unassigned {
			toAgent("reasignacion_saliente", d.Previous)
		}
	case KAttended:
		switch d.State {
		case EnEspera:
			toRequester("en_espera")
			if d.WaitReason == WaitWarranty {
				toRole("garantia", RoleWarranty)
			}
		case Resuelto:
			toRequester("resuelto")
		case NoResuelto:
			toRequester("no_resuelto")
		}
	case KAutoSolved:
		toRequester("cierre_automatico")
	case KRejected:
		add("rechazo", d.By, "")
		toRole("rechazo", RoleAdmin)
	case KInvited:
		toRequester("encuesta")
	case KSurveyed:
		if f.Set.Profile == SCJBogota && !f.Set.Satisfied(d.Rating) {
			toRole("insatisfecho", RoleCoordinator)
		}
	case KReviewed:
		if d.State == Reabierto {
			toAgent("reasignacion_entrante", c.Agent)
		} else {
			toRequester("resuelto")
		}
	}
}
