package worker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/sheets"
	"github.com/funza-tic/mesa/internal/workbook"
)

// LeaseTab is the tab that holds the lease: a header row and one row
// (Clave, Dueño, Vence, Actualizado), always written with an explicit range.
const LeaseTab = "Control"

// leaseRange is the whole lease, header included, so a write also repairs
// a header someone erased.
var leaseRange = workbook.Quote(LeaseTab) + "!A1:D2"

// Lease keeps two mesa instances from running cycles at the same time.
//
// Sheets has no compare-and-swap, so the lease is optimistic: read the
// row; if another owner holds it and it has not expired, give up; else
// write our name and expiry, wait Settle, and read it back; whoever reads
// their own name holds the lease. Two instances writing in the same
// moment both read back the last write, so only one proceeds. The limits,
// honestly:
//   - a write that takes longer than Settle to land (a slow request, a
//     retried 5xx) can overwrite a lease already confirmed by the other
//     instance; Settle should exceed the API's worst latency (seconds);
//   - the expiry compares clocks of different machines: keep them in NTP
//     sync and TTL well above the skew;
//   - TTL must exceed the longest cycle, or a second instance may start
//     while the first still writes.
//
// This is a guard against two deployments by mistake (a CronJob and a
// Deployment), not a consensus protocol. Even when it fails, a cycle is
// idempotent and mail goes through the outbox, so the cost is duplicated
// work, not duplicated cases.
type Lease struct {
	Sheet  Sheet
	Owner  string        // who we are: host name and process id
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
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("the lease is held by %s until %s", e.Owner, e.Until.Format(time.RFC3339))
}

// ErrLeaseHeld matches any HeldError with errors.Is.
var ErrLeaseHeld = errors.New("lease held by another instance")

func (e *HeldError) Is(target error) bool { return target == ErrLeaseHeld }

type leaseRow struct {
	owner string
	until time.Time
}

// Acquire takes the lease or returns a *HeldError.
func (l *Lease) Acquire(ctx context.Context) error {
	now := l.now()
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

// WithLease runs fn holding the lease, and releases it after, also when
// ctx was cancelled meanwhile (the release must still reach the sheet).
func (w *Worker) WithLease(ctx context.Context, l *Lease, fn func(context.Context) error) error {
	if err := l.Acquire(ctx); err != nil {
		return err
	}
	err := fn(ctx)
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if rerr := l.Release(rctx); rerr != nil && w.Log != nil {
		w.Log.Warn("could not release the lease; it expires by itself", "err", rerr, "ttl", l.TTL)
	}
	return err
}

func (l *Lease) read(ctx context.Context) (leaseRow, error) {
	vals, err := l.Sheet.Read(ctx, []string{LeaseTab})
	if errors.Is(err, sheets.ErrMissingTab) {
		if _, aerr := l.Sheet.EnsureTabs(ctx, []string{LeaseTab}); aerr != nil {
			// Another instance may have added it a moment ago: read again.
			if vals, err = l.Sheet.Read(ctx, []string{LeaseTab}); err != nil {
				return leaseRow{}, fmt.Errorf("add the %s tab: %w", LeaseTab, aerr)
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
	_, err := l.Sheet.Write(ctx, []workbook.Update{{Range: leaseRange, Values: [][]any{
		{"Clave", "Dueño", "Vence", "Actualizado"},
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
