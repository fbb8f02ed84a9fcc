package main

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"

	"github.com/funza-tic/mesa/internal/backend"
	"github.com/funza-tic/mesa/internal/calendar"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/worker"
)

// Config is mesa's whole configuration. Every key can be set in the YAML
// file or by an environment variable MESA_<KEY> (nested keys joined by _).
type Config struct {
	Backend  string                `mapstructure:"backend"` // local | google
	Profile  string                `mapstructure:"profile"` // funza | scj-bogota
	Data     string                `mapstructure:"data"`    // local backend state and caches
	Office   OfficeConfig          `mapstructure:"office"`
	Calendar CalendarConfig        `mapstructure:"calendar"`
	Rules    RulesConfig           `mapstructure:"rules"`
	Forms    map[string]FormConfig `mapstructure:"forms"`
	Mail     MailConfig            `mapstructure:"mail"`
	Google   GoogleConfig          `mapstructure:"google"`
	Schedule ScheduleConfig        `mapstructure:"schedule"`
	Report   ReportConfig          `mapstructure:"report"`
	Log      LogConfig             `mapstructure:"log"`
	Server   ServerConfig          `mapstructure:"server"`
	Lease    LeaseConfig           `mapstructure:"lease"`
	Privacy  PrivacyConfig         `mapstructure:"privacy"`
	Archive  ArchiveConfig         `mapstructure:"archive"`
}

type OfficeConfig struct {
	Name          string `mapstructure:"name"`
	SenderName    string `mapstructure:"sender_name"`
	SenderAddress string `mapstructure:"sender_address"`
	Signature     string `mapstructure:"signature"`
	SurveyURL     string `mapstructure:"survey_url"` // "" = the encuestas form's prefilled link, derived through the Forms API
	WorkbookURL   string `mapstructure:"workbook_url"`
}

type CalendarConfig struct {
	Hours string `mapstructure:"hours"` // e.g. "lun-vie 08:00-17:00"
}

