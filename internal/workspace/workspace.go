// Package workspace holds what the Google adapters hand to the rest of mesa,
// in mesa's terms: a form response, a message of the help-desk mailbox, and
// the few classes a failed request falls into. The worker and the report
// match these with errors.Is; only the adapters (sheets, forms, gmail,
// drive) read Google's status codes and reasons to pick the class. It
// imports nothing of Google.
package workspace

import (
	"errors"
	"net/mail"
	"time"
)

// FormResponse is one response of a Google Form, answers by question title.
type FormResponse struct {
	ID string
	// Submitted is lastSubmittedTime at full precision: Forms writes it
	// with microseconds ("2024-06-19T16:05:51.394652Z"), and a watermark
	// cut to the second would list the same response again.
	Submitted time.Time
	Email     string
	Answers   map[string]string
}

// Message is a message received in the help-desk mailbox, decoded: the
// header fields a person reads, and the body as plain text.
type Message struct {
	ID       string       // Gmail message id
	Received time.Time    // Gmail's internalDate: when the mailbox received it
	From     mail.Address // display name (RFC 2047 decoded) and address
	Subject  string       // RFC 2047 decoded
	Text     string       // the text/plain body, or the text/html one as text; "\n" line ends
	Headers  mail.Header  // every header field, values as received (not decoded)
}

// ErrMalformed marks a message that cannot be read as RFC 5322: retrying
// does not help, so a caller skips it.
var ErrMalformed = errors.New("malformed message")

// The classes of a failed request that changes something (a send, a write).
// An adapter wraps every error it returns from such a request in exactly one
// of them; a caller that meets an error in none treats it as ErrUnknown.
var (
	// ErrQuota: Google refused for a quota (per minute, or per day) and
	// did nothing; the same request may succeed later.
	ErrQuota = errors.New("quota exceeded")
	// ErrRefused: Google refused the request for good (a bad address, a
	// message it will not take); sending it again cannot cure it.
	ErrRefused = errors.New("refused")
	// ErrUnknown: the outcome is lost (a 5xx, a reset, a timeout): the
	// request may have been applied.
	ErrUnknown = errors.New("outcome unknown")
)

// Error is a failed request translated by an adapter: its class, what
// Google said (for a person to read: "400 Invalid To header"), and the
// error it came from.
type Error struct {
	Class  error // ErrQuota, ErrRefused or ErrUnknown
	Detail string
	Err    error
}

func (e *Error) Error() string { return e.Err.Error() }

func (e *Error) Unwrap() []error { return []error{e.Class, e.Err} }

// Detail returns what the service said of err, or err's text when no
// adapter translated it.
func Detail(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Detail != "" {
		return e.Detail
	}
	return err.Error()
}
