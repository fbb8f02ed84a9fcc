package worker_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
	"github.com/funza-tic/mesa/internal/workspace"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// errCrash stands for the process dying: the cycle's context is cancelled
// and nothing after the crash point reaches the workspace.
var errCrash = errors.New("crash injected")

// crasher wraps every port of the worker and kills the cycle at operation
// `at` (1-based): before it reaches the workspace, or after the workspace
// applied it but before the reply arrived.
type crasher struct {
	sheet  worker.Sheet
	resp   worker.ResponseSource
	mail   worker.Mailer
	at     int
	after  bool
	cancel context.CancelFunc
	n      atomic.Int64
	ops    []string
	mu     sync.Mutex
}

func (c *crasher) step(ctx context.Context, name string, op func(context.Context) error) error {
	i := int(c.n.Add(1))
	c.mu.Lock()
	c.ops = append(c.ops, name)
	c.mu.Unlock()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if i != c.at {
		return op(ctx)
	}
	if c.after {
		_ = op(ctx)
	}
	c.cancel()
	return errCrash
}

func (c *crasher) Read(ctx context.Context, tabs []string) (v [][][]any, err error) {
	err = c.step(ctx, "sheets.read", func(ctx context.Context) (err error) { v, err = c.sheet.Read(ctx, tabs); return })
	return
}

func (c *crasher) Write(ctx context.Context, ups []workbook.Update) (n int, err error) {
	err = c.step(ctx, "sheets.write", func(ctx context.Context) (err error) { n, err = c.sheet.Write(ctx, ups); return })
	return
}

func (c *crasher) EnsureTabs(ctx context.Context, tabs []string) (v []string, err error) {
	err = c.step(ctx, "sheets.ensure", func(ctx context.Context) (err error) { v, err = c.sheet.EnsureTabs(ctx, tabs); return })
	return
}

func (c *crasher) Since(ctx context.Context, form string, after time.Time) (v []workspace.FormResponse, err error) {
	err = c.step(ctx, "forms.list", func(ctx context.Context) (err error) { v, err = c.resp.Since(ctx, form, after); return })
	return
}

func (c *crasher) Send(ctx context.Context, raw []byte) (id string, err error) {
	err = c.step(ctx, "gmail.send", func(ctx context.Context) (err error) { id, err = c.mail.Send(ctx, raw); return })
	return
}

func (c *crasher) Find(ctx context.Context, msgID string) (id string, ok bool, err error) {
	err = c.step(ctx, "gmail.find", func(ctx context.Context) (err error) { id, ok, err = c.mail.Find(ctx, msgID); return })
	return
}

// crashScenario is a small office day: three requests (one nobody covers)
// and a rejected one, so one cycle queues mail of several kinds.
func crashScenario(t *testing.T) *env {
	e := officeEnv(t)
	e.w.Config.ClaimSettle = 100 * time.Millisecond
	at := bogota("2026-03-17 08:00")
	e.answer(procedure.Solicitudes, "jose.nunez@funza-cundinamarca.gov.co", at, map[procedure.Field]string{
		procedure.FName: "José Núñez", procedure.FDependencia: "Secretaría de Hacienda", procedure.FBuilding: "Palacio Municipal",
		procedure.FService: "Impresoras y escáneres", procedure.FDescription: "La impresora no imprime"})
	e.answer(procedure.Solicitudes, "luis.mendez@funza-cundinamarca.gov.co", at.Add(time.Minute), map[procedure.Field]string{
		procedure.FName: "Luis Méndez", procedure.FDependencia: "Comisaría de Familia", procedure.FBuilding: "Comisaría de Familia",
		procedure.FService: "Soporte de software", procedure.FDescription: "No abre el programa"})
	e.answer(procedure.Solicitudes, "ines.rojas@funza-cundinamarca.gov.co", at.Add(2*time.Minute), map[procedure.Field]string{
		procedure.FName: "Inés Rojas", procedure.FDependencia: "Casa de la Cultura", procedure.FBuilding: "Casa de la Cultura",
		procedure.FService: "Redes", procedure.FDescription: "Sin internet"})
	return e
}

// runCrashing runs one cycle at now with a crash at operation at (0: none)
// and returns the operations it saw.
func runCrashing(e *env, now time.Time, at int, after bool) []string {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := *e.w
	c := &crasher{sheet: e.w.Sheet, resp: e.w.Responses, mail: e.w.Mail, at: at, after: after, cancel: cancel}
	w.Sheet, w.Responses, w.Mail = c, c, c
	_, err := w.Cycle(ctx, now, false)
	if at == 0 && err != nil {
		e.t.Fatalf("cycle without a crash failed: %v", err)
	}
	return c.ops
}

// settleErr reruns cycles (the next cron runs) until the outbox holds
// nothing to send or verify.
func (e *env) settleErr(now time.Time) error {
	for range 6 {
		now = now.Add(20 * time.Minute) // past claimStale: a dead cycle's claims are recovered
		if _, err := e.w.Cycle(context.Background(), now, false); err != nil {
			return fmt.Errorf("rerun at %s: %w", now, err)
		}
		if st := e.outboxStates(); st[worker.Pending]+st[worker.Sending] == 0 {
			return nil
		}
	}
	return fmt.Errorf("outbox still busy after 6 reruns: %v", e.outboxStates())
}

func (e *env) outboxStates() map[string]int {
	out := map[string]int{}
	for _, r := range e.tab(workbook.Notificaciones) {
		out[r.Get("Estado")]++
	}
	return out
}

