package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/funza-tic/mesa/internal/archive"
	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/config"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/setup"
	"github.com/funza-tic/mesa/internal/worker"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// errUsage marks usage and configuration errors (exit code 2).
var errUsage = errors.New("usage")

func usageErr(format string, args ...any) error {
	return usageError(fmt.Sprintf(format, args...))
}

// usageError is a usage error whose text is only its message: many are
// Spanish refusals an office person reads, so no English marker is added.
type usageError string

func (e usageError) Error() string        { return string(e) }
func (e usageError) Is(target error) bool { return target == errUsage }

// app holds the global flags and what every command shares.
type app struct {
	out, errOut io.Writer
	env         []string

	configFile string
	dataDir    string
	nowFlag    string
	dryRun     bool

	cfg config.Config
	log *slog.Logger

	scratch string // --dry-run on the local backend: a throw-away copy of the data directory's workspace
	running bool   // a command's RunE started: an error before it is a usage error
}

func newApp(out, errOut io.Writer, env []string) *app {
	return &app{out: out, errOut: errOut, env: env}
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "mesa",
		Short:         "mesa runs an IT help desk on Google Forms, Sheets and Gmail",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Annotations["noconfig"] == "true" {
				return nil
			}
			return a.init()
		},
	}
	root.SetOut(a.out)
	root.SetErr(a.errOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(spanishUsage(err.Error())) })
	f := root.PersistentFlags()
	f.StringVar(&a.configFile, "config", "", "configuration file (YAML); built-in defaults without it")
	f.StringVar(&a.dataDir, "data", "", "data directory of the local backend (default ./var)")
	f.StringVar(&a.nowFlag, "now", "", "run as if at this instant (RFC 3339)")
	f.BoolVar(&a.dryRun, "dry-run", false, "print the plan, write and send nothing")
	root.Version = version()
	root.SetVersionTemplate("mesa {{.Version}}\n")
	root.AddCommand(a.syncCmd(), a.reconcileCmd(), a.runCmd(), a.reportCmd(), a.exportCmd(), a.explainCmd(),
		a.calendarCmd(), a.importCmd(), a.setupCmd(), a.doctorCmd(), a.demoCmd(), a.versionCmd(), a.archiveCmd(), a.privacyCmd(), a.surveyCmd())
	a.markUsage(root)
	return root
}

// markUsage makes every mistake cobra catches before a command runs (an
// unknown command or subcommand, wrong arguments, a missing required flag)
// a usage error, exit 2 as the README says: each RunE records that it
// started, and a command group run without a valid subcommand refuses.
func (a *app) markUsage(c *cobra.Command) {
	if c.HasSubCommands() && c.RunE == nil && c.Run == nil {
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			var subs []string
			for _, s := range cmd.Commands() {
				if s.IsAvailableCommand() {
					subs = append(subs, s.Name())
				}
			}
			if len(args) > 0 {
				return usageErr("orden desconocida «%s» para «%s»; las órdenes son: %s (unknown command)", args[0], cmd.CommandPath(), strings.Join(subs, ", "))
			}
			return usageErr("«%s» necesita una orden: %s (mesa %s --help)", cmd.CommandPath(), strings.Join(subs, ", "), cmd.Name())
		}
	} else if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			a.running = true
			return run(cmd, args)
		}
	}
	for _, s := range c.Commands() {
		a.markUsage(s)
	}
}

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:         "version",
		Short:       "Print mesa's version (the same as --version)",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{"noconfig": "true"},
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(a.out, "mesa %s\n", version())
			return nil
		},
	}
}

// buildVersion is set at link time (-ldflags "-X main.buildVersion=v1.2.3").
var buildVersion string

// version is the release, else the module version and the commit the
// binary was built from (Go records it in the build info).
func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, when, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+cambios"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += fmt.Sprintf(" (commit %s%s, %s)", rev, dirty, when)
	}
	return v + " " + info.GoVersion
}

// init loads the configuration and the logger.
func (a *app) init() error {
	cfg, err := loadConfig(a.configFile, a.env)
	if err != nil {
		return err
	}
	if a.dataDir != "" {
		cfg.Data = a.dataDir
	}
	a.cfg = cfg
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.Log.Level)); err != nil {
		return usageErr("log.level %q: %v", cfg.Log.Level, err)
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		a.log = slog.New(slog.NewJSONHandler(a.errOut, opts))
	} else {
		a.log = slog.New(slog.NewTextHandler(a.errOut, opts))
	}
	return nil
}

