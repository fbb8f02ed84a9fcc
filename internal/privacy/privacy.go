// Package privacy is habeas data on the help desk (Ley 1581 de 2012,
// DESIGN.md §10b): finding every place that holds a person's data, and
// anonymizing a titular without destroying the record the office must keep
// (Ley 594 de 2000).
//
// Anonymization is a journaled decision (rule HD-1, kind anonimizado) that
// names the titular only by a one-way hash of their e-mail (Subject) and
// carries the reason; no personal data. Every cycle applies the decisions
// it finds in the journal to every input of that person, before and after
// the decision: the journal's events (Events) and the form responses read
// from Forms (Responses), which Google Forms cannot delete through its API
// and a reconcile reads again. Identifying fields (name, e-mail, phone)
// become a stable pseudonym derived from the hash, the same in every tab;
// the free text the person wrote (descriptions, survey comments, mail
// bodies) becomes a fixed redaction note. Case numbers, states, dates,
// agents and every indicator stay as they were. Because the pseudonym is a
// function of the original e-mail, who may act (only the requester answers
// the survey of their case) is decided on the original identity: the
// requester's later survey carries the same pseudonym as their case.
package privacy

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// Redacted replaces the free text a titular wrote.
const Redacted = "[Texto suprimido a solicitud del titular (Ley 1581 de 2012, regla HD-1)]"

// pseudonymDomain is the domain of pseudonymous e-mail addresses: .invalid
// is reserved (RFC 2606), so no mail can ever be delivered to one.
const pseudonymDomain = "anonimizado.invalid"

// Subject is the titular's identifier in the journal: a hash of the
// normalized e-mail address (hex, 16 digits).
func Subject(email string) string {
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(h[:8])
}

// Pseudonym is the name that stands for the titular in every tab, e.g.
// "Titular 7F3A".
func Pseudonym(subject string) string { return "Titular " + strings.ToUpper(subject[:4]) }

// PseudonymEmail is the e-mail address that stands for the titular: a
// valid address (the rules that need one still work) that cannot receive
// mail.
func PseudonymEmail(subject string) string {
	return "titular." + subject[:4] + "@" + pseudonymDomain
}

// IsPseudonymous reports whether an address is a pseudonym: mail to it is
// never queued.
func IsPseudonymous(email string) bool {
	return strings.HasSuffix(strings.ToLower(strings.TrimSpace(email)), "@"+pseudonymDomain)
}

// Decision is the HD-1 event for the titular with this e-mail. Its ID
// depends on the titular only, so anonymizing twice journals once. The
// reason is kept with the e-mail taken out of it, should it be there.
func Decision(email, reason string, at time.Time) procedure.Event {
	sub := Subject(email)
	reason = replaceFold(strings.TrimSpace(reason), strings.TrimSpace(email), PseudonymEmail(sub))
	h := sha256.Sum256([]byte(string(procedure.HD1) + "\x1f" + sub))
	return procedure.Event{
		ID: "E" + hex.EncodeToString(h[:8]), At: at, Rule: procedure.HD1, Kind: procedure.KAnonymized,
		Data: procedure.Data{Subject: sub, Note: "Datos personales de " + Pseudonym(sub) + " anonimizados (regla HD-1). Motivo: " + reason},
	}
}

// Set is the titulars anonymized by a journal.
type Set struct {
	subjects map[string]bool
	hashed   map[string]string // e-mail -> subject, memoized
}

// FromJournal collects the HD-1 decisions of a journal (nil when none).
func FromJournal(journal procedure.Journal) *Set {
	var s *Set
	for i := range journal.Len() {
		if journal.Kind(i) != procedure.KAnonymized {
			continue
		}
		if e := journal.Event(i); e.Data.Subject != "" {
			if s == nil {
				s = &Set{subjects: map[string]bool{}, hashed: map[string]string{}}
			}
			s.subjects[e.Data.Subject] = true
		}
	}
	return s
}

// Len is the number of titulars anonymized.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.subjects)
}

