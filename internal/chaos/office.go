// Package chaos drives mesa through faults and crashes on the local fake and
// checks that nothing a person relies on is lost, duplicated or overwritten
// (DESIGN.md §11): every form response ends as a case, an applied update or
// a rejection; case numbers are gap-free and unique; every notification is
// sent exactly once; people's cells stay as they left them; and the final
// Casos equals a clean, fault-free replay of the same responses. One
// schedule in four also runs `mesa archive` across a year end, under faults
// and sometimes killed between two steps: the live and archive workbooks
// then count as one (archive.go). Another one in four runs its workers as
// `mesa run` does on the local backend, exclusive and with one cycle cache
// kept across the schedule's cycles (Cached).
package chaos

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"time"

	"google.golang.org/api/option"
	gsheets "google.golang.org/api/sheets/v4"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/config"
	"github.com/funza-tic/mesa/internal/drive"
	"github.com/funza-tic/mesa/internal/forms"
	"github.com/funza-tic/mesa/internal/gmail"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/retry"
	"github.com/funza-tic/mesa/internal/sheets"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// FastRetry is a retry policy for tests: the same shape as retry.Default
// with millisecond waits, so that hundreds of schedules stay fast.
// Retry-After is still honoured (TestRetryAfterIsHonoured).
func FastRetry() retry.Policy {
	return retry.Policy{Initial: time.Millisecond, Max: 20 * time.Millisecond, Elapsed: 5 * time.Second, Attempts: 10}
}

// Office is a local workspace (the HTTP fake, persisted in Dir) seen through
// the official clients, with a worker configured as `mesa` configures it by
// default.
type Office struct {
	Dir  string
	WS   *backend.Workspace
	Fake *workspacefake.Server

	// Timeout bounds each HTTP request of the clients Office builds, as a
	// production client's deadline would; zero means none.
	Timeout time.Duration
	// ClaimSettle is the outbox claim wait of the workers an Office builds
	// (production: worker.DefaultClaimSettle); against the in-process fake
	// a claim lands in milliseconds.
	ClaimSettle time.Duration
	// Log receives the workers' logs (tests set it to debug a schedule).
	Log io.Writer
	// Retry is how every client of the office retries a failed call.
	Retry retry.Policy
	// Exclusive makes the workers an Office builds run as `mesa run`'s
	// daemon runs them on the local backend: exclusive (the directory
	// lock), watching the workbook's version, and starting busy cycles
	// from Cache, kept across them, when it is set (cached schedules,
	// Cached).
	Exclusive bool
	Cache     *worker.Cache

	tpl *notify.Templates
}

// OpenOffice opens (or creates) the workspace persisted under dir, its
// clients retrying by p.
func OpenOffice(ctx context.Context, dir string, timeout time.Duration, p retry.Policy) (*Office, error) {
	ws, err := backend.Local(ctx, dir, procedure.DefaultQuestions)
	if err != nil {
		return nil, err
	}
	ws.Sheets.Retry, ws.Forms.Retry, ws.Gmail.Retry, ws.Drive.Retry = p, p, p, p
	tpl, err := notify.LoadTemplates("")
	if err != nil {
		ws.Close()
		return nil, err
	}
	return &Office{Dir: dir, WS: ws, Fake: ws.Fake, Timeout: timeout, ClaimSettle: 20 * time.Millisecond, Log: io.Discard, Retry: p, tpl: tpl}, nil
}

// Close persists the workspace and releases its directory.
func (o *Office) Close() error { return o.WS.Close() }

// Clients are one worker's connections to the fake.
type Clients struct {
	Sheets *sheets.Client
	Forms  *forms.Client
	Gmail  *gmail.Client
	Drive  *drive.Client
}

// Clients builds a fresh set of clients on their own HTTP client, so two
// workers share nothing but the server.
func (o *Office) Clients(ctx context.Context) (*Clients, error) {
	var rt http.RoundTripper = o.Fake.HTTPClient().Transport
	if o.Timeout > 0 {
		rt = deadline{base: rt, d: o.Timeout}
	}
	opts := []option.ClientOption{option.WithHTTPClient(&http.Client{Transport: rt}), option.WithEndpoint(o.Fake.URL() + "/"), option.WithoutAuthentication()}
	var c Clients
	var err error
	if c.Sheets, err = sheets.New(ctx, o.WS.Sheets.ID(), opts...); err != nil {
		return nil, err
	}
	if c.Forms, err = forms.New(ctx, opts...); err != nil {
		return nil, err
	}
	if c.Gmail, err = gmail.New(ctx, "me", opts...); err != nil {
		return nil, err
	}
	driveOpts := append(opts[:len(opts):len(opts)], option.WithEndpoint(o.Fake.URL()+"/drive/v3/"))
	if c.Drive, err = drive.New(ctx, driveOpts...); err != nil {
		return nil, err
	}
	c.Sheets.Retry, c.Forms.Retry, c.Gmail.Retry, c.Drive.Retry = o.Retry, o.Retry, o.Retry, o.Retry
	return &c, nil
}