// now is the instant the command runs at: --now, or the clock.
func (a *app) now() (time.Time, error) {
	if a.nowFlag == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.RFC3339, a.nowFlag)
	if err != nil {
		return time.Time{}, usageErr("--now «%s» no es un instante: escríbalo como 2026-04-01T08:00:00-05:00 (RFC 3339)", a.nowFlag)
	}
	return t, nil
}

// execute runs the command line and removes what --dry-run left in the
// temporary directory.
func (a *app) execute(ctx context.Context, args []string) error {
	cmd := a.rootCmd()
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if a.scratch != "" {
		_ = os.RemoveAll(a.scratch)
	}
	if err != nil && !a.running && !errors.Is(err, errUsage) {
		err = usageError(spanishUsage(err.Error()))
	}
	return err
}

// cobraUsage matches the mistakes cobra and pflag report before a command
// runs, in their English wording; spanishUsage says each in Spanish for the
// office person at the terminal and keeps cobra's text as a gloss for the
// operator.
var cobraUsage = []struct {
	re *regexp.Regexp
	es string
}{
	{regexp.MustCompile(`^unknown flag: (\S+)$`), "opción desconocida: $1 (vea mesa --help)"},
	{regexp.MustCompile(`^unknown shorthand flag: '(.)' in (\S+)$`), "opción desconocida: -$1 (vea mesa --help)"},
	{regexp.MustCompile(`^flag needs an argument: (?:'.' in )?(\S+)$`), "la opción $1 necesita un valor"},
	{regexp.MustCompile(`^invalid argument "(.*)" for "(.*?)" flag`), "valor no válido «$1» para la opción $2"},
	{regexp.MustCompile(`^unknown command "(.*)" for "(.*)"`), "orden desconocida «$1» para «$2» (vea mesa --help)"},
	{regexp.MustCompile(`^accepts (\d+) arg\(s\), received (\d+)$`), "la orden recibe $1 argumento(s) y se le dieron $2"},
	{regexp.MustCompile(`^accepts at most (\d+) arg\(s\), received (\d+)$`), "la orden recibe a lo sumo $1 argumento(s) y se le dieron $2"},
	{regexp.MustCompile(`^requires at least (\d+) arg\(s\), only received (\d+)$`), "la orden necesita al menos $1 argumento(s) y se le dieron $2"},
	{regexp.MustCompile(`^required flag\(s\) (.*) not set$`), "falta la opción obligatoria $1"},
}

func spanishUsage(msg string) string {
	for _, u := range cobraUsage {
		if m := u.re.FindStringSubmatchIndex(msg); m != nil {
			es := string(u.re.ExpandString(nil, u.es, msg, m))
			return es + " (" + msg + ")"
		}
	}
	return msg
}

// workspace connects to the configured backend.
func (a *app) workspace(ctx context.Context) (*backend.Workspace, error) {
	return a.workspaceWith(ctx, nil)
}

// workspaceWith connects like workspace, with wrap around the transport.
func (a *app) workspaceWith(ctx context.Context, wrap backend.Wrap) (*backend.Workspace, error) {
	if a.cfg.Backend == "google" {
		// Checked here, not when the configuration loads: commands that
		// need no workspace (calendar, version) run without credentials.
		if _, err := os.Stat(a.cfg.Google.Credentials); err != nil {
			return nil, usageErr("google.credentials: %v", err)
		}
		if wrap == nil {
			return a.cfg.GoogleBackend().Open(ctx)
		}
		return a.cfg.GoogleBackend().OpenWith(ctx, wrap)
	}
	if url := a.getenv("WORKSPACEFAKE_URL"); url != "" {
		// A measuring aid (BENCHMARKS.md): the workspace served by
		// internal/workspacefake/cmd/fakeserve, which holds its lock.
		if a.dryRun {
			return nil, usageErr("--dry-run no funciona con WORKSPACEFAKE_URL")
		}
		return backend.Served(ctx, a.cfg.Data, url, wrap)
	}
	// Under --dry-run this waits on the real directory before copying it,
	// so the copy is not taken in the middle of another process's cycle.
	waiting := func() {
		fmt.Fprintf(a.errOut, "esperando: otro proceso de mesa (mesa run durante un ciclo, u otro comando) está usando %s; sigue en cuanto termine (Ctrl-C cancela)\n", a.cfg.Data)
	}
	if err := workspacefake.WaitFree(ctx, a.cfg.Data, waiting); err != nil {
		return nil, err
	}
	dir, err := a.localDir()
	if err != nil {
		return nil, err
	}
	_, statErr := os.Stat(filepath.Join(dir, "workspace", "ids.json"))
	fresh := os.IsNotExist(statErr)
	var ws *backend.Workspace
	if wrap == nil {
		ws, err = backend.Local(ctx, dir, a.cfg.Questions())
	} else {
		ws, err = backend.LocalWith(ctx, dir, a.cfg.Questions(), wrap)
	}
	if err != nil || !fresh {
		return ws, err
	}
	if err := setup.NameLocal(ctx, ws.Sheets, ws.Forms.Service(), ws.FormIDs, backend.FormTitles, procedure.Profile(a.cfg.Profile), a.cfg.Office.SenderName); err != nil {
		ws.Close()
		return nil, err
	}
	return ws, nil
}

