// Package doctor checks everything mesa needs — configuration,
// credentials, scopes, forms, survey link, workbook, locale, cells, admin
// tabs, Drive, Gmail and clock — and gives one verdict per check, in
// Spanish and English. It never reveals secrets and sends no mail unless
// asked to send one test message.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	ggmail "google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/config"
	"github.com/funza-tic/mesa/internal/metrics"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/schedule"
	"github.com/funza-tic/mesa/internal/setup"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

// Verdict of one check.
type Verdict int

const (
	Pass Verdict = iota
	Warn
	Fail
	Skipped // could not be made: an earlier check failed (it says why once)
)

func (v Verdict) String() string {
	return [...]string{"✓ OK   ", "! AVISO", "✗ FALLA", "· NO REVISADO"}[v]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// placeholder reports a value still as the example configuration has it
// (config/google.yaml: REPLACE-WITH-THE-WORKBOOK-ID, ...).
func placeholder(s string) bool { return strings.Contains(s, "REPLACE-") }

// Check is one line of the doctor's report: Spanish first, then English.
type Check struct {
	Name    string // "Configuración / config"
	Verdict Verdict
	Detail  string
}

// Options are what doctor checks and how it reaches the workspace.
type Options struct {
	Config     config.Config // loaded and validated
	ConfigFile string        // where it came from; "" for the built-in defaults
	// Connect opens the configured workspace with its HTTP transport wrapped.
	Connect func(ctx context.Context, wrap backend.Wrap) (*backend.Workspace, error)
	// ReportFolder is the Drive folder mesa report uploads to, so doctor
	// and report agree.
	ReportFolder func(ws *backend.Workspace) string
	SendTo       string    // not empty: send one test message there
	At           time.Time // the command's instant (--now): the fill projection counts back from it
	Now          time.Time // the machine's real clock, compared with Google's
	// Print receives each check as it is made.
	Print func(Check)
}

// Result counts the failed checks.
type Result struct {
	Failed       int
	ConfigFailed bool // the configuration check failed (a usage error, exit 2)
}

type doctor struct {
	opt Options
	cfg config.Config
}

// Run makes every check that can be made; one that depends on a failed one
// says so in a line instead of repeating the same error.
func Run(ctx context.Context, opt Options) Result {
	d := &doctor{opt: opt, cfg: opt.Config}
	sendTo := opt.SendTo
	var checks []Check
	add := func(c Check) {
		checks = append(checks, c)
		opt.Print(c)
	}
	cfgCheck := d.checkConfig()
	add(cfgCheck)
	var granted []string
	blocked := ""
	if d.cfg.Backend == "google" {
		var cred Check
		cred, granted = d.checkCredentials(ctx)
		add(cred)
		if cred.Verdict == Fail {
			blocked = "necesita credenciales válidas (ver Credenciales) / needs valid credentials"
			add(Check{"Permisos / scopes", Skipped, blocked})
		} else {
			add(d.checkScopes(granted))
		}
	} else {
		add(Check{"Credenciales / credentials", Pass, "no se necesitan con el backend local / not needed with the local backend"})
		add(Check{"Permisos / scopes", Pass, "backend local: el simulador acepta todo / local backend: the fake accepts everything"})
	}

	m := metrics.New() // its transport records the servers' Date headers for the clock check
	var ws *backend.Workspace
	if blocked == "" {
		var err error
		if ws, err = d.opt.Connect(ctx, m.Transport); err != nil {
			add(Check{"Conexión / connection", Fail, fmt.Sprintf("no se pudo conectar / cannot connect: %v", err)})
			blocked = "necesita la conexión (ver Conexión) / needs the connection"
		} else {
			defer ws.Close()
		}
	}
	if blocked != "" {
		for _, f := range d.cfg.UsedForms() {
			add(Check{fmt.Sprintf("Formulario / form %s", f), Skipped, blocked})
		}
		for _, name := range []string{"Enlace de la encuesta / survey link", "Libro / workbook", "Configuración regional / locale",
			"Celdas / cells", "Pestañas de administración / admin tabs", "Drive", "Gmail"} {
			add(Check{name, Skipped, blocked})
		}
	} else {
		for _, c := range d.checkForms(ctx, ws) {
			add(c)
		}
		add(d.checkSurveyLink(ctx, ws))
		if id := ws.Sheets.ID(); placeholder(id) {
			why := "google.spreadsheet sigue con el valor de ejemplo / is still the example's placeholder"
			add(Check{"Libro / workbook", Fail, why + " " + id})
			for _, name := range []string{"Configuración regional / locale", "Celdas / cells", "Pestañas de administración / admin tabs", "Drive"} {
				add(Check{name, Skipped, "necesita el libro / needs the workbook"})
			}
		} else {
			add(d.checkWorkbook(ctx, ws))
			add(d.checkRegional(ctx, ws))
			add(d.checkCells(ctx, ws))
			add(checkAdminTabs(ctx, ws))
			add(d.checkDrive(ctx, ws))
		}
		add(d.checkGmail(ctx, ws, granted, sendTo))
	}
	add(checkClock(m, opt.Now))

	res := Result{ConfigFailed: cfgCheck.Verdict == Fail}
	for _, c := range checks {
		if c.Verdict == Fail {
			res.Failed++
		}
	}
	return res
}

// checkConfig: the file itself was validated when it was loaded (a broken
// one exits with 2 before doctor runs); here the parts Validate does not see.
func (d *doctor) checkConfig() Check {
	name := "Configuración / config"
	var probs []string
	for job, spec := range map[string]string{"sync": d.cfg.Schedule.Sync, "reconcile": d.cfg.Schedule.Reconcile,
		"report": d.cfg.Schedule.Report} {
		if spec == "" {
			continue
		}
		if _, err := schedule.Parser.Parse(spec); err != nil {
			probs = append(probs, fmt.Sprintf("schedule.%s %q: %v", job, spec, err))
		}
	}
	if d.cfg.Backend == "google" {
		for _, f := range d.cfg.UsedForms() {
			if d.cfg.Forms[string(f)].ID == "" {
				probs = append(probs, fmt.Sprintf("forms.%s.id is empty", f))
			}
		}
		if d.cfg.Google.Auth != "oauth" && d.cfg.Google.Subject == "" {
			probs = append(probs, "google.subject is empty (the help-desk mailbox the service account acts as)")
		}
	}
	probs = append(probs, d.placeholders()...)
	if d.cfg.Lease.Enabled && d.cfg.Lease.TTL < time.Minute {
		probs = append(probs, "lease.ttl under a minute: a cycle could outlive its lease")
	}
	slices.Sort(probs)
	if len(probs) > 0 {
		return Check{name, Fail, plural(len(probs), "problema", "problemas") + ":\n      - " + strings.Join(probs, "\n      - ")}
	}
	src := "valores por defecto / built-in defaults"
	if d.opt.ConfigFile != "" {
		src = d.opt.ConfigFile
	}
	return Check{name, Pass, fmt.Sprintf("%s; backend %s, perfil/profile %s", src, d.cfg.Backend, d.cfg.Profile)}
}

// placeholders lists the settings still holding an example value.
func (d *doctor) placeholders() []string {
	var flat map[string]any
	if err := mapstructure.Decode(d.cfg, &flat); err != nil {
		return nil
	}
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case string:
			if placeholder(x) {
				out = append(out, fmt.Sprintf("%s sigue con el valor de ejemplo %q / still the example's placeholder", prefix, x))
			}
		case map[string]any:
			for k, v := range x {
				walk(strings.TrimPrefix(prefix+"."+k, "."), v)
			}
		default:
			if m, ok := config.AsMap(v); ok {
				walk(prefix, m)
			}
		}
	}
	walk("", flat)
	return out
}

