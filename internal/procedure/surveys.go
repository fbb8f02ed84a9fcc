package procedure

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"
)

// ISOWeek names the ISO week of t in loc, e.g. "2026-W12".
func ISOWeek(t time.Time, loc *time.Location) string {
	y, w := t.In(loc).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// weekStart returns Monday 00:00 of t's week in loc.
func weekStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	d := (int(t.Weekday()) + 6) % 7
	return time.Date(t.Year(), t.Month(), t.Day()-d, 0, 0, 0, 0, loc)
}

// sampleSurveys is Funza paso 8: every week, for each agent, at least three
// users served that week are invited, picked at random but reproducibly
// (seeded by ISO week and agent). The sample of a week is drawn by the first
// cycle after the week ends, effective Monday 00:00, so a missed run catches
// up; a case is never invited twice.
func (f *fold) sampleSurveys(now time.Time) {
	if !f.has(F8) { // PD-GT-1 surveys every case at closure instead (S-7)
		return
	}
	loc := f.Cal.Location()
	thisWeek := weekStart(now, loc)
	served := map[string]map[string][]*Case{} // week -> agent -> cases
	names := map[int64]string{}               // ISO week by its Monday, named once
	// The week of the last case looked at, [ws, next): cases go in order
	// of registration, so most fall in the week of the case before.
	var ws, next time.Time
	var w string
	for _, c := range f.book.all {
		if c.Solved.IsZero() || c.Invited || c.imported || c.solvedBy == "" || c.solvedBy == Unassigned {
			continue
		}
		if c.Solved.Before(ws) || !c.Solved.Before(next) {
			ws = weekStart(c.Solved, loc)
			next = ws.AddDate(0, 0, 7)
			var ok bool
			if w, ok = names[ws.Unix()]; !ok {
				w = ISOWeek(ws, loc)
				names[ws.Unix()] = w
			}
		}
		if !ws.Before(thisWeek) {
			continue
		}
		if f.book.weeks[w] {
			continue
		}
		if served[w] == nil {
			served[w] = map[string][]*Case{}
		}
		served[w][c.solvedBy] = append(served[w][c.solvedBy], c)
	}
	weeks := make([]string, 0, len(served))
	for w := range served {
		weeks = append(weeks, w)
	}
	sort.Strings(weeks)
	var last map[string]time.Time // user -> latest invitation, for fairness
	if len(weeks) > 0 {
		last = f.lastInvited()
	}
	for _, w := range weeks {
		var at time.Time
		agents := make([]string, 0, len(served[w]))
		for a, cs := range served[w] {
			agents = append(agents, a)
			at = weekStart(cs[0].Solved, loc).AddDate(0, 0, 7)
		}
		sort.Strings(agents)
		for _, a := range agents {
			for _, c := range f.pick(w, a, served[w][a], last, at) {
				f.emit(Event{ID: eventID(string(F8), w, caseKey(c.Number)), At: at, Case: c.Number, Rule: F8, Kind: KInvited,
					Data: Data{Week: w, Agent: a, Email: c.Email}})
				if k := norm(c.Email); at.After(last[k]) {
					last[k] = at
				}
			}
		}
		f.emit(Event{ID: eventID(string(F8), w), At: at, Rule: F8, Kind: KWeekSampled, Data: Data{Week: w}})
	}
}

// lastInvited returns when each user was last invited to a survey.
func (f *fold) lastInvited() map[string]time.Time {
	out := map[string]time.Time{}
	for _, j := range []Journal{f.book.Journal, JournalOf(f.book.decided...)} {
		for i := range j.Len() {
			if j.Kind(i) != KInvited {
				continue
			}
			e := j.Event(i)
			email := e.Data.Email
			if c := f.book.caseOf(e.Case); email == "" && c != nil {
				email = c.Email
			}
			if k := norm(email); e.At.After(out[k]) {
				out[k] = e.At
			}
		}
	}
	return out
}