// Worker returns a worker on fresh clients. mail replaces Gmail when not nil.
func (o *Office) Worker(ctx context.Context, mail worker.Mailer) (*worker.Worker, error) {
	c, err := o.Clients(ctx)
	if err != nil {
		return nil, err
	}
	if mail == nil {
		mail = c.Gmail
	}
	cfg := WorkerConfig(o.WS.FormIDs)
	cfg.ClaimSettle = o.ClaimSettle
	w := &worker.Worker{Sheet: c.Sheets, Responses: c.Forms, Mail: mail, Templates: o.tpl,
		Config: cfg, Log: slog.New(slog.NewTextHandler(o.Log, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if o.Exclusive {
		// The version is read on the worker's own clients, under the
		// same faults and deadlines as its other calls.
		w.Config.Exclusive, w.Cache = true, o.Cache
		w.SpreadsheetID, w.Changes, w.Watch = o.WS.Sheets.ID(), c.Drive, worker.FileWatch(filepath.Join(o.Dir, "watch.json"))
	}
	return w, nil
}

// Watching makes w skip idle cycles as `mesa sync` does: it remembers the
// workbook's Drive version in a file of the office's directory.
func (o *Office) Watching(w *worker.Worker) *worker.Worker {
	w.SpreadsheetID, w.Changes, w.Watch = o.WS.Sheets.ID(), o.WS.Drive, worker.FileWatch(filepath.Join(o.Dir, "watch.json"))
	return w
}

// OfficeConfig is the configuration of the workers an Office builds:
// mesa's built-in defaults (config.Defaults, what `mesa sync` runs on with
// no configuration file), so a cycle run in process and a `mesa sync`
// subprocess decide alike, but for what a schedule of a few simulated days
// needs otherwise:
//   - a survey link, so that the survey mail carries one;
//   - no daily digests and no archiving proposal, as the harness has
//     always run, so its schedules and figures stay comparable;
//   - no mail held for working hours: mail held past the schedule's last
//     cycle would still be waiting when the checks run (kill9 writes the
//     same setting for the binary).
func OfficeConfig() config.Config {
	c := config.Defaults(procedure.Funza)
	c.Office.SurveyURL = "https://forms.gle/encuesta-mesa-de-ayuda?caso={caso}"
	c.Mail.Digest = ""
	c.Mail.HeldKinds = nil
	c.Archive.ProposeFrom = ""
	return c
}

// WorkerConfig is the worker configuration of OfficeConfig, built by the
// binary's builder (config.Config.Worker); without the workbook and form
// links the binary adds from the ids (WorkerIn), as the harness always ran.
func WorkerConfig(formIDs map[procedure.Form]string) worker.Config {
	return OfficeConfig().Worker(formIDs)
}

// SeedAdmin fills the Agentes and Catálogo tabs from CSV files.
func (o *Office) SeedAdmin(ctx context.Context, agentes, catalogo string) error {
	for tab, file := range map[string]string{"Agentes": agentes, "Catálogo": catalogo} {
		rows, err := readCSV(file)
		if err != nil {
			return err
		}
		if err := o.WS.Sheets.Replace(ctx, tab, rows); err != nil {
			return fmt.Errorf("seed %s: %w", tab, err)
		}
	}
	return nil
}

// SmallGrids resizes every worker tab to rows rows, as a workbook whose tabs
// someone trimmed (or made small from a template) would be: the cycles of
// the schedule then write past the grids and grow them under faults, as a
// real workbook does once its journal passes Google's default 1,000 rows.
func (o *Office) SmallGrids(ctx context.Context, rows int64) error {
	svc, id := o.WS.Sheets.Service(), o.WS.Sheets.ID()
	ss, err := svc.Spreadsheets.Get(id).Context(ctx).Do()
	if err != nil {
		return err
	}
	ours := map[string]bool{}
	for _, t := range workbook.Worker {
		ours[t.Name] = true
	}
	var reqs []*gsheets.Request
	for _, sh := range ss.Sheets {
		if ours[sh.Properties.Title] {
			reqs = append(reqs, &gsheets.Request{UpdateSheetProperties: &gsheets.UpdateSheetPropertiesRequest{Fields: "gridProperties.rowCount",
				Properties: &gsheets.SheetProperties{SheetId: sh.Properties.SheetId, GridProperties: &gsheets.GridProperties{RowCount: rows}}}})
		}
	}
	if len(reqs) == 0 {
		return nil
	}
	_, err = svc.Spreadsheets.BatchUpdate(id, &gsheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Context(ctx).Do()
	return err
}

func readCSV(file string) ([][]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return csv.NewReader(f).ReadAll()
}

// Testdata returns the repository's testdata directory seen from a package
// directory two levels down (internal/x), where go test runs.
func Testdata(name string) string { return filepath.Join("..", "..", "testdata", name) }

// deadline gives every request its own deadline, as a client timeout does:
// a reply slower than d fails with a timeout the adapters retry.
type deadline struct {
	base http.RoundTripper
	d    time.Duration
}

func (t deadline) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(r.Context(), t.d)
	res, err := t.base.RoundTrip(r.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	res.Body = cancelOnClose{ReadCloser: res.Body, cancel: cancel}
	return res, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// nullMail stands in for Gmail in a replay, where only the workbook is
// compared: it accepts every message at once, under an id of its own, and
// finds it again by Message-ID.
type nullMail struct {
	n    int
	sent map[string]string // Message-ID -> id
}

func (m *nullMail) Send(_ context.Context, raw []byte) (string, error) {
	m.n++
	id := fmt.Sprintf("replay-%d", m.n)
	if msg, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		if m.sent == nil {
			m.sent = map[string]string{}
		}
		m.sent[msg.Header.Get("Message-ID")] = id
	}
	return id, nil
}

func (m *nullMail) Find(_ context.Context, messageID string) (string, bool, error) {
	id, ok := m.sent[messageID]
	return id, ok, nil
}
