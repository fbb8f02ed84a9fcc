// Package config is mesa's typed configuration: its sections, the one place
// defaults live (Defaults), what a typo would otherwise turn into a silent
// misbehaviour (Validate), and what each part of mesa is built from — above
// all the worker's configuration (Config.Worker), which the binary, the demo
// and the chaos harness all build here so they cannot disagree. Reading the
// file and MESA_ variables (viper) stays in cmd/mesa.
package config

import (
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"time"

	"github.com/go-viper/mapstructure/v2"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/worker"
)

// Config is mesa's whole configuration. Every key can be set in the YAML
// file or by an environment variable MESA_<KEY> (nested keys joined by _).
type Config struct {
	Backend  string          `mapstructure:"backend"` // local | google
	Profile  string          `mapstructure:"profile"` // funza | scj-bogota
	Data     string          `mapstructure:"data"`    // local backend state and caches
	Office   Office          `mapstructure:"office"`
	Calendar Calendar        `mapstructure:"calendar"`
	Rules    Rules           `mapstructure:"rules"`
	Forms    map[string]Form `mapstructure:"forms"`
	Mail     Mail            `mapstructure:"mail"`
	Google   Google          `mapstructure:"google"`
	Schedule Schedule        `mapstructure:"schedule"`
	Report   Report          `mapstructure:"report"`
	Log      Log             `mapstructure:"log"`
	Server   Server          `mapstructure:"server"`
	Lease    Lease           `mapstructure:"lease"`
	Privacy  Privacy         `mapstructure:"privacy"`
	Archive  Archive         `mapstructure:"archive"`
}

type Office struct {
	Name          string `mapstructure:"name"`
	SenderName    string `mapstructure:"sender_name"`
	SenderAddress string `mapstructure:"sender_address"`
	Signature     string `mapstructure:"signature"`
	SurveyURL     string `mapstructure:"survey_url"` // "" = the encuestas form's prefilled link, derived through the Forms API
	WorkbookURL   string `mapstructure:"workbook_url"`
}

type Calendar struct {
	Hours string `mapstructure:"hours"` // e.g. "lun-vie 08:00-17:00"
}

type Rules struct {
	NumberingStart      int      `mapstructure:"numbering_start"`
	WaitDays            int      `mapstructure:"wait_days"`
	SurveysPerAgent     int      `mapstructure:"surveys_per_agent"`
	SurveyRestWeeks     int      `mapstructure:"survey_rest_weeks"` // F-8: prefer users not invited in the last N weeks
	SurveyDays          int      `mapstructure:"survey_days"`
	SatisfiedFrom       int      `mapstructure:"satisfied_from"`
	ProblemThreshold    int      `mapstructure:"problem_threshold"`
	ProblemWindowDays   int      `mapstructure:"problem_window_days"`
	NonBuildingServices []string `mapstructure:"non_building_services"`
	DefaultSLA          string   `mapstructure:"default_sla"`
}

type Form struct {
	ID        string            `mapstructure:"id"`
	Questions map[string]string `mapstructure:"questions"`
}

type Mail struct {
	DailyLimit  int    `mapstructure:"daily_limit"`
	VerifySent  bool   `mapstructure:"verify_sent"`
	MaxAttempts int    `mapstructure:"max_attempts"`
	Templates   string `mapstructure:"templates"`
	Digest      string `mapstructure:"digest"` // "07:00": daily digests go out with the first sync at or after it on a business day; "" = none
	// E-mail intake (docs/mail.md): mail to the help-desk mailbox becomes a
	// request. Off by default; needs the gmail.readonly scope.
	Intake        bool   `mapstructure:"intake"`
	IntakeService string `mapstructure:"intake_service"` // Tipo de servicio of those requests
	// Working hours (Ley 2191 de 2022, internal/worker/hold.go): kinds of
	// mail held until the recipient's next working hour, and services whose
	// mail is an emergency and never held.
	HeldKinds        []string `mapstructure:"held_kinds"`
	CriticalServices []string `mapstructure:"critical_services"`
}

type Google struct {
	Auth        string `mapstructure:"auth"`
	Credentials string `mapstructure:"credentials"`
	Token       string `mapstructure:"token"`
	Subject     string `mapstructure:"subject"`
	Spreadsheet string `mapstructure:"spreadsheet"`
	Folder      string `mapstructure:"folder"`
}

type Schedule struct {
	Sync      string `mapstructure:"sync"`
	Reconcile string `mapstructure:"reconcile"`
	Report    string `mapstructure:"report"`
}

type Log struct {
	Format string `mapstructure:"format"` // text | json
	Level  string `mapstructure:"level"`
}

