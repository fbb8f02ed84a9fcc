// Package imports reads the CSV files `mesa import` takes — a Google Forms
// export of a form's responses, an admin tab, the Casos tab of a hand-kept
// workbook — checks each whole before anything is written, and writes what
// it read. A file is imported whole or not at all: what refuses it is a
// Refusal, whose Spanish text names the file and each problem.
package imports

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/forms"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
	"github.com/funza-tic/mesa/internal/workspace"
)

// Refusal is a file (or a name) the import refuses as a whole, nothing
// written; its text is Spanish, for the person who gave it.
type Refusal string

func (r Refusal) Error() string { return string(r) }

// Refused marks it as the caller's mistake, not a failure (exit 2).
func (Refusal) Refused() {}

func refuse(format string, args ...any) error { return Refusal(fmt.Sprintf(format, args...)) }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "«" + x + "»"
	}
	return strings.Join(q, ", ")
}

// requiredFields are the questions without which no response of a form
// could be applied (DESIGN.md §5); the respondent's e-mail is required on
// every form besides, since it is what authorizes the answer.
var requiredFields = map[procedure.Form][]procedure.Field{
	procedure.Solicitudes:    {procedure.FDescription},
	procedure.Respuestas:     {procedure.FCase, procedure.FState},
	procedure.Reasignaciones: {procedure.FCase, procedure.FNewAgent, procedure.FCriterion},
	procedure.Encuestas:      {procedure.FCase, procedure.FRating},
	// The procedure is silent on a review's CSV: without the decision the
	// Coordinador's answer cannot be applied, so it is required too.
	procedure.Revisiones: {procedure.FCase, procedure.FDecision},
}

// Responses is a Forms export read whole and checked against its form.
type Responses struct {
	Path string
	Form procedure.Form
	File forms.File
}

// ReadResponses reads the export at path of form, whose question titles
// (by field) are titles. A file that cannot be read or lacks a required
// column is refused.
func ReadResponses(path string, form procedure.Form, titles map[procedure.Field]string, loc *time.Location) (*Responses, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, refuse("no se pudo abrir %s: %v", path, err)
	}
	defer f.Close()
	file, err := forms.ReadCSV(f, loc)
	if err != nil {
		return nil, refuse("%s (leído como %s, separado por %s): %v", path, orUnknown(file.Encoding), file.SeparatorName(), err)
	}
	if err := checkColumns(file, form, titles); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Responses{Path: path, Form: form, File: file}, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "codificación desconocida"
	}
	return s
}

// checkColumns refuses a file that lacks a required column of the form
// (titles compared ignoring case and accents), naming each missing one.
func checkColumns(file forms.File, form procedure.Form, titles map[procedure.Field]string) error {
	have := map[string]string{}
	for _, h := range file.Header[1:] {
		have[procedure.Norm(h)] = h
	}
	var missing []string
	if !file.HasEmail {
		missing = append(missing, forms.EmailColumn)
	}
	for _, f := range requiredFields[form] {
		if _, ok := have[procedure.Norm(titles[f])]; !ok {
			missing = append(missing, titles[f])
		}
	}
	if len(missing) > 0 {
		return refuse("al archivo le %s %s, sin %s ninguna respuesta del formulario %s se puede aplicar; no se importó nada",
			map[bool]string{true: "falta la columna", false: "faltan las columnas"}[len(missing) == 1],
			quoteList(missing), map[bool]string{true: "ella", false: "ellas"}[len(missing) == 1], form)
	}
	return nil
}

// Describe is the file as people recognise it: its path, encoding and
// separator.
func (r *Responses) Describe() string {
	return fmt.Sprintf("%s (%s, separado por %s)", r.Path, r.File.Encoding, r.File.SeparatorName())
}

// Form is the local backend's form the responses are submitted to.
type Form interface {
	Questions(ctx context.Context, id string, fresh bool) (map[string]string, error)
	Since(ctx context.Context, id string, t time.Time) ([]workspace.FormResponse, error)
	Submit(id, email string, at time.Time, answers map[string]string) error
}

// Submitted says what Submit did (or, in a dry run, would do).
type Submitted struct {
	Unknown []string  // columns the form has no question for: ignored
	Sent    int       // responses submitted
	Already int       // responses the form already had: not submitted again
	Older   int       // submitted responses older than the form's latest before the import
	Latest  time.Time // the form's latest response before the import
}

// Submit submits the responses the form does not have yet (same time,
// e-mail and answers), exactly as if people had submitted them: a re-run
// after a failure finishes the import instead of doubling it.
func (r *Responses) Submit(ctx context.Context, f Form, id string, dryRun bool) (Submitted, error) {
	var res Submitted
	titles, err := f.Questions(ctx, id, true)
	if err != nil {
		return res, err
	}
	to, unknown := mapQuestions(r.File, titles)
	res.Unknown = unknown
	existing, err := f.Since(ctx, id, time.Time{})
	if err != nil {
		return res, err
	}
	seen := map[string]bool{}
	for _, e := range existing {
		seen[responseKey(e.Submitted, e.Email, e.Answers)] = true
	}
	var todo []workspace.FormResponse
	for _, resp := range r.File.Responses {
		answers := map[string]string{}
		for h, v := range resp.Answers {
			if t, ok := to[h]; ok {
				answers[t] = v
			}
		}
		resp.Answers = answers
		if seen[responseKey(resp.Submitted, resp.Email, resp.Answers)] {
			continue
		}
		todo = append(todo, resp)
	}
	res.Already = len(r.File.Responses) - len(todo)
	if dryRun {
		res.Sent = len(todo)
		return res, nil
	}
	for i, resp := range todo {
		if err := f.Submit(id, resp.Email, resp.Submitted, resp.Answers); err != nil {
			return res, fmt.Errorf("submit response %d of %d (run the same import again to finish it: the ones submitted are not repeated): %w", i+1, len(todo), err)
		}
		res.Sent++
	}
	// A cycle reads each form from its latest applied response on, as
	// responses reach Google in order; older ones wait for reconcile.
	for _, e := range existing {
		if e.Submitted.After(res.Latest) {
			res.Latest = e.Submitted
		}
	}
	for _, resp := range todo {
		if resp.Submitted.Before(res.Latest) {
			res.Older++
		}
	}
	return res, nil
}