// subject returns the anonymized subject of an e-mail address, if any. A
// pseudonymous address is its own subject's (by its four hex digits).
func (s *Set) subject(email string) (string, bool) {
	if s == nil || strings.TrimSpace(email) == "" {
		return "", false
	}
	if IsPseudonymous(email) {
		// Already anonymized: its four hex digits name the subject.
		local := strings.TrimPrefix(strings.SplitN(strings.ToLower(strings.TrimSpace(email)), "@", 2)[0], "titular.")
		for sub := range s.subjects {
			if strings.HasPrefix(sub, local) {
				return sub, true
			}
		}
		return "", false
	}
	sub, ok := s.hashed[email]
	if !ok {
		sub = Subject(email)
		s.hashed[email] = sub
	}
	return sub, s.subjects[sub]
}

// person is what is known of one titular in a journal: the pseudonyms,
// and the original values (each once, with its lower case), to take out of
// other text about them.
type person struct {
	name, email string
	originals   []string
	lows        []string
}

// add records an original value worth replacing in text.
func (p *person) add(o string) {
	o = strings.TrimSpace(o)
	if o == "" || strings.HasPrefix(o, "Titular ") || IsPseudonymous(o) {
		return
	}
	low := strings.ToLower(o)
	for _, l := range p.lows {
		if l == low {
			return
		}
	}
	p.originals, p.lows = append(p.originals, o), append(p.lows, low)
}

func (p *person) scrub(s string) string {
	if s == "" || len(p.lows) == 0 {
		return s
	}
	lower := strings.ToLower(s)
	for i, l := range p.lows {
		if strings.Contains(lower, l) {
			s = replaceFold(s, p.originals[i], p.name)
			lower = strings.ToLower(s)
		}
	}
	return s
}

// scrubAll takes every titular's original values out of s, lowering s once.
func scrubAll(people []*person, s string) string {
	if s == "" {
		return s
	}
	lower := strings.ToLower(s)
	for _, p := range people {
		for _, l := range p.lows {
			if strings.Contains(lower, l) {
				s = p.scrub(s)
				lower = strings.ToLower(s)
				break
			}
		}
	}
	return s
}

// Events applies the HD-1 decisions to a journal, in place: the events of
// an anonymized titular's cases and the events of their own responses get
// the pseudonym for name, e-mail and phone and the redaction note for the
// text they wrote; the rest of each event's text loses the original name,
// e-mail and phone. It returns the number of events changed.
func (s *Set) Events(journal procedure.Journal) int {
	if s.Len() == 0 {
		return 0
	}
	owner, bySubject := s.people(journal)
	who := func(sub string) *person {
		p := bySubject[sub]
		if p == nil {
			p = &person{name: Pseudonym(sub), email: PseudonymEmail(sub)}
			bySubject[sub] = p
		}
		return p
	}
	// Once the Historial is rewritten no original value is left to look
	// for, and other cases' text is not searched at all.
	var everyone []*person
	for _, p := range bySubject {
		if len(p.lows) > 0 {
			everyone = append(everyone, p)
		}
	}
	changed := 0
	for i := range journal.Len() {
		e := journal.Event(i)
		d := &e.Data
		p := owner[e.Case]
		byThem := false
		if sub, ok := s.subject(d.By); ok {
			byThem = true
			if p == nil {
				p = who(sub)
			}
		}
		if p == nil {
			if len(everyone) == 0 {
				continue
			}
			// Another case's text may name them (an agent's activities).
			hit := false
			for _, f := range [...]*string{&d.Note, &d.Reason, &d.Activities, &d.Concept, &d.Description, &d.Comments} {
				if v := scrubAll(everyone, *f); v != *f {
					*f, hit = v, true
				}
			}
			if hit {
				journal.Set(i, e)
				changed++
			}
			continue
		}
		before := procedure.EncodeData(*d)
		mine := e.Kind == procedure.KRegistered || e.Kind == procedure.KImported || byThem
		if mine {
			set(&d.Requester, p.name)
			set(&d.Phone, p.name)
			set(&d.Description, Redacted)
			set(&d.Comments, Redacted)
		}
		if d.Email != "" {
			if _, ok := s.subject(d.Email); ok || mine {
				d.Email = p.email
			}
		}
		if byThem {
			d.By = p.email
		}
		for _, f := range []*string{&d.Note, &d.Reason, &d.Activities, &d.Concept, &d.Description, &d.Comments, &d.Requester} {
			*f = p.scrub(*f)
		}
		if procedure.EncodeData(*d) != before {
			journal.Set(i, e)
			changed++
		}
	}
	return changed
}