// Server is the HTTP side of `mesa run`: /healthz and /metrics.
type Server struct {
	Listen        string        `mapstructure:"listen"`         // e.g. ":8080"; empty: no HTTP server
	HealthMisses  int           `mapstructure:"health_misses"`  // /healthz fails after this many scheduled syncs without a success
	ShutdownGrace time.Duration `mapstructure:"shutdown_grace"` // on SIGTERM, how long a running cycle may finish before it is cancelled
	StatsEvery    time.Duration `mapstructure:"stats_every"`    // how often cases and outbox gauges are re-counted (one Sheets read)
}

// Lease is the run lease in the workbook's Control tab.
type Lease struct {
	Enabled bool          `mapstructure:"enabled"`
	TTL     time.Duration `mapstructure:"ttl"`    // longer than the longest cycle
	Settle  time.Duration `mapstructure:"settle"` // wait between writing the lease and reading it back
	Owner   string        `mapstructure:"owner"`  // default: host name; the pid and a random part are always added
}

// Defaults is the one place defaults live: the funza profile on the local
// backend, as the procedure states it.
func Defaults(profile procedure.Profile) Config {
	set := procedure.DefaultSettings(profile)
	c := Config{
		Backend: "local", Profile: string(procedure.Funza), Data: "./var",
		Office: Office{
			Name: "Alcaldía de Funza", SenderName: "Mesa de Ayuda TIC", SenderAddress: "mesadeayuda@funza-cundinamarca.gov.co",
			Signature: "Oficina de Relacionamiento con el Ciudadano — Gestión TIC\nAlcaldía Municipal de Funza",
		},
		Calendar: Calendar{Hours: calendar.FunzaHours},
		Rules: Rules{
			NumberingStart: set.NumberingStart, WaitDays: set.WaitDays, SurveysPerAgent: set.SurveysPerAgent, SurveyRestWeeks: set.SurveyRestWeeks,
			SurveyDays: set.SurveyDays, SatisfiedFrom: set.SatisfiedFrom, ProblemThreshold: set.ProblemThreshold,
			ProblemWindowDays: set.ProblemWindowDays, NonBuildingServices: set.NonBuildingServices, DefaultSLA: "3 días",
		},
		Forms: map[string]Form{},
		Mail: Mail{DailyLimit: 1500, VerifySent: true, MaxAttempts: 10, Digest: "07:00", IntakeService: worker.DefaultIntakeService,
			HeldKinds: worker.DefaultHeldKinds, CriticalServices: []string{}},
		Google: Google{Auth: "service_account", Credentials: "credentials/service-account.json", Token: "credentials/token.json"},
		Schedule: Schedule{
			Sync: "*/5 6-20 * * *", Reconcile: "30 2 * * *", Report: "0 6 1-7 * *",
		},
		Log:    Log{Format: "text", Level: "info"},
		Server: Server{Listen: ":8080", HealthMisses: 3, ShutdownGrace: 25 * time.Second, StatsEvery: 15 * time.Minute},
		Lease:  Lease{Enabled: true, TTL: 10 * time.Minute, Settle: 3 * time.Second},
		Report: defaultReport(profile),
	}
	if profile == procedure.SCJBogota {
		// PD-GT-1, políticas de operación: the desk's mailbox and its hours.
		c.Profile = string(profile)
		c.Office = Office{
			Name: "Secretaría Distrital de Seguridad, Convivencia y Justicia", SenderName: "Mesa de Servicio",
			SenderAddress: "soporte.tecnico@scj.gov.co", Signature: "Dirección de Tecnologías y Sistemas de la Información",
			SurveyURL: c.Office.SurveyURL,
		}
		c.Calendar.Hours = calendar.SCJHours
	}
	c.Archive = defaultArchive(c.Office.Name)
	for f, qs := range procedure.DefaultQuestions {
		fc := Form{Questions: map[string]string{}}
		for field, title := range qs {
			fc.Questions[string(field)] = title
		}
		c.Forms[string(f)] = fc
	}
	return c
}

