package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadConfig feeds arbitrary YAML and one arbitrary MESA_ variable to
// the configuration loader: it never panics, every refusal is a usage error
// (exit code 2), and what it accepts validates.
func FuzzLoadConfig(f *testing.F) {
	f.Add([]byte("profile: scj-bogota\noffice:\n  name: Secretaría\n  sender_address: mesa@scj.gov.co\n"), "MESA_MAIL_DAILY_LIMIT", "100")
	f.Add([]byte("backend: google\ngoogle:\n  spreadsheet: abc\n"), "MESA_PROFILE", "funza")
	f.Add([]byte("rules:\n  wait_days: -1\n  default_sla: ocho horas\n"), "MESA_RULES_WAIT_DAYS", "x")
	f.Add([]byte("forms:\n  solicitudes:\n    id: 1FAIpQL\n    questions:\n      descripcion: ¿Qué pasa?\n  otra: {}\n"), "MESA_FORMS", "")
	f.Add([]byte("calendar:\n  hours: \"lun-vie 25:00-17:00\"\n"), "MESA_CALENDAR_HOURS", "sáb 08:00-12:00")
	f.Add([]byte("mail: [1, 2\n"), "MESA_LOG_LEVEL", "verbose")
	f.Add([]byte("&a [*a]"), "MESA_", "")
	f.Add([]byte("office: !!binary aGVsbG8=\nlog: {format: json, level: debug}\n"), "MESA_OFFICE_SENDER_ADDRESS", "\"Mesa\" <m@x.co>")
	f.Add([]byte("schedule:\n  sync: '*/5 * * * *'\nrules: {non_building_services: Redes}\n"), "MESA_RULES_NON_BUILDING_SERVICES", "Redes;Telefonía")
	f.Fuzz(func(t *testing.T, yaml []byte, key, val string) {
		dir := t.TempDir()
		file := filepath.Join(dir, "mesa.yaml")
		if err := os.WriteFile(file, yaml, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := loadConfig(file, []string{key + "=" + val})
		if err != nil {
			if !errors.Is(err, errUsage) {
				t.Fatalf("loadConfig: %v: not a usage error (exit code 2)", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("loadConfig accepted a configuration that does not validate: %v", err)
		}
		_ = c.Worker(nil)
		_ = c.Settings()
	})
}
