package workspacefake

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Rates are the chances, per request, of each kind of injected fault. They
// are drawn in the order listed; what is left over is a healthy reply.
//
// Google's values.batchUpdate is atomic (all ranges or none), so a "partial
// batch failure" is what a caller sees when one request of several fails: a
// Write split in payload-sized chunks, or a cycle's mail where some sends go
// through and the next one fails. A schedule produces those by failing
// requests independently.
type Rates struct {
	Quota        float64       // 429 without Retry-After
	QuotaWait    float64       // 429 with Retry-After: RetryAfter (the caller must wait that long)
	RateLimit    float64       // each API's own rate-limit answer: Drive and Gmail 403 rateLimitExceeded or userRateLimitExceeded, Sheets and Forms 429
	RetryAfter   time.Duration // default 1 s (the header has whole seconds)
	ServerError  float64       // 500 or 503, not applied
	LostReply    float64       // applied, then 503 or a reset: the caller cannot tell
	Reset        float64       // connection reset before anything is applied
	Timeout      float64       // the reply takes TimeoutDelay, beyond the caller's deadline
	TimeoutDelay time.Duration // default 2 s
	Slow         float64       // the reply takes SlowDelay, then succeeds
	SlowDelay    time.Duration // default 20 ms
	Late         float64       // the request lands after LateDelay, whether or not its caller still waits
	LateDelay    time.Duration // default 2 s

	// Methods, if set, limits the faults to the methods it accepts (names
	// as Calls() counts them).
	Methods func(method string) bool
}

// Uniform spreads a total fault rate evenly over every kind of fault
// except QuotaWait (which makes the caller sleep whole seconds).
func Uniform(total float64) Rates {
	p := total / 7
	return Rates{Quota: p, RateLimit: p, ServerError: p, LostReply: p, Reset: p, Timeout: p, Slow: p}
}

// Schedule returns a FaultFunc that injects faults at the given rates,
// drawn from a generator seeded with seed: the n-th request a server sees
// gets the same fault on every run with that seed (requests of concurrent
// callers may reach the server in a different order).
func Schedule(seed uint64, r Rates) FaultFunc {
	if r.RetryAfter <= 0 {
		r.RetryAfter = time.Second
	}
	if r.TimeoutDelay <= 0 {
		r.TimeoutDelay = 2 * time.Second
	}
	if r.LateDelay <= 0 {
		r.LateDelay = 2 * time.Second
	}
	if r.SlowDelay <= 0 {
		r.SlowDelay = 20 * time.Millisecond
	}
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return func(_ *http.Request, method string) *Fault {
		mu.Lock()
		x, coin := rng.Float64(), rng.IntN(2)
		mu.Unlock()
		if r.Methods != nil && !r.Methods(method) {
			return nil
		}
		status := http.StatusInternalServerError
		if coin == 1 {
			status = http.StatusServiceUnavailable
		}
		for _, k := range []struct {
			p float64
			f Fault
		}{
			{r.Quota, Fault{Status: http.StatusTooManyRequests}},
			{r.QuotaWait, Fault{Status: http.StatusTooManyRequests, RetryAfter: r.RetryAfter}},
			{r.RateLimit, rateLimitFault(method, coin)},
			{r.ServerError, Fault{Status: status}},
			{r.LostReply, Fault{Status: http.StatusServiceUnavailable, Reset: coin == 1, AfterApply: true}},
			{r.Reset, Fault{Reset: true}},
			{r.Timeout, Fault{Delay: r.TimeoutDelay}},
			{r.Slow, Fault{Delay: r.SlowDelay}},
			{r.Late, Fault{Delay: r.LateDelay, Late: true}},
		} {
			if x < k.p {
				f := k.f
				return &f
			}
			x -= k.p
		}
		return nil
	}
}

// Chain returns a FaultFunc that asks each of fs in turn and returns the
// first fault; nil entries are skipped.
func Chain(fs ...FaultFunc) FaultFunc {
	return func(r *http.Request, method string) *Fault {
		for _, f := range fs {
			if f == nil {
				continue
			}
			if ft := f(r, method); ft != nil {
				return ft
			}
		}
		return nil
	}
}

