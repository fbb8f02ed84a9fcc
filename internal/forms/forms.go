// Package forms is the thin adapter over the Google Forms v1 client: it
// lists a form's responses submitted after a watermark and returns their
// answers keyed by question title.
package forms

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	gforms "google.golang.org/api/forms/v1"
	"google.golang.org/api/option"

	"github.com/funza-tic/mesa/internal/retry"
	"github.com/funza-tic/mesa/internal/workspace"
)

// Client reads form responses.
type Client struct {
	svc    *gforms.Service
	Retry  retry.Policy // how calls are retried (New: retry.Default())
	mu     sync.Mutex
	titles map[string]map[string]string // form -> questionId -> title
}

// New returns a Forms client.
func New(ctx context.Context, opts ...option.ClientOption) (*Client, error) {
	svc, err := gforms.NewService(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("forms client: %w", err)
	}
	return &Client{svc: svc, Retry: retry.Default(), titles: map[string]map[string]string{}}, nil
}

// Service exposes the underlying client for setup.
func (c *Client) Service() *gforms.Service { return c.svc }

// Questions returns the form's question titles by question ID. They are
// kept between calls (a daemon lists responses every few minutes and a
// form changes rarely) and read again with forms.get when fresh is set.
func (c *Client) Questions(ctx context.Context, formID string, fresh bool) (map[string]string, error) {
	c.mu.Lock()
	t, ok := c.titles[formID]
	c.mu.Unlock()
	if ok && !fresh {
		return t, nil
	}
	var f *gforms.Form
	err := c.Retry.Do(ctx, retry.Transient, func() error {
		var err error
		f, err = c.svc.Forms.Get(formID).Context(ctx).Do()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("get form %s: %w", formID, err)
	}
	t = map[string]string{}
	for _, it := range f.Items {
		if it.QuestionItem != nil && it.QuestionItem.Question != nil {
			t[it.QuestionItem.Question.QuestionId] = strings.TrimSpace(it.Title)
		}
	}
	c.mu.Lock()
	c.titles[formID] = t
	c.mu.Unlock()
	return t, nil
}

// Since lists the responses submitted (or edited) after the watermark, all
// pages, oldest first. A zero watermark lists everything.
//
// The form's questions are fetched only when there are responses, so an
// idle check costs one call. The titles kept from an earlier call are read
// again when a response answers a question they do not know (a question
// added, or deleted and created again, which gives it a new questionId) and
// on a full listing (the nightly reconcile), which also picks up a question
// renamed in place.
func (c *Client) Since(ctx context.Context, formID string, after time.Time) ([]workspace.FormResponse, error) {
	var raw []*gforms.FormResponse
	token := ""
	for {
		call := c.svc.Forms.Responses.List(formID).PageSize(5000).Context(ctx)
		if !after.IsZero() {
			call = call.Filter("timestamp > " + Timestamp(after))
		}
		if token != "" {
			call = call.PageToken(token)
		}
		var page *gforms.ListFormResponsesResponse
		err := c.Retry.Do(ctx, retry.Transient, func() error {
			var err error
			page, err = call.Do()
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("list responses of %s: %w", formID, err)
		}
		raw = append(raw, page.Responses...)
		if token = page.NextPageToken; token == "" {
			break
		}
	}
	if len(raw) == 0 {
		return nil, nil
	}
	titles, err := c.Questions(ctx, formID, after.IsZero())
	if err != nil {
		return nil, err
	}
	if unknownQuestion(raw, titles) {
		if titles, err = c.Questions(ctx, formID, true); err != nil {
			return nil, err
		}
	}
	out := make([]workspace.FormResponse, len(raw))
	for i, r := range raw {
		out[i] = convert(r, titles)
	}
	return out, nil
}

// Timestamp writes an instant as the responses.list filter takes it: RFC
// 3339 in UTC "Zulu" form, with the 0, 3, 6 or 9 fractional digits that
// google.protobuf.Timestamp uses, so no precision is lost.
func Timestamp(t time.Time) string {
	t = t.UTC()
	base := t.Format("2006-01-02T15:04:05")
	switch ns := t.Nanosecond(); {
	case ns == 0:
		return base + "Z"
	case ns%1e6 == 0:
		return fmt.Sprintf("%s.%03dZ", base, ns/1e6)
	case ns%1e3 == 0:
		return fmt.Sprintf("%s.%06dZ", base, ns/1e3)
	default:
		return fmt.Sprintf("%s.%09dZ", base, ns)
	}
}

func unknownQuestion(raw []*gforms.FormResponse, titles map[string]string) bool {
	for _, r := range raw {
		for qid := range r.Answers {
			if _, ok := titles[qid]; !ok {
				return true
			}
		}
	}
	return false
}

func convert(r *gforms.FormResponse, titles map[string]string) workspace.FormResponse {
	sub, err := time.Parse(time.RFC3339Nano, r.LastSubmittedTime)
	if err != nil {
		sub, _ = time.Parse(time.RFC3339Nano, r.CreateTime)
	}
	out := workspace.FormResponse{ID: r.ResponseId, Submitted: sub, Email: r.RespondentEmail, Answers: map[string]string{}}
	for qid, a := range r.Answers {
		if a.TextAnswers == nil {
			continue
		}
		var vals []string
		for _, v := range a.TextAnswers.Answers {
			vals = append(vals, v.Value)
		}
		title := titles[qid]
		if title == "" {
			title = qid
		}
		out.Answers[title] = strings.Join(vals, "; ")
	}
	return out
}
