package procedure

import (
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/calendar"
)

// A fault in mesa while applying one response (a panic) stops only that
// response: it goes to Rechazos with a Spanish reason, the failure is
// reported without the answers, and the next response is applied. What the
// response had decided before the fault stands (events are facts).
func TestOneResponseFaultStopsOnlyThatResponse(t *testing.T) {
	loc := calendar.Bogota()
	hours, err := calendar.OfficeHours(calendar.FunzaHours)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 16, 9, 0, 0, 0, loc)
	req := func(id, desc string) Response {
		return Response{Form: Solicitudes, ID: id, Submitted: at, Email: "jose.nunez@funza-cundinamarca.gov.co",
			Answers: map[Field]string{FName: "José Núñez", FBuilding: "Palacio Municipal", FService: "Soporte", FDescription: desc}}
	}
	eng := &Engine{Cal: calendar.New(loc, nil, hours), Set: DefaultSettings(Funza)}
	f := eng.newFold(Inputs{Now: at})

	//lint:ignore SA5000 the nil-map panic is the fault under test
	f.alone(req("r1", "secreto: la clave es 1234"), func(Response) { var m map[string]int; m["x"]++ })
	f.alone(req("r2", "no enciende"), func(r Response) { f.register(r); panic("after registering") })
	f.alone(req("r3", "no imprime"), f.decide)
	f.book.finish()

	if len(f.failures) != 2 || f.failures[0].Response != "r1" || f.failures[1].Response != "r2" {
		t.Fatalf("failures = %+v", f.failures)
	}
	for _, fl := range f.failures {
		if strings.Contains(fl.Err, "1234") || strings.Contains(fl.Err, "after registering") {
			t.Errorf("the failure quotes the panic's value: %q", fl.Err)
		}
	}
	rej := f.book.Rejections()
	if len(rej) != 1 || rej[0].Response != "r1" || rej[0].Data.Reason != InternalErrorReason {
		t.Errorf("rejections = %+v, want r1 with the internal-error reason", rej)
	}
	if c := f.book.Case(1); c == nil || c.Description != "no enciende" {
		t.Errorf("what r2 decided before the fault does not stand: %+v", c)
	}
	if c := f.book.Case(2); c == nil || c.Description != "no imprime" {
		t.Errorf("the response after the faults was not numbered 2: %+v", c)
	}
}