// exactlyOnceErr checks that every row of Notificaciones is Enviado and
// went out exactly once, and that nothing else went out.
func (e *env) exactlyOnceErr() error {
	sent := map[string]int{}
	for _, m := range e.ws.Fake.SentMail() {
		sent[headerOf(m.Raw, notify.HeaderNotification)]++
	}
	rows := e.tab(workbook.Notificaciones)
	if len(rows) == 0 {
		return errors.New("no notifications queued")
	}
	var errs []error
	for _, r := range rows {
		id := r.Get("ID")
		if r.Get("Estado") != worker.Sent {
			errs = append(errs, fmt.Errorf("notification %s (%s) is %s: %s", id, r.Get("Tipo"), r.Get("Estado"), r.Get("Último error")))
		}
		if sent[id] != 1 {
			errs = append(errs, fmt.Errorf("notification %s (%s) went out %d times", id, r.Get("Tipo"), sent[id]))
		}
		delete(sent, id)
	}
	for id, n := range sent {
		errs = append(errs, fmt.Errorf("mail %q (×%d) has no outbox row", id, n))
	}
	return errors.Join(errs...)
}

func headerOf(raw []byte, name string) string {
	head, _, _ := strings.Cut(string(raw), "\r\n\r\n")
	for _, l := range strings.Split(head, "\r\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(k, name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Every crash point of a cycle that sends mail — before and after each call
// it makes (the claim write, each send whose reply is lost, the record
// write, ...) — followed by the next cron runs gives every notification
// exactly once. Crashing the recovery cycle too, at each of its calls,
// after a crash right after the claim, gives the same.
func TestOutboxExactlyOnceAcrossCrashes(t *testing.T) {
	now := bogota("2026-03-17 09:00")
	ops := runCrashing(crashScenario(t), now, 0, false)
	claim := 0 // the operation that writes the claim: the second write
	writes := 0
	for i, op := range ops {
		if op == "sheets.write" {
			if writes++; writes == 2 {
				claim = i + 1
			}
		}
	}
	t.Logf("a clean cycle makes %d calls: %s", len(ops), strings.Join(ops, " "))

	type crashCase struct {
		name  string
		crash func(e *env)
	}
	var cases []crashCase
	// Crashing before or after a read is the same crash: reads get one case.
	modes := func(op string) []bool {
		if op == "sheets.write" || op == "gmail.send" {
			return []bool{false, true}
		}
		return []bool{false}
	}
	for i, op := range ops {
		for _, after := range modes(op) {
			cases = append(cases, crashCase{fmt.Sprintf("%02d-%s-after=%v", i+1, op, after), func(e *env) { runCrashing(e, now, i+1, after) }})
		}
	}
	// A crash right after the claim, then the recovery cycle crashing at
	// each of its writes and sends, at its start and at its first lookup.
	e := crashScenario(t)
	runCrashing(e, now, claim, true)
	rec := runCrashing(e, now.Add(20*time.Minute), 0, false)
	firstFind := true
	for j, op := range rec {
		if op == "gmail.find" && firstFind {
			firstFind = false
		} else if j > 0 && len(modes(op)) == 1 {
			continue
		}
		for _, after := range modes(op) {
			cases = append(cases, crashCase{fmt.Sprintf("claim+recovery-%02d-%s-after=%v", j+1, op, after), func(e *env) {
				runCrashing(e, now, claim, true)
				runCrashing(e, now.Add(20*time.Minute), j+1, after)
			}})
		}
	}
	// Lost replies that do not kill the cycle: Gmail applies the send and
	// the reply fails (500, or the connection drops).
	for _, f := range []workspacefake.Fault{{AfterApply: true, Status: http.StatusInternalServerError}, {AfterApply: true, Reset: true}} {
		for n := 1; n <= 3; n++ {
			cases = append(cases, crashCase{fmt.Sprintf("lost-reply-send-%d-status=%d", n, f.Status), func(e *env) {
				e.ws.Fake.SetFault(nthCall("gmail.messages.send", n, f))
				_, _ = e.w.Cycle(context.Background(), now, false)
				e.ws.Fake.SetFault(nil)
			}})
		}
	}

	// The cases mostly wait (the claim's settle time): run several at once.
	var wg sync.WaitGroup
	sem := make(chan struct{}, 6)
	for _, c := range cases {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			e := crashScenario(t)
			c.crash(e)
			if err := e.settleErr(now); err != nil {
				t.Errorf("%s: %v", c.name, err)
				return
			}
			if err := e.exactlyOnceErr(); err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
		}()
	}
	wg.Wait()
	t.Logf("tried %d crash cases (every call of the first cycle, %d calls of the recovery cycle after a crash past the claim, 6 lost replies); failures: %v",
		len(cases), len(rec), t.Failed())
}

// nthCall fails only the nth call of method.
func nthCall(method string, n int, f workspacefake.Fault) workspacefake.FaultFunc {
	var seen atomic.Int64
	return func(_ *http.Request, m string) *workspacefake.Fault {
		if m != method || int(seen.Add(1)) != n {
			return nil
		}
		return &f
	}
}

func (c *crasher) ReadRanges(ctx context.Context, ranges []string) (v [][][]any, err error) {
	err = c.step(ctx, "sheets.read", func(ctx context.Context) (err error) { v, err = c.sheet.ReadRanges(ctx, ranges); return })
	return
}

func (c *crasher) WriteRows(ctx context.Context, ups []workbook.Update, recheck workbook.Recheck) (n int, err error) {
	err = c.step(ctx, "sheets.write", func(ctx context.Context) (err error) { n, err = c.sheet.WriteRows(ctx, ups, recheck); return })
	return
}
