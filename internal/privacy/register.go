package privacy

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// Refusal is a request the register refuses (an unknown radicado, a term
// already expired): its text is Spanish, for the person at the command line.
type Refusal string

func (r Refusal) Error() string { return string(r) }

// Refused marks it as the caller's mistake, not a failure (exit 2).
func (Refusal) Refused() {}

func refuse(format string, args ...any) error { return Refusal(fmt.Sprintf(format, args...)) }

// Register is the Derechos tab and the office calendar its terms are
// counted on (the worker keeps both).
type Register interface {
	Calendar(ctx context.Context) (*calendar.Calendar, error)
	Rights(ctx context.Context) ([]RightsRequest, workbook.Table, error)
	SaveRights(ctx context.Context, t workbook.Table, rs []RightsRequest) error
}

// Registered is what Request did.
type Registered struct {
	Request RightsRequest
	Already string // not empty: the radicado was registered before, with this status; nothing written
}

// Request registers a titular's consulta or reclamo received on day with
// its legal deadlines; id "" takes the next HD-YYYY-NNN. A radicado already
// registered is not registered twice.
func Request(ctx context.Context, reg Register, typ, id, email, subject string, day, now time.Time) (Registered, error) {
	cal, rs, table, err := rightsOf(ctx, reg)
	if err != nil {
		return Registered{}, err
	}
	if id == "" {
		id = NextID(rs, day.In(calendar.Bogota()).Year())
	}
	for _, r := range rs {
		if r.ID == id {
			return Registered{Request: r, Already: r.Status(cal, now)}, nil
		}
	}
	r, err := NewRequest(cal, id, typ, email, subject, day)
	if err != nil {
		return Registered{}, Refusal(err.Error())
	}
	if err := reg.SaveRights(ctx, table, append(rs, r)); err != nil {
		return Registered{}, err
	}
	return Registered{Request: r}, nil
}

// Extend extends request id's term (art. 14: "antes del vencimiento del
// primer término"), and returns its status.
func Extend(ctx context.Context, reg Register, id string, now time.Time) (string, error) {
	return update(ctx, reg, id, now, func(cal *calendar.Calendar, r *RightsRequest) error {
		if cal.AddBusinessDays(now, 0).After(r.Due) {
			return refuse("la solicitud %s venció el %s: la prórroga se informa antes del vencimiento del primer término", r.ID, r.Due.Format("2006-01-02"))
		}
		r.Extended = true
		return nil
	})
}

// Close closes request id with the action taken, and returns its status.
func Close(ctx context.Context, reg Register, id, action string, now time.Time) (string, error) {
	return update(ctx, reg, id, now, func(cal *calendar.Calendar, r *RightsRequest) error {
		r.State, r.ClosedOn, r.Action = Closed, cal.AddBusinessDays(now, 0), action
		return nil
	})
}

func update(ctx context.Context, reg Register, id string, now time.Time, change func(*calendar.Calendar, *RightsRequest) error) (string, error) {
	cal, rs, table, err := rightsOf(ctx, reg)
	if err != nil {
		return "", err
	}
	for i := range rs {
		r := &rs[i]
		if r.ID != id {
			continue
		}
		if r.State == Closed {
			return "", refuse("la solicitud %s ya está cerrada (%s)", r.ID, r.Status(cal, now))
		}
		if err := change(cal, r); err != nil {
			return "", err
		}
		if err := reg.SaveRights(ctx, table, rs); err != nil {
			return "", err
		}
		return r.Status(cal, now), nil
	}
	return "", refuse("no hay una solicitud con radicado %q en la pestaña Derechos", id)
}

// rightsOf is what the rights commands work on: the office calendar (for
// the legal terms) and the Derechos tab.
func rightsOf(ctx context.Context, reg Register) (*calendar.Calendar, []RightsRequest, workbook.Table, error) {
	cal, err := reg.Calendar(ctx)
	if err != nil {
		return nil, nil, workbook.Table{}, err
	}
	rs, table, err := reg.Rights(ctx)
	return cal, rs, table, err
}

// Anonymization is an HD-1 anonymization across the live workbook, every
// archive and the help desk's sent mail.
type Anonymization struct {
	Email, Reason string
	Now           time.Time
	Loc           *time.Location
	// Live and Archives are the workbooks: what the titular's data is
	// looked for in (Find) and, for the archives, rewritten.
	Live     Book
	Archives []Archive
	// Forms, FormIDs and Domain are Find's.
	Forms   Responses
	FormIDs map[procedure.Form]string
	Domain  string
	// Journal journals the decision and rewrites the live workbook from the
	// journal (the worker's cycle); it returns the pseudonym and whether
	// this run journaled it.
	Journal func(ctx context.Context) (pseudonym string, journaled bool, err error)
	// Trash moves a sent copy to the trash; nil keeps them
	// (privacy.trash_sent off).
	Trash func(ctx context.Context, gmailID string) error
}

// Archive is an archive workbook, rewritten in place.
type Archive struct {
	Title string
	Sheet WriteSheet
}

// Anonymize finds the titular's sent mail and form responses, journals the
// decision (the live workbook follows), rewrites every archive and trashes
// the sent copies if allowed. Run again, it changes nothing; interrupted,
// it is finished by running it again.
func Anonymize(ctx context.Context, a Anonymization) (Anonymized, error) {
	books := []Book{a.Live}
	for _, ar := range a.Archives {
		books = append(books, Book{Title: ar.Title, Sheet: ar.Sheet})
	}
	found, err := Find(ctx, books, a.Forms, a.FormIDs, Query{Email: a.Email}, a.Domain, a.Loc)
	if err != nil {
		return Anonymized{}, err
	}
	pseudonym, journaled, err := a.Journal(ctx)
	if err != nil {
		return Anonymized{}, err
	}
	set := FromJournal(procedure.JournalOf(Decision(a.Email, a.Reason, a.Now)))
	cells := 0
	for _, ar := range a.Archives {
		n, err := set.Rewrite(ctx, ar.Sheet, a.Loc)
		if err != nil {
			return Anonymized{}, fmt.Errorf("anonymize the archive %s: %w", ar.Title, err)
		}
		cells += n
	}
	trashed := 0
	for _, m := range found.Mail {
		if a.Trash == nil || m.GmailID == "" {
			continue
		}
		if err := a.Trash(ctx, m.GmailID); err != nil {
			return Anonymized{}, fmt.Errorf("trash the sent copy %s: %w", m.MessageID, err)
		}
		trashed++
	}
	return Anonymized{
		Pseudonym: pseudonym, Journaled: journaled, Archives: len(a.Archives), ArchiveCells: cells,
		Mail: found.Mail, Trashed: trashed, Responses: found.Responses,
	}, nil
}

// SenderDomain is the domain of the help desk's address, which the
// Message-ID of every mail it sends carries.
func SenderDomain(addr string) string {
	a, err := mail.ParseAddress(addr)
	if err != nil {
		return ""
	}
	return a.Address[strings.LastIndex(a.Address, "@")+1:]
}
