package worker_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"reflect"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/chaos"
	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/retry"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
)

// cacheOffice is a synthetic office in the fake with a worker as mesa runs
// it on the local backend (exclusive, watching the Drive version), with or
// without the cycle cache.
type cacheOffice struct {
	o *chaos.Office
	w *worker.Worker
}

func newCacheOffice(t *testing.T, s *chaos.Synthetic, cache bool, mail worker.Mailer) *cacheOffice {
	t.Helper()
	ctx := context.Background()
	o, err := chaos.OpenOffice(ctx, t.TempDir(), 0, retry.Default())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	if err := s.Load(ctx, o); err != nil {
		t.Fatal(err)
	}
	w, err := o.Worker(ctx, mail)
	if err != nil {
		t.Fatal(err)
	}
	w.Config.Exclusive = true
	o.Watching(w)
	if cache {
		w.Cache = &worker.Cache{}
	}
	return &cacheOffice{o: o, w: w}
}

// submit sends the same requests and answers to the office at a step.
func (c *cacheOffice) submit(t *testing.T, s *chaos.Synthetic, step int, at time.Time) {
	t.Helper()
	q := procedure.DefaultQuestions
	for i := range 3 {
		if _, err := c.o.Submit(chaos.Submission{Form: procedure.Solicitudes, Email: fmt.Sprintf("persona%d-%d@funza-cundinamarca.gov.co", step, i),
			At: at.Add(-time.Duration(10-i) * time.Minute),
			Answers: map[string]string{q[procedure.Solicitudes][procedure.FName]: "Persona", q[procedure.Solicitudes][procedure.FBuilding]: "Sede 3",
				q[procedure.Solicitudes][procedure.FService]: "Soporte de hardware", q[procedure.Solicitudes][procedure.FDescription]: "No enciende"}}); err != nil {
			t.Fatal(err)
		}
	}
	// An agent answers an open case of the synthetic office.
	n := len(s.Book.Cases()) - step
	cs := s.Book.Case(n)
	by := s.Agents[0].Email
	for _, a := range s.Agents {
		if cs != nil && a.Name == cs.Agent {
			by = a.Email
		}
	}
	if _, err := c.o.Submit(chaos.Submission{Form: procedure.Respuestas, Email: by, At: at.Add(-time.Minute),
		Answers: map[string]string{q[procedure.Respuestas][procedure.FCase]: fmt.Sprint(n), q[procedure.Respuestas][procedure.FState]: "Resuelto",
			q[procedure.Respuestas][procedure.FActivities]: "Cambio de fuente"}}); err != nil {
		t.Fatal(err)
	}
}

func (c *cacheOffice) tab(t *testing.T, name string) [][]any {
	t.Helper()
	v, err := c.o.WS.Sheets.Read(context.Background(), []string{name})
	if err != nil {
		t.Fatal(err)
	}
	return v[0]
}

// cancelingMail cancels the cycle's context at its first send, as a process
// killed right after the cycle's workbook write (and its outbox claim)
// would stop.
type cancelingMail struct {
	worker.Mailer
	cancel context.CancelFunc
	armed  bool
}

func (m *cancelingMail) Send(ctx context.Context, raw []byte) (string, error) {
	if m.armed {
		m.armed = false
		m.cancel()
		return "", context.Canceled
	}
	return m.Mailer.Send(ctx, raw)
}

