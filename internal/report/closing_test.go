package report

import (
	"strconv"
	"testing"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
)

// What closes a case, in the procedures' words (copied from
// ../procedures/, which the build does not read):
//
// Funza paso 5: "Si , el estado es Resuelto - Continua al paso 8 / No
// Resuelto - Continua al paso 8"; definición 7: "pasado ocho (08) días
// hábiles si el usuario no permite el desarrollo de actividades, se
// documenta y se cambia al estado Resuelto."
//
// PD-GT-1 decisión «¿El usuario remite información faltante?»: "Si:
// Regresa a actividad 1. No: Fin del procedimiento"; actividad 9
// (Solicitud no procedente): "Informar al usuario los motivos de la no
// procedencia de la solicitud realizada. Fin del procedimiento."; actividad
// 7: "En caso del que el usuario no conteste la encuesta, esta se dará por
// satisfactoria. Finaliza el procedimiento".
//
// So a case closed as «Información insuficiente» or «No procedente» is
// closed (procedure.State.Closed). The report used to replay the journal
// with its own state machine that counted only Resuelto and No Resuelto as
// closed: it showed those cases as open, left them out of Oportunidad and
// of Eficacia "cerrados", and counted them as open (and overdue) in the
// HTML report. The report now reads the procedure's own state at the cut,
// so the two cannot disagree; the scj-bogota figures below are the ones
// the procedure gives (the old replay gave Eficacia "cerrados" 3/7 and an
// Oportunidad denominator of 3).

