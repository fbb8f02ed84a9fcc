package worker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/workbook"
)

// leaseRange is the whole lease, header included, so a write also repairs
// a header someone erased.
var leaseRange = workbook.Quote(workbook.Control.Name) + "!A1:D2"

// Lease keeps two mesa instances from running cycles at the same time, to
// save the work and the quota a second cycle would spend. It is not what
// keeps mail exactly-once: the outbox's claim protocol (outbox.go) holds
// whether or not the lease does, also with the lease held twice.
//
// Sheets has no compare-and-swap, so the lease is optimistic: read the
// row; if another owner holds it and it has not expired, give up; else
// write our name and expiry, wait Settle, and read it back; whoever reads
// their own name holds the lease. Two instances writing in the same
// moment both read back the last write, so only one proceeds. A write that
// returns Settle or more after the read (a 429 retried after its
// Retry-After, a slow reply) may have landed after a rival read its own
// name back: the lease is not taken. The limits, honestly:
//   - a write Google applies after we stopped waiting for its reply (the
//     write fails here, but lands later) can hand the lease to nobody or
//     make a holder believe it lost it; renewal then logs and stops, and
//     the cycle goes on: the outbox does not rely on the lease;
//   - the expiry compares clocks of different machines: keep them in NTP
//     sync and TTL well above the skew.
//
// The owner must differ between processes: NewOwner adds a random part to
// the host name and pid, which are localhost and 1 for every Cloud Run
// execution. A cycle renews the lease every TTL/3 while it runs.
type Lease struct {
	Sheet  Sheet
	Owner  string        // who we are, unique per process (NewOwner)
	TTL    time.Duration // how long a lease lasts without release
	Settle time.Duration // wait between writing and reading back
	Now    func() time.Time
	// Sleep waits d or until ctx is done; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// HeldError says who holds the lease.
type HeldError struct {
	Owner string
	Until time.Time
	Slow  time.Duration // not zero: our write took this long, and we gave up
}

func (e *HeldError) Error() string {
	if e.Slow > 0 {
		return fmt.Sprintf("%v (%v): another instance may hold the lease", ErrSlowLease, e.Slow.Round(time.Millisecond))
	}
	return fmt.Sprintf("the lease is held by %s until %s", e.Owner, e.Until.Format(time.RFC3339))
}

// ErrLeaseHeld matches any HeldError with errors.Is.
var ErrLeaseHeld = errors.New("lease held by another instance")

func (e *HeldError) Is(target error) bool { return target == ErrLeaseHeld }

type leaseRow struct {
	owner string
	until time.Time
}

// NewOwner returns a lease owner for this process: the host name and pid
// a person recognises in the Control tab, and a random part, since a
// container platform gives every execution the same two (Cloud Run:
// localhost, pid 1).
func NewOwner(host string, pid int) string {
	return fmt.Sprintf("%s:%d:%s", host, pid, newToken())
}

// ErrSlowLease says the lease write returned too late to be trusted.
var ErrSlowLease = errors.New("the lease write was slower than the settle time")

// Acquire takes the lease or returns a *HeldError.
func (l *Lease) Acquire(ctx context.Context) error {
	now := l.now()
	start := time.Now() // durations on the monotonic clock, whatever l.Now says
	cur, err := l.read(ctx)
	if err != nil {
		return err
	}
	if cur.owner != "" && cur.owner != l.Owner && now.Before(cur.until) {
		return &HeldError{Owner: cur.owner, Until: cur.until}
	}
	if err := l.write(ctx, l.Owner, now.Add(l.TTL), now); err != nil {
		return err
	}
	if gap := time.Since(start); l.Settle > 0 && gap >= l.Settle {
		// Our write may have landed after a rival wrote, waited and read its
		// own name back: a rival may be running. Let the next tick try.
		return &HeldError{Owner: cur.owner, Until: cur.until, Slow: gap}
	}
	if err := l.sleep(ctx, l.Settle); err != nil {
		return err
	}
	got, err := l.read(ctx)
	if err != nil {
		return err
	}
	if got.owner != l.Owner {
		return &HeldError{Owner: got.owner, Until: got.until}
	}
	return nil
}

// Release gives the lease up if we still hold it.
func (l *Lease) Release(ctx context.Context) error {
	cur, err := l.read(ctx)
	if err != nil {
		return err
	}
	if cur.owner != l.Owner {
		return nil
	}
	return l.write(ctx, "", time.Time{}, l.now())
}

// renew extends the lease while we hold it. It reports false when another
// owner holds it now (a late write, an expiry while we were paused).
func (l *Lease) renew(ctx context.Context) (bool, error) {
	cur, err := l.read(ctx)
	if err != nil {
		return true, err
	}
	if cur.owner != l.Owner {
		return false, nil
	}
	now := l.now()
	return true, l.write(ctx, l.Owner, now.Add(l.TTL), now)
}

// WithLease runs fn holding the lease, renews it every TTL/3 while fn runs,
// and releases it after, also when ctx was cancelled meanwhile (the release
// must still reach the sheet).
func (w *Worker) WithLease(ctx context.Context, l *Lease, fn func(context.Context) error) error {
	if err := l.Acquire(ctx); err != nil {
		return err
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.keepLease(ctx, l, stop)
	}()
	err := fn(ctx)
	close(stop)
	<-done
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if rerr := l.Release(rctx); rerr != nil && w.Log != nil {
		w.Log.Warn("could not release the lease; it expires by itself", "err", rerr, "ttl", l.TTL)
	}
	return err
}

// keepLease renews l every TTL/3 until stop is closed. Losing the lease
// does not stop the cycle: the lease only saves duplicated work, and the
// outbox stays exactly-once without it.
func (w *Worker) keepLease(ctx context.Context, l *Lease, stop <-chan struct{}) {
	every := l.TTL / 3
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		case <-t.C:
		}
		held, err := l.renew(ctx)
		switch {
		case err != nil:
			w.warn("could not renew the lease; it lasts until its expiry", "err", err, "ttl", l.TTL)
		case !held:
			w.warn("another instance took the lease during this cycle; finishing the cycle (mail stays exactly-once)")
			return
		}
	}
}

