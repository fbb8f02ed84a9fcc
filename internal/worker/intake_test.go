package worker_test

import (
	"encoding/base64"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/worker"
)

// intakeEnv is a local workspace with e-mail intake on.
func intakeEnv(t *testing.T) *env {
	e := newEnv(t)
	e.w.Config.Intake = true
	return e
}

// deliver stands in for a person e-mailing the help-desk mailbox.
func (e *env) deliver(raw string, at time.Time) string {
	e.t.Helper()
	id, err := e.ws.Fake.Deliver([]byte(strings.ReplaceAll(raw, "\n", "\r\n")), at)
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

const spanishMail = `From: =?UTF-8?Q?Mar=C3=ADa_Jos=C3=A9_G=C3=B3mez?= <Maria.Gomez@funza-cundinamarca.gov.co>
To: Mesa de Ayuda TIC <mesadeayuda@funza-cundinamarca.gov.co>
Subject: =?UTF-8?Q?La_impresora_no_enciende_en_Secretar=C3=ADa_de_Hacie?=
 =?UTF-8?Q?nda?=
Message-ID: <CAF1234@mail.gmail.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

Buenos d=C3=ADas, la impresora del segundo piso no enciende desde ayer. Ya =
revis=C3=A9 el cable.

Quedo atenta.

--=20
Mar=C3=ADa Jos=C3=A9 G=C3=B3mez
Secretar=C3=ADa de Hacienda

El lun, 16 mar 2026 a las 8:00, Otro <otro@funza-cundinamarca.gov.co> escribi=C3=B3:
> un mensaje anterior
`

// A Spanish e-mail becomes a case: the sender is the requester, the
// subject and the body (without signature and quoted reply) the
// description, and the acknowledgement with the case number goes to the
// sender once. A second sync does nothing.
func TestIntakeMailBecomesCase(t *testing.T) {
	e := intakeEnv(t)
	e.deliver(spanishMail, bogota("2026-03-16 09:00"))

	rep := e.cycle(bogota("2026-03-16 09:05"))
	if rep.NewCases != 1 || rep.Applied != 1 {
		t.Fatalf("first sync: %+v", rep)
	}
	c, ok := e.casos()["1"]
	if !ok {
		t.Fatalf("no case 1: %v", e.casos())
	}
	want := map[string]string{
		"Solicitante":      "María José Gómez",
		"Correo":           "maria.gomez@funza-cundinamarca.gov.co",
		"Tipo de servicio": worker.DefaultIntakeService,
		"Descripción": "La impresora no enciende en Secretaría de Hacienda\n\n" +
			"Buenos días, la impresora del segundo piso no enciende desde ayer. Ya revisé el cable.\n\nQuedo atenta.",
		"Agente asignado": "Sin asignar",
	}
	for col, v := range want {
		if got := c.Get(col); got != v {
			t.Errorf("%s = %q, want %q", col, got, v)
		}
	}
	acks := 0
	for _, m := range e.sent() {
		if m.To == "maria.gomez@funza-cundinamarca.gov.co" {
			if m.Kind != "acuse" || !strings.Contains(m.Subject, "Caso 1 ") {
				t.Errorf("mail to the sender: kind %q subject %q", m.Kind, m.Subject)
			}
			acks++
		}
	}
	if acks != 1 {
		t.Errorf("%d mails to the sender, want one acknowledgement", acks)
	}

	sent := len(e.ws.Fake.SentMail())
	rep = e.cycle(bogota("2026-03-16 09:10"))
	if rep.NewCases != 0 || rep.Applied != 0 || rep.Events != 0 || len(e.ws.Fake.SentMail()) != sent {
		t.Errorf("second sync: %+v, sent %d → %d", rep, sent, len(e.ws.Fake.SentMail()))
	}
}

// Mail that mesa sent, auto-replies, bulk mail and bounces are not
// requests: only the person's message opens a case.
func TestIntakeSkipsMesaAndAutomaticMail(t *testing.T) {
	e := intakeEnv(t)
	at := bogota("2026-03-16 09:00")
	for i, raw := range []string{
		"From: Mesa <otra.mesa@funza-cundinamarca.gov.co>\nTo: mesadeayuda@funza-cundinamarca.gov.co\nX-Mesa-Notificacion: n-1\nSubject: [Mesa de Ayuda TIC] Caso 9 registrado\n\nSu caso 9\n",
		"From: Ana <ana@funza-cundinamarca.gov.co>\nTo: mesadeayuda@funza-cundinamarca.gov.co\nAuto-Submitted: auto-replied\nSubject: Respuesta automática: Caso 9\n\nEstoy de vacaciones\n",
		"From: Boletín <boletin@ejemplo.com>\nTo: mesadeayuda@funza-cundinamarca.gov.co\nPrecedence: bulk\nSubject: Ofertas\n\nCompre\n",
		"From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nTo: mesadeayuda@funza-cundinamarca.gov.co\nSubject: Delivery Status Notification (Failure)\n\nNo se entregó\n",
		"From: Mesa de Ayuda TIC <mesadeayuda@funza-cundinamarca.gov.co>\nTo: mesadeayuda@funza-cundinamarca.gov.co\nSubject: nota\n\nnota interna\n",
		"From: Luis Peña <luis.pena@funza-cundinamarca.gov.co>\nTo: mesadeayuda@funza-cundinamarca.gov.co\nAuto-Submitted: no\nSubject: Sin internet\n\nNo tengo red en el piso 3.\n",
	} {
		e.deliver(raw, at.Add(time.Duration(i)*time.Minute))
	}
	rep := e.cycle(bogota("2026-03-16 09:30"))
	cs := e.casos()
	if rep.NewCases != 1 || rep.Rejected != 0 || len(cs) != 1 || cs["1"].Get("Correo") != "luis.pena@funza-cundinamarca.gov.co" {
		t.Fatalf("cycle %+v, cases %v", rep, cs)
	}
	for _, m := range e.sent() {
		if m.To != "luis.pena@funza-cundinamarca.gov.co" {
			t.Errorf("mail to %s (%s): only the person who wrote hears back", m.To, m.Kind)
		}
	}
}

// With intake off (the default) the inbox is not even listed.
func TestIntakeOffReadsNoMail(t *testing.T) {
	e := newEnv(t)
	e.deliver(spanishMail, bogota("2026-03-16 09:00"))
	e.ws.Fake.ResetCalls()
	rep := e.cycle(bogota("2026-03-16 09:05"))
	calls := e.ws.Fake.Calls()
	if rep.NewCases != 0 || calls["gmail.messages.list"] != 0 || calls["gmail.messages.get"] != 0 {
		t.Errorf("intake off: %+v, calls %v", rep, calls)
	}
}

// An HTML-only message (base64, ISO-8859-1) gets a readable description.
func TestIntakeHTMLOnly(t *testing.T) {
	e := intakeEnv(t)
	// "<p>Hola,</p><p>No tengo acceso a la carpeta <b>compartida</b> &amp; tampoco al correo.</p><p>Gracias, Sofía</p>"
	// with a style sheet, in ISO-8859-1 (í is 0xED).
	html := "<html><head><style>p{color:red}</style><title>x</title></head><body><p>Hola,</p>" +
		"<p>No tengo acceso a la carpeta <b>compartida</b> &amp; tampoco\n al correo.</p><p>Gracias, Sof\xeda</p></body></html>"
	raw := "From: Sofia <sofia@funza-cundinamarca.gov.co>\nTo: mesadeayuda@funza-cundinamarca.gov.co\n" +
		"Subject: =?ISO-8859-1?Q?Carpeta_compartida_sin_acceso?=\nMIME-Version: 1.0\n" +
		"Content-Type: text/html; charset=ISO-8859-1\nContent-Transfer-Encoding: base64\n\n" + wrap(b64(html)) + "\n"
	e.deliver(raw, bogota("2026-03-16 10:00"))
	e.cycle(bogota("2026-03-16 10:05"))
	got := e.casos()["1"].Get("Descripción")
	want := "Carpeta compartida sin acceso\n\nHola,\n\nNo tengo acceso a la carpeta compartida & tampoco al correo.\n\nGracias, Sofía"
	if got != want {
		t.Errorf("description = %q, want %q", got, want)
	}
}

// An idle cycle with intake on lists the inbox once; an auto-reply costs
// one read and then nothing, a new request makes the cycle busy.
func TestIntakeIdle(t *testing.T) {
	e := intakeEnv(t)
	e.w.SpreadsheetID, e.w.Changes = e.ws.Sheets.ID(), e.ws.Drive
	e.w.Watch = worker.FileWatch(filepath.Join(t.TempDir(), "watch.json"))
	e.deliver(spanishMail, bogota("2026-03-16 09:00"))
	e.cycle(bogota("2026-03-16 09:05"))
	e.confirm(bogota("2026-03-16 09:07"))

	e.ws.Fake.ResetCalls()
	if rep := e.cycle(bogota("2026-03-16 09:10")); !rep.Idle {
		t.Fatalf("cycle after intake was not idle: %+v", rep)
	}
	if calls := e.ws.Fake.Calls(); calls["gmail.messages.list"] != 1 || calls["gmail.messages.get"] != 0 {
		t.Errorf("idle cycle calls: %v", calls)
	}

	e.deliver("From: Ana <ana@funza-cundinamarca.gov.co>\nTo: mesadeayuda@funza-cundinamarca.gov.co\nAuto-Submitted: auto-replied\nSubject: Fuera de la oficina\n\nVuelvo el lunes\n", bogota("2026-03-16 09:12"))
	for i, want := range []int{1, 0} {
		e.ws.Fake.ResetCalls()
		if rep := e.cycle(bogota("2026-03-16 09:15").Add(time.Duration(i) * time.Minute)); !rep.Idle {
			t.Errorf("cycle %d after an auto-reply was not idle: %+v", i, rep)
		}
		if got := e.ws.Fake.Calls()["gmail.messages.get"]; got != want {
			t.Errorf("cycle %d after an auto-reply read %d messages, want %d", i, got, want)
		}
	}

	e.deliver("From: Luis <luis@funza-cundinamarca.gov.co>\nTo: mesadeayuda@funza-cundinamarca.gov.co\nSubject: Sin red\n\nNo tengo red\n", bogota("2026-03-16 09:20"))
	if rep := e.cycle(bogota("2026-03-16 09:25")); rep.Idle || rep.NewCases != 1 {
		t.Errorf("cycle after a new request: %+v", rep)
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// wrap breaks base64 into 76-character lines, as mail programs do.
func wrap(s string) string {
	var lines []string
	for len(s) > 76 {
		lines, s = append(lines, s[:76]), s[76:]
	}
	return strings.Join(append(lines, s), "\n")
}

// Loop guard: an auto-responder that answers every acknowledgement without
// saying it is automatic opens at most ten cases a day.
func TestIntakeLoopGuard(t *testing.T) {
	e := intakeEnv(t)
	for i := range 12 {
		e.deliver(fmt.Sprintf("From: robot@proveedor.com\nTo: mesadeayuda@funza-cundinamarca.gov.co\nSubject: Re: Caso %d registrado\n\nRecibido.\n", i),
			bogota("2026-03-16 09:00").Add(time.Duration(i)*time.Minute))
	}
	e.cycle(bogota("2026-03-16 10:00"))
	e.cycle(bogota("2026-03-16 10:05"))
	if n := len(e.casos()); n != 10 {
		t.Errorf("%d cases from one sender in an hour, want 10", n)
	}
}
