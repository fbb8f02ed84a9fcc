// Package gmail is the thin adapter over the Gmail v1 client: send a whole
// MIME message, and find a sent message by its Message-ID after a crash.
package gmail

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	ggmail "google.golang.org/api/gmail/v1"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/funza-tic/mesa/internal/retry"
	"github.com/funza-tic/mesa/internal/workspace"
)

// Client sends mail as one user (the help-desk mailbox).
type Client struct {
	svc   *ggmail.Service
	user  string
	Retry retry.Policy // how calls are retried (New: retry.Default())
}

// New returns a client sending as user ("me" for the authenticated user).
func New(ctx context.Context, user string, opts ...option.ClientOption) (*Client, error) {
	svc, err := ggmail.NewService(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("gmail client: %w", err)
	}
	if user == "" {
		user = "me"
	}
	return &Client{svc: svc, user: user, Retry: retry.Default()}, nil
}

// Send sends raw RFC 5322 bytes and returns the Gmail message id. Rate-limit
// refusals (429, or 403 rateLimitExceeded / userRateLimitExceeded: nothing
// was sent) are retried with backoff, honouring Retry-After, except the
// daily sending limit, which lifts only hours later: waiting for it would
// stall the cycle, so it is returned at once and the outbox keeps the mail
// for a later cycle. messages.send is not idempotent, so nothing else is
// retried. A failure is returned as a *workspace.Error of one class
// (sendClass): the outbox keeps the mail (ErrQuota), marks it failed
// (ErrRefused), or settles with Find whether it went out (ErrUnknown).
func (c *Client) Send(ctx context.Context, raw []byte) (string, error) {
	msg := &ggmail.Message{Raw: base64.URLEncoding.EncodeToString(raw)}
	var sent *ggmail.Message
	err := c.Retry.Do(ctx, func(err error) bool { return retry.Quota(err) && !DailyLimit(err) }, func() error {
		var err error
		sent, err = c.svc.Users.Messages.Send(c.user, msg).Context(ctx).Do()
		return err
	})
	if err != nil {
		detail, class := sendClass(err)
		return "", &workspace.Error{Class: class, Detail: detail, Err: fmt.Errorf("send message: %w", err)}
	}
	return sent.Id, nil
}

// sendClass sorts a failed send and says what Google said ("400 Invalid To
// header"). Quota: a rate limit (429, or 403 rateLimitExceeded /
// userRateLimitExceeded, already backed off), the daily sending limit, or a
// 403 quotaExceeded: nothing was sent. Refused: any other 4xx, which sending
// again cannot cure (a bad address, a message Gmail will not take).
// Unknown: a 5xx, a timeout, a reset: the message may have gone out.
func sendClass(err error) (detail string, class error) {
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		return err.Error(), workspace.ErrUnknown
	}
	detail = strconv.Itoa(ge.Code) + " " + ge.Message
	switch {
	case retry.Quota(err) || DailyLimit(err) || ge.Code == http.StatusForbidden && hasReason(ge, "quotaExceeded"):
		return detail, workspace.ErrQuota
	case ge.Code >= 400 && ge.Code < 500:
		return detail, workspace.ErrRefused
	}
	return detail, workspace.ErrUnknown
}

// DailyLimit reports whether err is Gmail's daily sending limit ("Daily
// user sending limit exceeded": reason dailyLimitExceeded, or a 429 or 403
// whose message names the daily limit), as opposed to a per-minute quota.
func DailyLimit(err error) bool {
	var ge *googleapi.Error
	if !errors.As(err, &ge) || ge.Code != http.StatusTooManyRequests && ge.Code != http.StatusForbidden {
		return false
	}
	if hasReason(ge, "dailyLimitExceeded") {
		return true
	}
	msg := strings.ToLower(ge.Message)
	return strings.Contains(msg, "daily") && strings.Contains(msg, "limit")
}

func hasReason(ge *googleapi.Error, reason string) bool {
	for _, e := range ge.Errors {
		if e.Reason == reason {
			return true
		}
	}
	return false
}

// Find looks for a sent message by its Message-ID header; it needs a scope
// that can read mail (gmail.readonly; gmail.metadata cannot search by q).
func (c *Client) Find(ctx context.Context, messageID string) (string, bool, error) {
	var list *ggmail.ListMessagesResponse
	err := c.Retry.Do(ctx, retry.Transient, func() error {
		var err error
		list, err = c.svc.Users.Messages.List(c.user).Q("rfc822msgid:" + messageID).IncludeSpamTrash(true).Context(ctx).Do()
		return err
	})
	if err != nil {
		return "", false, fmt.Errorf("find message %s: %w", messageID, err)
	}
	if len(list.Messages) == 0 {
		return "", false, nil
	}
	return list.Messages[0].Id, true, nil
}

// Trash moves a message to the mailbox's trash (users.messages.trash; it
// needs the gmail.modify scope). Gmail empties the trash after 30 days.
func (c *Client) Trash(ctx context.Context, id string) error {
	return c.Retry.Do(ctx, retry.Transient, func() error {
		_, err := c.svc.Users.Messages.Trash(c.user, id).Context(ctx).Do()
		return err
	})
}