// SheetsWrite reports whether a method writes to a spreadsheet, for Google's
// write-request quota; every other sheets.* method counts as a read.
func SheetsWrite(method string) bool {
	switch method {
	case "sheets.create", "sheets.batchUpdate", "sheets.values.update", "sheets.values.append",
		"sheets.values.clear", "sheets.values.batchUpdate", "sheets.values.batchClear":
		return true
	}
	return false
}

// Limits are per-minute request quotas, counted per user as Google does
// (the fake has one user). Zero means no limit.
type Limits struct {
	SheetsReadsPerMinute  int // Google: 60 per minute per user
	SheetsWritesPerMinute int // Google: 60 per minute per user

	// Clock tells the time the quota windows are measured in; default the
	// wall clock. A simulation that runs a month in seconds passes its own
	// clock, so the budget is spent at the pace the office would spend it.
	Clock func() time.Time
}

// SheetsQuota is Google's default Sheets quota for one user.
var SheetsQuota = Limits{SheetsReadsPerMinute: 60, SheetsWritesPerMinute: 60}

// QuotaMeter enforces Limits over a sliding minute and counts what it
// refused. Install its Fault with SetFault (or inside a Chain).
type QuotaMeter struct {
	l  Limits
	mu sync.Mutex
	// recent holds the instants of the requests admitted in the last
	// minute, per counter ("read", "write").
	recent  map[string][]time.Time
	refused map[string]int
	peak    map[string]int
}

// NewQuota returns a meter for l.
func NewQuota(l Limits) *QuotaMeter {
	if l.Clock == nil {
		l.Clock = time.Now
	}
	return &QuotaMeter{l: l, recent: map[string][]time.Time{}, refused: map[string]int{}, peak: map[string]int{}}
}

// Fault refuses a request beyond its budget with 429 and a Retry-After
// that says when a slot frees up, as Google's quota errors do.
func (q *QuotaMeter) Fault(_ *http.Request, method string) *Fault {
	if !strings.HasPrefix(method, "sheets.") {
		return nil
	}
	counter, limit := "read", q.l.SheetsReadsPerMinute
	if SheetsWrite(method) {
		counter, limit = "write", q.l.SheetsWritesPerMinute
	}
	if limit <= 0 {
		return nil
	}
	now := q.l.Clock()
	q.mu.Lock()
	defer q.mu.Unlock()
	win := q.recent[counter]
	i := 0
	for i < len(win) && !win[i].After(now.Add(-time.Minute)) {
		i++
	}
	win = win[i:]
	if len(win) >= limit {
		q.recent[counter] = win
		q.refused[counter]++
		return &Fault{Status: http.StatusTooManyRequests, RetryAfter: win[0].Add(time.Minute).Sub(now)}
	}
	win = append(win, now)
	q.recent[counter] = win
	q.peak[counter] = max(q.peak[counter], len(win))
	return nil
}

// QuotaStats is what a meter saw: requests refused and the most admitted
// within any minute, by counter ("read", "write").
type QuotaStats struct {
	Refused map[string]int
	Peak    map[string]int
}

// Stats returns a copy of the meter's counts.
func (q *QuotaMeter) Stats() QuotaStats {
	q.mu.Lock()
	defer q.mu.Unlock()
	s := QuotaStats{Refused: map[string]int{}, Peak: map[string]int{}}
	for k, v := range q.refused {
		s.Refused[k] = v
	}
	for k, v := range q.peak {
		s.Peak[k] = v
	}
	return s
}

// rateLimitFault is how each API refuses a request over a rate limit:
// Drive and Gmail answer 403 with reason userRateLimitExceeded (per user)
// or rateLimitExceeded (per project) (Drive and Gmail "Resolve errors"
// guides); Sheets and Forms answer 429.
func rateLimitFault(method string, coin int) Fault {
	if strings.HasPrefix(method, "drive.") || strings.HasPrefix(method, "gmail.") {
		reason := "userRateLimitExceeded"
		if coin == 1 {
			reason = "rateLimitExceeded"
		}
		return Fault{Status: http.StatusForbidden, Reason: reason}
	}
	return Fault{Status: http.StatusTooManyRequests}
}