// pick draws up to SurveysPerAgent distinct users from the cases an agent
// served in a week: one case per user (the last one solved), so a user is
// invited at most once per agent and week, and a case at most once.
//
// Fairness (issue 16): a plain random draw can aim at the same person week
// after week. Paso 8 asks each agent to pick "aleatoriamente mínimo a tres
// de los usuarios que recibieron el servicio" and says nothing of repeats; mesa's choice is to draw first
// among the users not invited in the last SurveyRestWeeks weeks (before the
// sampling instant at), and to complete the three with recently invited
// users only when no one else was served, those invited longest ago first.
// So the minimum of three per agent is still reached whenever three users
// were served.
func (f *fold) pick(week, agent string, cases []*Case, last map[string]time.Time, at time.Time) []*Case {
	sort.Slice(cases, func(i, j int) bool { return cases[i].Number < cases[j].Number })
	byUser := map[string]*Case{}
	var users []string
	for _, c := range cases {
		k := norm(c.Email)
		if _, ok := byUser[k]; !ok {
			users = append(users, k)
		}
		byUser[k] = c
	}
	h := sha256.Sum256([]byte(week + "\x1f" + agent))
	r := rand.New(rand.NewPCG(binary.LittleEndian.Uint64(h[:8]), binary.LittleEndian.Uint64(h[8:16])))
	r.Shuffle(len(users), func(i, j int) { users[i], users[j] = users[j], users[i] })
	if f.Set.SurveyRestWeeks > 0 {
		// Samples are taken at Monday 00:00, so the one N weeks back is at
		// exactly since: it counts as within the last N weeks (with N = 1,
		// last week's sample), or one week of rest would be no rest at all.
		since := at.AddDate(0, 0, -7*f.Set.SurveyRestWeeks)
		recent := func(u string) bool { t, ok := last[u]; return ok && !t.Before(since) }
		sort.SliceStable(users, func(i, j int) bool {
			ri, rj := recent(users[i]), recent(users[j])
			if ri != rj {
				return !ri
			}
			return ri && last[users[i]].Before(last[users[j]])
		})
	}
	n := min(f.Set.SurveysPerAgent, len(users))
	out := make([]*Case, 0, n)
	for _, u := range users[:n] {
		out = append(out, byUser[u])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

// inviteAtClosure is PD-GT-1 actividad 7: when the case is finished the
// survey is sent and stays open SurveyDays business days, counted from the
// day after, until 00:00 of the day after the last one. One reminder goes out
// at 00:00 of that last business day, one business day before the window
// closes.
func (f *fold) inviteAtClosure(c *Case, at time.Time) {
	last := f.Cal.AddBusinessDays(at, f.Set.SurveyDays)
	d := Data{Agent: c.Agent, Email: c.Email, Deadline: last.AddDate(0, 0, 1).Format(time.RFC3339)}
	if f.Set.SurveyDays > 1 {
		d.Reminder = last.Format(time.RFC3339)
	}
	f.emit(Event{ID: eventID(string(S7), caseKey(c.Number), at.UTC().Format(time.RFC3339)), At: at, Case: c.Number, Rule: S7, Kind: KInvited, Data: d})
}

// remind sends the one reminder of an unanswered survey (S-7).
func (f *fold) remind(c *Case, at time.Time) {
	note := fmt.Sprintf("Recordatorio de la encuesta enviado: cierra el %s.", f.day(c.deadline.AddDate(0, 0, -1)))
	f.emit(Event{ID: eventID(string(S7), "recordatorio", caseKey(c.Number), at.UTC().Format(time.RFC3339)), At: at, Case: c.Number, Rule: S7,
		Kind: KReminded, Data: Data{Email: c.Email, Deadline: c.deadline.Format(time.RFC3339), Note: note}})
}

// Decisions recorded when a survey closes a case.
const (
	decisionUnanswered = "satisfactorio_sin_respuesta"
	decisionSatisfied  = "satisfactorio"
)

// closeUnanswered: an unanswered survey closes the case as satisfactory
// (PD-GT-1 actividad 7 and políticas de operación).
func (f *fold) closeUnanswered(c *Case, at time.Time) {
	note := fmt.Sprintf("Cerrado como satisfactorio el %s: la encuesta no fue respondida en %d días hábiles (PD-GT-1, políticas de operación).",
		f.day(at), f.Set.SurveyDays)
	f.emit(Event{ID: eventID(string(S7), "cierre", caseKey(c.Number), at.UTC().Format(time.RFC3339)), At: at, Case: c.Number, Rule: S7,
		Kind: KSurveyClose, Data: Data{Decision: decisionUnanswered, Note: note}})
}

// afterSurvey: a satisfied answer closes the case; an unsatisfied one waits
// for the Coordinador, who hears of it (PD-GT-1 actividades 21 and 22).
func (f *fold) afterSurvey(c *Case, at time.Time) {
	if f.Set.Satisfied(c.Rating) {
		f.emit(Event{ID: eventID(string(S7), "cierre", caseKey(c.Number), at.UTC().Format(time.RFC3339)), At: at, Case: c.Number, Rule: S7,
			Kind: KSurveyClose, Data: Data{Decision: decisionSatisfied, Note: "Cerrado: encuesta satisfactoria."}})
	}
}

// review applies the coordinator's decision on an unsatisfactory survey:
// reopen (PD-GT-1 actividad 23) or justify to the user (actividad 25).
func (f *fold) review(r Response) {
	c := f.caseFor(r)
	if c == nil {
		return
	}
	a := f.agent(r.Email)
	if a == nil || !a.Active || a.Role != RoleCoordinator {
		f.reject(r, c.Number, fmt.Sprintf("Solo el Coordinador de la mesa de servicio revisa encuestas; %s no lo es.", r.Email))
		return
	}
	if c.Rating == 0 || f.Set.Satisfied(c.Rating) || c.State != Resuelto && c.State != NoResuelto {
		f.reject(r, c.Number, fmt.Sprintf("El caso %d no tiene una encuesta no satisfactoria pendiente de revisión.", c.Number))
		return
	}
	decision, ok := oneOf(r.Answer(FDecision), "Reabrir", "Justificar")
	if !ok {
		f.reject(r, c.Number, fmt.Sprintf("La decisión «%s» no es válida: use Reabrir o Justificar.", r.Answer(FDecision)))
		return
	}
	d := Data{Form: r.Form, By: r.Email, Decision: decision, Comments: r.Answer(FObservations)}
	rule := S25
	if decision == "Reabrir" {
		rule, d.State = S23, Reabierto
		d.Note = fmt.Sprintf("Reabierto por el Coordinador el %s tras una encuesta no satisfactoria.", r.Submitted.In(f.Cal.Location()).Format("02/01/2006"))
	} else {
		d.Note = "El Coordinador justificó al usuario la solución dada."
	}
	f.emit(Event{ID: eventID(string(rule), r.ID), At: r.Submitted, Case: c.Number, Rule: rule, Kind: KReviewed, Response: r.ID, Data: d})
}

// problemKey groups cases for S-P: same category and same service.
func (b *Book) problemKey(category, service string) string {
	return b.keys.of(category) + "\x1f" + b.keys.of(service)
}

// detectProblem is PD-GT-1's definition of Problema ("reportado como mínimo
// 20 veces"), with the window the design adds (DESIGN.md §6): when the
// ProblemThreshold-th case of a category and service is registered within
// ProblemWindowDays calendar days of the first one, a Problema is recorded,
// once for that window. Cases reported after the window start a new count.
func (f *fold) detectProblem(c *Case) {
	if c.Category == "" || c.Service == "" || f.Set.ProblemThreshold <= 0 || f.Set.ProblemWindowDays <= 0 {
		return
	}
	key := f.book.problemKey(c.Category, c.Service)
	window := time.Duration(f.Set.ProblemWindowDays) * 24 * time.Hour
	if from, ok := f.book.problems[key]; ok && c.Registered.Before(from.Add(window)) {
		return // this window already has its Problema
	}
	var group []*Case
	for _, o := range f.book.groups[key] {
		if !o.Registered.After(c.Registered) && c.Registered.Sub(o.Registered) < window {
			group = append(group, o)
		}
	}
	if len(group) < f.Set.ProblemThreshold {
		return
	}
	sort.Slice(group, func(i, j int) bool { return group[i].Number < group[j].Number })
	if from, ok := f.book.problems[key]; ok {
		// Only the cases after the last Problema's window count again.
		kept := group[:0]
		for _, o := range group {
			if !o.Registered.Before(from.Add(window)) {
				kept = append(kept, o)
			}
		}
		if group = kept; len(group) < f.Set.ProblemThreshold {
			return
		}
	}
	numbers := make([]int, len(group))
	first := group[0].Registered
	for i, o := range group {
		numbers[i] = o.Number
		if o.Registered.Before(first) {
			first = o.Registered
		}
	}
	note := fmt.Sprintf("Problema: %d casos de categoría «%s» y servicio «%s» desde el %s (PD-GT-1, definición de Problema).",
		len(group), c.Category, c.Service, f.day(first))
	f.emit(Event{ID: eventID(string(SP), key, first.UTC().Format(time.RFC3339)), At: c.Registered, Rule: SP, Kind: KProblem,
		Data: Data{Category: c.Category, Service: c.Service, Cases: numbers, Until: first.Add(window).Format(time.RFC3339), Note: note}})
}
