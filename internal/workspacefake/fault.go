package workspacefake

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Fault is what an injected failure does to one request.
type Fault struct {
	// Status, if not zero, is the HTTP status of the error reply (429, 500,
	// 503, ...), with Google's error body.
	Status int
	// Reason, if set, is the error's reason (errors[0].reason) and picks
	// Google's message for it: "rateLimitExceeded" or
	// "userRateLimitExceeded" (with Status 403, Drive's and Gmail's rate
	// limits), "insufficientPermissions", "forbidden", ...
	Reason string
	// RetryAfter, if positive, is sent as a Retry-After header (whole
	// seconds, rounded up).
	RetryAfter time.Duration
	// Delay is waited before anything else (outside the state lock, so other
	// requests proceed). A Fault with only a Delay is a slow reply.
	Delay time.Duration
	// Reset closes the connection without a reply. Note that Go's transport
	// retries an idempotent request (GET) once by itself when a reused
	// connection is closed, as it would against Google; POST and PUT are
	// never retried, so they show the error.
	Reset bool
	// AfterApply lets the request take effect and then fails the reply
	// (with Status or Reset): the caller cannot tell whether it worked, as
	// when a reply is lost.
	AfterApply bool
	// Late makes the request land after Delay even when its caller has
	// given up by then, as Google's frontends finish a request whose client
	// timed out or dropped the connection: a write that lands after the
	// caller stopped waiting for it (and perhaps after its retry).
	Late bool
}

// FaultFunc decides, for each routed request, whether it fails. method is
// the name Calls() counts ("sheets.values.batchGet"). It must not read the
// request body. A nil result means no fault.
type FaultFunc func(r *http.Request, method string) *Fault

// SetFault installs f (nil removes it). It applies from the next request on.
func (s *Server) SetFault(f FaultFunc) {
	s.callsMu.Lock()
	defer s.callsMu.Unlock()
	s.fault = f
}

// FailTimes returns a FaultFunc that fails the first n calls of method with
// f and lets every other call through.
func FailTimes(method string, n int, f Fault) FaultFunc {
	var mu sync.Mutex
	seen := 0
	return func(_ *http.Request, m string) *Fault {
		if m != method {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		seen++
		if seen > n {
			return nil
		}
		return &f
	}
}

func (s *Server) faultFor(r *http.Request, method string) *Fault {
	s.callsMu.Lock()
	f := s.fault
	s.callsMu.Unlock()
	if f == nil {
		return nil
	}
	return f(r, method)
}

func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f *Fault, serve func(http.ResponseWriter)) {
	if f.Late {
		// Keep the body: the caller may close the connection meanwhile.
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		time.Sleep(f.Delay)
		if r.Context().Err() != nil {
			serve(discardWriter{h: http.Header{}})
			return
		}
		serve(w)
		return
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	failing := f.Status != 0 || f.Reset
	if !failing {
		serve(w)
		return
	}
	if f.AfterApply {
		serve(discardWriter{h: http.Header{}})
	}
	if f.Reset {
		resetConn(w)
		return
	}
	if f.RetryAfter > 0 {
		secs := (f.RetryAfter + time.Second - 1) / time.Second
		w.Header().Set("Retry-After", fmt.Sprint(int64(secs)))
	}
	writeError(w, faultError(f, serviceOf(r.URL.Path)))
}

// serviceOf names the service a request path belongs to ("drive", "gmail",
// "sheets", "forms").
func serviceOf(path string) string {
	switch p := strings.TrimPrefix(path, "/upload"); {
	case strings.HasPrefix(p, "/drive/"):
		return "drive"
	case strings.HasPrefix(p, "/gmail/"):
		return "gmail"
	case strings.HasPrefix(p, "/v4/"):
		return "sheets"
	}
	return "forms"
}

// faultError is the error body of an injected fault: Google's status,
// reason and message for it.
func faultError(f *Fault, service string) *apiError {
	e := &apiError{Code: f.Status, Reason: f.Reason, Message: faultMessage(f.Status)}
	switch f.Reason {
	case "userRateLimitExceeded":
		// Drive: tidyverse/googledrive#380; Gmail: "Resolve errors".
		e.Domain, e.Message = "usageLimits", "User Rate Limit Exceeded"
		if service == "drive" {
			e.Message = "User Rate Limit Exceeded. Rate of requests for user exceed configured project quota. You may consider re-evaluating expected per-user traffic to the API and adjust project quota limits accordingly. You may monitor aggregate quota usage and adjust limits in the API Console: https://console.developers.google.com/apis/api/drive.googleapis.com/quotas?project=0 (injected by workspacefake)"
		}
	case "rateLimitExceeded":
		if f.Status == http.StatusForbidden {
			// Drive: "Resolve errors"; Gmail: mxngls/gmail-cleaner#5.
			e.Domain, e.Message = "usageLimits", "Rate Limit Exceeded"
			if service == "gmail" {
				e.Message = "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer 'project_number:0'. (injected by workspacefake)"
			}
		}
	case "insufficientPermissions":
		e.Message = "Request had insufficient authentication scopes. (injected by workspacefake)"
	case "":
	default:
		e.Message = fmt.Sprintf("%s: %s (injected by workspacefake)", http.StatusText(f.Status), f.Reason)
	}
	return e
}

func faultMessage(status int) string {
	switch status {
	case http.StatusTooManyRequests:
		return "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' (injected by workspacefake)."
	case http.StatusServiceUnavailable:
		return "The service is currently unavailable. (injected by workspacefake)"
	case http.StatusInternalServerError:
		return "Internal error encountered. (injected by workspacefake)"
	}
	return fmt.Sprintf("%s (injected by workspacefake)", http.StatusText(status))
}

// resetConn drops the connection without writing a response.
func resetConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = buf.Flush()
	_ = conn.Close()
}

// discardWriter swallows the real reply of an AfterApply fault.
type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header         { return d.h }
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d discardWriter) WriteHeader(int)             {}
