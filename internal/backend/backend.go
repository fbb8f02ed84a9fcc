// Package backend connects mesa to a workspace: the real Google APIs, or the
// local fake that the very same clients talk to over HTTP.
package backend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	gforms "google.golang.org/api/forms/v1"
	"google.golang.org/api/option"

	"github.com/funza-tic/mesa/internal/drive"
	"github.com/funza-tic/mesa/internal/forms"
	"github.com/funza-tic/mesa/internal/gmail"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/sheets"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// Workspace is a connected set of clients and the ids of the workbook and forms.
type Workspace struct {
	Sheets  *sheets.Client
	Forms   *forms.Client
	Gmail   *gmail.Client
	Drive   *drive.Client
	FormIDs map[procedure.Form]string
	Folder  string                // Drive folder for reports
	Fake    *workspacefake.Server // local backend in this process only
	// Exclusive: the local backend, whose directory lock (held by this
	// process's fake, or by the fakeserve process serving it) lets one
	// process at a time in.
	Exclusive bool
}

// Close releases the workspace (and stops the local fake, persisting it).
func (w *Workspace) Close() error {
	if w.Fake != nil {
		return w.Fake.Close()
	}
	return nil
}

// connect builds the four clients on one HTTP client.
func connect(ctx context.Context, hc *http.Client, base, spreadsheet, mailbox string) (*Workspace, error) {
	opts := func(endpoint string) []option.ClientOption {
		o := []option.ClientOption{option.WithHTTPClient(hc)}
		if base != "" {
			o = append(o, option.WithEndpoint(endpoint), option.WithoutAuthentication())
		}
		return o
	}
	ws := &Workspace{FormIDs: map[procedure.Form]string{}}
	var err error
	if ws.Sheets, err = sheets.New(ctx, spreadsheet, opts(base+"/")...); err != nil {
		return nil, err
	}
	if ws.Forms, err = forms.New(ctx, opts(base+"/")...); err != nil {
		return nil, err
	}
	if ws.Gmail, err = gmail.New(ctx, mailbox, opts(base+"/")...); err != nil {
		return nil, err
	}
	if ws.Drive, err = drive.New(ctx, opts(base+"/drive/v3/")...); err != nil {
		return nil, err
	}
	return ws, nil
}

// localIDs is what the local backend remembers about the workspace it made.
type localIDs struct {
	Spreadsheet string                    `json:"spreadsheet"`
	Forms       map[procedure.Form]string `json:"forms"`
	Folder      string                    `json:"folder"`
}

// Local opens the fake workspace persisted under dir, creating the workbook
// and the forms (through the real clients) the first time.
func Local(ctx context.Context, dir string, questions map[procedure.Form]map[procedure.Field]string) (*Workspace, error) {
	fake, err := workspacefake.Open(filepath.Join(dir, "workspace"))
	if err != nil {
		return nil, fmt.Errorf("open local workspace in %s: %w", dir, err)
	}
	ws, err := openLocal(ctx, fake, dir, questions)
	if err != nil {
		fake.Close()
		return nil, err
	}
	return ws, nil
}

