package main

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/cobra"
	ggmail "google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/metrics"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/schedule"
	"github.com/funza-tic/mesa/internal/setup"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

// verdict of one doctor check.
type verdict int

const (
	pass verdict = iota
	warn
	fail
	skipped // could not be made: an earlier check failed (it says why once)
)

func (v verdict) String() string {
	return [...]string{"✓ OK   ", "! AVISO", "✗ FALLA", "· NO REVISADO"}[v]
}

// placeholder reports a value still as the example configuration has it
// (config/google.yaml: REPLACE-WITH-THE-WORKBOOK-ID, ...).
func placeholder(s string) bool { return strings.Contains(s, "REPLACE-") }

// check is one line of the doctor's report: Spanish first, then English.
type check struct {
	name   string // "Configuración / config"
	v      verdict
	detail string
}

func (a *app) doctorCmd() *cobra.Command {
	var sendTo string
	cmd := &cobra.Command{
		Use:   "doctor [--send-test ADDRESS]",
		Short: "Check config, credentials, scopes, forms, workbook, Drive folder, Gmail and clock",
		Long: `doctor checks everything mesa needs and prints one verdict line per check,
in Spanish and English. It never prints secrets and sends no mail unless
--send-test names an address to send one test message to.
Exit code: 0 all good (warnings allowed), 1 a check failed, 2 configuration error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if sendTo != "" {
				if err := a.refuseDryRun("--send-test sends a real message"); err != nil {
					return err
				}
			}
			return a.doctor(cmd.Context(), sendTo)
		},
	}
	cmd.Flags().StringVar(&sendTo, "send-test", "", "send one test e-mail to this address (the only check that sends anything)")
	return cmd
}

func (a *app) doctor(ctx context.Context, sendTo string) error {
	now, err := a.now() // the cells' fill projection counts back from it
	if err != nil {
		return err
	}
	var checks []check
	add := func(c check) {
		checks = append(checks, c)
		fmt.Fprintf(a.out, "%s  %s: %s\n", c.v, c.name, c.detail)
	}
	cfgCheck := a.checkConfig()
	add(cfgCheck)
	// Every check that can be made is made; one that depends on a failed
	// one says so in a line instead of repeating the same error.
	var granted []string
	blocked := ""
	if a.cfg.Backend == "google" {
		var cred check
		cred, granted = a.checkCredentials(ctx)
		add(cred)
		if cred.v == fail {
			blocked = "necesita credenciales válidas (ver Credenciales) / needs valid credentials"
			add(check{"Permisos / scopes", skipped, blocked})
		} else {
			add(a.checkScopes(granted))
		}
	} else {
		add(check{"Credenciales / credentials", pass, "no se necesitan con el backend local / not needed with the local backend"})
		add(check{"Permisos / scopes", pass, "backend local: el simulador acepta todo / local backend: the fake accepts everything"})
	}

	m := metrics.New() // its transport records the servers' Date headers for the clock check
	var ws *backend.Workspace
	if blocked == "" {
		var err error
		if ws, err = a.workspaceWith(ctx, m.Transport); err != nil {
			add(check{"Conexión / connection", fail, fmt.Sprintf("no se pudo conectar / cannot connect: %v", err)})
			blocked = "necesita la conexión (ver Conexión) / needs the connection"
		} else {
			defer ws.Close()
		}
	}
	if blocked != "" {
		for _, f := range a.setupForms() {
			add(check{fmt.Sprintf("Formulario / form %s", f), skipped, blocked})
		}
		for _, name := range []string{"Enlace de la encuesta / survey link", "Libro / workbook", "Configuración regional / locale",
			"Celdas / cells", "Pestañas de administración / admin tabs", "Drive", "Gmail"} {
			add(check{name, skipped, blocked})
		}
	} else {
		for _, c := range a.checkForms(ctx, ws) {
			add(c)
		}
		add(a.checkSurveyLink(ctx, ws))
		if id := ws.Sheets.ID(); placeholder(id) {
			why := "google.spreadsheet sigue con el valor de ejemplo / is still the example's placeholder"
			add(check{"Libro / workbook", fail, why + " " + id})
			for _, name := range []string{"Configuración regional / locale", "Celdas / cells", "Pestañas de administración / admin tabs", "Drive"} {
				add(check{name, skipped, "necesita el libro / needs the workbook"})
			}
		} else {
			add(a.checkWorkbook(ctx, ws))
			add(a.checkRegional(ctx, ws))
			add(checkCells(ctx, ws, now))
			add(checkAdminTabs(ctx, ws))
			add(a.checkDrive(ctx, ws))
		}
		add(a.checkGmail(ctx, ws, granted, sendTo))
	}
	add(checkClock(m, time.Now()))

	failed := 0
	for _, c := range checks {
		if c.v == fail {
			failed++
		}
	}
	if failed == 0 {
		fmt.Fprintln(a.out, "Resultado / verdict: todo en orden / all checks passed")
		return nil
	}
	fmt.Fprintf(a.out, "Resultado / verdict: %d %s / %s\n", failed, map[bool]string{true: "revisión falló", false: "revisiones fallaron"}[failed == 1],
		plural(failed, "check failed", "checks failed"))
	if cfgCheck.v == fail {
		return usageErr("the configuration has problems (see Configuración above)")
	}
	return fmt.Errorf("doctor: %s", plural(failed, "check failed", "checks failed"))
}

// checkConfig: the file itself was validated when it was loaded (a broken
// one exits with 2 before doctor runs); here the parts Validate does not see.
func (a *app) checkConfig() check {
	name := "Configuración / config"
	var probs []string
	for job, spec := range map[string]string{"sync": a.cfg.Schedule.Sync, "reconcile": a.cfg.Schedule.Reconcile,
		"report": a.cfg.Schedule.Report} {
		if spec == "" {
			continue
		}
		if _, err := schedule.Parser.Parse(spec); err != nil {
			probs = append(probs, fmt.Sprintf("schedule.%s %q: %v", job, spec, err))
		}
	}
	if a.cfg.Backend == "google" {
		for _, f := range a.setupForms() {
			if a.cfg.Forms[string(f)].ID == "" {
				probs = append(probs, fmt.Sprintf("forms.%s.id is empty", f))
			}
		}
		if a.cfg.Google.Auth != "oauth" && a.cfg.Google.Subject == "" {
			probs = append(probs, "google.subject is empty (the help-desk mailbox the service account acts as)")
		}
	}
	probs = append(probs, a.placeholders()...)
	if a.cfg.Lease.Enabled && a.cfg.Lease.TTL < time.Minute {
		probs = append(probs, "lease.ttl under a minute: a cycle could outlive its lease")
	}
	slices.Sort(probs)
	if len(probs) > 0 {
		return check{name, fail, plural(len(probs), "problema", "problemas") + ":\n      - " + strings.Join(probs, "\n      - ")}
	}
	src := "valores por defecto / built-in defaults"
	if a.configFile != "" {
		src = a.configFile
	}
	return check{name, pass, fmt.Sprintf("%s; backend %s, perfil/profile %s", src, a.cfg.Backend, a.cfg.Profile)}
}

// placeholders lists the settings still holding an example value.
func (a *app) placeholders() []string {
	var flat map[string]any
	if err := mapstructure.Decode(a.cfg, &flat); err != nil {
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
			if m, ok := toMap(v); ok {
				walk(prefix, m)
			}
		}
	}
	walk("", flat)
	return out
}

// neededScopes are the scopes this configuration asks for.
func (a *app) neededScopes() []string {
	s := append([]string{}, backend.Scopes...)
	if a.cfg.Mail.VerifySent {
		s = append(s, backend.ReadMail)
	}
	return s
}

// checkCredentials reads the credentials file (never printing secrets) and
// obtains a token, which proves the key and the delegation or consent.
func (a *app) checkCredentials(ctx context.Context) (check, []string) {
	name := "Credenciales / credentials"
	g := a.cfg.Google
	data, err := os.ReadFile(g.Credentials)
	if err != nil {
		return check{name, fail, fmt.Sprintf("no se pudo leer / cannot read %s: %v", g.Credentials, err)}, nil
	}
	info := setup.InspectCredentials(data, g.Auth)
	if len(info.Problems) > 0 {
		return check{name, fail, fmt.Sprintf("%s: %s", g.Credentials, strings.Join(info.Problems, "; "))}, nil
	}
	detail := fmt.Sprintf("%s %s (client id %s)", info.Kind, info.Identity, info.ClientID)
	v := pass
	if st, err := os.Stat(g.Credentials); err == nil && st.Mode().Perm()&0o077 != 0 {
		v, detail = warn, detail+fmt.Sprintf("; el archivo lo pueden leer otros / file is readable by others (chmod 600 %s)", g.Credentials)
	}
	if g.Auth == "oauth" {
		tb, err := os.ReadFile(g.Token)
		if err != nil {
			return check{name, fail, fmt.Sprintf("sin token: ejecute mesa setup --login / no token (%v)", err)}, nil
		}
		if _, probs := setup.InspectToken(tb); len(probs) > 0 {
			return check{name, fail, strings.Join(probs, "; ")}, nil
		}
	}
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	granted, err := setup.GrantedScopes(tctx, g.Auth, g.Credentials, g.Token, g.Subject, a.neededScopes())
	if errors.Is(err, setup.ErrDelegation) {
		return check{name, fail, fmt.Sprintf("%s; la delegación de dominio no autoriza los permisos: en admin.google.com → Seguridad → Controles de API → Delegación de todo el dominio, agregue el client id %s con los permisos de docs/production.md / domain-wide delegation missing: authorize client id %s for the scopes in docs/production.md",
			detail, info.ClientID, info.ClientID)}, nil
	}
	if err != nil {
		return check{name, fail, fmt.Sprintf("%s; no se obtuvo un token / no token: %v", detail, err)}, nil
	}
	return check{name, v, detail + "; token obtenido / token obtained"}, granted
}

func (a *app) checkScopes(granted []string) check {
	name := "Permisos / scopes"
	if granted == nil {
		return check{name, fail, "sin token no se pueden verificar / cannot check without a token"}
	}
	var missing []string
	for _, s := range a.neededScopes() {
		if !slices.Contains(granted, s) {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		return check{name, fail, "faltan / missing: " + strings.Join(missing, " ") + " (mesa setup --login)"}
	}
	return check{name, pass, fmt.Sprintf("%d permisos concedidos / scopes granted", len(a.neededScopes()))}
}

func (a *app) checkForms(ctx context.Context, ws *backend.Workspace) []check {
	wc := a.cfg.Worker(ws.FormIDs)
	ids := map[procedure.Form]string{}
	for f, fc := range wc.Forms {
		ids[f] = fc.ID
	}
	var out []check
	var ask []procedure.Form
	for _, f := range a.setupForms() {
		if placeholder(ids[f]) {
			out = append(out, check{fmt.Sprintf("Formulario / form %s", f), fail,
				fmt.Sprintf("forms.%s.id sigue con el valor de ejemplo %s / is still the example's placeholder", f, ids[f])})
			continue
		}
		ask = append(ask, f)
	}
	for _, c := range setup.Forms(ctx, ws.Forms.Service(), ids, a.cfg.Questions(), ask) {
		name := fmt.Sprintf("Formulario / form %s", c.Form)
		switch {
		case c.NotConfigured:
			out = append(out, check{name, fail, "sin id / no id: forms." + string(c.Form) + ".id"})
		case c.Err != nil:
			out = append(out, check{name, fail, fmt.Sprintf("sin acceso / no access to %s: %v", c.ID, c.Err)})
		case !c.OK():
			out = append(out, check{name, fail, fmt.Sprintf("%s: %s (mesa setup lo detalla / mesa setup explains)", c.ID, strings.Join(c.Advice(), "; "))})
		default:
			out = append(out, check{name, pass, fmt.Sprintf("%s «%s»: preguntas completas / questions present", c.ID, c.Title)})
		}
	}
	return out
}

func (a *app) checkWorkbook(ctx context.Context, ws *backend.Workspace) check {
	name := "Libro / workbook"
	ss, err := ws.Sheets.Service().Spreadsheets.Get(ws.Sheets.ID()).Fields("properties(title,timeZone),sheets.properties.title").Context(ctx).Do()
	if err != nil {
		return check{name, fail, fmt.Sprintf("sin acceso / no access to %s: %v", ws.Sheets.ID(), err)}
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
		return check{name, fail, fmt.Sprintf("faltan pestañas / missing tabs %s: ejecute / run mesa setup", strings.Join(missing, ", "))}
	}
	return check{name, pass, fmt.Sprintf("«%s» (%s), %d pestañas / tabs", ss.Properties.Title, ws.Sheets.ID(), len(ss.Sheets))}
}

// checkAdminTabs reports what the cycle skips in Agentes, Catálogo and
// Festivos (worker.CheckAdmin, the same check as mesa import sheet), so a
// person's edit in Sheets is found before it misroutes a case.
func checkAdminTabs(ctx context.Context, ws *backend.Workspace) check {
	name := "Pestañas de administración / admin tabs"
	have, err := ws.Sheets.Tabs(ctx)
	if err != nil {
		return check{name, fail, fmt.Sprintf("no se pudieron listar / cannot list the tabs: %v", err)}
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
		return check{name, fail, "faltan Agentes, Catálogo y Festivos: ejecute mesa setup y mesa import sheet"}
	}
	vals, err := ws.Sheets.Read(ctx, names)
	if err != nil {
		return check{name, fail, fmt.Sprintf("no se pudieron leer / cannot read %s: %v", strings.Join(names, ", "), err)}
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
		return check{name, fail, fmt.Sprintf("%s; esas filas no se usan hasta corregirlas:\n      - %s",
			plural(len(probs), "problema", "problemas"), strings.Join(probs, "\n      - "))}
	}
	if agents == 0 {
		return check{name, warn, "Agentes está vacía: ningún caso se puede asignar (mesa import sheet agentes ARCHIVO.csv)"}
	}
	return check{name, pass, fmt.Sprintf("%s sin problemas; %s", strings.Join(names, ", "), plural(agents, "agente", "agentes"))}
}

// checkCells reports the workbook's use of Google's 10,000,000 cells: every
// cell of every tab's grid counts, empty ones too. At the limit the worker
// stops registering requests (they wait in the forms) until room is made.
// The fill date is projected at the rate of the 90 days before now.
func checkCells(ctx context.Context, ws *backend.Workspace, now time.Time) check {
	name := "Celdas / cells"
	b, err := ws.Sheets.Budget(ctx)
	if err != nil {
		return check{name, fail, fmt.Sprintf("no se pudieron contar / cannot count: %v", err)}
	}
	pct := b.Cells * 100 / b.Limit
	detail := fmt.Sprintf("%s de %s celdas en uso (%d %%), contando las vacías de todas las pestañas / cells used of Google's limit, empty grid cells of every tab included",
		miles(b.Cells), miles(b.Limit), pct)
	detail += fillProjection(ctx, ws, b.Cells, b.Limit, now)
	switch {
	case b.Cells >= b.Limit:
		return check{name, fail, detail + "; el libro está lleno: archive un año cerrado (mesa archive --year AAAA), elimine pestañas que no se usen o borre filas y columnas vacías / the workbook is full: archive a closed year, delete unused tabs or empty rows and columns"}
	case pct >= 80:
		return check{name, warn, detail + "; archive un año cerrado (mesa archive --year AAAA), elimine pestañas que no se usen o borre filas y columnas vacías / archive a closed year, delete unused tabs or empty rows and columns"}
	}
	return check{name, pass, detail}
}

// miles writes 10000000 as 10.000.000.
func miles(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(ch)
	}
	return b.String()
}

func (a *app) checkDrive(ctx context.Context, ws *backend.Workspace) check {
	name := "Drive"
	// The idle-cycle change check reads the workbook's version (drive.metadata.readonly).
	if _, err := ws.Drive.Version(ctx, ws.Sheets.ID()); err != nil {
		return check{name, fail, fmt.Sprintf("no se puede leer la versión del libro / cannot read the workbook's version: %v", err)}
	}
	// The folder mesa report uploads to (the local backend uses its Drive's
	// root when none is set), so doctor and report agree.
	folder := a.reportFolder(ws)
	if folder == "" {
		return check{name, warn, "sin carpeta (google.folder): los informes no se suben / no folder: reports are not uploaded"}
	}
	if placeholder(folder) {
		return check{name, fail, "google.folder sigue con el valor de ejemplo / is still the example's placeholder " + folder}
	}
	if _, err := ws.Drive.Version(ctx, folder); err != nil {
		return check{name, fail, fmt.Sprintf("sin acceso a la carpeta / no access to folder %s: %v", folder, err)}
	}
	return check{name, pass, "libro y carpeta de informes accesibles / workbook and report folder reachable: " + folder}
}

// checkGmail verifies send permission without sending: gmail.send cannot
// call any read method (not even users.getProfile), so with that scope
// alone the proof is the granted token. With gmail.readonly (mail.verify_sent)
// getProfile confirms the mailbox, and that it is the configured sender.
// --send-test sends one real message.
func (a *app) checkGmail(ctx context.Context, ws *backend.Workspace, granted []string, sendTo string) check {
	name := "Gmail"
	sender := strings.ToLower(a.cfg.Office.SenderAddress)
	var svc *ggmail.Service
	var err error
	user := "me"
	switch {
	case ws.Fake != nil:
		svc, err = ggmail.NewService(ctx, option.WithHTTPClient(ws.Fake.HTTPClient()), option.WithEndpoint(ws.Fake.URL()+"/"), option.WithoutAuthentication())
	case slices.Contains(granted, backend.ReadMail):
		hc, herr := a.cfg.GoogleBackend().HTTPClient(ctx)
		if herr != nil {
			return check{name, fail, herr.Error()}
		}
		svc, err = ggmail.NewService(ctx, option.WithHTTPClient(hc))
		if a.cfg.Google.Auth != "oauth" {
			user = a.cfg.Google.Subject
		}
	}
	if err != nil {
		return check{name, fail, err.Error()}
	}
	detail := ""
	v := pass
	if svc != nil {
		p, err := svc.Users.GetProfile(user).Context(ctx).Do()
		if err != nil {
			return check{name, fail, fmt.Sprintf("no se pudo leer el buzón / cannot read the mailbox: %v", err)}
		}
		detail = "buzón / mailbox " + p.EmailAddress
		if ws.Fake == nil && !strings.EqualFold(p.EmailAddress, sender) {
			v = warn
			detail += fmt.Sprintf("; office.sender_address es %s: debe ser este buzón o un alias verificado / must be this mailbox or a verified send-as alias", sender)
		}
	} else {
		if !slices.Contains(granted, "https://www.googleapis.com/auth/gmail.send") {
			return check{name, fail, "sin permiso gmail.send / gmail.send not granted"}
		}
		detail = "permiso gmail.send concedido; con solo ese permiso Gmail no deja leer el buzón / gmail.send granted (that scope cannot read the mailbox)"
	}
	if sendTo == "" {
		return check{name, v, detail + "; no se envió nada / nothing sent"}
	}
	id, err := ws.Gmail.Send(ctx, testMessage(a.cfg.Office.SenderName, sender, sendTo))
	if err != nil {
		return check{name, fail, fmt.Sprintf("%s; el envío de prueba falló / test send failed: %v", detail, err)}
	}
	return check{name, v, fmt.Sprintf("%s; mensaje de prueba enviado a %s (id %s) / test message sent", detail, sendTo, id)}
}

func testMessage(fromName, from, to string) []byte {
	subject := mime.QEncoding.Encode("utf-8", "Prueba de mesa: configuración correcta")
	return []byte(strings.Join([]string{
		"From: " + mime.QEncoding.Encode("utf-8", fromName) + " <" + from + ">",
		"To: " + to,
		"Subject: " + subject,
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: 8bit",
		"",
		"Este es un mensaje de prueba de mesa doctor: el envío de correo funciona.",
		"",
	}, "\r\n"))
}

// checkClock: America/Bogota must load (tzdata is embedded) and the local
// clock must agree with Google's (token assertions and form watermarks
// depend on it).
func checkClock(m *metrics.Metrics, now time.Time) check {
	name := "Reloj y zona / clock and time zone"
	loc, err := time.LoadLocation("America/Bogota")
	if err != nil {
		return check{name, fail, fmt.Sprintf("America/Bogota no carga / does not load: %v", err)}
	}
	local := now.In(loc).Format("2006-01-02 15:04:05 -07:00")
	server, at := m.ServerClock()
	if server.IsZero() {
		return check{name, warn, local + "; sin hora del servidor para comparar / no server time to compare"}
	}
	// HTTP dates have one-second resolution: compare whole seconds.
	skew := at.Truncate(time.Second).Sub(server)
	if skew < 0 {
		skew = -skew
	}
	switch {
	case skew > time.Minute:
		return check{name, fail, fmt.Sprintf("%s; el reloj difiere %s del servidor: sincronice con NTP / clock is off by %s: sync with NTP", local, skew, skew)}
	case skew > 5*time.Second:
		return check{name, warn, fmt.Sprintf("%s; desfase / skew %s", local, skew)}
	}
	return check{name, pass, fmt.Sprintf("%s (America/Bogota); desfase / skew %s", local, skew)}
}
