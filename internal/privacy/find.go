package privacy

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/workspace"
)

// Sheet is a workbook as privacy reads it (sheets.Client).
type Sheet interface {
	Tabs(ctx context.Context) ([]string, error)
	Read(ctx context.Context, tabs []string) ([][][]any, error)
}

// Book is a workbook to search: the live one or an archive.
type Book struct {
	Title string
	Sheet Sheet
}

// Responses lists every response of a form (forms.Client.Since with the
// zero time).
type Responses interface {
	Since(ctx context.Context, formID string, after time.Time) ([]workspace.FormResponse, error)
}

// Query is the person looked for: an e-mail address, a name, or both.
type Query struct{ Email, Name string }

func (q Query) empty() bool {
	return strings.TrimSpace(q.Email) == "" && strings.TrimSpace(q.Name) == ""
}

// matches reports whether a cell holds the person's data: the e-mail
// anywhere in it (ignoring case), or the name (ignoring case, accents and
// spacing).
func (q Query) matches(cell string) bool {
	if cell == "" {
		return false
	}
	if e := strings.ToLower(strings.TrimSpace(q.Email)); e != "" && strings.Contains(strings.ToLower(cell), e) {
		return true
	}
	if n := procedure.Norm(q.Name); n != "" && strings.Contains(procedure.Norm(cell), n) {
		return true
	}
	return false
}

// Place is a cell that holds the person's data.
type Place struct {
	Book, Tab, Key, Column string
	Row                    int // sheet row (1-based)
}

// Sent is a mail mesa sent the person.
type Sent struct {
	Book, Notification, MessageID, GmailID, Kind string
	Case                                         int
	At                                           time.Time
}

// Response is a form response of the person, for deleting by hand in
// Google Forms (its API cannot delete one).
type Response struct {
	Form, FormID, ID string
	Submitted        time.Time
}

// Findings are every place mesa holds the person's data.
type Findings struct {
	Query     Query
	Places    []Place
	Mail      []Sent
	Responses []Response
}

// Find searches every tab of the books, the mail they record as sent, and
// the responses of the forms (form name -> id). domain is the sender's,
// for the Message-IDs. It changes nothing.
func Find(ctx context.Context, books []Book, rs Responses, formIDs map[procedure.Form]string, q Query, domain string, loc *time.Location) (Findings, error) {
	out := Findings{Query: q}
	if q.empty() {
		return out, fmt.Errorf("nothing to look for: give an e-mail or a name")
	}
	for _, b := range books {
		tabs, err := b.Sheet.Tabs(ctx)
		if err != nil {
			return out, fmt.Errorf("list the tabs of %s: %w", b.Title, err)
		}
		vals, err := b.Sheet.Read(ctx, tabs)
		if err != nil {
			return out, fmt.Errorf("read %s: %w", b.Title, err)
		}
		for i, tab := range tabs {
			out.Places = append(out.Places, scan(b.Title, tab, vals[i], q)...)
			if tab == workbook.Notificaciones.Name {
				out.Mail = append(out.Mail, sentTo(b.Title, workbook.NewTable(workbook.Notificaciones, vals[i]), q, domain, loc)...)
			}
		}
	}
	for _, f := range procedure.Forms {
		id := formIDs[f]
		if id == "" || rs == nil {
			continue
		}
		list, err := rs.Since(ctx, id, time.Time{})
		if err != nil {
			return out, fmt.Errorf("list the responses of %s: %w", f, err)
		}
		for _, r := range list {
			hit := q.Email != "" && strings.EqualFold(strings.TrimSpace(r.Email), strings.TrimSpace(q.Email))
			for _, v := range r.Answers {
				hit = hit || q.matches(v)
			}
			if hit {
				out.Responses = append(out.Responses, Response{Form: string(f), FormID: id, ID: r.ID, Submitted: r.Submitted})
			}
		}
	}
	return out, nil
}

// scan lists the cells of one tab that hold the person's data. The row's
// key is the tab's key column when mesa knows the tab.
func scan(book, tab string, vals [][]any, q Query) []Place {
	if len(vals) == 0 {
		return nil
	}
	header := make([]string, len(vals[0]))
	for j, h := range vals[0] {
		header[j] = workbook.Cell(h)
	}
	keyCol := -1
	if t, ok := workbook.ByName(tab); ok {
		keyCol = slices.Index(header, t.Key)
	}
	var out []Place
	for i, row := range vals[1:] {
		for j, v := range row {
			if !q.matches(workbook.Cell(v)) {
				continue
			}
			p := Place{Book: book, Tab: tab, Row: i + 2}
			if j < len(header) {
				p.Column = header[j]
			}
			if keyCol >= 0 && keyCol < len(row) {
				p.Key = workbook.Cell(row[keyCol])
			}
			out = append(out, p)
		}
	}
	return out
}

