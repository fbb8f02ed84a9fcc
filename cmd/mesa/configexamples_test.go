package main

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/config"
	"github.com/funza-tic/mesa/internal/procedure"
)

// The example configurations in config/ load and validate.
func TestConfigExamples(t *testing.T) {
	creds := filepath.Join("..", "..", "credentials.example", "service-account.json")
	for _, name := range []string{"funza.yaml", "scj-bogota.yaml", "google.yaml"} {
		t.Run(name, func(t *testing.T) {
			cfg, err := loadConfig(filepath.Join("..", "..", "config", name), []string{"MESA_GOOGLE_CREDENTIALS=" + creds})
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Server.ShutdownGrace != 25*time.Second || !cfg.Lease.Enabled || cfg.Lease.TTL != 10*time.Minute {
				t.Errorf("server/lease defaults lost: %+v %+v", cfg.Server, cfg.Lease)
			}
		})
	}
	cfg, err := loadConfig("", []string{"MESA_LEASE_TTL=15m", "MESA_SERVER_HEALTH_MISSES=5"})
	if err != nil || cfg.Lease.TTL != 15*time.Minute || cfg.Server.HealthMisses != 5 || cfg.Server.Listen != ":8080" {
		t.Errorf("environment overrides: %+v %+v %v", cfg.Server, cfg.Lease, err)
	}
}

// With no file and no variables the binary runs on config.Defaults, the
// configuration the demo and the chaos harness build their workers from
// (internal/chaos.OfficeConfig): the worker's configuration is built by
// one function, config.Config.Worker, from the same values.
func TestNoFileIsDefaults(t *testing.T) {
	for _, p := range []procedure.Profile{procedure.Funza, procedure.SCJBogota} {
		t.Run(string(p), func(t *testing.T) {
			got, err := loadConfig("", []string{"MESA_PROFILE=" + string(p)})
			if err != nil {
				t.Fatal(err)
			}
			ids := map[procedure.Form]string{procedure.Solicitudes: "form-solicitudes"}
			if want := config.Defaults(p); !reflect.DeepEqual(got.Worker(ids), want.Worker(ids)) {
				t.Errorf("worker config of `mesa` with no file:\n got %+v\nwant %+v", got.Worker(ids), want.Worker(ids))
			}
		})
	}
}
