package retry_test

import (
	"testing"

	"google.golang.org/api/googleapi"

	"github.com/funza-tic/mesa/internal/retry"
)

// Which refusals are passing. The bodies are Google's: Drive and Gmail answer
// a rate limit with 403 rateLimitExceeded or userRateLimitExceeded (their
// "Resolve errors" guides; tidyverse/googledrive#380), Sheets with 429; a
// 403 for permissions or a daily limit does not pass in a minute.
func TestClassify(t *testing.T) {
	e := func(code int, reason, msg string) error {
		return &googleapi.Error{Code: code, Message: msg, Errors: []googleapi.ErrorItem{{Reason: reason, Message: msg}}}
	}
	tests := []struct {
		name                       string
		err                        error
		quota, transient, answered bool
	}{
		{"429 Sheets quota", e(429, "rateLimitExceeded", "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user'"), true, true, true},
		{"403 Drive userRateLimitExceeded", e(403, "userRateLimitExceeded", "User Rate Limit Exceeded. Rate of requests for user exceed configured project quota."), true, true, true},
		{"403 Gmail rateLimitExceeded", e(403, "rateLimitExceeded", "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'"), true, true, true},
		{"403 insufficientPermissions", e(403, "insufficientPermissions", "Request had insufficient authentication scopes."), false, false, false},
		{"403 forbidden", e(403, "forbidden", "The caller does not have permission"), false, false, false},
		{"403 dailyLimitExceeded", e(403, "dailyLimitExceeded", "Daily Limit Exceeded"), false, false, false},
		{"404", e(404, "notFound", "Requested entity was not found."), false, false, false},
		{"503", e(503, "backendError", "The service is currently unavailable."), false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retry.Quota(tt.err); got != tt.quota {
				t.Errorf("Quota = %v", got)
			}
			if got := retry.Transient(tt.err); got != tt.transient {
				t.Errorf("Transient = %v", got)
			}
			if got := retry.Answered(tt.err); got != tt.answered {
				t.Errorf("Answered = %v", got)
			}
		})
	}
}
