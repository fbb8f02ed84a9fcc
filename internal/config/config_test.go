package config

import (
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
)

// The "día hábil" of an SLA is a Monday's office hours (calendar.hours), so
// an office that changes its hours changes its SLA budget with them.
func TestDayLengthFollowsTheHours(t *testing.T) {
	for _, c := range []struct {
		name    string
		profile procedure.Profile
		hours   string
		want    time.Duration
	}{
		{"funza default", procedure.Funza, "", 9 * time.Hour},
		{"scj-bogota default (PD-GT-1)", procedure.SCJBogota, "", 12 * time.Hour},
		{"hours with a lunch break", procedure.Funza, "lun-vie 08:00-12:00, 14:00-18:00", 8 * time.Hour},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := Defaults(c.profile)
			if c.hours != "" {
				cfg.Calendar.Hours = c.hours
			}
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := cfg.Worker(nil).Settings.DayLength; got != c.want {
				t.Errorf("day length %v, want %v", got, c.want)
			}
		})
	}
}

// Every form's id comes from forms.<form>.id when set, else from the
// workspace (the local backend's own forms), in the worker's configuration
// as in what setup, doctor and privacy read.
func TestFormIDs(t *testing.T) {
	cfg := Defaults(procedure.Funza)
	cfg.Forms[string(procedure.Encuestas)] = Form{ID: "configured"}
	known := map[procedure.Form]string{procedure.Solicitudes: "local-solicitudes", procedure.Encuestas: "local-encuestas"}
	ids := cfg.FormIDs(known)
	w := cfg.Worker(known)
	for f, want := range map[procedure.Form]string{procedure.Solicitudes: "local-solicitudes", procedure.Encuestas: "configured", procedure.Respuestas: ""} {
		if ids[f] != want || w.Forms[f].ID != want {
			t.Errorf("%s: FormIDs %q, worker %q; want %q", f, ids[f], w.Forms[f].ID, want)
		}
	}
}