type RulesConfig struct {
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

type FormConfig struct {
	ID        string            `mapstructure:"id"`
	Questions map[string]string `mapstructure:"questions"`
}

type MailConfig struct {
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

type GoogleConfig struct {
	Auth        string `mapstructure:"auth"`
	Credentials string `mapstructure:"credentials"`
	Token       string `mapstructure:"token"`
	Subject     string `mapstructure:"subject"`
	Spreadsheet string `mapstructure:"spreadsheet"`
	Folder      string `mapstructure:"folder"`
}

type ScheduleConfig struct {
	Sync      string `mapstructure:"sync"`
	Reconcile string `mapstructure:"reconcile"`
	Report    string `mapstructure:"report"`
}

type LogConfig struct {
	Format string `mapstructure:"format"` // text | json
	Level  string `mapstructure:"level"`
}

// ServerConfig is the HTTP side of `mesa run`: /healthz and /metrics.
type ServerConfig struct {
	Listen        string        `mapstructure:"listen"`         // e.g. ":8080"; empty: no HTTP server
	HealthMisses  int           `mapstructure:"health_misses"`  // /healthz fails after this many scheduled syncs without a success
	ShutdownGrace time.Duration `mapstructure:"shutdown_grace"` // on SIGTERM, how long a running cycle may finish before it is cancelled
	StatsEvery    time.Duration `mapstructure:"stats_every"`    // how often cases and outbox gauges are re-counted (one Sheets read)
}

// LeaseConfig is the run lease in the workbook's Control tab.
type LeaseConfig struct {
	Enabled bool          `mapstructure:"enabled"`
	TTL     time.Duration `mapstructure:"ttl"`    // longer than the longest cycle
	Settle  time.Duration `mapstructure:"settle"` // wait between writing the lease and reading it back
	Owner   string        `mapstructure:"owner"`  // default: host name; the pid and a random part are always added
}

// defaults is the one place defaults live: the funza profile on the local
// backend, as the procedure states it.
func defaults(profile procedure.Profile) Config {
	set := procedure.DefaultSettings(profile)
	c := Config{
		Backend: "local", Profile: string(procedure.Funza), Data: "./var",
		Office: OfficeConfig{
			Name: "Alcaldía de Funza", SenderName: "Mesa de Ayuda TIC", SenderAddress: "mesadeayuda@funza-cundinamarca.gov.co",
			Signature: "Oficina de Relacionamiento con el Ciudadano — Gestión TIC\nAlcaldía Municipal de Funza",
		},
		Calendar: CalendarConfig{Hours: calendar.FunzaHours},
		Rules: RulesConfig{
			NumberingStart: set.NumberingStart, WaitDays: set.WaitDays, SurveysPerAgent: set.SurveysPerAgent, SurveyRestWeeks: set.SurveyRestWeeks,
			SurveyDays: set.SurveyDays, SatisfiedFrom: set.SatisfiedFrom, ProblemThreshold: set.ProblemThreshold,
			ProblemWindowDays: set.ProblemWindowDays, NonBuildingServices: set.NonBuildingServices, DefaultSLA: "3 días",
		},
		Forms: map[string]FormConfig{},
		Mail: MailConfig{DailyLimit: 1500, VerifySent: true, MaxAttempts: 10, Digest: "07:00", IntakeService: worker.DefaultIntakeService,
			HeldKinds: worker.DefaultHeldKinds, CriticalServices: []string{}},
		Google: GoogleConfig{Auth: "service_account", Credentials: "credentials/service-account.json", Token: "credentials/token.json"},
		Schedule: ScheduleConfig{
			Sync: "*/5 6-20 * * *", Reconcile: "30 2 * * *", Report: "0 6 1-7 * *",
		},
		Log:    LogConfig{Format: "text", Level: "info"},
		Server: ServerConfig{Listen: ":8080", HealthMisses: 3, ShutdownGrace: 25 * time.Second, StatsEvery: 15 * time.Minute},
		Lease:  LeaseConfig{Enabled: true, TTL: 10 * time.Minute, Settle: 3 * time.Second},
		Report: defaultReportConfig(profile),
	}
	if profile == procedure.SCJBogota {
		// PD-GT-1, políticas de operación: the desk's mailbox and its hours.
		c.Profile = string(profile)
		c.Office = OfficeConfig{
			Name: "Secretaría Distrital de Seguridad, Convivencia y Justicia", SenderName: "Mesa de Servicio",
			SenderAddress: "soporte.tecnico@scj.gov.co", Signature: "Dirección de Tecnologías y Sistemas de la Información",
			SurveyURL: c.Office.SurveyURL,
		}
		c.Calendar.Hours = calendar.SCJHours
	}
	c.Archive = defaultArchiveConfig(c.Office.Name)
	for f, qs := range procedure.DefaultQuestions {
		fc := FormConfig{Questions: map[string]string{}}
		for field, title := range qs {
			fc.Questions[string(field)] = title
		}
		c.Forms[string(f)] = fc
	}
	return c
}

// loadConfig reads defaults, then the file (if any), then MESA_* variables.
func loadConfig(file string, env []string) (Config, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	useDefaults := func(p procedure.Profile) error {
		var flat map[string]any
		if err := mapstructure.Decode(defaults(p), &flat); err != nil {
			return err
		}
		setDefaults(v, "", flat)
		return nil
	}
	if err := useDefaults(procedure.Funza); err != nil {
		return Config{}, err
	}
	if file != "" {
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("%w: read %s: %v", errUsage, file, err)
		}
		if err := checkFileKeys(file); err != nil {
			return Config{}, fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	for _, kv := range env {
		k, val, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(k, "MESA_") {
			continue
		}
		key := envKey(v, strings.ToLower(strings.TrimPrefix(k, "MESA_")))
		if key == "" {
			var names []string
			for _, k := range v.AllKeys() {
				names = append(names, strings.ToUpper("MESA_"+strings.ReplaceAll(k, ".", "_")))
			}
			msg := fmt.Sprintf("environment variable %s names no configuration key", k)
			if near := nearest(k, names); near != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", near)
			}
			return Config{}, fmt.Errorf("%w: %s", errUsage, msg)
		}
		v.Set(key, val)
	}
	// The profile's own defaults (hours, office, rules) under what was set.
	if p := procedure.Profile(v.GetString("profile")); p == procedure.SCJBogota {
		if err := useDefaults(p); err != nil {
			return Config{}, err
		}
	}
	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return Config{}, fmt.Errorf("%w: %v", errUsage, err)
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("%w: %v", errUsage, err)
	}
	return c, nil
}

// envKey maps "office_sender_name" to the key "office.sender_name": keys
// contain underscores too, so the known keys decide where the dots go.
func envKey(v *viper.Viper, s string) string {
	for _, k := range v.AllKeys() {
		if strings.ReplaceAll(k, ".", "_") == s {
			return k
		}
	}
	return ""
}

func setDefaults(v *viper.Viper, prefix string, m map[string]any) {
	for k, val := range m {
		key := strings.ToLower(k)
		if prefix != "" {
			key = prefix + "." + key
		}
		if sub, ok := val.(map[string]any); ok && len(sub) > 0 {
			setDefaults(v, key, sub)
			continue
		}
		if sub, ok := toMap(val); ok && len(sub) > 0 {
			setDefaults(v, key, sub)
			continue
		}
		v.SetDefault(key, val)
	}
}

func toMap(val any) (map[string]any, bool) {
	switch x := val.(type) {
	case map[string]FormConfig, map[string]string, PrivacyConfig, OfficeConfig, CalendarConfig, RulesConfig, MailConfig, GoogleConfig, ScheduleConfig, LogConfig, FormConfig, ReportConfig, IndicatorConfig, ArchiveConfig, TRDConfig:
		var m map[string]any
		if err := mapstructure.Decode(x, &m); err != nil {
			return nil, false
		}
		return m, true
	}
	return nil, false
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
		if !knownForm(name) {
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

func knownForm(name string) bool {
	for _, f := range procedure.Forms {
		if string(f) == name {
			return true
		}
	}
	return false
}

// settings turns the rules into the procedure's settings.
func (c Config) settings() procedure.Settings {
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

// questions returns each form's question titles by field.
func (c Config) questions() map[procedure.Form]map[procedure.Field]string {
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

// workerConfig is the part of Config a cycle needs.
func (c Config) workerConfig(formIDs map[procedure.Form]string) worker.Config {
	h, _ := calendar.OfficeHours(c.Calendar.Hours)
	h.HolidaysAsWeekend = procedure.Profile(c.Profile) == procedure.SCJBogota
	qs := c.questions()
	forms := map[procedure.Form]worker.Form{}
	for _, f := range procedure.Forms {
		id := formIDs[f]
		if fc, ok := c.Forms[string(f)]; ok && fc.ID != "" {
			id = fc.ID
		}
		forms[f] = worker.Form{ID: id, Questions: qs[f]}
	}
	o := c.Office
	return worker.Config{
		Settings: c.settings(), Hours: h, Forms: forms,
		Office:     notify.Office{Name: o.Name, SenderName: o.SenderName, SenderAddress: o.SenderAddress, Signature: o.Signature, SurveyURL: o.SurveyURL, WorkbookURL: o.WorkbookURL},
		DailyLimit: c.Mail.DailyLimit, VerifySent: c.Mail.VerifySent, MaxAttempts: c.Mail.MaxAttempts, Digest: c.Mail.Digest,
		Intake: c.Mail.Intake, IntakeService: c.Mail.IntakeService,
		Hold:        worker.HoldPolicy{Kinds: c.Mail.HeldKinds, Critical: c.Mail.CriticalServices},
		ArchiveFrom: c.Archive.from(), ArchiveAuto: c.Archive.Auto,
		ReadPage: worker.DefaultReadPage,
	}
}

func (c Config) google() backend.Google {
	forms := map[procedure.Form]string{}
	for name, fc := range c.Forms {
		forms[procedure.Form(name)] = fc.ID
	}
	g := c.Google
	return backend.Google{Auth: g.Auth, Credentials: g.Credentials, Token: g.Token, Subject: g.Subject,
		Spreadsheet: g.Spreadsheet, Forms: forms, Folder: g.Folder, VerifySent: c.Mail.VerifySent, Intake: c.Mail.Intake, TrashSent: c.Privacy.TrashSent}
}