// localDir is the local backend's data directory. Under --dry-run it is a
// throw-away copy, so that nothing a command does (not even creating the
// workbook on first use) reaches the real one: --dry-run writes nothing.
func (a *app) localDir() (string, error) {
	if !a.dryRun {
		return a.cfg.Data, nil
	}
	if a.scratch != "" {
		return a.scratch, nil
	}
	tmp, err := os.MkdirTemp("", "mesa-dry-run-")
	if err != nil {
		return "", err
	}
	a.scratch = tmp
	src := filepath.Join(a.cfg.Data, "workspace")
	if _, err := os.Stat(src); err == nil {
		if err := os.CopyFS(filepath.Join(tmp, "workspace"), os.DirFS(src)); err != nil {
			return "", fmt.Errorf("--dry-run: copy %s: %w", src, err)
		}
	}
	return tmp, nil
}

// refuseDryRun is for the commands that cannot simulate what they do.
func (a *app) refuseDryRun(what string) error {
	if a.dryRun {
		return usageErr("--dry-run: %s", what)
	}
	return nil
}

// worker builds a worker on a workspace.
func (a *app) worker(ctx context.Context, ws *backend.Workspace) (*worker.Worker, error) {
	tpl, err := notify.LoadTemplates(a.templatesDir())
	if err != nil {
		return nil, usageErr("mail templates: %v", err)
	}
	cfg := a.cfg.WorkerIn(ws.Sheets.ID(), ws.FormIDs)
	if cfg.Office.SurveyURL == "" {
		// office.survey_url left empty: the survey form's own prefilled link.
		if cfg.Office.SurveyURL, err = a.derivedSurveyURL(ctx, ws); err != nil {
			a.log.Warn("no survey link: survey mail goes without one until office.survey_url is set or the form is fixed", "err", err)
		}
	}
	// The local backend's data directory lock (an OS file lock) lets one
	// process at a time in: no rival cycle can claim the outbox. The
	// workbook lease of Google mode is no such lock (a write can land late,
	// two executions can share a host name), so there the outbox verifies
	// its claims.
	cfg.Exclusive = ws.Exclusive
	w := &worker.Worker{Sheet: ws.Sheets, Responses: ws.Forms, Mail: ws.Gmail, Templates: tpl,
		Config: cfg, Log: a.log,
		SpreadsheetID: ws.Sheets.ID(), Changes: ws.Drive, Watch: worker.FileWatch(filepath.Join(a.stateDir(), "watch.json"))}
	w.Archives = archive.Dues{Deps: a.archiveDeps(ws, w)}
	return w, nil
}

// stateDir holds mesa's local caches: the data directory, or the dry run's
// throw-away copy.
func (a *app) stateDir() string {
	if a.scratch != "" {
		return a.scratch
	}
	return a.cfg.Data
}

func (a *app) templatesDir() string {
	d := a.cfg.Mail.Templates
	if d != "" && !filepath.IsAbs(d) && a.configFile != "" {
		d = filepath.Join(filepath.Dir(a.configFile), d)
	}
	return d
}

// withWorker runs fn with a connected worker and closes the workspace.
func (a *app) withWorker(ctx context.Context, fn func(*backend.Workspace, *worker.Worker) error) error {
	ws, err := a.workspace(ctx)
	if err != nil {
		return err
	}
	defer ws.Close()
	w, err := a.worker(ctx, ws)
	if err != nil {
		return err
	}
	return fn(ws, w)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// getenv reads a variable of the app's environment.
func (a *app) getenv(key string) string {
	for _, kv := range a.env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}