// checkCredentials reads the credentials file (never printing secrets) and
// obtains a token, which proves the key and the delegation or consent.
func (d *doctor) checkCredentials(ctx context.Context) (Check, []string) {
	name := "Credenciales / credentials"
	g := d.cfg.Google
	data, err := os.ReadFile(g.Credentials)
	if err != nil {
		return Check{name, Fail, fmt.Sprintf("no se pudo leer / cannot read %s: %v", g.Credentials, err)}, nil
	}
	info := setup.InspectCredentials(data, g.Auth)
	if len(info.Problems) > 0 {
		return Check{name, Fail, fmt.Sprintf("%s: %s", g.Credentials, strings.Join(info.Problems, "; "))}, nil
	}
	detail := fmt.Sprintf("%s %s (client id %s)", info.Kind, info.Identity, info.ClientID)
	v := Pass
	if st, err := os.Stat(g.Credentials); err == nil && st.Mode().Perm()&0o077 != 0 {
		v, detail = Warn, detail+fmt.Sprintf("; el archivo lo pueden leer otros / file is readable by others (chmod 600 %s)", g.Credentials)
	}
	if g.Auth == "oauth" {
		tb, err := os.ReadFile(g.Token)
		if err != nil {
			return Check{name, Fail, fmt.Sprintf("sin token: ejecute mesa setup --login / no token (%v)", err)}, nil
		}
		if _, probs := setup.InspectToken(tb); len(probs) > 0 {
			return Check{name, Fail, strings.Join(probs, "; ")}, nil
		}
	}
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	granted, err := setup.GrantedScopes(tctx, g.Auth, g.Credentials, g.Token, g.Subject, d.cfg.Scopes())
	if errors.Is(err, setup.ErrDelegation) {
		return Check{name, Fail, fmt.Sprintf("%s; la delegación de dominio no autoriza los permisos: en admin.google.com → Seguridad → Controles de API → Delegación de todo el dominio, agregue el client id %s con los permisos de docs/production.md / domain-wide delegation missing: authorize client id %s for the scopes in docs/production.md",
			detail, info.ClientID, info.ClientID)}, nil
	}
	if err != nil {
		return Check{name, Fail, fmt.Sprintf("%s; no se obtuvo un token / no token: %v", detail, err)}, nil
	}
	return Check{name, v, detail + "; token obtenido / token obtained"}, granted
}

