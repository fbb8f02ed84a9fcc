package procedure_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	. "github.com/funza-tic/mesa/internal/procedure"
)

// docs/procedimientos.md walks both procedures step by step: every Funza
// paso (1 to 11) and every PD-GT-1 actividad (1 to 26) has its section,
// each section says how mesa applies it (a rule, not applicable to a
// program, or a design choice), and every rule of each profile is named in
// that profile's part.
func TestProcedimientosDocCoversEveryStep(t *testing.T) {
	b, err := os.ReadFile("../../docs/procedimientos.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	scjAt := strings.Index(doc, "## Perfil `scj-bogota`")
	if scjAt < 0 {
		t.Fatal("no scj-bogota part")
	}
	parts := map[Profile]string{Funza: doc[:scjAt], SCJBogota: doc[scjAt:]}
	sections := regexp.MustCompile(`(?m)^#### `).Split(doc, -1)[1:]
	bodies := map[string]string{}
	for _, s := range sections {
		title, body, _ := strings.Cut(s, "\n")
		bodies[strings.SplitN(title, " — ", 2)[0]] = body
	}
	var want []string
	for n := 1; n <= 11; n++ {
		want = append(want, fmt.Sprintf("Paso %d", n))
	}
	for n := 1; n <= 26; n++ {
		want = append(want, fmt.Sprintf("Actividad %d", n))
	}
	for _, w := range want {
		body, ok := bodies[w]
		if !ok {
			t.Errorf("docs/procedimientos.md has no section «%s»", w)
			continue
		}
		if !regexp.MustCompile(`Regla [A-Z]-|No aplica al programa|Decisión de diseño|Implementado por`).MatchString(body) {
			t.Errorf("section «%s» does not say how mesa applies it:\n%s", w, body)
		}
	}
	for p, part := range parts {
		for _, r := range ProcedureOf(p).Rules() {
			if !strings.Contains(part, string(r)) {
				t.Errorf("the %s part does not name rule %s", p, r)
			}
		}
	}
	if strings.Contains(parts[SCJBogota], "Regla F-5c") {
		t.Error("the scj-bogota part applies F-5c")
	}
}
