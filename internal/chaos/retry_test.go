package chaos_test

import (
	"context"
	"testing"
	"time"

	"github.com/funza-tic/mesa/internal/chaos"
	"github.com/funza-tic/mesa/internal/workspacefake"
)

// The adapters wait at least what a 429's Retry-After asks, even with a
// millisecond backoff policy, and retry a quota refusal without one fast.
func TestRetryAfterIsHonoured(t *testing.T) {
	ctx := context.Background()
	o, err := chaos.OpenOffice(ctx, t.TempDir(), 0, chaos.FastRetry())
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	c, err := o.Clients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		fault    workspacefake.Fault
		min, max time.Duration
	}{
		{"Retry-After: 1", workspacefake.Fault{Status: 429, RetryAfter: time.Second}, time.Second, 3 * time.Second},
		{"no Retry-After", workspacefake.Fault{Status: 429}, 0, 500 * time.Millisecond},
		{"503", workspacefake.Fault{Status: 503}, 0, 500 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o.Fake.SetFault(workspacefake.FailTimes("sheets.values.batchGet", 1, tc.fault))
			defer o.Fake.SetFault(nil)
			start := time.Now()
			if _, err := c.Sheets.Read(ctx, []string{"Casos"}); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d < tc.min || d > tc.max {
				t.Errorf("read took %v, want between %v and %v", d, tc.min, tc.max)
			}
		})
	}
}