func (d *doctor) checkScopes(granted []string) Check {
	name := "Permisos / scopes"
	if granted == nil {
		return Check{name, Fail, "sin token no se pueden verificar / cannot check without a token"}
	}
	var missing []string
	for _, s := range d.cfg.Scopes() {
		if !slices.Contains(granted, s) {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		return Check{name, Fail, "faltan / missing: " + strings.Join(missing, " ") + " (mesa setup --login)"}
	}
	return Check{name, Pass, fmt.Sprintf("%d permisos concedidos / scopes granted", len(d.cfg.Scopes()))}
}

func (d *doctor) checkForms(ctx context.Context, ws *backend.Workspace) []Check {
	ids := d.cfg.FormIDs(ws.FormIDs)
	var out []Check
	var ask []procedure.Form
	for _, f := range d.cfg.UsedForms() {
		if placeholder(ids[f]) {
			out = append(out, Check{fmt.Sprintf("Formulario / form %s", f), Fail,
				fmt.Sprintf("forms.%s.id sigue con el valor de ejemplo %s / is still the example's placeholder", f, ids[f])})
			continue
		}
		ask = append(ask, f)
	}
	for _, c := range setup.Forms(ctx, ws.Forms.Service(), ids, d.cfg.Questions(), ask) {
		name := fmt.Sprintf("Formulario / form %s", c.Form)
		switch {
		case c.NotConfigured:
			out = append(out, Check{name, Fail, "sin id / no id: forms." + string(c.Form) + ".id"})
		case c.Err != nil:
			out = append(out, Check{name, Fail, fmt.Sprintf("sin acceso / no access to %s: %v", c.ID, c.Err)})
		case !c.OK():
			out = append(out, Check{name, Fail, fmt.Sprintf("%s: %s (mesa setup lo detalla / mesa setup explains)", c.ID, strings.Join(c.Advice(), "; "))})
		default:
			out = append(out, Check{name, Pass, fmt.Sprintf("%s «%s»: preguntas completas / questions present", c.ID, c.Title)})
		}
	}
	return out
}

func (d *doctor) checkWorkbook(ctx context.Context, ws *backend.Workspace) Check {
	name := "Libro / workbook"
	ss, err := ws.Sheets.Service().Spreadsheets.Get(ws.Sheets.ID()).Fields("properties(title,timeZone),sheets.properties.title").Context(ctx).Do()
	if err != nil {
		return Check{name, Fail, fmt.Sprintf("sin acceso / no access to %s: %v", ws.Sheets.ID(), err)}
	}
	have := map[string]bool{}
	for _, s := range ss.Sheets {
		have[s.Properties.Title] = true
	}
	var missing []string
	for _, t := range setup.Tabs() {
		if !have[t.Name] {
			missing = append(missing, t.Name)
		}
	}
	if len(missing) > 0 {
		return Check{name, Fail, fmt.Sprintf("faltan pestañas / missing tabs %s: ejecute / run mesa setup", strings.Join(missing, ", "))}
	}
	return Check{name, Pass, fmt.Sprintf("«%s» (%s), %d pestañas / tabs", ss.Properties.Title, ws.Sheets.ID(), len(ss.Sheets))}
}

// checkAdminTabs reports what the cycle skips in Agentes, Catálogo and
// Festivos (worker.CheckAdmin, the same check as mesa import sheet), so a
// person's edit in Sheets is found before it misroutes a case.
func checkAdminTabs(ctx context.Context, ws *backend.Workspace) Check {
	name := "Pestañas de administración / admin tabs"
	have, err := ws.Sheets.Tabs(ctx)
	if err != nil {
		return Check{name, Fail, fmt.Sprintf("no se pudieron listar / cannot list the tabs: %v", err)}
	}
	var tabs []workbook.Tab
	var names []string
	for _, t := range workbook.Admin {
		if slices.Contains(have, t.Name) {
			tabs = append(tabs, t)
			names = append(names, t.Name)
		}
	}
	if len(tabs) == 0 {
		return Check{name, Fail, "faltan Agentes, Catálogo y Festivos: ejecute mesa setup y mesa import sheet"}
	}
	vals, err := ws.Sheets.Read(ctx, names)
	if err != nil {
		return Check{name, Fail, fmt.Sprintf("no se pudieron leer / cannot read %s: %v", strings.Join(names, ", "), err)}
	}
	var probs []string
	agents := 0
	for i, t := range tabs {
		tab := workbook.NewTable(t, vals[i])
		probs = append(probs, worker.CheckAdminTable(tab)...)
		if t.Name == workbook.Agentes.Name {
			agents = len(tab.Rows)
		}
	}
	if len(probs) > 0 {
		return Check{name, Fail, fmt.Sprintf("%s; esas filas no se usan hasta corregirlas:\n      - %s",
			plural(len(probs), "problema", "problemas"), strings.Join(probs, "\n      - "))}
	}
	if agents == 0 {
		return Check{name, Warn, "Agentes está vacía: ningún caso se puede asignar (mesa import sheet agentes ARCHIVO.csv)"}
	}
	return Check{name, Pass, fmt.Sprintf("%s sin problemas; %s", strings.Join(names, ", "), plural(agents, "agente", "agentes"))}
}

// checkCells reports the workbook's use of Google's 10,000,000 cells: every
// cell of every tab's grid counts, empty ones too. At the limit the worker
// stops registering requests (they wait in the forms) until room is made.
// The fill date is projected at the rate of the 90 days before At.
func (d *doctor) checkCells(ctx context.Context, ws *backend.Workspace) Check {
	name := "Celdas / cells"
	b, err := ws.Sheets.Budget(ctx)
	if err != nil {
		return Check{name, Fail, fmt.Sprintf("no se pudieron contar / cannot count: %v", err)}
	}
	pct := b.Cells * 100 / b.Limit
	detail := fmt.Sprintf("%s de %s celdas en uso (%d %%), contando las vacías de todas las pestañas / cells used of Google's limit, empty grid cells of every tab included",
		notify.Miles(b.Cells), notify.Miles(b.Limit), pct)
	detail += fillProjection(ctx, ws, b.Cells, b.Limit, d.opt.At)
	switch {
	case b.Cells >= b.Limit:
		return Check{name, Fail, detail + "; el libro está lleno: archive un año cerrado (mesa archive --year AAAA), elimine pestañas que no se usen o borre filas y columnas vacías / the workbook is full: archive a closed year, delete unused tabs or empty rows and columns"}
	case pct >= 80:
		return Check{name, Warn, detail + "; archive un año cerrado (mesa archive --year AAAA), elimine pestañas que no se usen o borre filas y columnas vacías / archive a closed year, delete unused tabs or empty rows and columns"}
	}
	return Check{name, Pass, detail}
}

func (d *doctor) checkDrive(ctx context.Context, ws *backend.Workspace) Check {
	name := "Drive"
	// The idle-cycle change check reads the workbook's version (drive.metadata.readonly).
	if _, err := ws.Drive.Version(ctx, ws.Sheets.ID()); err != nil {
		return Check{name, Fail, fmt.Sprintf("no se puede leer la versión del libro / cannot read the workbook's version: %v", err)}
	}
	// The folder mesa report uploads to (the local backend uses its Drive's
	// root when none is set), so doctor and report agree.
	folder := d.opt.ReportFolder(ws)
	if folder == "" {
		return Check{name, Warn, "sin carpeta (google.folder): los informes no se suben / no folder: reports are not uploaded"}
	}
	if placeholder(folder) {
		return Check{name, Fail, "google.folder sigue con el valor de ejemplo / is still the example's placeholder " + folder}
	}
	if _, err := ws.Drive.Version(ctx, folder); err != nil {
		return Check{name, Fail, fmt.Sprintf("sin acceso a la carpeta / no access to folder %s: %v", folder, err)}
	}
	return Check{name, Pass, "libro y carpeta de informes accesibles / workbook and report folder reachable: " + folder}
}

// checkGmail verifies send permission without sending: gmail.send cannot
// call any read method (not even users.getProfile), so with that scope
// alone the proof is the granted token. With gmail.readonly (mail.verify_sent)
// getProfile confirms the mailbox, and that it is the configured sender.
// --send-test sends one real message.
func (d *doctor) checkGmail(ctx context.Context, ws *backend.Workspace, granted []string, sendTo string) Check {
	name := "Gmail"
	sender := strings.ToLower(d.cfg.Office.SenderAddress)
	var svc *ggmail.Service
	var err error
	user := "me"
	switch {
	case ws.Fake != nil:
		svc, err = ggmail.NewService(ctx, option.WithHTTPClient(ws.Fake.HTTPClient()), option.WithEndpoint(ws.Fake.URL()+"/"), option.WithoutAuthentication())
	case slices.Contains(granted, backend.ReadMail):
		hc, herr := d.cfg.GoogleBackend().HTTPClient(ctx)
		if herr != nil {
			return Check{name, Fail, herr.Error()}
		}
		svc, err = ggmail.NewService(ctx, option.WithHTTPClient(hc))
		if d.cfg.Google.Auth != "oauth" {
			user = d.cfg.Google.Subject
		}
	}
	if err != nil {
		return Check{name, Fail, err.Error()}
	}
	detail := ""
	v := Pass
	if svc != nil {
		p, err := svc.Users.GetProfile(user).Context(ctx).Do()
		if err != nil {
			return Check{name, Fail, fmt.Sprintf("no se pudo leer el buzón / cannot read the mailbox: %v", err)}
		}
		detail = "buzón / mailbox " + p.EmailAddress
		if ws.Fake == nil && !strings.EqualFold(p.EmailAddress, sender) {
			v = Warn
			detail += fmt.Sprintf("; office.sender_address es %s: debe ser este buzón o un alias verificado / must be this mailbox or a verified send-as alias", sender)
		}
	} else {
		if !slices.Contains(granted, "https://www.googleapis.com/auth/gmail.send") {
			return Check{name, Fail, "sin permiso gmail.send / gmail.send not granted"}
		}
		detail = "permiso gmail.send concedido; con solo ese permiso Gmail no deja leer el buzón / gmail.send granted (that scope cannot read the mailbox)"
	}
	if sendTo == "" {
		return Check{name, v, detail + "; no se envió nada / nothing sent"}
	}
	msg, err := testMessage(d.cfg.Office.SenderName, sender, sendTo, d.opt.Now)
	if err != nil {
		return Check{name, Fail, fmt.Sprintf("%s; el mensaje de prueba no se pudo armar / cannot build the test message: %v", detail, err)}
	}
	id, err := ws.Gmail.Send(ctx, msg)
	if err != nil {
		return Check{name, Fail, fmt.Sprintf("%s; el envío de prueba falló / test send failed: %v", detail, err)}
	}
	return Check{name, v, fmt.Sprintf("%s; mensaje de prueba enviado a %s (id %s) / test message sent", detail, sendTo, id)}
}

// testMessage is the one message doctor sends, built as every mail mesa
// sends is built.
func testMessage(fromName, from, to string, now time.Time) ([]byte, error) {
	return notify.Build(notify.Message{
		ID:   "doctor-" + now.UTC().Format("20060102T150405Z"),
		From: mail.Address{Name: fromName, Address: from}, To: []mail.Address{{Address: to}},
		Subject: "Prueba de mesa: configuración correcta",
		Text:    "Este es un mensaje de prueba de mesa doctor: el envío de correo funciona.\n",
		Date:    now,
	})
}

// fillProjection is doctor's projected date the workbook fills, at the
// last 90 days' rate ("" when it cannot say).
func fillProjection(ctx context.Context, ws *backend.Workspace, used, limit int, now time.Time) string {
	at, perDay, ok, err := archive.Projection(ctx, ws.Sheets, used, limit, now)
	if err != nil || !ok {
		return ""
	}
	return fmt.Sprintf("; al ritmo de los últimos 90 días (unas %s celdas por día) se llenaría hacia el %s / projected full at the last 90 days' rate",
		notify.Miles(int(perDay+0.5)), at.In(calendar.Bogota()).Format("2006-01-02"))
}

// checkClock: America/Bogota must load (tzdata is embedded) and the local
// clock must agree with Google's (token assertions and form watermarks
// depend on it).
func checkClock(m *metrics.Metrics, now time.Time) Check {
	name := "Reloj y zona / clock and time zone"
	loc, err := time.LoadLocation("America/Bogota")
	if err != nil {
		return Check{name, Fail, fmt.Sprintf("America/Bogota no carga / does not load: %v", err)}
	}
	local := now.In(loc).Format("2006-01-02 15:04:05 -07:00")
	server, at := m.ServerClock()
	if server.IsZero() {
		return Check{name, Warn, local + "; sin hora del servidor para comparar / no server time to compare"}
	}
	// HTTP dates have one-second resolution: compare whole seconds.
	skew := at.Truncate(time.Second).Sub(server)
	if skew < 0 {
		skew = -skew
	}
	switch {
	case skew > time.Minute:
		return Check{name, Fail, fmt.Sprintf("%s; el reloj difiere %s del servidor: sincronice con NTP / clock is off by %s: sync with NTP", local, skew, skew)}
	case skew > 5*time.Second:
		return Check{name, Warn, fmt.Sprintf("%s; desfase / skew %s", local, skew)}
	}
	return Check{name, Pass, fmt.Sprintf("%s (America/Bogota); desfase / skew %s", local, skew)}
}

// checkRegional reports the workbook's locale and time zone, and warns when
// the time zone is not Bogotá's or the locale reads dates month first.
func (d *doctor) checkRegional(ctx context.Context, ws *backend.Workspace) Check {
	name := "Configuración regional / locale"
	reg, err := setup.ReadRegional(ctx, ws.Sheets.Service(), ws.Sheets.ID())
	if err != nil {
		return Check{name, Fail, fmt.Sprintf("no se pudo leer / cannot read: %v", err)}
	}
	if w := reg.Warnings(); len(w) > 0 {
		return Check{name, Warn, reg.String() + "; " + strings.Join(w, "; ")}
	}
	return Check{name, Pass, reg.String()}
}

// checkSurveyLink compares office.survey_url with the link derived from
// the form: a short forms.gle link or a wrong entry id sends people to a
// survey that does not know their case.
func (d *doctor) checkSurveyLink(ctx context.Context, ws *backend.Workspace) Check {
	name := "Enlace de la encuesta / survey link"
	derived, err := d.surveyURL(ctx, ws)
	if err != nil {
		return Check{name, Fail, fmt.Sprintf("no se pudo derivar del formulario de encuestas / cannot derive it: %v", err)}
	}
	got := d.cfg.Office.SurveyURL
	if got == "" {
		return Check{name, Pass, "office.survey_url vacío: se usa el enlace prellenado del formulario / derived from the form: " + derived}
	}
	u, err := url.Parse(got)
	if err != nil || !strings.Contains(got, "{caso}") {
		return Check{name, Fail, fmt.Sprintf("office.survey_url %q no lleva {caso}: la encuesta no sabrá el número de caso; use / use %s (o deje el valor vacío / or leave it empty)", got, derived)}
	}
	if u.Host == "forms.gle" || !strings.Contains(got, "entry.") {
		return Check{name, Fail, fmt.Sprintf("office.survey_url %q no puede prellenar el número de caso (un enlace corto forms.gle pierde los parámetros); use / use %s (o deje el valor vacío / or leave it empty)", got, derived)}
	}
	want := derived[strings.Index(derived, "entry."):]
	want = want[:strings.Index(want, "=")]
	if !strings.Contains(got, want+"=") {
		return Check{name, Fail, fmt.Sprintf("office.survey_url no usa la pregunta «Número de caso» (%s) / wrong entry id; use %s", want, derived)}
	}
	return Check{name, Pass, got}
}

// surveyURL reads the encuestas form through the Forms API and derives its
// prefilled link.
func (d *doctor) surveyURL(ctx context.Context, ws *backend.Workspace) (string, error) {
	id := d.cfg.Worker(ws.FormIDs).Forms[procedure.Encuestas].ID
	return setup.SurveyURL(ctx, ws.Forms.Service(), id, d.cfg.Questions()[procedure.Encuestas][procedure.FCase])
}
