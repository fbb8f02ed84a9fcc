package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 14: "Unknown keys in the file must be exit 2 with the key and the
// nearest valid one, as unknown MESA_ variables already are."
func TestUnknownConfigKeys(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"profle: scj-bogota\n", `unknown key "profle" (did you mean "profile"?)`},
		{"rules: {wait_dayz: 5}\n", `unknown key "rules.wait_dayz" (did you mean "rules.wait_days"?)`},
		{"office:\n  sender_adress: a@b.co\n", `unknown key "office.sender_adress" (did you mean "office.sender_address"?)`},
		{"forms:\n  solicitud: {id: x}\n", `unknown key "forms.solicitud" (did you mean "forms.solicitudes"?)`},
		{"forms:\n  solicitudes:\n    questions: {descripcoin: Detalle}\n", `unknown key "forms.solicitudes.questions.descripcoin" (did you mean "forms.solicitudes.questions.descripcion"?)`},
		{"lease: {ttl: 15m, settel: 2s}\n", `unknown key "lease.settel" (did you mean "lease.settle"?)`},
	} {
		file := filepath.Join(t.TempDir(), "mesa.yaml")
		if err := os.WriteFile(file, []byte(c.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := run(t, nil, "--config", file, "--data", t.TempDir(), "doctor")
		if exitCode(err) != 2 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: exit %d, %v; want 2 with %s", c.yaml, exitCode(err), err, c.want)
		}
	}
	_, _, err := run(t, []string{"MESA_PROFLE=funza"}, "--data", t.TempDir(), "doctor")
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "did you mean MESA_PROFILE?") {
		t.Errorf("MESA_PROFLE: exit %d, %v", exitCode(err), err)
	}
}