// The cycle cache changes what a cycle reads, never what it writes: an
// office run with it ends with the same Casos and Historial as the same
// office run without it (the chaos invariant "the final Casos equals a
// clean replay"), through busy cycles, idle ones, a person's edit of a
// worker cell (the version changes: the cycle reads everything and puts
// the cell back) and a cycle that dies after writing the workbook and
// before finishing (the cache is left empty: the next cycle reads
// everything, and finishes the dead cycle's mail).
func TestCacheCyclesEqualFullReads(t *testing.T) {
	s := chaos.NewSynthetic(300, 1)
	plain := newCacheOffice(t, s, false, nil)
	mailer := &cancelingMail{}
	cached := newCacheOffice(t, s, true, mailer)
	gm, err := cached.o.Clients(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	mailer.Mailer = gm.Gmail

	now := s.Now
	cycle := func(c *cacheOffice, ctx context.Context) (worker.Report, error) {
		return c.w.Cycle(ctx, now, false)
	}
	both := func(label string) {
		t.Helper()
		for _, c := range []*cacheOffice{plain, cached} {
			if _, err := cycle(c, context.Background()); err != nil {
				t.Fatalf("%s: %v", label, err)
			}
		}
	}
	same := func(label string) {
		t.Helper()
		for _, tab := range workbook.Worker {
			a, b := plain.tab(t, tab.Name), cached.tab(t, tab.Name)
			// Each fake gives its own response and Gmail ids, and the
			// journal's and the outbox's ids derive from them; the killed
			// cycle's mail goes a cycle later (Enviado).
			for _, col := range []string{"ID", "Respuesta", "ID Gmail", "Evento", "Enviado"} {
				if c := tab.Index(col); c >= 0 {
					a, b = without(a, c), without(b, c)
				}
			}
			if !reflect.DeepEqual(a, b) {
				for i := range min(len(a), len(b)) {
					if !reflect.DeepEqual(a[i], b[i]) {
						t.Logf("row %d:\n%v\n%v", i+1, a[i], b[i])
						break
					}
				}
				t.Fatalf("%s: %s differs with the cache (%d rows without, %d with)", label, tab.Name, len(a), len(b))
			}
		}
	}

	both("settle")
	both("settle again")
	for step := 1; step <= 3; step++ {
		now = now.Add(30 * time.Minute)
		plain.submit(t, s, step, now)
		cached.submit(t, s, step, now)
		both(fmt.Sprintf("busy step %d", step))
		same(fmt.Sprintf("busy step %d", step))
	}
	// Eight days later, with nothing new: the clock's decisions (F-5c
	// resolutions, the weekly survey sample) and service levels passing
	// (Vencido), from the cache.
	now = now.Add(8 * 24 * time.Hour)
	both("eight days later")
	same("eight days later")
	hits := cached.w.Cache.Hits()
	if hits < 3 {
		t.Fatalf("busy cycles after busy cycles started from the cache %d times, want at least 2", hits)
	}

	// A person types over a worker cell (Casos' Estado of the first case):
	// the version changes, the cycle reads everything and repairs it.
	for _, c := range []*cacheOffice{plain, cached} {
		if _, err := c.o.WS.Sheets.Write(context.Background(), []workbook.Update{{Range: "'Casos'!K2", Values: [][]any{{"Cerrado a mano"}}}}); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(30 * time.Minute)
	plain.submit(t, s, 4, now)
	cached.submit(t, s, 4, now)
	both("after a person's edit")
	if cached.w.Cache.Hits() != hits {
		t.Fatal("a cycle started from the cache after a person edited a worker tab")
	}
	if got := workbook.Cell(cached.tab(t, workbook.Casos.Name)[1][10]); got == "Cerrado a mano" {
		t.Fatal("the cycle after a person's edit did not put the worker cell back")
	}
	same("after a person's edit")

	// The cycle dies after writing the workbook (its first send cancels
	// it): the cache must not be used by the next cycle.
	now = now.Add(30 * time.Minute)
	plain.submit(t, s, 5, now)
	cached.submit(t, s, 5, now)
	ctx, cancel := context.WithCancel(context.Background())
	mailer.cancel, mailer.armed = cancel, true
	if _, err := cycle(cached, ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("the killed cycle: %v, want context.Canceled", err)
	}
	if _, err := cycle(plain, context.Background()); err != nil {
		t.Fatal(err)
	}
	hits = cached.w.Cache.Hits()
	now = now.Add(30 * time.Minute)
	both("after the killed cycle")
	if cached.w.Cache.Hits() != hits {
		t.Fatal("the cycle after one that died started from the cache")
	}
	same("after the killed cycle")

	// And the cache is back in use afterwards, with the same result.
	now = now.Add(30 * time.Minute)
	plain.submit(t, s, 6, now)
	cached.submit(t, s, 6, now)
	both("busy after recovery")
	if cached.w.Cache.Hits() == hits {
		t.Fatal("the cache was not used again after a full read")
	}
	same("busy after recovery")
	// Every notification sent exactly once, and recorded as sent.
	sent := map[string]int{}
	for _, m := range cached.o.Fake.SentMail() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
		if err != nil {
			t.Fatal(err)
		}
		sent[msg.Header.Get(notify.HeaderNotification)]++
	}
	for i, row := range cached.tab(t, workbook.Notificaciones.Name)[1:] {
		id, st := workbook.Cell(row[0]), workbook.Cell(row[7])
		if st != "Enviado" || sent[id] != 1 {
			t.Fatalf("Notificaciones row %d (%s) is %q and was sent %d times, want Enviado once", i+2, id, st, sent[id])
		}
	}
}

// without returns the rows with column c blanked.
func without(rows [][]any, c int) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = append([]any(nil), r...)
		if c < len(r) {
			out[i][c] = nil
		}
	}
	return out
}