func openLocal(ctx context.Context, fake *workspacefake.Server, dir string, questions map[procedure.Form]map[procedure.Field]string) (*Workspace, error) {
	idsPath := filepath.Join(dir, "workspace", "ids.json")
	var ids localIDs
	if b, err := os.ReadFile(idsPath); err == nil {
		if err := json.Unmarshal(b, &ids); err != nil {
			return nil, fmt.Errorf("read %s: %w", idsPath, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	ws, err := connect(ctx, fake.HTTPClient(), fake.URL(), ids.Spreadsheet, "me")
	if err != nil {
		return nil, err
	}
	ws.Fake, ws.Exclusive = fake, true
	changed := false
	if ids.Spreadsheet == "" {
		tabs := []string{}
		for _, t := range append(append([]workbook.Tab{}, workbook.Worker...), workbook.Admin...) {
			tabs = append(tabs, t.Name)
		}
		id, err := sheets.Create(ctx, ws.Sheets.Service(), "Mesa de Ayuda TIC", "America/Bogota", tabs)
		if err != nil {
			return nil, err
		}
		ids.Spreadsheet, changed = id, true
		if ws.Sheets, err = sheets.New(ctx, id, option.WithHTTPClient(fake.HTTPClient()), option.WithEndpoint(fake.URL()+"/"), option.WithoutAuthentication()); err != nil {
			return nil, err
		}
	}
	if ids.Forms == nil {
		ids.Forms = map[procedure.Form]string{}
	}
	for _, f := range procedure.Forms {
		if ids.Forms[f] != "" {
			continue
		}
		id, err := createForm(ctx, ws.Forms.Service(), f, questions[f])
		if err != nil {
			return nil, err
		}
		ids.Forms[f], changed = id, true
	}
	if changed {
		b, _ := json.MarshalIndent(ids, "", "  ")
		if err := os.WriteFile(idsPath, b, 0o644); err != nil {
			return nil, err
		}
	}
	ws.FormIDs = ids.Forms
	ws.Folder = ids.Folder
	return ws, nil
}

// Served connects to the local workspace of dir served by another process
// at url (internal/workspacefake/cmd/fakeserve, which holds dir's lock), so
// that this process holds only its own memory, as against Google. The
// workspace must exist (made by Local before). wrap, when not nil, wraps
// the transport as in LocalWith.
func Served(ctx context.Context, dir, url string, wrap Wrap) (*Workspace, error) {
	idsPath := filepath.Join(dir, "workspace", "ids.json")
	b, err := os.ReadFile(idsPath)
	if err != nil {
		return nil, fmt.Errorf("served workspace: %w", err)
	}
	var ids localIDs
	if err := json.Unmarshal(b, &ids); err != nil {
		return nil, fmt.Errorf("read %s: %w", idsPath, err)
	}
	var tr http.RoundTripper = &http.Transport{Proxy: nil} // never through a proxy, as the fake's own client
	if wrap != nil {
		tr = wrap(tr)
	}
	hc := &http.Client{Transport: tr}
	ws, err := connect(ctx, hc, strings.TrimSuffix(url, "/"), ids.Spreadsheet, "me")
	if err != nil {
		return nil, err
	}
	ws.FormIDs, ws.Folder, ws.Exclusive = ids.Forms, ids.Folder, true
	return ws, nil
}

// FormTitles are the titles the local backend gives the forms it creates.
var FormTitles = map[procedure.Form]string{
	procedure.Solicitudes:    "Mesa de Ayuda - Solicitud de Servicios y/o Requerimientos de TI (20-FR-1)",
	procedure.Respuestas:     "Mesa de Ayuda - Respuesta a solicitudes",
	procedure.Reasignaciones: "Mesa de Ayuda - Reasignación de casos",
	procedure.Encuestas:      "Mesa de Ayuda - Encuesta de satisfacción",
	procedure.Revisiones:     "Mesa de Ayuda - Revisión de encuestas (Coordinador)",
}

// createForm makes a form with one text question per field, as an office's
// form would have them, collecting e-mail addresses as mesa needs them.
func createForm(ctx context.Context, svc *gforms.Service, f procedure.Form, qs map[procedure.Field]string) (string, error) {
	form, err := svc.Forms.Create(&gforms.Form{Info: &gforms.Info{Title: FormTitles[f], DocumentTitle: FormTitles[f]}}).Context(ctx).Do()
	if err != nil {
		return "", fmt.Errorf("create form %s: %w", f, err)
	}
	titles := make([]string, 0, len(qs))
	for field, t := range qs {
		if field != procedure.FEmail { // collected by the form itself (respondentEmail)
			titles = append(titles, t)
		}
	}
	sort.Strings(titles)
	var reqs []*gforms.Request
	for i, t := range titles {
		reqs = append(reqs, &gforms.Request{CreateItem: &gforms.CreateItemRequest{
			Item:     &gforms.Item{Title: t, QuestionItem: &gforms.QuestionItem{Question: &gforms.Question{TextQuestion: &gforms.TextQuestion{}}}},
			Location: &gforms.Location{Index: int64(i), ForceSendFields: []string{"Index"}},
		}})
	}
	// Addresses that authorize an action must be verified by Google; the
	// others are typed by the respondent, as on a public request form.
	collect := "RESPONDER_INPUT"
	if f.AuthorizesByEmail() {
		collect = "VERIFIED"
	}
	reqs = append(reqs, &gforms.Request{UpdateSettings: &gforms.UpdateSettingsRequest{
		Settings: &gforms.FormSettings{EmailCollectionType: collect}, UpdateMask: "emailCollectionType"}})
	if _, err := svc.Forms.BatchUpdate(form.FormId, &gforms.BatchUpdateFormRequest{Requests: reqs}).Context(ctx).Do(); err != nil {
		return "", fmt.Errorf("add questions to form %s: %w", f, err)
	}
	return form.FormId, nil
}
