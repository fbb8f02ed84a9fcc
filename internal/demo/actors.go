package demo

import (
	"fmt"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// administrator reviews the day's cases (Funza paso 4): cases no agent
// could take, cases of an absent agent, and specialised software that only
// one agent knows.
func (s *sim) administrator(cases []caseRow, from, to time.Time) error {
	admin := agents[6]
	open := map[string]int{}
	for _, c := range cases {
		if c.state == string(procedure.Abierto) || c.state == string(procedure.EnEspera) {
			open[c.agent]++
		}
	}
	for _, c := range cases {
		if c.state != string(procedure.Abierto) || s.handedOver[c.n] != "" {
			continue
		}
		var target, criterion, note string
		switch {
		case c.agent == procedure.Unassigned:
			target = leastBusy(open)
			criterion = procedure.Criteria[2]
			note = fmt.Sprintf("%s no tiene agente en la pestaña Agentes; por orden de la Jefe de la Oficina lo atiende %s.", c.building, target)
		case c.agent == s.absent.agent && s.today >= s.absent.from && s.today <= s.absent.to:
			target = s.absent.backup
			criterion = procedure.Criteria[0]
			note = fmt.Sprintf("Incapacidad médica de %s del %s al %s.", c.agent,
				s.days[s.absent.from].Format("02/01/2006"), s.days[s.absent.to].Format("02/01/2006"))
		case c.service == "Instalación de software" && contains(c.desc, "ArcGIS", "AutoCAD", "SPSS") &&
			c.agent != agents[4].Name && s.competences < 3:
			target = agents[4].Name
			criterion = procedure.Criteria[1]
			note = "Software especializado: Andrés Felipe administra las licencias y tiene la experiencia."
			s.competences++
		default:
			continue
		}
		at := s.when(from, to)
		err := s.submit(procedure.Reasignaciones, admin.address(), at, map[procedure.Field]string{
			procedure.FCase: itoa(c.n), procedure.FNewAgent: target, procedure.FCriterion: criterion, procedure.FObservations: note,
		})
		if err != nil {
			return err
		}
		s.handedOver[c.n] = target
		open[target]++
		s.week.reassignments++
	}
	return nil
}

// leastBusy is the support agent with the fewest open cases.
func leastBusy(open map[string]int) string {
	best := ""
	for _, a := range agents {
		if a.Role != procedure.RoleAgent {
			continue
		}
		if best == "" || open[a.Name] < open[best] {
			best = a.Name
		}
	}
	return best
}

// agentsWork: each agent filters the Casos tab by their name and answers
// the cases that are due (Funza paso 5).
func (s *sim) agentsWork(cases []caseRow, from, to time.Time, pm bool) error {
	for _, c := range cases {
		a, ok := agentByName(c.agent)
		if !ok || a.Role != procedure.RoleAgent || s.handedOver[c.n] != "" {
			continue
		}
		if a.Name == s.absent.agent && s.today >= s.absent.from && s.today <= s.absent.to {
			continue
		}
		p := s.plans[c.n]
		if p == nil {
			p = s.newPlan(c, pm)
			s.plans[c.n] = p
		}
		if err := s.work(a, c, p, from, to, pm); err != nil {
			return err
		}
	}
	return nil
}

func (s *sim) newPlan(c caseRow, pm bool) *plan {
	// Most cases are answered within one to three business days; services
	// whose ANS is a day or less get attention sooner.
	delay, x := 0, s.r.IntN(100)
	switch {
	case quickSLA(c.service) && x < 65:
	case quickSLA(c.service) && x < 95:
		delay = 1
	case quickSLA(c.service):
		delay = 2
	case x < 40:
	case x < 75:
		delay = 1
	case x < 95:
		delay = 2
	default:
		delay = 3
	}
	p := &plan{outcome: chooseOutcome(s.r, c.service), act: s.today + delay, pm: pm || s.r.IntN(2) == 0, lesson: s.r.IntN(100) < 4}
	switch p.outcome {
	case warranty:
		p.follow = p.act + 4 + s.r.IntN(5)
	case escalation:
		p.follow = p.act + 2 + s.r.IntN(5)
	case availability:
		p.follow = p.act + 1 + s.r.IntN(4)
		// Sometimes the user never finds the time: nobody answers again and
		// the eight-business-day rule (F-5c) resolves the case. Only when
		// the story lasts long enough for the rule to fire.
		if p.act+s.w.Config.Settings.WaitDays+1 < len(s.days) && s.abandoned() < 3 && (s.abandoned() == 0 || s.r.IntN(2) == 0) {
			p.follow = -1
		}
	}
	return p
}

// abandoned counts the cases left to F-5c, kept to a few so the story
// stays readable.
func (s *sim) abandoned() int {
	n := 0
	for _, p := range s.plans {
		if p.outcome == availability && p.follow == -1 {
			n++
		}
	}
	return n
}

// work submits the agent's response to a case when it is due.
func (s *sim) work(a agent, c caseRow, p *plan, from, to time.Time, pm bool) error {
	due := func(day int) bool { return day >= 0 && (s.today > day || s.today == day && (pm || !p.pm)) }
	ans := map[procedure.Field]string{procedure.FCase: caseRef(s.r, c.n)}
	switch {
	case c.state == string(procedure.Abierto) && due(p.act):
		switch p.outcome {
		case resolve:
			ans[procedure.FState], ans[procedure.FActivities] = string(procedure.Resuelto), activities(s.r, c.service)
		case notResolved:
			ans[procedure.FState] = string(procedure.NoResuelto)
			ans[procedure.FActivities] = "Se hizo diagnóstico del dispositivo."
			ans[procedure.FConcept] = pick(s.r, concepts[c.service])
		case warranty:
			ans[procedure.FState], ans[procedure.FWaitReason] = string(procedure.EnEspera), procedure.WaitWarranty
			ans[procedure.FActivities] = pick(s.r, warranties[c.service])
		case escalation:
			ans[procedure.FState], ans[procedure.FWaitReason] = string(procedure.EnEspera), procedure.WaitEscalation
			ans[procedure.FActivities] = pick(s.r, escalations[c.service])
		case availability:
			ans[procedure.FState], ans[procedure.FWaitReason] = string(procedure.EnEspera), procedure.WaitAvailability
			ans[procedure.FActivities] = pick(s.r, unavailable)
			visit := p.follow
			if visit < 0 {
				visit = p.act + 3
			}
			if visit < len(s.days) {
				ans[procedure.FVisitDate] = s.days[visit].Format("02/01/2006")
			}
		}
		if p.outcome == resolve || p.outcome == notResolved {
			p.step = 2
			if p.lesson {
				ans[procedure.FLesson] = "Sí"
			}
		} else {
			p.step = 1
		}
	case c.state == string(procedure.EnEspera) && p.step == 1 && due(p.follow):
		ans[procedure.FState] = string(procedure.Resuelto)
		switch p.outcome {
		case warranty:
			ans[procedure.FActivities] = pick(s.r, warrantyDone[c.service])
		case escalation:
			ans[procedure.FActivities] = pick(s.r, escalationDone)
		default:
			ans[procedure.FActivities] = pick(s.r, availableDone)
		}
		p.step = 2
	default:
		return nil
	}
	at := s.when(from, to)
	if !s.bad.typo && s.today >= 1 {
		// A bad input on purpose: the agent types the case number with an
		// extra digit, gets the rejection mail, and answers again.
		s.bad.typo = true
		typo := c.n*10 + c.n%10
		for typo <= s.opt.Requests+1 {
			typo = typo*10 + c.n%10
		}
		wrong := map[procedure.Field]string{}
		for k, v := range ans {
			wrong[k] = v
		}
		wrong[procedure.FCase] = itoa(typo)
		if err := s.submit(procedure.Respuestas, a.address(), at, wrong); err != nil {
			return err
		}
		at = at.Add(3 * time.Minute)
	}
	if !s.bad.reassign && s.today >= 2 && p.step == 2 {
		// Another on purpose: an agent tries to hand a case to a colleague
		// with the reassignment form, which only the Administrador may use.
		s.bad.reassign = true
		other := agents[(indexOf(a.Name)+1)%6].Name
		err := s.submit(procedure.Reasignaciones, a.address(), at, map[procedure.Field]string{
			procedure.FCase: itoa(c.n), procedure.FNewAgent: other, procedure.FCriterion: procedure.Criteria[1],
			procedure.FObservations: "Le paso el caso a " + other + ", que conoce mejor ese tema.",
		})
		if err != nil {
			return err
		}
		at = at.Add(time.Minute)
	}
	s.week.responses++
	return s.submit(procedure.Respuestas, a.address(), at, ans)
}

func indexOf(name string) int {
	for i, a := range agents {
		if a.Name == name {
			return i
		}
	}
	return 0
}

// users answer some of the survey invitations they got (Funza paso 8:
// answering is voluntary), mostly satisfied.
func (s *sim) users(rows []surveyRow, from, to time.Time, pm bool) error {
	for _, row := range rows {
		if row.invited == "" || row.ans != "" {
			continue
		}
		sp := s.surveys[row.n]
		if sp == nil {
			sp = &surveyPlan{answer: s.r.IntN(100) < 60, day: s.today + s.r.IntN(3), rating: rating(s.r)}
			if !s.bad.rating {
				// The first user to answer types 7 on a scale of 1 to 5.
				s.bad.rating = true
				sp.answer, sp.day, sp.bad = true, s.today, true
			}
			s.surveys[row.n] = sp
		}
		if !sp.answer || s.today < sp.day || s.today == sp.day && !pm && s.r.IntN(2) == 0 {
			continue
		}
		rating := itoa(sp.rating)
		if sp.bad {
			rating, sp.bad, sp.day = "7", false, s.today+1
		} else {
			sp.answer = false // answered
			s.week.surveys++
		}
		solvedAns := "Sí"
		if sp.rating < 3 {
			solvedAns = "No"
		}
		err := s.submit(procedure.Encuestas, row.email, s.when(from, to), map[procedure.Field]string{
			procedure.FCase: itoa(row.n), procedure.FRating: rating, procedure.FSolved: solvedAns,
			procedure.FComments: pick(s.r, surveyComments[sp.rating >= 4]),
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// rating draws a survey rating: mostly 4 and 5.
func rating(r interface{ IntN(int) int }) int {
	switch x := r.IntN(100); {
	case x < 52:
		return 5
	case x < 85:
		return 4
	case x < 95:
		return 3
	case x < 98:
		return 2
	}
	return 1
}