// TestReportClosesAsTheProcedure checks, for both profiles, that the
// report's closed and resolved counts are the procedure's states at the
// cut: the indicators' populations, and the Looker row of every case.
func TestReportClosesAsTheProcedure(t *testing.T) {
	type wantCase struct {
		state    procedure.State
		resolved bool // closed as Resuelto (by the agent or F-5c), also when the survey then closed it
	}
	tests := []struct {
		name  string
		build func(t *testing.T) *scenario
		want  map[int]wantCase
		// The month's figures: Eficacia and Oportunidad with each formula.
		registered, closed, resolved int
	}{
		{
			name: "funza",
			build: func(t *testing.T) *scenario {
				s := funzaMarch(t)
				s.responses, s.seq = nil, 0
				s.request("2026-03-02 08:00", 0, "Impresoras", "No imprime")
				s.answer("2026-03-02 10:00", bruno, 1, "Resuelto", nil)
				s.request("2026-03-03 08:00", 1, "Impresoras", "Atasco de papel")
				s.answer("2026-03-03 10:00", ana, 2, "No Resuelto", kv{procedure.FConcept: "Fusor dañado; equipo no operativo"})
				// PD-GT-1's states are not Funza's: the answer is rejected
				// and the case stays open.
				s.request("2026-03-04 08:00", 2, "Impresoras", "Sin tóner")
				s.answer("2026-03-04 10:00", ana, 3, "Información insuficiente", nil)
				s.request("2026-03-05 08:00", 3, "Equipos de cómputo", "No enciende")
				s.answer("2026-03-05 10:00", bruno, 4, "En Espera", kv{procedure.FWaitReason: procedure.WaitAvailability, procedure.FVisitDate: "06/03/2026"})
				s.request("2026-03-09 08:00", 4, "Impresoras", "La impresora no aparece en red")
				return s
			},
			want: map[int]wantCase{
				1: {procedure.Resuelto, true},
				2: {procedure.NoResuelto, false},
				3: {procedure.Abierto, false},
				4: {procedure.Resuelto, true}, // F-5c
				5: {procedure.Abierto, false},
			},
			registered: 5, closed: 3, resolved: 2,
		},
		{
			name: "scj-bogota",
			build: func(t *testing.T) *scenario {
				s := scjMarch(t)
				s.responses, s.seq = nil, 0
				s.request("2026-03-02 08:00", 0, "Soporte", "Sin correo")
				s.answer("2026-03-02 10:00", ruiz, 1, "Resuelto", nil)
				s.request("2026-03-03 08:00", 1, "Soporte", "Equipo lento")
				s.answer("2026-03-03 10:00", ruiz, 2, "No Resuelto", kv{procedure.FConcept: "Disco dañado; equipo no operativo"})
				s.request("2026-03-04 08:00", 2, "Soporte", "Ayuda")
				s.answer("2026-03-04 09:00", ruiz, 3, "Información insuficiente", nil)
				s.request("2026-03-05 08:00", 0, "Soporte", "Instalar un juego")
				s.answer("2026-03-05 09:00", ruiz, 4, "No procedente", nil)
				s.request("2026-03-06 08:00", 1, "Soporte", "Falla del proveedor")
				s.answer("2026-03-06 10:00", ruiz, 5, "En Espera", kv{procedure.FWaitReason: procedure.WaitEscalation})
				s.request("2026-03-09 08:00", 2, "Soporte", "No imprime")
				s.request("2026-03-10 08:00", 0, "Soporte", "Sin red")
				s.answer("2026-03-10 10:00", ruiz, 7, "Resuelto", nil)
				s.survey("2026-03-11 09:00", 0, 7, 5, "Gracias")
				return s
			},
			want: map[int]wantCase{
				1: {procedure.Cerrado, true},  // survey unanswered: closed as satisfactory
				2: {procedure.Cerrado, false}, // survey unanswered after No Resuelto
				3: {procedure.InfoInsuficiente, false},
				4: {procedure.NoProcedente, false},
				5: {procedure.EnEspera, false},
				6: {procedure.Abierto, false},
				7: {procedure.Cerrado, true}, // satisfied survey
			},
			registered: 7, closed: 5, resolved: 2,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.build(t)
			book := s.fold(endOfMarch)

			// The procedure's states, as the Casos tab shows them.
			closed, resolved := 0, 0
			for _, c := range book.Cases() {
				w, ok := tc.want[c.Number]
				if !ok || c.State != w.state {
					t.Fatalf("case %d is %q in the procedure, want %q", c.Number, c.State, w.state)
				}
				if c.State.Closed() {
					closed++
				}
				if w.resolved {
					resolved++
				}
			}
			if len(book.Cases()) != tc.registered || closed != tc.closed || resolved != tc.resolved {
				t.Fatalf("procedure: %d cases, %d closed, %d resolved; want %d, %d, %d",
					len(book.Cases()), closed, resolved, tc.registered, tc.closed, tc.resolved)
			}

			// The report at the same cut, with each formula.
			for _, f := range []string{FormulaClosed, FormulaResolved} {
				o := DefaultOptionsFor(s.eng.Set.Profile)
				o.Timeliness.Formula, o.Efficacy.Formula = f, f
				r := Compute(book, march, endOfMarch, bogota, o, s.eng.Set, "Oficina")
				num := map[string]int{FormulaClosed: closed, FormulaResolved: resolved}[f]
				for _, x := range r.Totals() {
					switch {
					case x.Key == "eficacia" && (x.Num != num || x.Den != tc.registered):
						t.Errorf("%s: Eficacia (%s) = %d/%d, want %d/%d: the procedure's states", tc.name, f, x.Num, x.Den, num, tc.registered)
					case x.Key == "oportunidad" && x.Den != num:
						t.Errorf("%s: Oportunidad (%s) counts %d cases, want %d: the procedure's states", tc.name, f, x.Den, num)
					}
				}
				if f == FormulaClosed && r.Trend[len(r.Trend)-1].Closed != closed {
					t.Errorf("%s: the trend counts %d closed cases, want %d", tc.name, r.Trend[len(r.Trend)-1].Closed, closed)
				}
			}

			// Every Looker row says what the procedure says of its case.
			r := Compute(book, march, endOfMarch, bogota, DefaultOptionsFor(s.eng.Set.Profile), s.eng.Set, "Oficina")
			estado, cerrado, resuelto := workbook.Looker.Index("estado"), workbook.Looker.Index("cerrado"), workbook.Looker.Index("resuelto")
			for _, row := range r.LookerRows() {
				n, _ := strconv.Atoi(row[0])
				w := tc.want[n]
				if row[estado] != string(w.state) || (row[cerrado] == "1") != w.state.Closed() || (row[resuelto] == "1") != w.resolved {
					t.Errorf("%s: Looker row of case %d says estado %q, cerrado %s, resuelto %s; the procedure says %q, closed %t, resolved %t",
						tc.name, n, row[estado], row[cerrado], row[resuelto], w.state, w.state.Closed(), w.resolved)
				}
			}
		})
	}
}