// Validate checks what a typo would otherwise turn into a silent misbehaviour.
func (c Config) Validate() error {
	var errs []error
	switch c.Backend {
	case "local", "google":
	default:
		errs = append(errs, fmt.Errorf("backend %q: want local or google", c.Backend))
	}
	switch procedure.Profile(c.Profile) {
	case procedure.Funza, procedure.SCJBogota:
	default:
		errs = append(errs, fmt.Errorf("profile %q: want funza or scj-bogota", c.Profile))
	}
	if _, err := calendar.OfficeHours(c.Calendar.Hours); err != nil {
		errs = append(errs, fmt.Errorf("calendar.hours: %w", err))
	}
	if _, err := worker.ParseSLA(c.Rules.DefaultSLA); err != nil {
		errs = append(errs, fmt.Errorf("rules.default_sla: %w", err))
	}
	if _, err := mail.ParseAddress(c.Office.SenderAddress); err != nil {
		errs = append(errs, fmt.Errorf("office.sender_address %q: not an e-mail address", c.Office.SenderAddress))
	}
	if c.Rules.WaitDays < 1 || c.Rules.SurveysPerAgent < 1 || c.Rules.NumberingStart < 1 {
		errs = append(errs, errors.New("rules.wait_days, rules.surveys_per_agent and rules.numbering_start must be at least 1"))
	}
	if c.Rules.SurveyRestWeeks < 0 || c.Rules.SurveyRestWeeks > 52 {
		errs = append(errs, fmt.Errorf("rules.survey_rest_weeks %d: want 0 (no preference) to 52", c.Rules.SurveyRestWeeks))
	}
	if c.Rules.SatisfiedFrom < 1 || c.Rules.SatisfiedFrom > 5 {
		errs = append(errs, fmt.Errorf("rules.satisfied_from %d: want 1 to 5", c.Rules.SatisfiedFrom))
	}
	if c.Mail.Digest != "" {
		if _, err := time.Parse("15:04", c.Mail.Digest); err != nil {
			errs = append(errs, fmt.Errorf("mail.digest %q: want a time of day like 07:00, or empty for no digests", c.Mail.Digest))
		}
	}
	if err := (worker.HoldPolicy{Kinds: c.Mail.HeldKinds}).Validate(); err != nil {
		errs = append(errs, fmt.Errorf("mail.held_kinds: %w", err))
	}
	if c.Mail.DailyLimit < 0 || c.Mail.DailyLimit > 2000 {
		errs = append(errs, fmt.Errorf("mail.daily_limit %d: want 0 to 2000 (Gmail's per-user limit)", c.Mail.DailyLimit))
	}
	for name := range c.Forms {
		if !slices.Contains(procedure.Forms, procedure.Form(name)) {
			errs = append(errs, fmt.Errorf("forms.%s: unknown form (want solicitudes, respuestas, reasignaciones, encuestas or revisiones)", name))
		}
	}
	if err := c.Archive.validate(); err != nil {
		errs = append(errs, err)
	}
	if c.Backend == "google" {
		if c.Google.Spreadsheet == "" {
			errs = append(errs, errors.New("google.spreadsheet: the workbook's id is required with backend google"))
		}
	}
	return errors.Join(errs...)
}

// Settings turns the rules into the procedure's settings.
func (c Config) Settings() procedure.Settings {
	s := procedure.DefaultSettings(procedure.Profile(c.Profile))
	r := c.Rules
	s.NumberingStart, s.WaitDays, s.SurveysPerAgent, s.SurveyDays = r.NumberingStart, r.WaitDays, r.SurveysPerAgent, r.SurveyDays
	s.SatisfiedFrom, s.ProblemThreshold, s.ProblemWindowDays = r.SatisfiedFrom, r.ProblemThreshold, r.ProblemWindowDays
	s.NonBuildingServices = r.NonBuildingServices
	s.SurveyRestWeeks = r.SurveyRestWeeks
	s.DefaultSLA, _ = worker.ParseSLA(r.DefaultSLA)
	h, _ := calendar.OfficeHours(c.Calendar.Hours)
	var day time.Duration // a Monday's hours make the "día hábil" of an SLA
	for _, w := range h.Week[time.Monday] {
		day += w.End - w.Start
	}
	if day > 0 {
		s.DayLength = day
	}
	return s
}

// Questions returns each form's question titles by field.
func (c Config) Questions() map[procedure.Form]map[procedure.Field]string {
	out := map[procedure.Form]map[procedure.Field]string{}
	for _, f := range procedure.Forms {
		qs := map[procedure.Field]string{}
		for field, title := range procedure.DefaultQuestions[f] {
			qs[field] = title
		}
		for field, title := range c.Forms[string(f)].Questions {
			qs[procedure.Field(field)] = title
		}
		out[f] = qs
	}
	return out
}

// FormIDs are the forms' ids: forms.<form>.id where set, else the id the
// workspace knows (the local backend's own forms).
func (c Config) FormIDs(known map[procedure.Form]string) map[procedure.Form]string {
	ids := map[procedure.Form]string{}
	for _, f := range procedure.Forms {
		ids[f] = known[f]
		if fc, ok := c.Forms[string(f)]; ok && fc.ID != "" {
			ids[f] = fc.ID
		}
	}
	return ids
}

