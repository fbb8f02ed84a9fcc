package main

import (
	"path/filepath"
	"testing"
	"time"
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
