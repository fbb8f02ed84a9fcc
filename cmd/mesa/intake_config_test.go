package main

import (
	"testing"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/worker"
)

// E-mail intake is off by default; mail.intake turns it on for the worker
// and asks for the scope that reads the inbox.
func TestIntakeConfig(t *testing.T) {
	c, err := loadConfig("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if wc := c.Worker(map[procedure.Form]string{}); wc.Intake || c.GoogleBackend().Intake {
		t.Errorf("intake on by default")
	}
	c, err = loadConfig("", []string{"MESA_MAIL_INTAKE=true", "MESA_MAIL_VERIFY_SENT=false"})
	if err != nil {
		t.Fatal(err)
	}
	wc := c.Worker(map[procedure.Form]string{})
	if !wc.Intake || wc.IntakeService != worker.DefaultIntakeService || !c.GoogleBackend().Intake {
		t.Errorf("mail.intake: worker %v %q, google %+v", wc.Intake, wc.IntakeService, c.GoogleBackend())
	}
}