// Mailbox is the account mesa acts as: the service account's subject
// (google.subject), else the help desk's address. It always keeps edit
// rights on the ranges mesa protects.
func (c Config) Mailbox() string {
	if c.Backend == "google" && c.Google.Auth != "oauth" && c.Google.Subject != "" {
		return c.Google.Subject
	}
	return c.Office.SenderAddress
}

// Scopes are the OAuth scopes this configuration needs: mesa's, and
// gmail.readonly to verify sent mail (mail.verify_sent).
func (c Config) Scopes() []string {
	s := append([]string{}, backend.Scopes...)
	if c.Mail.VerifySent {
		s = append(s, backend.ReadMail)
	}
	return s
}

// Worker is the part of Config a cycle needs: the one builder of
// worker.Config, used by the binary, the demo and the chaos harness.
func (c Config) Worker(formIDs map[procedure.Form]string) worker.Config {
	h, _ := calendar.OfficeHours(c.Calendar.Hours)
	h.HolidaysAsWeekend = procedure.Profile(c.Profile) == procedure.SCJBogota
	qs, ids := c.Questions(), c.FormIDs(formIDs)
	forms := map[procedure.Form]worker.Form{}
	for _, f := range procedure.Forms {
		forms[f] = worker.Form{ID: ids[f], Questions: qs[f]}
	}
	o := c.Office
	return worker.Config{
		Settings: c.Settings(), Hours: h, Forms: forms,
		Office:     notify.Office{Name: o.Name, SenderName: o.SenderName, SenderAddress: o.SenderAddress, Signature: o.Signature, SurveyURL: o.SurveyURL, WorkbookURL: o.WorkbookURL},
		DailyLimit: c.Mail.DailyLimit, VerifySent: c.Mail.VerifySent, MaxAttempts: c.Mail.MaxAttempts, Digest: c.Mail.Digest,
		Intake: c.Mail.Intake, IntakeService: c.Mail.IntakeService,
		Hold:        worker.HoldPolicy{Kinds: c.Mail.HeldKinds, Critical: c.Mail.CriticalServices},
		ArchiveFrom: c.Archive.ProposeMonth(), ArchiveAuto: c.Archive.Auto,
		ReadPage: worker.DefaultReadPage,
	}
}

// WorkerIn is Worker for the workbook spreadsheetID: the links mails give
// agents and the administrator, when the configuration names none, are the
// workbook's and the forms' own addresses, built from their ids (no API
// call).
func (c Config) WorkerIn(spreadsheetID string, formIDs map[procedure.Form]string) worker.Config {
	cfg := c.Worker(formIDs)
	if cfg.Office.WorkbookURL == "" {
		cfg.Office.WorkbookURL = "https://docs.google.com/spreadsheets/d/" + spreadsheetID + "/edit"
	}
	if id := cfg.Forms[procedure.Respuestas].ID; id != "" {
		cfg.Office.AgentFormURL = "https://docs.google.com/forms/d/" + id + "/viewform"
	}
	if id := cfg.Forms[procedure.Reasignaciones].ID; id != "" {
		cfg.Office.AdminFormURL = "https://docs.google.com/forms/d/" + id + "/viewform"
	}
	return cfg
}

// GoogleBackend is how the google backend connects.
func (c Config) GoogleBackend() backend.Google {
	forms := map[procedure.Form]string{}
	for name, fc := range c.Forms {
		forms[procedure.Form(name)] = fc.ID
	}
	g := c.Google
	return backend.Google{Auth: g.Auth, Credentials: g.Credentials, Token: g.Token, Subject: g.Subject,
		Spreadsheet: g.Spreadsheet, Forms: forms, Folder: g.Folder, VerifySent: c.Mail.VerifySent, Intake: c.Mail.Intake, TrashSent: c.Privacy.TrashSent}
}

// AsMap turns a section (or a map of them) into the nested map
// mapstructure makes of it, for walking keys and values by their names;
// other values are not sections.
func AsMap(val any) (map[string]any, bool) {
	switch x := val.(type) {
	case map[string]Form, map[string]string, Privacy, Office, Calendar, Rules, Mail, Google, Schedule, Log, Form, Report, Indicator, Archive, TRD:
		var m map[string]any
		if err := mapstructure.Decode(x, &m); err != nil {
			return nil, false
		}
		return m, true
	}
	return nil, false
}

// UsedForms are the forms the profile's procedure has: the coordinator's
// review (revisiones) exists in the scj-bogota procedure only.
func (c Config) UsedForms() []procedure.Form {
	var out []procedure.Form
	for _, f := range procedure.Forms {
		if f == procedure.Revisiones && procedure.Profile(c.Profile) != procedure.SCJBogota {
			continue
		}
		out = append(out, f)
	}
	return out
}