// sentTo lists the Enviado rows of an outbox addressed to the person.
func sentTo(book string, t workbook.Table, q Query, domain string, loc *time.Location) []Sent {
	var out []Sent
	for _, r := range t.Records() {
		if r.Get("Estado") != "Enviado" || !(q.matches(r.Get("Para")) || q.matches(r.Get("Destinatario"))) {
			continue
		}
		s := Sent{Book: book, Notification: r.Get("ID"), MessageID: notify.MessageIDFor(r.Get("ID"), domain), GmailID: r.Get("ID Gmail"), Kind: r.Get("Tipo")}
		s.Case, _ = strconv.Atoi(r.Get("Caso"))
		s.At, _ = time.ParseInLocation(workbook.InstantLayout, r.Get("Enviado"), loc)
		out = append(out, s)
	}
	return out
}

// Empty reports whether nothing holds the person's data any more: no cell
// and no sent mail (form responses stay until deleted by hand).
func (f Findings) Empty() bool { return len(f.Places) == 0 && len(f.Mail) == 0 }

// Write prints the findings as tables a person can attach to the answer of
// a consulta (Spanish).
func (f Findings) Write(w io.Writer, loc *time.Location, now time.Time) error {
	who := strings.TrimSpace(strings.Join([]string{f.Query.Name, f.Query.Email}, " "))
	fmt.Fprintf(w, "Datos personales de %s en la mesa de ayuda\n", who)
	fmt.Fprintf(w, "Consulta del %s (Ley 1581 de 2012, art. 14). No se modificó ningún dato.\n\n", now.In(loc).Format("2006-01-02 15:04"))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "1. Libros de cálculo (%d celdas)\n", len(f.Places))
	if len(f.Places) > 0 {
		fmt.Fprintln(tw, "Libro\tPestaña\tClave de la fila\tFila\tColumna")
		for _, p := range f.Places {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", p.Book, p.Tab, orDash(p.Key), p.Row, orDash(p.Column))
		}
	}
	fmt.Fprintf(tw, "\n2. Correos enviados por la mesa (%d), por Message-ID\n", len(f.Mail))
	writeSent(tw, f.Mail, loc)
	fmt.Fprintf(tw, "\n3. Respuestas de formularios (%d): Google Forms no permite borrarlas por API; bórrelas a mano (Respuestas → Individual)\n", len(f.Responses))
	writeResponses(tw, f.Responses, loc)
	return tw.Flush()
}

// writeSent is the table of mail sent to the titular, by Message-ID; find
// and anonymize print the same one.
func writeSent(tw io.Writer, mail []Sent, loc *time.Location) {
	if len(mail) == 0 {
		return
	}
	fmt.Fprintln(tw, "Enviado\tTipo\tCaso\tMessage-ID\tID Gmail")
	for _, m := range mail {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.At.In(loc).Format("2006-01-02 15:04"), m.Kind, caseOrDash(m.Case), m.MessageID, orDash(m.GmailID))
	}
}

// writeResponses is the table of form responses to delete by hand.
func writeResponses(tw io.Writer, rs []Response, loc *time.Location) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprintln(tw, "Formulario\tID de respuesta\tEnviada")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Form, r.ID, r.Submitted.In(loc).Format("2006-01-02 15:04"))
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func caseOrDash(n int) string {
	if n == 0 {
		return "—"
	}
	return strconv.Itoa(n)
}

// Anonymized is what `mesa privacy anonymize` did.
type Anonymized struct {
	Pseudonym    string
	Journaled    bool // false: the decision was journaled by an earlier run
	Archives     int  // archive workbooks rewritten
	ArchiveCells int
	Mail         []Sent     // mail sent to the titular before, still in the mailbox unless trashed
	Trashed      int        // of those, moved to the trash (privacy.trash_sent)
	Responses    []Response // to delete by hand in Google Forms
}

// WriteAnonymized prints the outcome of an anonymization (Spanish).
func WriteAnonymized(w io.Writer, a Anonymized, loc *time.Location) error {
	if a.Journaled {
		fmt.Fprintf(w, "Decisión HD-1 registrada en el Historial: los datos del titular quedan como «%s».\n", a.Pseudonym)
	} else {
		fmt.Fprintf(w, "La decisión HD-1 ya estaba registrada: los datos del titular quedan como «%s» (nada nuevo que registrar).\n", a.Pseudonym)
	}
	fmt.Fprintf(w, "Libro vivo reescrito desde el Historial; %d libros de archivo revisados (%d celdas reescritas).\n", a.Archives, a.ArchiveCells)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "\nCorreos enviados antes al titular (%d); copias en la bandeja de enviados de la mesa, %d movidas a la papelera:\n", len(a.Mail), a.Trashed)
	writeSent(tw, a.Mail, loc)
	fmt.Fprintf(tw, "\nRespuestas de formularios para borrar a mano en Google Forms (%d):\n", len(a.Responses))
	writeResponses(tw, a.Responses, loc)
	return tw.Flush()
}
