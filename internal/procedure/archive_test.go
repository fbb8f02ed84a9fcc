package procedure_test

import (
	"testing"

	. "github.com/funza-tic/mesa/internal/procedure"
)

// Settled is the archive's question: can a rule still change the case?
// scj-bogota case 1 is resolved on Wed 18 March 2026 10:00; its survey is
// open until Tue 24 (scjSolved).
func TestSettledSCJ(t *testing.T) {
	tests := []struct {
		name string
		// PD-GT-1 sentence the row checks.
		rule  string
		extra []Response
		at    string
		want  bool
	}{
		{"survey still open", "políticas de operación: «la cual estará disponible para que el usuario la diligencie hasta en un máximo de 3 días hábiles»",
			nil, "2026-03-20 12:00", false},
		{"unanswered survey closed it, within the Problema window", "definición: «PROBLEMA: Categorización de un caso si ha sido reportado como mínimo 20 veces» (counted within rules.problem_window_days)",
			nil, "2026-03-26 12:00", false},
		{"unanswered survey closed it, past the Problema window", "políticas de operación: «en caso de no realizarlo la herramienta procederá con el cierre automático del caso clasificándolo como satisfactorio»",
			nil, "2026-05-04 12:00", true},
		{"unsatisfied survey waits for the Coordinador", "políticas de operación: «el Coordinador de Mesa de Servicio deberá evaluar el servicio prestado y ... re-aperturar el caso o justificar al usuario»",
			[]Response{enc("2026-03-19 09:00", "1", "2")}, "2026-05-04 12:00", false},
		{"the Coordinador justified it", "«... o justificar al usuario el procedimiento realizado»: nothing reopens it after that",
			[]Response{enc("2026-03-19 09:00", "1", "2"), rev("2026-03-20 09:00", "olga@mesa.test", "1", "Justificar")}, "2026-05-04 12:00", true},
		{"the Coordinador reopened it", "actividad «Reabrir caso»: «Reapertura del caso para que se le dé la gestión adecuada en una segunda instancia»",
			[]Response{enc("2026-03-19 09:00", "1", "2"), rev("2026-03-20 09:00", "olga@mesa.test", "1", "Reabrir")}, "2026-05-04 12:00", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := scjSolved(t)
			res := d.cycle(tc.at, tc.extra...)
			c := res.Case(1)
			if got := res.Book.Settled(c, at(tc.at), bogota, d.eng.Set); got != tc.want {
				t.Errorf("%s (%s): settled = %v, want %v; state %s", tc.name, tc.rule, got, tc.want, c.State)
			}
			if got := len(res.Book.Archivable(2026, at(tc.at), bogota, d.eng.Set)) == 1; got != tc.want {
				t.Errorf("Archivable(2026) lists case 1: %v, want %v", got, tc.want)
			}
		})
	}
}

// An archived case's number is never given again, its responses are never
// applied again, and an answer to it hears where it went.
func TestArchivedSnapshot(t *testing.T) {
	d := scjSolved(t)
	res := d.cycle("2026-05-04 12:00")
	ev, err := ArchiveEvent(res.Book, 1, "Mesa — Archivo 2026", at("2026-05-04 12:00"))
	if err != nil {
		t.Fatal(err)
	}
	// The live journal after archiving: case 1's events gone, its snapshot kept.
	d.journal = []Event{ev}
	d.responses = nil
	res = d.cycle("2026-05-05 12:00",
		req("a", "2026-03-17 08:00", nil), // case 1's own request, listed again by a reconcile
		req("b", "2026-05-05 08:00", nil),
		ans("2026-05-05 09:00", "hugo@mesa.test", "1", "Resuelto", nil))
	if res.Case(2) == nil || res.Case(1) != nil || len(res.Cases()) != 1 {
		t.Fatalf("cases after archiving: %v", numbers(res.Cases()))
	}
	if got := rejections(res.New); len(got) != 1 || got[0] != "El caso 1 está cerrado y archivado en «Mesa — Archivo 2026»: ya no admite respuestas." {
		t.Errorf("rejections: %q", got)
	}
}

// An archive run journaled case 1's snapshot and died before deleting its
// rows: the live journal holds both. The case takes no answer from the
// snapshot on, as after a finished run: Funza paso 8 sets the survey no
// window, and an answer applied to the still live rows would make them
// differ from the archive's copy, which the next run verifies them
// against.
func TestArchivedSnapshotBeforeTheDelete(t *testing.T) {
	d := newDesk(t, Funza)
	d.cycle("2026-03-17 09:00", req("a", "2026-03-17 08:00", nil))
	res := d.cycle("2026-03-18 11:00", ans("2026-03-18 10:00", "hugo@mesa.test", "1", "Resuelto", nil))
	ev, err := ArchiveEvent(res.Book, 1, "Mesa — Archivo 2026", at("2026-05-04 12:00"))
	if err != nil {
		t.Fatal(err)
	}
	d.journal = append(d.journal, ev)
	res = d.cycle("2026-05-05 12:00", enc("2026-05-05 09:00", "1", "5"))
	if got := rejections(res.New); len(got) != 1 || got[0] != "El caso 1 está cerrado y archivado en «Mesa — Archivo 2026»: ya no admite respuestas." {
		t.Errorf("rejections: %q", got)
	}
	if c := res.Case(1); c == nil {
		t.Error("case 1 is gone from the book while its events are live")
	} else if c.Rating != 0 {
		t.Errorf("case 1 took the survey answered after its snapshot: rating %d", c.Rating)
	}
}

func numbers(cs []*Case) []int {
	var out []int
	for _, c := range cs {
		out = append(out, c.Number)
	}
	return out
}