// mapQuestions maps each header to the form's own question title; headers
// the form has no question for are returned apart (ignored with a warning).
func mapQuestions(file forms.File, formTitles map[string]string) (map[string]string, []string) {
	byNorm := map[string]string{}
	for _, t := range formTitles {
		byNorm[procedure.Norm(t)] = t
	}
	to := map[string]string{}
	var unknown []string
	for _, h := range file.Header[1:] {
		if h == "" || forms.IsEmailColumn(h) {
			continue
		}
		if t, ok := byNorm[procedure.Norm(h)]; ok {
			to[h] = t
			continue
		}
		unknown = append(unknown, h)
	}
	return to, unknown
}

// responseKey identifies a response by what its submitter gave.
func responseKey(at time.Time, email string, answers map[string]string) string {
	keys := make([]string, 0, len(answers))
	for k := range answers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%d\x00%s", at.Unix(), strings.ToLower(email))
	for _, k := range keys {
		fmt.Fprintf(&b, "\x00%s\x01%s", k, answers[k])
	}
	return b.String()
}

// AdminTab is an admin tab's CSV, read whole and checked as a cycle checks
// the tab (worker.CheckAdmin).
type AdminTab struct {
	Tab      workbook.Tab
	Rows     [][]string // header row first
	Describe string     // encoding and separator, as people recognise them
}

// ReadAdminTab reads path as the admin tab people call name (agentes,
// catalogo, festivos). A tab that is not an admin tab, a file that cannot
// be read and a row the cycle would refuse all refuse the file.
func ReadAdminTab(name, path string) (*AdminTab, error) {
	tab, ok := workbook.ByName(name)
	if !ok || !slices.ContainsFunc(workbook.Admin, func(t workbook.Tab) bool { return t.Name == tab.Name }) {
		return nil, refuse("la pestaña %q no se importa: use agentes, catalogo o festivos", name)
	}
	rows, info, err := readTable(path)
	if err != nil {
		return nil, err
	}
	if probs := worker.CheckAdmin(tab, rows); len(probs) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: la pestaña %s no se cambió, %s:", path, tab.Name, plural(len(probs), "problema", "problemas"))
		for _, p := range probs {
			fmt.Fprintf(&b, "\n  %s", p)
		}
		return nil, Refusal(b.String())
	}
	return &AdminTab{Tab: tab, Rows: rows, Describe: info}, nil
}

// Sheet is the workbook an admin tab is written to.
type Sheet interface {
	EnsureTabs(ctx context.Context, tabs []string) ([]string, error)
	Replace(ctx context.Context, tab string, rows [][]string) error
}

// Write replaces the tab's rows with the file's.
func (a *AdminTab) Write(ctx context.Context, sh Sheet) error {
	if _, err := sh.EnsureTabs(ctx, []string{a.Tab.Name}); err != nil {
		return err
	}
	return sh.Replace(ctx, a.Tab.Name, a.Rows)
}

// readTable reads a CSV with the same encoding and separator detection as
// a Forms export.
func readTable(path string) ([][]string, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", refuse("no se pudo abrir %s: %v", path, err)
	}
	defer f.Close()
	t, err := forms.ReadTable(f)
	if err != nil {
		return nil, "", refuse("%s: %v", path, err)
	}
	if len(t.Rows) == 0 {
		return nil, "", refuse("%s está vacío", path)
	}
	return t.Rows, fmt.Sprintf("%s, separado por %s", t.Encoding, forms.SeparatorName(t.Separator)), nil
}

// ReadCases reads a CSV export of a hand-kept workbook's Casos tab, for
// `mesa import cases` (rule F-I adopts them). A file with a row that
// cannot be read, or with no case, is refused.
func ReadCases(path string, loc *time.Location) ([]*procedure.Case, error) {
	rows, _, err := readTable(path)
	if err != nil {
		return nil, err
	}
	hs, errs := readHistoric(rows, loc)
	if len(errs) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: %s no se %s leer; no se adoptó nada:", path, plural(len(errs), "fila", "filas"), map[bool]string{true: "pudo", false: "pudieron"}[len(errs) == 1])
		for _, e := range errs {
			fmt.Fprintf(&b, "\n  %v", e)
		}
		return nil, Refusal(b.String())
	}
	if len(hs) == 0 {
		return nil, refuse("%s: no hay casos debajo de la fila de títulos", path)
	}
	return hs, nil
}
