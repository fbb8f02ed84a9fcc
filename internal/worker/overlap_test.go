package worker_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/api/option"

	"github.com/funza-tic/mesa/internal/notify"
	"github.com/funza-tic/mesa/internal/sheets"
	"github.com/funza-tic/mesa/internal/workbook"
	"github.com/funza-tic/mesa/internal/worker"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// Cloud Run starts every execution of a job as pid 1 on host "localhost":
// two executions overlapping (a retried task, a manual run during a
// scheduled one) must still be two owners, and their mail goes out once
// whether the lease keeps them apart or, as with the owner "localhost:1"
// that mesa used to derive from host and pid alone, both believe they hold
// it.
func TestTwoExecutionsOnTheSameHost(t *testing.T) {
	if a, b := worker.NewOwner("localhost", 1), worker.NewOwner("localhost", 1); a == b {
		t.Fatalf("two executions on localhost with pid 1 get the same lease owner %q", a)
	}
	for _, tc := range []struct {
		name      string
		owner     func() string
		exclusive bool // the lease kept the cycles apart
	}{
		{"owners with a random part", func() string { return worker.NewOwner("localhost", 1) }, true},
		{"the lease held twice (owner localhost:1)", func() string { return "localhost:1" }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := officeEnv(t)
			e.w.Config.Exclusive, e.w.Config.ClaimSettle = false, 50*time.Millisecond // Google mode: no directory lock
			now := bogota("2026-03-17 09:00")
			var inside atomic.Int32
			var overlapped atomic.Bool
			for round := range 3 {
				for i := range 3 {
					e.request(fmt.Sprintf("u%d.%d@funza-cundinamarca.gov.co", round, i), fmt.Sprintf("Usuario %d %d", round, i), "No abre el programa",
						now.Add(-time.Duration(10-i)*time.Minute))
				}
				var wg sync.WaitGroup
				for range 2 {
					w := *e.w
					l := &worker.Lease{Sheet: e.ws.Sheets, Owner: tc.owner(), TTL: 10 * time.Minute, Settle: 50 * time.Millisecond,
						Now: func() time.Time { return now }}
					wg.Add(1)
					go func() {
						defer wg.Done()
						err := w.WithLease(context.Background(), l, func(ctx context.Context) error {
							if inside.Add(1) > 1 {
								overlapped.Store(true)
							}
							defer inside.Add(-1)
							_, err := w.Cycle(ctx, now, false)
							return err
						})
						if err != nil && !errors.Is(err, worker.ErrLeaseHeld) {
							t.Error(err)
						}
					}()
				}
				wg.Wait()
				now = now.Add(time.Hour)
			}
			if tc.exclusive && overlapped.Load() {
				t.Error("two cycles ran at once under owners with a random part")
			}
			if err := e.settleErr(now); err != nil {
				t.Fatal(err)
			}
			if err := e.exactlyOnceErr(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// sortingMailer is Gmail with a person who sorts Notificaciones (newest
// first, with a blank row inserted on top) while the cycle sends its
// first message: after the read-back that confirmed the claims and before
// the outcomes are written.
type sortingMailer struct {
	worker.Mailer
	fake  *workspacefake.Server
	id    string
	once  sync.Once
	err   error
	moved bool
}

func (m *sortingMailer) Send(ctx context.Context, raw []byte) (string, error) {
	m.once.Do(func() {
		m.err = m.fake.EditRows(m.id, workbook.Notificaciones.Name, func(rows [][]any) [][]any {
			m.moved = len(rows) > 1
			out := [][]any{nil}
			for i := len(rows) - 1; i >= 0; i-- {
				out = append(out, rows[i])
			}
			return out
		})
	})
	return m.Mailer.Send(ctx, raw)
}

// "Rows are found by the Caso key, never by row position (people sort and
// filter the sheet)" (DESIGN.md §1): a person sorting Notificaciones while
// mail goes out must not get a notification marked Enviado that was not
// sent, nor leave one that was sent marked otherwise.
func TestPersonSortsNotificacionesWhileMailGoesOut(t *testing.T) {
	e := officeEnv(t)
	// A settle long enough for a busy machine: a slower claim is abandoned
	// and nothing would go out in this cycle.
	e.w.Config.Exclusive, e.w.Config.ClaimSettle = false, 500*time.Millisecond
	m := &sortingMailer{Mailer: e.w.Mail, fake: e.ws.Fake, id: e.ws.Sheets.ID()}
	e.w.Mail = m
	now := bogota("2026-03-17 09:00")
	for i := range 4 {
		e.request(fmt.Sprintf("u%d@funza-cundinamarca.gov.co", i), fmt.Sprintf("Usuario %d", i), "No abre el programa", now.Add(-time.Duration(10-i)*time.Minute))
	}
	rep := e.cycle(now)
	if m.err != nil || !m.moved {
		t.Fatalf("the person's sort did not happen: %v", m.err)
	}
	if rep.Mail.Sent == 0 {
		t.Fatalf("nothing sent: %+v", rep.Mail)
	}
	// Right after the cycle, before any repair by a later one.
	if err := e.exactlyOnceErr(); err != nil {
		t.Fatal(err)
	}
}

// A lease write that Google applies after the client gave up on it (its
// deadline passed) lands in the middle of another execution's cycle: the
// first execution does not run (its write failed), the second finishes its
// cycle, and every mail goes out once.
func TestLateLandingLeaseWrite(t *testing.T) {
	ctx := context.Background()
	e := officeEnv(t)
	e.w.Config.Exclusive, e.w.Config.ClaimSettle = false, 20*time.Millisecond
	now := bogota("2026-03-17 09:00")
	for i := range 3 {
		e.request(fmt.Sprintf("u%d@funza-cundinamarca.gov.co", i), fmt.Sprintf("Usuario %d", i), "No abre el programa", now.Add(-time.Duration(10-i)*time.Minute))
	}
	impatient, err := sheets.New(ctx, e.ws.Sheets.ID(), option.WithHTTPClient(&http.Client{Transport: e.ws.Fake.HTTPClient().Transport, Timeout: 100 * time.Millisecond}),
		option.WithEndpoint(e.ws.Fake.URL()+"/"), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	first := &worker.Lease{Sheet: impatient, Owner: worker.NewOwner("localhost", 1), TTL: 10 * time.Minute, Settle: 50 * time.Millisecond, Now: clock}
	second := &worker.Lease{Sheet: e.ws.Sheets, Owner: worker.NewOwner("localhost", 1), TTL: 10 * time.Minute, Settle: 50 * time.Millisecond, Now: clock}

	e.ws.Fake.SetFault(workspacefake.FailTimes("sheets.values.batchUpdate", 1, workspacefake.Fault{Delay: 300 * time.Millisecond, Late: true}))
	ran := false
	err = e.w.WithLease(ctx, first, func(context.Context) error { ran = true; return nil })
	e.ws.Fake.SetFault(nil)
	if err == nil || ran {
		t.Fatalf("the first execution ran although its lease write timed out (err %v)", err)
	}
	err = e.w.WithLease(ctx, second, func(ctx context.Context) error {
		e.ws.Fake.Quiesce() // the first execution's write lands now, mid-cycle
		if rows := e.control(); len(rows) < 2 || rows[1][1] != first.Owner {
			t.Errorf("the late write did not land: Control reads %v", rows)
		}
		_, err := e.w.Cycle(ctx, now, false)
		return err
	})
	if err != nil {
		t.Fatalf("second execution: %v", err)
	}
	if err := e.settleErr(now); err != nil {
		t.Fatal(err)
	}
	if err := e.exactlyOnceErr(); err != nil {
		t.Fatal(err)
	}
}

// A lease write refused with 429 and retried after its Retry-After returns
// long after the read it was based on: a rival may have written, waited
// and read its own name meanwhile, so the lease is not taken.
func TestSlowLeaseWriteIsNotTrusted(t *testing.T) {
	ctx := context.Background()
	ws := leaseWorkspace(t)
	l := &worker.Lease{Sheet: ws.Sheets, Owner: worker.NewOwner("localhost", 1), TTL: 10 * time.Minute, Settle: 200 * time.Millisecond}
	ws.Fake.SetFault(workspacefake.FailTimes("sheets.values.batchUpdate", 1, workspacefake.Fault{Status: 429, RetryAfter: time.Second}))
	err := l.Acquire(ctx)
	var held *worker.HeldError
	if !errors.As(err, &held) || held.Slow < time.Second || !errors.Is(err, worker.ErrLeaseHeld) {
		t.Fatalf("Acquire after a 1 s Retry-After: %v, want a slow-write refusal", err)
	}
}

// control returns the Control tab (the lease) as strings.
func (e *env) control() [][]string {
	e.t.Helper()
	v, err := e.ws.Sheets.Read(context.Background(), []string{workbook.Control.Name})
	if err != nil {
		e.t.Fatal(err)
	}
	var out [][]string
	for _, r := range v[0] {
		var line []string
		for _, c := range r {
			line = append(line, workbook.Cell(c))
		}
		out = append(out, line)
	}
	return out
}

// A person's sort can also land in the instant between the read before
// the outcomes and their write: the outcomes land on the rows the sort put
// there. The read after the outcomes sees an Enviado with another
// notification's Gmail id, and puts both rows right, by key.
func TestSortBetweenTheReadAndTheOutcomes(t *testing.T) {
	e := officeEnv(t)
	e.w.Config.Exclusive, e.w.Config.ClaimSettle = false, 500*time.Millisecond
	e.w.Config.DailyLimit = 4 // half the mail waits: rows Pendiente among the sent ones
	now := bogota("2026-03-17 09:00")
	for i := range 4 {
		e.request(fmt.Sprintf("u%d@funza-cundinamarca.gov.co", i), fmt.Sprintf("Usuario %d", i), "No abre el programa", now.Add(-time.Duration(10-i)*time.Minute))
	}
	var writes atomic.Int32
	var sorted atomic.Bool
	id := e.ws.Sheets.ID()
	e.ws.Fake.SetFault(func(_ *http.Request, method string) *workspacefake.Fault {
		// The cycle's writes: its diff, the claim, the outcomes.
		if method == "sheets.values.batchUpdate" && writes.Add(1) == 3 {
			err := e.ws.Fake.EditRows(id, workbook.Notificaciones.Name, func(rows [][]any) [][]any {
				for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
					rows[i], rows[j] = rows[j], rows[i]
				}
				return rows
			})
			sorted.Store(err == nil)
		}
		return nil
	})
	rep := e.cycle(now)
	e.ws.Fake.SetFault(nil)
	if !sorted.Load() || rep.Mail.Sent != 4 {
		t.Fatalf("the sort did not land before the outcomes (sent %d, want 4)", rep.Mail.Sent)
	}
	sent := map[string]int{}
	for _, m := range e.ws.Fake.SentMail() {
		sent[headerOf(m.Raw, notify.HeaderNotification)]++
	}
	for _, r := range e.tab(workbook.Notificaciones) {
		id := r.Get("ID")
		switch {
		case r.Get("Estado") == worker.Sent && sent[id] != 1:
			t.Errorf("notification %s reads Enviado but went out %d times", id, sent[id])
		case r.Get("Estado") != worker.Sent && sent[id] != 0:
			t.Errorf("notification %s went out but reads %s", id, r.Get("Estado"))
		}
	}
}
