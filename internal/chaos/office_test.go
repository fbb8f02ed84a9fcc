package chaos

import (
	"reflect"
	"testing"

	"github.com/funza-tic/mesa/internal/config"
	"github.com/funza-tic/mesa/internal/procedure"
)

// TestOfficeConfigIsMesas checks that the workers of the harness are
// configured by the builder the binary uses (config.Config.Worker), from
// mesa's built-in defaults changed only where OfficeConfig says why.
func TestOfficeConfigIsMesas(t *testing.T) {
	c := OfficeConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("the harness's configuration does not validate as a file would: %v", err)
	}
	def := config.Defaults(procedure.Funza)
	undo := c
	undo.Office.SurveyURL = def.Office.SurveyURL
	undo.Mail.Digest = def.Mail.Digest
	undo.Mail.HeldKinds = def.Mail.HeldKinds
	undo.Archive.ProposeFrom = def.Archive.ProposeFrom
	if !reflect.DeepEqual(undo, def) {
		t.Errorf("OfficeConfig differs from config.Defaults in more than its documented changes:\n got %+v\nwant %+v", undo, def)
	}
	ids := map[procedure.Form]string{procedure.Solicitudes: "form-solicitudes", procedure.Encuestas: "form-encuestas"}
	if got, want := WorkerConfig(ids), c.Worker(ids); !reflect.DeepEqual(got, want) {
		t.Errorf("WorkerConfig is not OfficeConfig().Worker:\n got %+v\nwant %+v", got, want)
	}
	w := WorkerConfig(ids)
	if w.Digest != "" || len(w.Hold.Kinds) != 0 || w.ArchiveFrom != 0 || w.Office.SurveyURL == "" {
		t.Errorf("worker config: digest %q, held %v, archive from %v, survey link %q", w.Digest, w.Hold.Kinds, w.ArchiveFrom, w.Office.SurveyURL)
	}
	if w.Forms[procedure.Encuestas].ID != "form-encuestas" || w.Settings.DayLength == 0 {
		t.Errorf("worker config: encuestas form %q, day length %v", w.Forms[procedure.Encuestas].ID, w.Settings.DayLength)
	}
}
