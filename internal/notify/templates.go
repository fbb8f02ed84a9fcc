package notify

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	texttemplate "text/template"
	"time"
)

//go:embed templates/*
var defaults embed.FS

// Shared definitions, parsed with every kind: "prefijo" (subject prefix),
// "saludo", "campos", "lista_casos" and "firma" for text; "inicio", "fin",
// "campos", "boton" and "lista_casos" for HTML.
const (
	commonText = "_comun.txt"
	commonHTML = "_comun.html"
)

// Templates holds the parsed templates of every kind.
type Templates struct {
	kinds map[Kind]kindTemplates
}

type kindTemplates struct {
	subject, text *texttemplate.Template
	html          *htmltemplate.Template
}

var funcs = map[string]any{
	"fecha":        fecha,
	"fechaHora":    fechaHora,
	"cuando":       cuando,
	"caso":         caso,
	"motivo":       motivo,
	"cierre":       cierre,
	"calificacion": calificacion,
	"lineas":       lineas,
	"sangria":      sangria,
	"campo":        campo,
	"campos":       campos,
}

// source is one template file, embedded or from the override directory.
type source struct {
	name, origin, content string // origin names the file in error messages
}

// LoadTemplates parses the embedded templates. A file in dir with the same
// name as an embedded one (acuse.subject.txt, acuse.txt, acuse.html,
// _comun.txt, _comun.html) replaces it; dir "" means no overrides. Other
// .txt and .html files in dir are an error, so that a misspelt override is
// not silently ignored. Every template is tried once with sample data, so a
// misspelt field fails here rather than when a case needs the message.
func LoadTemplates(dir string) (*Templates, error) {
	read := func(name string) (source, error) {
		if dir != "" {
			p := filepath.Join(dir, name)
			b, err := os.ReadFile(p)
			if err == nil {
				return source{name, p, string(b)}, nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return source{}, fmt.Errorf("read template: %w", err)
			}
		}
		p := path.Join("templates", name)
		b, err := defaults.ReadFile(p)
		if err != nil {
			return source{}, fmt.Errorf("read embedded template %s: %w", p, err)
		}
		return source{name, "embedded " + p, string(b)}, nil
	}
	if err := checkOverrideNames(dir); err != nil {
		return nil, err
	}

	ctext, err := read(commonText)
	if err != nil {
		return nil, err
	}
	chtml, err := read(commonHTML)
	if err != nil {
		return nil, err
	}
	baseText, err := texttemplate.New(ctext.name).Funcs(funcs).Parse(ctext.content)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", ctext.origin, err)
	}
	baseHTML, err := htmltemplate.New(chtml.name).Funcs(funcs).Parse(chtml.content)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", chtml.origin, err)
	}

	t := &Templates{kinds: make(map[Kind]kindTemplates)}
	for _, k := range Kinds() {
		var kt kindTemplates
		for _, part := range []struct {
			suffix string
			dst    **texttemplate.Template
		}{{".subject.txt", &kt.subject}, {".txt", &kt.text}} {
			src, err := read(string(k) + part.suffix)
			if err != nil {
				return nil, err
			}
			clone, err := baseText.Clone()
			if err != nil {
				return nil, err
			}
			if *part.dst, err = clone.New(src.name).Parse(src.content); err != nil {
				return nil, fmt.Errorf("parse %s: %w", src.origin, err)
			}
		}
		src, err := read(string(k) + ".html")
		if err != nil {
			return nil, err
		}
		clone, err := baseHTML.Clone()
		if err != nil {
			return nil, err
		}
		if kt.html, err = clone.New(src.name).Parse(src.content); err != nil {
			return nil, fmt.Errorf("parse %s: %w", src.origin, err)
		}
		t.kinds[k] = kt
	}

	for _, d := range []Data{{}, sampleData()} {
		for _, k := range Kinds() {
			if _, err := t.Render(k, d); err != nil {
				return nil, fmt.Errorf("check templates of %s: %w", k, err)
			}
		}
	}
	return t, nil
}

// checkOverrideNames rejects template-like files in dir that would override
// nothing.
func checkOverrideNames(dir string) error {
	if dir == "" {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read template directory: %w", err)
	}
	known := []string{commonText, commonHTML}
	for _, k := range Kinds() {
		known = append(known, string(k)+".subject.txt", string(k)+".txt", string(k)+".html")
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !(strings.HasSuffix(n, ".txt") || strings.HasSuffix(n, ".html")) {
			continue
		}
		if !slices.Contains(known, n) {
			return fmt.Errorf("unknown template file %s: override files must be named like acuse.subject.txt, acuse.txt or acuse.html", filepath.Join(dir, n))
		}
	}
	return nil
}

// view is what the text and HTML bodies see: the data and the rendered subject.
type view struct {
	Data
	Subject string
}

// Render fills the templates of kind k with d.
func (t *Templates) Render(k Kind, d Data) (Rendered, error) {
	kt, ok := t.kinds[k]
	if !ok {
		return Rendered{}, fmt.Errorf("unknown notification kind %q", k)
	}
	var b bytes.Buffer
	if err := kt.subject.Execute(&b, d); err != nil {
		return Rendered{}, fmt.Errorf("render subject of %s: %w", k, err)
	}
	subject := cleanHeaderText(b.String())
	v := view{Data: d, Subject: subject}

	b.Reset()
	if err := kt.text.Execute(&b, v); err != nil {
		return Rendered{}, fmt.Errorf("render text of %s: %w", k, err)
	}
	text := tidyText(b.String())

	b.Reset()
	if err := kt.html.Execute(&b, v); err != nil {
		return Rendered{}, fmt.Errorf("render HTML of %s: %w", k, err)
	}
	html := tidyText(b.String())
	return Rendered{Subject: subject, Text: text, HTML: html}, nil
}

var blankLines = regexp.MustCompile(`\n{3,}`)

// tidyText lets templates be written for readability: it drops trailing
// spaces, keeps at most one blank line in a row, and ends with one newline.
func tidyText(s string) string {
	lines := strings.Split(normalizeNewlines(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	s = blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return strings.Trim(s, "\n") + "\n"
}

// sampleData fills every field, so that trying a template walks most of it.
func sampleData() Data {
	at := time.Date(2026, 3, 18, 10, 30, 0, 0, time.UTC)
	c := Case{
		Number: 1, Registered: at, Requester: "x", Email: "x@example.org", Phone: "1",
		Dependencia: "x", Building: "x", Service: "x", Category: "x", Description: "x",
		State: "x", WaitReason: ReasonUserAvailability, VisitDate: at, Agent: "x",
		Activities: "x", TechnicalConcept: "x", Due: at, Overdue: true, Solved: at,
	}
	cs := []Case{c}
	return Data{
		Office:        Office{Name: "x", SenderName: "x", SenderAddress: "x@example.org", Signature: "x", SurveyURL: "https://example.org/{caso}", WorkbookURL: "https://example.org", AgentFormURL: "https://example.org/a", AdminFormURL: "https://example.org/r"},
		RecipientName: "x", Case: c,
		PreviousAgent: "x", NewAgent: "x", Criterion: "x", Observations: "x",
		Reason: "x", FormName: "x", FormURL: "https://example.org/f", SubmittedAt: at,
		SurveyURL: "https://example.org/{caso}", SurveyDeadline: at, Rating: 1, Comments: "x",
		Digest: Digest{Date: at, Open: cs, Overdue: cs, Waiting: cs, Unassigned: cs,
			Counts: []Count{{"x", 1}}, Rejections: 1, MailFailures: 1, AdminProblems: []string{"x"}},
	}
}
