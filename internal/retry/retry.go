// Package retry retries Google API calls that failed for a passing reason:
// rate limits (429, and Drive's and Gmail's 403 rateLimitExceeded or
// userRateLimitExceeded) and server errors (5xx), with exponential backoff
// and jitter, honouring Retry-After. The JSON clients do not retry on their
// own.
package retry

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/cenkalti/backoff/v4"
	"google.golang.org/api/googleapi"
)

// Policy bounds the retries of one call.
type Policy struct {
	Initial  time.Duration
	Max      time.Duration
	Elapsed  time.Duration // give up after this long
	Attempts uint64
}

// Default suits Sheets' per-minute quotas: up to about a minute of waiting.
// The adapters start with it; a test that needs millisecond waits sets its
// own Policy on the clients it builds (their Retry field).
func Default() Policy {
	return Policy{Initial: 500 * time.Millisecond, Max: 16 * time.Second, Elapsed: 70 * time.Second, Attempts: 8}
}

// Transient reports whether err is worth retrying: quota, server errors,
// timeouts and connection failures.
func Transient(err error) bool {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return Quota(err) || ge.Code >= 500
	}
	var ne net.Error // includes *url.Error: resets, refused connections, timeouts
	return errors.As(err, &ne)
}

// Answered reports whether the server answered with a rate limit or a 5xx.
// Writes retry only on these: after a timeout or a dropped connection the
// request may still be in flight, and a retry that lands first would be
// overwritten by it later. Such a write fails the cycle instead; the next
// cycle, minutes later, reads what really happened and writes again.
func Answered(err error) bool {
	var ge *googleapi.Error
	return errors.As(err, &ge) && (Quota(err) || ge.Code >= 500)
}

// Quota reports whether err is a rate-limit refusal, so the request was not
// applied: a 429, or a 403 whose reason is rateLimitExceeded or
// userRateLimitExceeded, as Drive and Gmail answer a per-user or per-project
// rate limit (Drive and Gmail "Resolve errors" guides). Any other 403
// (forbidden, insufficientPermissions, dailyLimitExceeded, ...) is not:
// waiting a minute does not cure it.
func Quota(err error) bool {
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		return false
	}
	switch ge.Code {
	case http.StatusTooManyRequests:
		return true
	case http.StatusForbidden:
		return RateLimitReason(ge)
	}
	return false
}

// RateLimitReason reports whether a Google error gives a rate limit as its
// reason.
func RateLimitReason(ge *googleapi.Error) bool {
	for _, e := range ge.Errors {
		switch e.Reason {
		case "rateLimitExceeded", "userRateLimitExceeded":
			return true
		}
	}
	return false
}

// retryAfter reads the Retry-After header of a Google error, if any.
func retryAfter(err error) time.Duration {
	var ge *googleapi.Error
	if !errors.As(err, &ge) || ge.Header == nil {
		return 0
	}
	if s, err := strconv.Atoi(ge.Header.Get("Retry-After")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 0
}

// Do runs op until it succeeds, fails permanently (when retryable says so),
// or the policy runs out. Only idempotent calls may use it with Transient.
func (p Policy) Do(ctx context.Context, retryable func(error) bool, op func() error) error {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval, b.MaxElapsedTime = p.Initial, p.Max, p.Elapsed
	var bo backoff.BackOff = backoff.WithContext(backoff.WithMaxRetries(b, p.Attempts), ctx)
	bo = &honourRetryAfter{BackOff: bo}
	h := bo.(*honourRetryAfter)
	return backoff.Retry(func() error {
		err := op()
		if err == nil {
			return nil
		}
		if !retryable(err) || ctx.Err() != nil {
			return backoff.Permanent(err)
		}
		h.after = retryAfter(err)
		return err
	}, bo)
}

// honourRetryAfter waits at least what the server asked for.
type honourRetryAfter struct {
	backoff.BackOff
	after time.Duration
}

func (h *honourRetryAfter) NextBackOff() time.Duration {
	d := h.BackOff.NextBackOff()
	if d != backoff.Stop && h.after > d {
		d = h.after
	}
	h.after = 0
	return d
}
