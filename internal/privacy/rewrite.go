package privacy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/workbook"
)

// WriteSheet is a workbook privacy rewrites (sheets.Client).
type WriteSheet interface {
	Sheet
	Write(ctx context.Context, ups []workbook.Update) (int, error)
}

// identity and freeText name the columns of the worker's tabs that hold a
// titular's identity and the text they wrote.
var (
	nameColumns  = map[string]bool{"Solicitante": true, "Destinatario": true, "Teléfono": true}
	emailColumns = map[string]bool{"Correo": true, "Para": true}
	freeText     = map[string]bool{"Descripción": true, "Comentarios": true}
)

// Rewrite applies the HD-1 decisions of s in place to a workbook that no
// fold rebuilds: an archive (its tabs are copies of the live rows of its
// year). The Historial's events are anonymized as a cycle does it and
// written back; in every other tab of mesa's, a row of an anonymized
// titular (a cell with their e-mail or pseudonymous e-mail) gets the
// pseudonym and the redaction note by column, and every cell loses the
// titular's original name, e-mail and phone. Cells that do not change are
// not written, so a second run writes nothing. It returns the cells
// written.
func (s *Set) Rewrite(ctx context.Context, sh WriteSheet, loc *time.Location) (int, error) {
	if s.Len() == 0 {
		return 0, nil
	}
	tabs, err := sh.Tabs(ctx)
	if err != nil {
		return 0, err
	}
	var known []workbook.Tab
	for _, name := range tabs {
		if t, ok := workbook.ByName(name); ok && t.Name == name {
			known = append(known, t)
		}
	}
	names := make([]string, len(known))
	for i, t := range known {
		names[i] = t.Name
	}
	vals, err := sh.Read(ctx, names)
	if err != nil {
		return 0, err
	}
	tables := map[string]workbook.Table{}
	for i, t := range known {
		tables[t.Name] = workbook.NewTable(t, vals[i])
	}
	var people map[string]*person
	var ups []workbook.Update
	if t, ok := tables[workbook.Historial.Name]; ok {
		events, errs := workbook.ParseHistorial(t, loc)
		if len(errs) > 0 {
			return 0, fmt.Errorf("the Historial: %w", errs[0])
		}
		_, people = s.people(events)
		s.Events(events)
		u, _ := workbook.Plan(t, workbook.Formatter{Loc: loc}.JournalRows(events))
		ups = append(ups, u...)
	}
	for _, t := range known {
		if t.Name == workbook.Historial.Name {
			continue
		}
		desired := s.rows(tables[t.Name], people)
		if desired == nil {
			continue
		}
		u, _ := workbook.Plan(tables[t.Name], desired)
		ups = append(ups, u...)
	}
	if len(ups) == 0 {
		return 0, nil
	}
	if _, err := sh.Write(ctx, ups); err != nil {
		return 0, err
	}
	cells := 0
	for _, u := range ups {
		for _, r := range u.Values {
			cells += len(r)
		}
	}
	return cells, nil
}

// rows returns the rows of t as they read once anonymized, or nil when
// none changes.
func (s *Set) rows(t workbook.Table, people map[string]*person) [][]string {
	var out [][]string
	changed := false
	for _, r := range t.Records() {
		var p *person
		for _, c := range t.Tab.Columns {
			if !emailColumns[c.Name] {
				continue
			}
			if sub, ok := s.subject(r.Get(c.Name)); ok {
				p = people[sub]
				if p == nil {
					p = &person{name: Pseudonym(sub), email: PseudonymEmail(sub)}
					p.add(r.Get(c.Name))
				}
			}
		}
		row := make([]string, len(t.Tab.Columns))
		for j, c := range t.Tab.Columns {
			v := r.Get(c.Name)
			switch {
			case p != nil && emailColumns[c.Name] && v != "":
				v = p.email
			case p != nil && nameColumns[c.Name] && strings.TrimSpace(v) != "":
				v = p.name
			case p != nil && freeText[c.Name] && strings.TrimSpace(v) != "":
				v = Redacted
			default:
				for _, q := range people {
					v = q.scrub(v)
				}
			}
			changed = changed || v != r.Get(c.Name)
			row[j] = v
		}
		out = append(out, row)
	}
	if !changed {
		return nil
	}
	return out
}

// Titular is what `mesa privacy anonymize` reports of a titular.
type Titular struct {
	Subject, Pseudonym string
}

// Of returns the titular of an e-mail address.
func Of(email string) Titular {
	sub := Subject(email)
	return Titular{Subject: sub, Pseudonym: Pseudonym(sub)}
}