// people finds the anonymized titulars of a journal: the requester of each
// case, and what they were called, to take out of other text.
func (s *Set) people(journal procedure.Journal) (map[int]*person, map[string]*person) {
	owner := map[int]*person{} // case -> its anonymized requester
	bySubject := map[string]*person{}
	who := func(sub string) *person {
		p := bySubject[sub]
		if p == nil {
			p = &person{name: Pseudonym(sub), email: PseudonymEmail(sub)}
			bySubject[sub] = p
		}
		return p
	}
	for i := range journal.Len() {
		if k := journal.Kind(i); k != procedure.KRegistered && k != procedure.KImported {
			continue
		}
		e := journal.Event(i)
		d := &e.Data
		if sub, ok := s.subject(d.Email); ok {
			p := who(sub)
			p.add(d.Email)
			p.add(d.Requester)
			p.add(phone(d.Phone))
			owner[e.Case] = p
		}
	}
	for _, e := range journal.All() {
		if by := e.Data.By; by != "" {
			if sub, ok := s.subject(by); ok {
				who(sub).add(by)
			}
		}
	}
	return owner, bySubject
}

// Responses applies the HD-1 decisions to form responses, in place: a
// response whose respondent (or answered e-mail) is an anonymized titular
// gets the pseudonym in its identifying answers and the redaction note in
// its free text, before the fold sees it.
func (s *Set) Responses(rs []procedure.Response) int {
	if s.Len() == 0 {
		return 0
	}
	changed := 0
	for i := range rs {
		r := &rs[i]
		sub, ok := s.subject(r.Email)
		if !ok {
			sub, ok = s.subject(r.Answers[procedure.FEmail])
		}
		if !ok {
			continue
		}
		changed++
		r.Email = PseudonymEmail(sub)
		a := map[procedure.Field]string{}
		for f, v := range r.Answers {
			a[f] = v
		}
		setAnswer(a, procedure.FEmail, PseudonymEmail(sub))
		setAnswer(a, procedure.FName, Pseudonym(sub))
		setAnswer(a, procedure.FPhone, Pseudonym(sub))
		for _, f := range []procedure.Field{procedure.FDescription, procedure.FComments, procedure.FObservations} {
			setAnswer(a, f, Redacted)
		}
		r.Answers = a
	}
	return changed
}

// Pseudonymous returns the pseudonymous address of an anonymized titular's
// e-mail, if it is one.
func (s *Set) Pseudonymous(email string) (string, bool) {
	sub, ok := s.subject(email)
	if !ok {
		return "", false
	}
	return PseudonymEmail(sub), true
}

// NameOf returns the pseudonym name of an anonymized titular's e-mail.
func (s *Set) NameOf(email string) (string, bool) {
	sub, ok := s.subject(email)
	if !ok {
		return "", false
	}
	return Pseudonym(sub), true
}

func set(f *string, v string) {
	if strings.TrimSpace(*f) != "" {
		*f = v
	}
}

func setAnswer(a map[procedure.Field]string, f procedure.Field, v string) {
	if strings.TrimSpace(a[f]) != "" {
		a[f] = v
	}
}

// phone keeps a phone number worth replacing in text: a short extension
// ("31") would match too much.
func phone(s string) string {
	if len(strings.TrimSpace(s)) < 5 {
		return ""
	}
	return strings.TrimSpace(s)
}

// replaceFold replaces every occurrence of old in s, ignoring case.
func replaceFold(s, old, repl string) string {
	if old == "" {
		return s
	}
	lo, lold := strings.ToLower(s), strings.ToLower(old)
	if len(lo) != len(s) || len(lold) != len(old) {
		return strings.ReplaceAll(s, old, repl) // case mapping changed lengths: exact only
	}
	var sb strings.Builder
	for {
		i := strings.Index(lo, lold)
		if i < 0 {
			sb.WriteString(s)
			return sb.String()
		}
		sb.WriteString(s[:i])
		sb.WriteString(repl)
		s, lo = s[i+len(old):], lo[i+len(old):]
	}
}