func (w *Worker) warn(msg string, args ...any) {
	if w.Log != nil {
		w.Log.Warn(msg, args...)
	}
}

func (l *Lease) read(ctx context.Context) (leaseRow, error) {
	vals, err := l.Sheet.Read(ctx, []string{workbook.Control.Name})
	if errors.Is(err, workbook.ErrMissingTab) {
		if _, aerr := l.Sheet.EnsureTabs(ctx, []string{workbook.Control.Name}); aerr != nil {
			// Another instance may have added it a moment ago: read again.
			if vals, err = l.Sheet.Read(ctx, []string{workbook.Control.Name}); err != nil {
				return leaseRow{}, fmt.Errorf("add the %s tab: %w", workbook.Control.Name, aerr)
			}
		} else {
			return leaseRow{}, nil
		}
	}
	if err != nil {
		return leaseRow{}, fmt.Errorf("read the lease: %w", err)
	}
	if len(vals) == 0 || len(vals[0]) < 2 {
		return leaseRow{}, nil
	}
	row := vals[0][1]
	cell := func(i int) string {
		if i < len(row) {
			return strings.TrimSpace(workbook.Cell(row[i]))
		}
		return ""
	}
	r := leaseRow{owner: cell(1)}
	if t, err := time.Parse(time.RFC3339, cell(2)); err == nil {
		r.until = t
	} else if r.owner != "" {
		// An unreadable expiry (edited by hand) counts as expired: a
		// stuck lease must never stop the help desk for good.
		r.until = time.Time{}
	}
	return r, nil
}

func (l *Lease) write(ctx context.Context, owner string, until, now time.Time) error {
	exp := ""
	if !until.IsZero() {
		exp = until.Format(time.RFC3339)
	}
	var header []any // also repairs a header someone erased
	for _, c := range workbook.Control.Columns {
		header = append(header, c.Name)
	}
	_, err := l.Sheet.Write(ctx, []workbook.Update{{Range: leaseRange, Values: [][]any{
		header,
		{"ciclo", owner, exp, now.Format(time.RFC3339)},
	}}})
	if err != nil {
		return fmt.Errorf("write the lease: %w", err)
	}
	return nil
}

func (l *Lease) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

func (l *Lease) sleep(ctx context.Context, d time.Duration) error {
	if l.Sleep != nil {
		return l.Sleep(ctx, d)
	}
	return sleep(ctx, d)
}
